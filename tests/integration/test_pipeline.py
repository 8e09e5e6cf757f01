"""The pipeline through Airflow's real scheduler (api-server, scheduler, dag-processor
on SQLite) against the replay server: prices_daily reruns leave the lake
byte-identical, the next session fetches only the lookback window, and marts_build
replaces the warehouse atomically under a reader."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys

import duckdb
import pytest

from devtools.replay import generate_prices
from rotation_radar.core import lake, settings, storage
from rotation_radar.warehouse import read
from tests.integration.conftest import airflow_pipeline, alert_receivers, run_dag

pytestmark = pytest.mark.integration
LOOKBACK = (
    "1757548800",
    "1758312000",
)  # 2025-09-11 00:00Z (5 sessions before 09-18) .. 09-19 close


@pytest.fixture(scope="module")
def receivers():
    # the webhook fails its first delivery's every attempt: the task fails, Airflow retries it
    with alert_receivers(webhook_statuses=(500, 500, 500, 200)) as running:
        yield running


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory, receivers):
    *_, env = receivers
    with airflow_pipeline(tmp_path_factory.mktemp("pipeline"), env=env) as running:
        yield running


def lake_files() -> dict[str, str]:
    return {
        key: hashlib.sha256(storage.read_bytes(key)).hexdigest()
        for key in storage.keys("lake/prices_daily")
    }


def latest_date_in_new_process(path) -> str:
    """What a BI tool opening the warehouse now sees (a new process: no cached database)."""
    code = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True);"
        "print(con.execute('select max(date) from marts.records').fetchone()[0])"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_pipeline_runs_through_the_scheduler(pipeline, monkeypatch):
    stack, server, data = pipeline
    monkeypatch.setenv("RADAR_DATA_DIR", str(data))
    universe = settings.load_universe()

    # 1. The first run loads every symbol's history through the session, never later.
    first = run_dag(stack, "prices_daily", "2025-09-18T00:00:00+00:00")
    prices = lake.read_all("prices_daily")
    assert set(prices["symbol"]) == set(universe.symbols)
    assert (
        universe.whole_history
    )  # each symbol from its first day at the source: the replay's first
    assert (prices["date"].min(), prices["date"].max()) == (
        generate_prices.START,
        dt.date(2025, 9, 18),
    )
    assert not prices.duplicated(["symbol", "date"]).any()
    assert set(prices["run_id"]) == {first}
    files = lake_files()

    # 2. Another run for the same session leaves the lake byte-identical.
    server.clear_requests()
    run_dag(stack, "prices_daily", "2025-09-18T12:00:00+00:00")
    assert lake_files() == files, "a rerun of the same session changed the lake"
    assert len(server.requests) == len(universe.symbols)

    # 3. The warehouse, and a BI reader holding it open.
    run_dag(stack, "marts_build", "2025-09-18T00:00:00+00:00")
    path = storage.path(read.WAREHOUSE_KEY)
    reader = duckdb.connect(str(path), read_only=True)
    assert reader.execute("select max(date) from marts.records").fetchone()[0] == dt.date(
        2025, 9, 18
    )

    # 4. The next session is incremental: only the lookback window, one request per
    #    symbol, a symbol with a split or dividend new to the lake included (its stored
    #    history is restated locally, checked against the answer's restated window).
    server.clear_requests()
    third = run_dag(stack, "prices_daily", "2025-09-19T00:00:00+00:00")
    windows = [
        (r["path"].rsplit("/", 1)[-1], (r["query"]["period1"], r["query"]["period2"]))
        for r in server.requests
    ]
    assert sorted(s for s, w in windows if w == LOOKBACK) == sorted(universe.symbols)
    assert len(windows) == len(universe.symbols)
    actions = lake.read_all("corporate_actions")
    new_actions = set(actions.loc[actions["date"] == dt.date(2025, 9, 19), "symbol"])
    assert new_actions, "the replay has an ex-dividend date on 2025-09-19"
    checks = lake.read_all("data_quality").query("run_id == @third").set_index("check")
    restated = json.loads(checks.loc["history_restated_locally", "detail"])
    assert {r["symbol"] for r in restated} == new_actions
    assert checks.loc["history_refetched", "unexpected_count"] == 0
    after = lake.read_all("prices_daily")
    assert len(after) == len(prices) + len(universe.symbols)
    assert set(after.loc[after["date"] == dt.date(2025, 9, 19), "run_id"]) == {third}
    # The new dividend restated adj_close history; the replaced rows are versioned.
    versions = lake.read_all("prices_daily_versions")
    assert set(versions["symbol"]) == new_actions and set(versions["replaced_by_run_id"]) == {third}
    assert len(versions) > 1000

    # 5. The rebuild replaces the warehouse atomically: the open reader keeps its
    #    snapshot and keeps working; a new reader sees the new warehouse.
    run_dag(stack, "marts_build", "2025-09-19T00:00:00+00:00")
    assert reader.execute("select max(date) from marts.records").fetchone()[0] == dt.date(
        2025, 9, 18
    )
    assert reader.execute("select count(*) from marts.relative_strength").fetchone()[0] > 0
    reader.close()
    assert latest_date_in_new_process(path) == "2025-09-19"
    assert not list(path.parent.glob("*.building.duckdb")), "a temporary build file was left behind"


def test_fomc_statements_through_the_scheduler(pipeline, monkeypatch):
    stack, server, data = pipeline
    monkeypatch.setenv("RADAR_DATA_DIR", str(data))

    server.clear_requests()
    run_dag(stack, "fomc_statements", "2025-09-19T00:00:00+00:00")
    statements = lake.read("fomc_statements").set_index("statement_date")
    assert statements.index.max() == dt.date(2025, 9, 17)  # nothing published after the run's date
    assert statements.index.is_unique and len(statements) > 40
    cut = statements.loc[dt.date(2025, 9, 17)]
    assert (cut["action"], cut["change_bps"], cut["target_low"], cut["target_high"]) == (
        "cut",
        -25,
        4.0,
        4.25,
    )
    assert cut["votes_against_count"] == 1 and cut["dissents"][0]["preferred_change_bps"] == -50
    pages = [
        r for r in server.requests if r["path"].startswith("/newsevents/pressreleases/monetary")
    ]
    assert pages and all(r["status"] == 200 for r in pages)
    target = lake.read("fed_funds_target")
    assert target["date"].max() <= dt.date(2025, 9, 19)
    quality = lake.read_all("data_quality")
    assert quality.loc[quality["check"] == "range_matches_fred", "success"].all()

    # A stored statement is re-requested only conditionally: unchanged pages answer 304.
    server.clear_requests()
    run_dag(stack, "fomc_statements", "2025-09-19T12:00:00+00:00")
    pages = [
        r for r in server.requests if r["path"].startswith("/newsevents/pressreleases/monetary")
    ]
    assert pages and {r["status"] for r in pages} == {304}

    run_dag(stack, "marts_build", "2025-09-19T06:00:00+00:00")
    with duckdb.connect(str(storage.path(read.WAREHOUSE_KEY)), read_only=True) as con:
        action, added = con.execute(
            "select action, sentences_added from marts.fomc_decisions "
            "where statement_date = '2025-09-17'"
        ).fetchone()
        assert action == "cut" and any(
            "downside risks to employment have risen" in s for s in added
        )
        horizons = con.execute(
            "select horizon_sessions, small_return from marts.fomc_event_returns "
            "where statement_date = '2025-09-17' and small_symbol = '^RUT' order by 1"
        ).fetchall()
        assert horizons[0][1] is not None and horizons[-1][1] is None  # +1 known, +60 not yet
        assert (
            con.execute(
                "select count(*) from marts.breakout_signals where rule = 'fomc_decision'"
            ).fetchone()[0]
            > 5
        )
        assert con.execute("select count(beta_2y_63) from marts.rate_sensitivity").fetchone()[0] > 0


def test_universe_holdings_through_the_scheduler(pipeline, monkeypatch):
    stack, server, data = pipeline
    monkeypatch.setenv("RADAR_DATA_DIR", str(data))
    run_dag(stack, "universe_holdings", "2025-09-19T00:00:00+00:00")
    members = lake.read_all("universe_members")
    assert set(members["basket"]) == {"IWM", "IVV"}
    assert members["as_of"].max() == dt.date(2025, 9, 19)
    latest = members[(members["basket"] == "IVV") & (members["as_of"] == dt.date(2025, 9, 19))]
    assert {"AAPL", "MSFT", "NVDA", "BRK-B"} <= set(latest["symbol"])
    # a holdings row without a usable ticker (the unlisted "-" stub) is reported,
    # not dropped silently
    quality = lake.read_all("data_quality")
    no_ticker = quality[quality["check"] == "members_without_ticker:IWM"]
    assert len(no_ticker) and not no_ticker["success"].any()


def test_constituents_earnings_and_valuation_through_the_scheduler(pipeline, monkeypatch):
    stack, server, data = pipeline
    monkeypatch.setenv("RADAR_DATA_DIR", str(data))
    members = lake.read_all("universe_members")
    latest = set(members.loc[members["as_of"] == dt.date(2025, 9, 19), "symbol"])

    # prices of every current member, concurrently; a member Yahoo does not know is recorded
    run_id = run_dag(stack, "prices_daily", "2025-09-19T06:00:00+00:00")
    prices = lake.read_all("prices_daily")
    quality = lake.read_all("data_quality")
    unknown = quality[(quality["run_id"] == run_id) & (quality["check"] == "unknown_symbols")]
    unknown_symbols = {item["symbol"] for item in json.loads(unknown["detail"].iloc[0])}
    assert unknown_symbols and unknown_symbols < latest
    assert latest - unknown_symbols <= set(prices["symbol"])

    run_dag(stack, "earnings_sec", "2025-09-19T06:00:00+00:00")
    facts = lake.read_all("earnings_facts")
    assert facts["cik"].nunique() > 50 and max(facts["filed"]) <= dt.date(2025, 9, 19)

    run_dag(stack, "marts_build", "2025-09-19T07:00:00+00:00")
    with duckdb.connect(str(storage.path(read.WAREHOUSE_KEY)), read_only=True) as con:
        latest_spreads = con.execute(
            "select small_basket, large_basket, pe_small, pe_large, coverage_small, coverage_large "
            "from marts.valuation_spread where date = '2025-09-19' order by 2"
        ).fetchall()
    assert [(s, b) for s, b, *_ in latest_spreads] == [("IWM", "IVV"), ("IWM", "MAG7")]
    for _, _, pe_small, pe_large, coverage_small, coverage_large in latest_spreads:
        assert pe_small and pe_large and 0.5 < coverage_small < 1 and coverage_large > 0.9


def test_breakout_alerts_through_the_scheduler_once_each(pipeline, receivers, monkeypatch):
    """Alerts after the warehouse: one digest per channel; a task retried after the
    webhook failed, a rerun and a rebuilt warehouse send nothing twice."""
    stack, server, data = pipeline
    slack, webhook, mail, _ = receivers
    monkeypatch.setenv("RADAR_DATA_DIR", str(data))
    run_dag(stack, "breakout_alerts", "2025-09-19T08:00:00+00:00")
    assert len(slack.requests) == 1 and len(mail.envelopes) == 1
    # the webhook answered 500 to the first try's 3 attempts; the task's retry delivered
    assert [r["body"] for r in webhook.requests[:3]] == [webhook.requests[3]["body"]] * 3
    assert len(webhook.requests) == 4
    sent = {
        (a["rule"], a["subject"], a["session_date"])
        for a in json.loads(webhook.requests[-1]["body"])["alerts"]
    }
    assert {
        ("tested_and_failed", "^RUT", "2025-09-17"),
        ("record_close", "^RUT", "2025-09-18"),
    } <= sent
    # 09-19's higher record close is within the rule's 1% band of the alerted one: same episode
    assert ("record_close", "^RUT", "2025-09-19") not in sent
    # a rerun, and a rebuilt warehouse followed by its alerts: nothing new anywhere
    run_dag(stack, "breakout_alerts", "2025-09-19T09:00:00+00:00")
    run_dag(stack, "marts_build", "2025-09-19T10:00:00+00:00")
    run_dag(stack, "breakout_alerts", "2025-09-19T11:00:00+00:00")
    assert (len(slack.requests), len(webhook.requests), len(mail.envelopes)) == (1, 4, 1)
    with duckdb.connect(str(storage.path(read.WAREHOUSE_KEY)), read_only=True) as con:
        statuses = dict(
            con.execute("select status, count(*) from marts.alert_log group by 1").fetchall()
        )
        duplicated = con.execute(
            "select count(*) from (select rule, subject, session_date, channel "
            "from marts.alert_log group by all having count(*) > 1)"
        ).fetchone()[0]
    assert statuses.get("delivered") and statuses.get("suppressed") and "failed" not in statuses
    assert duplicated == 0
