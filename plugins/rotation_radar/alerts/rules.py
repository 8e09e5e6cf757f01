"""Which breakout signals become alerts, and what the messages say (pure functions).

The rules are data (include/config/alerts.yaml, override with RADAR_ALERTS). A rule
that stays true does not alert every session: per (rule, subject) it alerts when it
turns true and then re-arms only after `rearm_sessions` sessions without a hit (see
`decide`). Delivery is exactly once per (rule, subject, session_date, channel): the
alert log decides what is new, the signal history alone decides what is an alert.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import hmac
import html
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rotation_radar.core import settings
from rotation_radar.core.settings import SQL_DIR, ConfigError, read_yaml

if TYPE_CHECKING:
    import pandas as pd

RULES_DIR = SQL_DIR / "alerts"
SEVERITIES = ("critical", "warning", "info")  # most severe first: the order of a digest
CHANNELS = ("slack", "email", "webhook")
FINAL_STATUSES = (
    "delivered",
    "suppressed",
)  # a key logged with one of these is never acted on again
SIGNAL_COLUMNS = ("date", "rule", "subject", "value", "threshold", "message")
LOG_COLUMNS = (
    "rule",
    "subject",
    "session_date",
    "channel",
    "value",
    "threshold",
    "message",
    "delivered_at",
    "status",
    "error",
    "attempts",
)
DECISION_COLUMNS = (
    "rule",
    "subject",
    "session_date",
    "channel",
    "severity",
    "value",
    "threshold",
    "message",
    "action",
    "idempotency_key",
    "previous_status",
    "previous_attempts",
)
RULE_KEYS = (
    "severity",
    "subjects",
    "channels",
    "rearm_sessions",
    "band",
    "realert_on_new_extreme",
    "enabled",
)
TOP_KEYS = (
    "first_run_sessions",
    "email_to",
    "report_url",
    "freshness_minutes_after_close",
    "rules",
)


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str = "warning"
    subjects: tuple[str, ...] | None = None  # None: every subject ("*")
    channels: tuple[str, ...] = CHANNELS
    rearm_sessions: int = 5
    band: float | None = None
    realert_on_new_extreme: bool = False
    enabled: bool = True

    def applies_to(self, subject: str) -> bool:
        return self.subjects is None or subject in self.subjects


@dataclass(frozen=True)
class AlertConfig:
    rules: dict[str, Rule]
    first_run_sessions: int = 3
    email_to: tuple[str, ...] = ()
    report_url: str | None = None
    freshness_minutes_after_close: int = 120
    source: Path = field(default=settings.DEFAULT_ALERTS, compare=False)


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    html: str


def rule_ids() -> tuple[str, ...]:
    """The rule ids that have a SQL file in include/sql/alerts/."""
    return tuple(sorted(p.stem for p in RULES_DIR.glob("*.sql")))


def load_config(path: Path | str | None = None) -> AlertConfig:
    """Read and validate the alert rules; a ConfigError names the file and the key."""
    path = Path(path) if path else settings.alerts_path()
    doc = read_yaml(path, "alert rules")

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{path}: key '{key}': {problem}")

    def whole(key: str, value: object, low: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise fail(key, f"{value!r} is not a whole number >= {low}")
        return value

    def flag(key: str, value: object) -> bool:
        if not isinstance(value, bool):
            raise fail(key, f"{value!r} is not true or false")
        return value

    for key in doc:
        if key not in TOP_KEYS:
            raise fail(str(key), f"unknown key (expected one of {', '.join(TOP_KEYS)})")

    first_run = whole("first_run_sessions", doc.get("first_run_sessions", 3), 0)
    freshness = whole(
        "freshness_minutes_after_close", doc.get("freshness_minutes_after_close", 120), 1
    )

    email_to = doc.get("email_to") or []
    if not isinstance(email_to, list) or not all(
        isinstance(a, str) and "@" in a and a == a.strip() for a in email_to
    ):
        raise fail("email_to", f"{email_to!r} is not a list of email addresses")

    report_url = doc.get("report_url")
    if report_url is not None and (not isinstance(report_url, str) or not report_url.strip()):
        raise fail("report_url", f"{report_url!r} is not a URL or path (or null)")

    raw_rules = doc.get("rules")
    if not isinstance(raw_rules, dict) or not raw_rules:
        raise fail("rules", "required, a mapping of rule id to its settings")
    known = rule_ids()
    rules = {}
    for rule_id, item in raw_rules.items():
        key = f"rules.{rule_id}"
        if rule_id not in known:
            raise fail(key, f"no include/sql/alerts/{rule_id}.sql (rule ids: {', '.join(known)})")
        if item is None:
            item = {}
        if not isinstance(item, dict):
            raise fail(key, "expected a mapping of the rule's settings")
        for name in item:
            if name not in RULE_KEYS:
                raise fail(f"{key}.{name}", f"unknown key (expected one of {', '.join(RULE_KEYS)})")

        severity = item.get("severity", "warning")
        if severity not in SEVERITIES:
            raise fail(f"{key}.severity", f"{severity!r} is not one of info, warning, critical")

        subjects = item.get("subjects", "*")
        if subjects != "*":
            if (
                not isinstance(subjects, list)
                or not subjects
                or not all(isinstance(s, str) and s.strip() and s == s.strip() for s in subjects)
            ):
                raise fail(
                    f"{key}.subjects", f'{subjects!r} is not "*" or a non-empty list of subjects'
                )
            subjects = tuple(subjects)
        else:
            subjects = None

        channels = item.get("channels", list(CHANNELS))
        if not isinstance(channels, list) or not channels or not set(channels) <= set(CHANNELS):
            raise fail(
                f"{key}.channels",
                f"{channels!r} is not a non-empty list of {', '.join(CHANNELS)} "
                "(set enabled: false to turn a rule off)",
            )

        band = item.get("band")
        if band is not None and (
            isinstance(band, bool) or not isinstance(band, (int, float)) or not 0 < band <= 1
        ):
            raise fail(f"{key}.band", f"{band!r} is not a fraction in (0, 1] (0.01 = 1%) or null")

        rule = Rule(
            id=rule_id,
            severity=severity,
            subjects=subjects,
            channels=tuple(dict.fromkeys(channels)),
            rearm_sessions=whole(f"{key}.rearm_sessions", item.get("rearm_sessions", 5), 0),
            band=float(band) if band is not None else None,
            realert_on_new_extreme=flag(
                f"{key}.realert_on_new_extreme", item.get("realert_on_new_extreme", False)
            ),
            enabled=flag(f"{key}.enabled", item.get("enabled", True)),
        )
        if rule.enabled and "email" in rule.channels and not email_to:
            raise fail(f"{key}.channels", "sends email but email_to lists no recipient")
        rules[rule_id] = rule

    return AlertConfig(
        rules=rules,
        first_run_sessions=first_run,
        email_to=tuple(email_to),
        report_url=report_url.strip() if report_url else None,
        freshness_minutes_after_close=freshness,
        source=path,
    )


def idempotency_key(rule: str, subject: str, session_date: dt.date | str, channel: str) -> str:
    """Stable key of one delivery: sha256 of rule, subject, ISO session date and channel."""
    raw = "\x1f".join((rule, subject, _day(session_date).isoformat(), channel))
    return hashlib.sha256(raw.encode()).hexdigest()


def digest_key(keys: Iterable[str]) -> str:
    """Key of a message carrying several alerts: sha256 of their sorted keys (one key: itself)."""
    keys = sorted(set(keys))
    if len(keys) == 1:
        return keys[0]
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def signature(body: bytes, secret: str) -> str:
    """The X-Radar-Signature header of a webhook body: sha256=<hex HMAC-SHA256>."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _day(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date") and callable(value.date):  # pandas Timestamp
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def _number(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _episodes(hits: list[tuple[dt.date, float | None]], sessions: list[dt.date], rule: Rule):
    """The hits of one (rule, subject) that are alerts, walking the history in date order.

    A subject starts armed. An alert disarms it; it is armed again once `quiet`
    reaches rearm_sessions, where quiet counts the sessions since the last alert
    without a hit (plus, with a band, the hits outside the band). A hit while
    disarmed is not an alert, except a new extreme when configured; it restarts
    the count unless a band is set and the hit is outside it.
    """
    alerted = False
    last: float | None = None  # value of the last alert
    quiet = 0
    previous: dt.date | None = None
    for day, value in hits:
        if previous is not None:  # sessions strictly between two hits had no hit
            quiet += bisect.bisect_left(sessions, day) - bisect.bisect_right(sessions, previous)
        previous = day
        armed = not alerted or quiet >= rule.rearm_sessions
        in_band = (
            rule.band is not None
            and last is not None
            and value is not None
            and abs(value - last) <= rule.band * abs(last)
        )
        new_extreme = (
            rule.realert_on_new_extreme and last is not None and value is not None and value > last
        )
        if armed or (new_extreme and not in_band):
            yield day
            alerted, last, quiet = True, value, 0
        elif rule.band is not None and not in_band:
            quiet += 1  # the value left the band: counts like a session without a hit
        else:
            quiet = 0  # still the same episode


def decide(
    signals: pd.DataFrame,
    sessions: Iterable,
    log: pd.DataFrame | None,
    config: AlertConfig,
    as_of: dt.date | str,
    channels: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The deliveries to act on: one row per (rule, subject, session_date, channel) with
    action 'deliver' or 'suppress' (columns DECISION_COLUMNS).

    `signals` are rows of marts.breakout_signals; `sessions` the NYSE sessions from
    the start of the signal history through `as_of`, the latest finished session
    (signals dated after it are ignored); `log` the alert log so far. Which hits are
    alerts follows from the signal history alone (see `_episodes`); the log only
    removes keys already delivered or suppressed (a failed key is delivered again)
    and tells a rule's first run on a channel (no log rows for that rule and
    channel), when hits before the latest `first_run_sessions` sessions are
    suppressed. `channels` restricts the result to those channels (e.g. the ones
    whose connection is defined).
    """
    import pandas as pd

    as_of = _day(as_of)
    session_days = sorted({_day(s) for s in sessions if _day(s) <= as_of})
    wanted = set(CHANNELS if channels is None else channels)

    recent_from = (
        session_days[-config.first_run_sessions]
        if 0 < config.first_run_sessions <= len(session_days)
        else (dt.date.min if config.first_run_sessions else dt.date.max)
    )

    logged: dict[tuple, tuple[str, int]] = {}
    started: set[tuple[str, str]] = set()  # (rule, channel) pairs with log rows
    if log is not None and len(log):
        for row in log.itertuples(index=False):
            key = (row.rule, row.subject, _day(row.session_date), row.channel)
            attempts = getattr(row, "attempts", 0)
            attempts = 0 if _number(attempts) is None else int(attempts)
            previous = logged.get(key)
            # whatever order the log's rows come in, a final status (delivered,
            # suppressed) wins over a failure, and attempts add up to the most made
            if previous is None or (
                row.status in FINAL_STATUSES and previous[0] not in FINAL_STATUSES
            ):
                logged[key] = (row.status, max(attempts, previous[1] if previous else 0))
            elif previous[0] not in FINAL_STATUSES or row.status in FINAL_STATUSES:
                logged[key] = (previous[0], max(attempts, previous[1]))
            started.add((row.rule, row.channel))

    rows = []
    if signals is not None and len(signals):
        frame = signals.loc[:, list(SIGNAL_COLUMNS)].copy()
        frame["date"] = [_day(d) for d in frame["date"]]
        frame = frame[frame["date"] <= as_of]
        frame = frame.drop_duplicates(["rule", "subject", "date"], keep="last")
        frame = frame.sort_values(["rule", "subject", "date"], kind="stable")
        for (rule_id, subject), group in frame.groupby(["rule", "subject"], sort=True):
            rule = config.rules.get(rule_id)
            if rule is None or not rule.enabled or not rule.applies_to(subject):
                continue
            by_day = {r.date: r for r in group.itertuples(index=False)}
            hits = [(day, _number(r.value)) for day, r in by_day.items()]
            for day in _episodes(hits, session_days, rule):
                signal = by_day[day]
                for channel in rule.channels:
                    if channel not in wanted:
                        continue
                    status, attempts = logged.get((rule_id, subject, day, channel), (None, 0))
                    if status in FINAL_STATUSES:
                        continue
                    first_run = (rule_id, channel) not in started
                    action = "suppress" if first_run and day < recent_from else "deliver"
                    rows.append(
                        {
                            "rule": rule_id,
                            "subject": subject,
                            "session_date": day,
                            "channel": channel,
                            "severity": rule.severity,
                            "value": _number(signal.value),
                            "threshold": _number(signal.threshold),
                            "message": signal.message,
                            "action": action,
                            "idempotency_key": idempotency_key(rule_id, subject, day, channel),
                            "previous_status": status,
                            "previous_attempts": attempts,
                        }
                    )
    result = pd.DataFrame(rows, columns=list(DECISION_COLUMNS))
    result = result.sort_values(["session_date", "rule", "subject", "channel"], kind="stable")
    return result.reset_index(drop=True)


def report_link(config: AlertConfig, session_date: dt.date | None) -> str | None:
    """The report URL or path of a message ("{date}" replaced by the session date)."""
    if not config.report_url:
        return None
    if "{date}" in config.report_url and session_date is not None:
        return config.report_url.replace("{date}", session_date.isoformat())
    return config.report_url


def _slack_escape(text: str) -> str:
    # Slack mrkdwn: only &, < and > are control characters.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render(alerts: pd.DataFrame, channel: str, config: AlertConfig) -> Message:
    """One message for every alert of `alerts` (a digest when there are several).

    Each line states the signal's evidence (its message), the session date, the
    rule and the severity; the report link follows when configured. `channel`
    selects the text flavour: Slack mrkdwn for slack, plain text otherwise.
    """
    if alerts is None or not len(alerts):
        raise ValueError("render: no alerts to render")
    items = []
    for row in alerts.to_dict("records"):
        rule = config.rules.get(row["rule"])
        severity = row.get("severity")
        if severity not in SEVERITIES:  # absent, None or NaN: the rule's
            severity = rule.severity if rule else "warning"
        items.append({**row, "severity": severity, "session_date": _day(row["session_date"])})
    items.sort(
        key=lambda a: (SEVERITIES.index(a["severity"]), a["session_date"], a["rule"], a["subject"])
    )
    latest = max(a["session_date"] for a in items)
    link = report_link(config, latest)
    is_url = bool(link) and link.split("://", 1)[0] in ("http", "https")

    if len(items) == 1:
        a = items[0]
        subject = (
            f"[Rotation Radar] {a['severity'].upper()}: {a['rule']} {a['subject']} "
            f"{a['session_date'].isoformat()}"
        )
        title = (
            f"{a['severity'].upper()} {a['rule']} {a['subject']} {a['session_date'].isoformat()}"
        )
    else:
        first = min(a["session_date"] for a in items)
        span = (
            latest.isoformat()
            if first == latest
            else f"{first.isoformat()} to {latest.isoformat()}"
        )
        counts = ", ".join(
            f"{n} {s}" for s in SEVERITIES if (n := sum(a["severity"] == s for a in items))
        )
        subject = f"[Rotation Radar] {len(items)} alerts, {span} ({counts})"
        title = f"{len(items)} breakout alerts, {span} ({counts})"

    def line(a: dict) -> str:
        return (
            f"[{a['severity'].upper()}] {a['session_date'].isoformat()} {a['rule']} "
            f"{a['subject']}: {a['message']}"
        )

    if channel == "slack":
        lines = [f"*{_slack_escape(title)}*"]
        if len(items) == 1:
            lines.append(_slack_escape(items[0]["message"]))
        else:
            lines += [f"• {_slack_escape(line(a))}" for a in items]
        if link:
            lines.append(f"<{link}|Morning report>" if is_url else f"Report: {_slack_escape(link)}")
        text = "\n".join(lines)
    else:
        lines = [title, ""]
        if len(items) == 1:
            lines.append(items[0]["message"])
        else:
            lines += [f"- {line(a)}" for a in items]
        if link:
            lines += ["", f"Report: {link}"]
        text = "\n".join(lines) + "\n"

    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8"><title>' + esc(subject) + "</title></head><body>",
        f"<h2>{esc(title)}</h2>",
        "<ul>",
    ]
    for a in items:
        parts.append(
            f"<li><strong>{esc(a['severity'].upper())}</strong> "
            f"{esc(a['session_date'].isoformat())} <code>{esc(a['rule'])}</code> "
            f"<strong>{esc(a['subject'])}</strong>: {esc(a['message'])}</li>"
        )
    parts.append("</ul>")
    if link:
        target = (
            f'<a href="{esc(link)}">Morning report</a>' if is_url else f"<code>{esc(link)}</code>"
        )
        parts.append(f"<p>Report: {target}</p>")
    parts.append("</body></html>")
    return Message(subject=subject, text=text, html="\n".join(parts) + "\n")
