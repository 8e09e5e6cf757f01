"""prices_daily through Airflow's real scheduler (api-server, scheduler, dag-processor on
SQLite) against the replay server: a rerun leaves the lake byte-identical, and the next
session fetches only the lookback window."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from rotation_radar import lake, settings, storage
from rotation_radar.replay.server import ReplayServer
from rotation_radar.stack import AirflowStack, connection_env

from tests.integration.conftest import REPLAY_DIR

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    """One replay server, one data dir and one running Airflow for the module's runs."""
    root = tmp_path_factory.mktemp("pipeline")
    server = ReplayServer(REPLAY_DIR).start()
    env = {
        "RADAR_DATA_DIR": str(root / "data"),
        "RADAR_RETRY_DELAY_SECONDS": "1",
        **connection_env("yahoo_finance", server.url, retries=2, backoff_factor=0.05),
        **connection_env("stooq", server.url, retries=2, backoff_factor=0.05),
    }
    stack = AirflowStack(root / "airflow", env=env)
    try:
        stack.start(("prices_daily",))
        yield stack, server, root / "data"
    finally:
        stack.stop()
        server.stop()


def run(stack, logical_date: str) -> str:
    run_id = stack.trigger("prices_daily", logical_date)
    state = stack.wait("prices_daily", run_id, timeout=600)
    assert state == "success", stack.failure_report("prices_daily", run_id)
    return run_id


def lake_files() -> dict[str, str]:
    return {key: hashlib.sha256(storage.read_bytes(key)).hexdigest() for key in storage.keys("lake/prices_daily")}


def test_rerun_is_identical_and_next_session_is_incremental(pipeline, monkeypatch):
    stack, server, data = pipeline
    monkeypatch.setenv("RADAR_DATA_DIR", str(data))
    universe = settings.load_universe()

    first = run(stack, "2025-09-18T00:00:00+00:00")
    prices = lake.read_all("prices_daily")
    assert set(prices["symbol"]) == set(universe.symbols)
    assert prices["date"].max() == dt.date(2025, 9, 18)
    assert prices["date"].min() == universe.history_start
    assert not prices.duplicated(["symbol", "date"]).any()
    assert set(prices["run_id"]) == {first}
    files = lake_files()

    server.clear_requests()
    run(stack, "2025-09-18T12:00:00+00:00")  # another run for the same session
    assert lake_files() == files, "a rerun of the same session changed the lake"
    assert len(server.requests) == len(universe.symbols)

    server.clear_requests()
    third = run(stack, "2025-09-19T00:00:00+00:00")
    lookback = ("1757548800", "1758312000")  # 2025-09-11 00:00Z (5 sessions before 09-18) .. 09-19 close
    full = ("1546387200", "1758312000")  # 2019-01-02 (history_start) .. 09-19 close
    windows = [(r["path"].rsplit("/", 1)[-1], (r["query"]["period1"], r["query"]["period2"])) for r in server.requests]
    assert sorted(s for s, w in windows if w == lookback) == sorted(universe.symbols)
    # Only a symbol with a split or dividend new to the lake refetches its full history.
    actions = lake.read_all("corporate_actions")
    new_actions = set(actions.loc[actions["date"] == dt.date(2025, 9, 19), "symbol"])
    assert new_actions, "the replay has an ex-dividend date on 2025-09-19"
    assert sorted(s for s, w in windows if w == full) == sorted(new_actions)
    assert len(windows) == len(universe.symbols) + len(new_actions)
    after = lake.read_all("prices_daily")
    assert len(after) == len(prices) + len(universe.symbols)
    assert set(after.loc[after["date"] == dt.date(2025, 9, 19), "run_id"]) == {third}
    quality = lake.read_all("data_quality")
    assert {first, third} <= set(quality["run_id"])
