"""Alert rules: config validation, re-arm, first run, exactly once, rendering, signatures."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from pathlib import Path

import pandas as pd
import pytest
import yaml

from rotation_radar.alerts import rules
from rotation_radar.alerts.rules import AlertConfig, Rule
from rotation_radar.core import settings
from rotation_radar.core.settings import ConfigError

D = dt.date
RUT_TESTED = (
    "^RUT traded at 2,453.36, above its record close of 2,442.74 (2021-11-08), "
    "but closed at 2,407.34: tested and failed (2025-09-17)"
)
RUT_RECORD = (
    "^RUT closed at a record 2,467.70 on 2025-09-18, above the prior record close "
    "of 2,442.74 (2021-11-08)"
)


def sessions(start: str, n: int) -> list[dt.date]:
    """n weekdays from start (a stand-in for NYSE sessions)."""
    return [d.date() for d in pd.bdate_range(start, periods=n)]


def signals(rows) -> pd.DataFrame:
    """rows: (date, rule, subject, value[, message])."""
    out = []
    for row in rows:
        day, rule, subject, value, *message = row
        out.append(
            {
                "date": day,
                "rule": rule,
                "subject": subject,
                "value": value,
                "threshold": value - 1,
                "message": message[0] if message else f"{subject} {value}",
            }
        )
    return pd.DataFrame(out, columns=list(rules.SIGNAL_COLUMNS))


def config(*rules: Rule, first_run_sessions: int = 1000, **kwargs) -> AlertConfig:
    return AlertConfig(
        rules={r.id: r for r in rules},
        first_run_sessions=first_run_sessions,
        email_to=("desk@example.com",),
        **kwargs,
    )


def log_of(decisions: pd.DataFrame, status: str = "delivered") -> pd.DataFrame:
    """The log rows a run would write for its decisions."""
    log = decisions.copy()
    log["status"] = [status if a == "deliver" else "suppressed" for a in log["action"]]
    log["delivered_at"] = pd.Timestamp("2025-09-19T00:00:00Z")
    log["error"] = None
    log["attempts"] = 1
    return log.loc[:, list(rules.LOG_COLUMNS)]


EMPTY_LOG = pd.DataFrame(columns=list(rules.LOG_COLUMNS))


# --- configuration ---------------------------------------------------------------


def test_shipped_config_has_every_rule():
    cfg = rules.load_config(settings.DEFAULT_ALERTS)
    assert (
        set(cfg.rules)
        == set(rules.rule_ids())
        == {
            "record_close",
            "record_high",
            "tested_and_failed",
            "high_52w",
            "rs_cross_above_sma200",
            "rs_cross_below_sma200",
            "fomc_decision",
            "valuation_spread_extreme",
            "breadth_thrust",
            "rotation_quadrant_change",
            "concentration_record",
            "fed_path_shift",
        }
    )
    assert cfg.rules["record_close"].realert_on_new_extreme
    assert cfg.rules["tested_and_failed"].applies_to("^RUT")
    assert cfg.first_run_sessions == 3 and cfg.email_to


def test_env_overrides_the_file(tmp_path, monkeypatch):
    path = tmp_path / "alerts.yaml"
    path.write_text(
        "first_run_sessions: 1\nemail_to: [a@example.com]\n"
        "rules:\n  fomc_decision: {severity: info}\n"
    )
    monkeypatch.setenv("RADAR_ALERTS", str(path))
    cfg = rules.load_config()
    assert cfg.source == path and cfg.first_run_sessions == 1
    rule = cfg.rules["fomc_decision"]
    assert (rule.severity, rule.subjects, rule.channels) == ("info", None, rules.CHANNELS)


@pytest.mark.parametrize(
    ("doc", "key"),
    [
        ({"rules": {"record_closes": {}}}, "rules.record_closes"),
        ({"rules": {"record_close": {"severity": "loud"}}}, "rules.record_close.severity"),
        ({"rules": {"record_close": {"channels": ["pager"]}}}, "rules.record_close.channels"),
        ({"rules": {"record_close": {"channels": []}}}, "rules.record_close.channels"),
        ({"rules": {"record_close": {"subjects": "^RUT"}}}, "rules.record_close.subjects"),
        ({"rules": {"record_close": {"rearm_sessions": -1}}}, "rules.record_close.rearm_sessions"),
        (
            {"rules": {"record_close": {"rearm_sessions": True}}},
            "rules.record_close.rearm_sessions",
        ),
        ({"rules": {"record_close": {"band": 5}}}, "rules.record_close.band"),
        ({"rules": {"record_close": {"enabled": "yes"}}}, "rules.record_close.enabled"),
        ({"rules": {"record_close": {"rearm_session": 3}}}, "rules.record_close.rearm_session"),
        (
            {"rules": {"record_close": {"realert_on_new_extreme": 1}}},
            "rules.record_close.realert_on_new_extreme",
        ),
        (
            {"email_to": [], "rules": {"record_close": {"channels": ["email"]}}},
            "rules.record_close.channels",
        ),
        ({"email_to": "desk", "rules": {"record_close": {}}}, "email_to"),
        ({"first_run_sessions": "3", "rules": {"record_close": {}}}, "first_run_sessions"),
        (
            {"freshness_minutes_after_close": 0, "rules": {"record_close": {}}},
            "freshness_minutes_after_close",
        ),
        ({"rules": []}, "rules"),
        ({"rulez": {}, "rules": {"record_close": {}}}, "rulez"),
    ],
)
def test_config_errors_name_file_and_key(tmp_path, doc, key):
    doc = {"email_to": ["desk@example.com"], **doc}
    path = tmp_path / "alerts.yaml"
    path.write_text(yaml.safe_dump(doc))
    with pytest.raises(ConfigError) as err:
        rules.load_config(path)
    assert str(path) in str(err.value)
    assert f"key '{key}'" in str(err.value)


def test_config_file_problems_name_the_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError, match="nope.yaml"):
        rules.load_config(missing)
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [unclosed\n")
    with pytest.raises(ConfigError, match="broken.yaml: not valid YAML"):
        rules.load_config(broken)


# --- re-arm ----------------------------------------------------------------------


def alerted(decisions: pd.DataFrame) -> list[tuple[str, dt.date]]:
    rows = decisions[decisions["channel"] == "webhook"]
    return list(zip(rows["subject"], rows["session_date"], strict=True))


def test_rule_that_stays_true_alerts_once_and_rearms_after_quiet_sessions():
    days = sessions("2025-09-01", 20)
    rule = Rule("tested_and_failed", rearm_sessions=2, channels=("webhook",))
    hits = [days[i] for i in (0, 1, 2, 4, 7, 9, 10)]
    #   0,1,2: one episode (alert at 0); 4: one quiet session (3) -> still disarmed,
    #   and the hit restarts the count; 7: two quiet sessions (5, 6) -> alert;
    #   9: one quiet (8) -> disarmed; 10: consecutive -> disarmed.
    frame = signals([(d, "tested_and_failed", "^RUT", 100.0) for d in hits])
    out = rules.decide(frame, days, EMPTY_LOG, config(rule), as_of=days[-1])
    assert alerted(out) == [("^RUT", days[0]), ("^RUT", days[7])]
    assert set(out["action"]) == {"deliver"}


def test_rearm_zero_alerts_every_hit_and_subjects_are_separate():
    days = sessions("2025-09-01", 5)
    rule = Rule("fomc_decision", rearm_sessions=0, channels=("webhook",))
    frame = signals(
        [(days[0], "fomc_decision", "FOMC", -25.0), (days[1], "fomc_decision", "FOMC", -25.0)]
    )
    out = rules.decide(frame, days, None, config(rule), as_of=days[-1])
    assert alerted(out) == [("FOMC", days[0]), ("FOMC", days[1])]

    rule = Rule("record_close", rearm_sessions=3, channels=("webhook",))
    frame = signals(
        [
            (days[0], "record_close", "^RUT", 1.0),
            (days[1], "record_close", "IWM", 1.0),
            (days[1], "record_close", "^RUT", 2.0),
        ]
    )
    out = rules.decide(frame, days, None, config(rule), as_of=days[-1])
    assert alerted(out) == [("^RUT", days[0]), ("IWM", days[1])]


def test_new_extreme_realerts_while_disarmed():
    days = sessions("2025-09-01", 10)
    values = [100.0, 101.0, 100.5, 103.0]  # consecutive record closes, one lower
    frame = signals([(days[i], "record_close", "^RUT", v) for i, v in enumerate(values)])
    plain = Rule("record_close", rearm_sessions=5, channels=("webhook",))
    extreme = Rule(
        "record_close", rearm_sessions=5, channels=("webhook",), realert_on_new_extreme=True
    )
    out = rules.decide(frame, days, None, config(plain), as_of=days[-1])
    assert alerted(out) == [("^RUT", days[0])]
    out = rules.decide(frame, days, None, config(extreme), as_of=days[-1])
    assert alerted(out) == [("^RUT", days[0]), ("^RUT", days[1]), ("^RUT", days[3])]


def test_band_makes_near_values_the_same_episode():
    days = sessions("2025-09-01", 10)
    rule = Rule(
        "record_close",
        rearm_sessions=2,
        band=0.01,
        realert_on_new_extreme=True,
        channels=("webhook",),
    )
    # 100 alerts; 100.5 is within 1% (same episode); 101.2 is a new extreme outside
    # the band -> alerts; 101.5 within 1% of 101.2 -> same episode.
    values = [100.0, 100.5, 101.2, 101.5]
    frame = signals([(days[i], "record_close", "^RUT", v) for i, v in enumerate(values)])
    out = rules.decide(frame, days, None, config(rule), as_of=days[-1])
    assert alerted(out) == [("^RUT", days[0]), ("^RUT", days[2])]


def test_band_hits_outside_count_toward_rearming():
    days = sessions("2025-09-01", 10)
    rule = Rule("rs_cross_above_sma200", rearm_sessions=2, band=0.05, channels=("webhook",))
    # 1.00 alerts; 1.20 and 1.30 are outside the 5% band: two sessions that left
    # the band re-arm the pair, so 1.31 (consecutive hit) alerts.
    values = [1.00, 1.20, 1.30, 1.31]
    frame = signals(
        [(days[i], "rs_cross_above_sma200", "IWM/SPY", v) for i, v in enumerate(values)]
    )
    out = rules.decide(frame, days, None, config(rule), as_of=days[-1])
    assert alerted(out) == [("IWM/SPY", days[0]), ("IWM/SPY", days[3])]
    # Within the band the same hits restart the count: no second alert.
    frame = signals([(days[i], "rs_cross_above_sma200", "IWM/SPY", 1.0) for i in range(4)])
    out = rules.decide(frame, days, None, config(rule), as_of=days[-1])
    assert alerted(out) == [("IWM/SPY", days[0])]


def test_rule_settings_filter_subjects_channels_and_disabled_rules():
    days = sessions("2025-09-01", 3)
    frame = signals(
        [
            (days[0], "high_52w", "NVDA", 1.0),
            (days[0], "high_52w", "^RUT", 2.0),
            (days[0], "record_high", "^RUT", 3.0),
            (days[0], "unknown_rule", "^RUT", 3.0),
        ]
    )
    cfg = config(
        Rule("high_52w", subjects=("^RUT",), channels=("slack", "webhook")),
        Rule("record_high", enabled=False),
    )
    out = rules.decide(frame, days, None, cfg, as_of=days[-1])
    assert list(zip(out["rule"], out["subject"], out["channel"], strict=True)) == [
        ("high_52w", "^RUT", "slack"),
        ("high_52w", "^RUT", "webhook"),
    ]
    out = rules.decide(frame, days, None, cfg, as_of=days[-1], channels=["webhook"])
    assert list(out["channel"]) == ["webhook"]


def test_only_signals_up_to_as_of_are_evaluated():
    days = sessions("2025-09-15", 5)
    frame = signals(
        [(days[2], "tested_and_failed", "^RUT", 1.0), (days[4], "record_close", "^RUT", 2.0)]
    )
    cfg = config(Rule("tested_and_failed"), Rule("record_close"))
    out = rules.decide(frame, days, None, cfg, as_of=days[3])
    assert set(out["rule"]) == {"tested_and_failed"}


# --- first run and exactly once --------------------------------------------------


def test_first_run_suppresses_hits_before_the_latest_sessions():
    days = sessions("2025-01-01", 30)
    rule = Rule("record_close", rearm_sessions=0, channels=("webhook", "email"))
    frame = signals([(days[i], "record_close", "^RUT", float(i)) for i in (0, 10, 26, 27, 29)])
    out = rules.decide(frame, days, EMPTY_LOG, config(rule, first_run_sessions=3), as_of=days[-1])
    actions = dict(
        zip(zip(out["session_date"], out["channel"], strict=True), out["action"], strict=True)
    )
    for i, expected in (
        (0, "suppress"),
        (10, "suppress"),
        (26, "suppress"),
        (27, "deliver"),
        (29, "deliver"),
    ):
        assert actions[(days[i], "webhook")] == expected
        assert actions[(days[i], "email")] == expected

    # Once the rule has log rows on a channel, it is no longer its first run there:
    # an older hit newly in the history (a backfill) is delivered; a channel without
    # log rows (newly configured) still gets the first-run treatment.
    log = log_of(out[out["channel"] == "webhook"])
    backfilled = pd.concat([frame, signals([(days[5], "record_close", "^RUT", 5.0)])])
    again = rules.decide(backfilled, days, log, config(rule, first_run_sessions=3), as_of=days[-1])
    assert list(zip(again["session_date"], again["channel"], again["action"], strict=True)) == [
        (days[0], "email", "suppress"),
        (days[5], "email", "suppress"),
        (days[5], "webhook", "deliver"),
        (days[10], "email", "suppress"),
        (days[26], "email", "suppress"),
        (days[27], "email", "deliver"),
        (days[29], "email", "deliver"),
    ]


def test_rerun_older_as_of_and_rebuilt_signals_produce_nothing_new():
    days = sessions("2025-09-01", 15)
    cfg = config(
        Rule("record_close", rearm_sessions=2, realert_on_new_extreme=True),
        Rule("tested_and_failed", rearm_sessions=2),
        first_run_sessions=3,
    )
    frame = signals(
        [
            (days[1], "tested_and_failed", "^RUT", 10.0),
            (days[5], "record_close", "^RUT", 12.0),
            (days[6], "record_close", "^RUT", 13.0),
            (days[12], "tested_and_failed", "^RUT", 14.0),
            (days[13], "record_close", "^RUT", 15.0),
        ]
    )
    first = rules.decide(frame, days, EMPTY_LOG, cfg, as_of=days[-1])
    assert len(first) == 5 * 3 and set(first["action"]) == {"deliver", "suppress"}
    log = log_of(first)

    assert rules.decide(frame, days, log, cfg, as_of=days[-1]).empty  # rerun
    assert rules.decide(frame, days[:8], log, cfg, as_of=days[7]).empty  # older as_of
    rebuilt = frame.sample(frac=1, random_state=1).reset_index(drop=True)  # another row order
    rebuilt["date"] = pd.to_datetime(rebuilt["date"])  # and the warehouse's timestamp type
    log_rebuilt = log.assign(session_date=pd.to_datetime(log["session_date"]))
    assert rules.decide(rebuilt, days, log_rebuilt, cfg, as_of=days[-1]).empty

    # The next session: only its new alert.
    more = sessions("2025-09-01", 16)
    new = pd.concat([frame, signals([(more[15], "fomc_decision", "FOMC", -25.0)])])
    cfg_fomc = config(
        *cfg.rules.values(), Rule("fomc_decision", rearm_sessions=0), first_run_sessions=3
    )
    out = rules.decide(new, more, log, cfg_fomc, as_of=more[-1])
    assert set(out["rule"]) == {"fomc_decision"} and set(out["action"]) == {"deliver"}


def test_failed_deliveries_are_returned_again():
    days = sessions("2025-09-15", 4)
    cfg = config(Rule("tested_and_failed", channels=("slack", "webhook")))
    frame = signals([(days[2], "tested_and_failed", "^RUT", 2453.36, RUT_TESTED)])
    first = rules.decide(frame, days, EMPTY_LOG, cfg, as_of=days[-1])
    log = log_of(first)
    log.loc[log["channel"] == "slack", ["status", "error", "attempts"]] = ["failed", "HTTP 500", 5]
    again = rules.decide(frame, days, log, cfg, as_of=days[-1])
    assert again.to_dict("records") == [
        {
            "rule": "tested_and_failed",
            "subject": "^RUT",
            "session_date": days[2],
            "channel": "slack",
            "severity": "warning",
            "value": 2453.36,
            "threshold": 2452.36,
            "message": RUT_TESTED,
            "action": "deliver",
            "idempotency_key": rules.idempotency_key("tested_and_failed", "^RUT", days[2], "slack"),
            "previous_status": "failed",
            "previous_attempts": 5,
        }
    ]


def test_empty_inputs():
    cfg = config(Rule("record_close"))
    out = rules.decide(signals([]), [], None, cfg, as_of="2025-09-18")
    assert out.empty and list(out.columns) == list(rules.DECISION_COLUMNS)


# --- keys, signatures, rendering -------------------------------------------------


def test_idempotency_key_is_stable_and_distinct():
    key = rules.idempotency_key("record_close", "^RUT", D(2025, 9, 18), "slack")
    assert key == rules.idempotency_key("record_close", "^RUT", "2025-09-18", "slack")
    assert key == rules.idempotency_key("record_close", "^RUT", pd.Timestamp("2025-09-18"), "slack")
    assert key != rules.idempotency_key("record_close", "^RUT", D(2025, 9, 18), "email")
    assert len(key) == 64 and int(key, 16) >= 0
    assert rules.digest_key([key]) == key
    assert rules.digest_key(["b", "a"]) == rules.digest_key(["a", "b"]) != "a"


def test_signature_is_the_hmac_of_the_body():
    body = b'{"alerts":[],"idempotency_key":"k"}'
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert rules.signature(body, "s3cret") == f"sha256={expected}"
    assert rules.signature(body + b" ", "s3cret") != f"sha256={expected}"


def frame_of(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "rule": r,
                "subject": s,
                "session_date": d,
                "severity": sev,
                "value": 1.0,
                "threshold": 0.0,
                "message": m,
            }
            for r, s, d, sev, m in rows
        ]
    )


def test_render_one_alert(tmp_path):
    cfg = config(
        Rule("tested_and_failed", severity="critical"),
        report_url="https://radar.example/report/{date}",
    )
    one = frame_of(("tested_and_failed", "^RUT", D(2025, 9, 17), "critical", RUT_TESTED))
    msg = rules.render(one, "email", cfg)
    assert msg.subject == "[Rotation Radar] CRITICAL: tested_and_failed ^RUT 2025-09-17"
    assert RUT_TESTED in msg.text
    assert "2025-09-17" in msg.text and "tested_and_failed" in msg.text and "CRITICAL" in msg.text
    assert "Report: https://radar.example/report/2025-09-17" in msg.text
    assert '<a href="https://radar.example/report/2025-09-17">' in msg.html
    assert "^RUT traded at 2,453.36" in msg.html


def test_render_digest_orders_by_severity_and_escapes():
    cfg = config(Rule("record_close"), report_url="reports/morning.html")
    rows = frame_of(
        ("record_close", "^RUT", D(2025, 9, 18), "critical", RUT_RECORD),
        (
            "fomc_decision",
            "FOMC",
            D(2025, 9, 17),
            "warning",
            "FOMC cut rates by 25 bp; changed: [-solid-] {+<risen> & more+}",
        ),
        ("tested_and_failed", "^RUT", D(2025, 9, 17), "critical", RUT_TESTED),
    )
    msg = rules.render(rows, "email", cfg)
    assert (
        msg.subject == "[Rotation Radar] 3 alerts, 2025-09-17 to 2025-09-18 (2 critical, 1 warning)"
    )
    lines = [line for line in msg.text.splitlines() if line.startswith("- ")]
    assert lines == [
        f"- [CRITICAL] 2025-09-17 tested_and_failed ^RUT: {RUT_TESTED}",
        f"- [CRITICAL] 2025-09-18 record_close ^RUT: {RUT_RECORD}",
        "- [WARNING] 2025-09-17 fomc_decision FOMC: FOMC cut rates by 25 bp; "
        "changed: [-solid-] {+<risen> & more+}",
    ]
    assert "Report: reports/morning.html" in msg.text
    assert "&lt;risen&gt; &amp; more" in msg.html and "<risen>" not in msg.html
    assert msg.html.count("<li>") == 3 and "<code>reports/morning.html</code>" in msg.html

    slack = rules.render(rows, "slack", cfg)
    assert "&lt;risen&gt; &amp; more" in slack.text and "<risen>" not in slack.text
    assert slack.text.count("\n• ") == 3


def test_render_severity_falls_back_to_the_rule():
    cfg = config(Rule("fomc_decision", severity="info"))
    rows = frame_of(("fomc_decision", "FOMC", D(2025, 9, 17), None, "FOMC cut")).drop(
        columns="severity"
    )
    info = "[Rotation Radar] INFO: fomc_decision"
    assert rules.render(rows, "webhook", cfg).subject.startswith(info)
    rows["severity"] = float("nan")  # a log or warehouse row without one
    assert rules.render(rows, "webhook", cfg).subject.startswith(info)
    with pytest.raises(ValueError):
        rules.render(rows.iloc[0:0], "webhook", cfg)


def test_module_does_not_import_airflow():
    source = Path(rules.__file__).read_text()
    assert "import airflow" not in source and "from airflow" not in source


def test_a_delivery_after_failures_is_final_in_any_log_order():
    days = sessions("2025-09-15", 4)
    cfg = config(Rule("tested_and_failed", channels=("slack",)))
    frame = signals([(days[2], "tested_and_failed", "^RUT", 2453.36, RUT_TESTED)])
    first = log_of(rules.decide(frame, days, EMPTY_LOG, cfg, as_of=days[-1]))
    failed = first.assign(status="failed", error="HTTP 500", attempts=3)
    delivered = first.assign(status="delivered", error=None, attempts=4)
    for log in (pd.concat([failed, delivered]), pd.concat([delivered, failed])):
        assert rules.decide(frame, days, log, cfg, as_of=days[-1]).empty
