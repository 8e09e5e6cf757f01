"""Price ingestion against the replay server: real HTTP, real files, real Great Expectations.

Each bad input of the sources is a case here: it is retried, quarantined or
rejected with a message naming the input, and its raw bytes are kept.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time

import numpy as np
import pandas as pd
import pytest

from rotation_radar.core import lake, sessions, storage
from rotation_radar.core.settings import Pair, Universe
from rotation_radar.core.transport import HttpSource, SourceUnavailable
from rotation_radar.prices import adjust
from rotation_radar.prices import ingest as prices_ingest
from rotation_radar.sources import yahoo
from rotation_radar.warehouse import publish, read

D = dt.date
START = D(2019, 1, 2)
NOW = dt.datetime(2025, 9, 20, tzinfo=dt.UTC)
UNIVERSE = Universe(
    history_start=START,
    groups={"etfs": ("IWM", "SPY")},
    baskets={},
    pairs=(Pair("IWM", "SPY", "adj_close"),),
)


def http(server, name="yahoo_finance", retries=3):
    return HttpSource(name, server.url, retries=retries, backoff_factor=0.01)


def ingest(server, symbols, session, run_id="run1", stooq=False):
    manifest = prices_ingest.fetch_all(
        symbols, session, START, 5, http(server), http(server, "stooq") if stooq else None, run_id
    )
    return prices_ingest.load(manifest, session, run_id, NOW), manifest


def quality(run_id="run1"):
    frame = lake.read_all("data_quality")
    frame = frame[frame["run_id"] == run_id]
    return {row.check: row for row in frame.itertuples()}


def quarantine():
    return lake.read_all("quarantine_prices_daily", prefix="quarantine/prices_daily")


def requests_for(server, symbol):
    return [
        r
        for r in server.requests
        if r["path"].endswith(f"/{symbol}") or r["query"].get("s") == symbol
    ]


def test_first_run_loads_full_history(data_dir, replay):
    summary, _ = ingest(replay, ["^RUT", "IWM"], D(2025, 9, 18))
    rut = lake.read_symbol("prices_daily", "^RUT")
    assert rut["date"].min() == START and rut["date"].max() == D(2025, 9, 18)
    assert D(2025, 1, 9) not in set(rut["date"])
    record = rut.set_index("date").loc[D(2021, 11, 8)]
    assert record["close"] == pytest.approx(2442.74)
    assert summary.rows_new == 2 * len(rut) and summary.symbols_loaded == 2
    assert set(rut["source"]) == {"yahoo_finance"} and set(rut["run_id"]) == {"run1"}
    actions = lake.read_symbol("corporate_actions", "IWM")
    assert len(actions) > 0 and set(actions["kind"]) == {"dividend"}


def test_malformed_json_is_rejected_with_its_bytes_kept(data_dir, replay):
    garbage = b'{"chart": {"result": [{"meta": '
    replay.inject("/v8/finance/chart/IWM", [200], body=garbage)
    summary, manifest = ingest(replay, ["IWM", "SPY"], D(2025, 9, 18))
    assert summary.symbols_failed == ["IWM"] and summary.symbols_loaded == 1
    entry = next(e for e in prices_ingest.read_manifest(manifest) if e.symbol == "IWM")
    assert "malformed JSON" in entry.note and "IWM" in entry.note
    assert storage.read_bytes(entry.raw_key) == garbage
    check = quality()["fetch_failures"]
    assert not check.success and "IWM" in check.detail
    assert lake.read_symbol("prices_daily", "IWM").empty


def test_http_429_is_retried_then_succeeds(data_dir, replay):
    replay.inject("/v8/finance/chart/IWM", [429, 429], retry_after=0)
    summary, _ = ingest(replay, ["IWM"], D(2025, 9, 18))
    assert [r["status"] for r in requests_for(replay, "IWM")] == [429, 429, 200]
    assert summary.symbols_failed == [] and summary.rows_new > 1000


def test_a_run_of_500s_fails_loudly_naming_symbol_and_session(data_dir, replay):
    replay.inject("/v8/finance/chart/IWM", [500] * 10)
    with pytest.raises(SourceUnavailable) as err:
        ingest(replay, ["IWM"], D(2025, 9, 18))
    assert "2025-09-18" in str(err.value) and "IWM" in str(err.value)
    assert "HTTP 500 after 3 retries" in str(err.value)
    assert len(requests_for(replay, "IWM")) == 4  # first try + 3 retries
    assert storage.keys("raw/yahoo_finance/2025-09-18/IWM", "*.json")  # the last 500 page is kept


def test_one_failing_symbol_does_not_stop_the_others(data_dir, replay):
    replay.inject("/v8/finance/chart/IWM", [503] * 10)
    summary, _ = ingest(replay, ["IWM", "SPY"], D(2025, 9, 18))
    assert summary.symbols_failed == ["IWM"] and summary.symbols_loaded == 1


def test_null_bar_is_quarantined_and_the_rest_goes_on(data_dir, replay):
    summary, _ = ingest(replay, ["META"], D(2025, 9, 18))
    meta = lake.read_symbol("prices_daily", "META")
    assert D(2023, 3, 15) not in set(meta["date"]) and len(meta) > 1000
    bad = quarantine()
    row = bad[bad["date"] == D(2023, 3, 15)].iloc[0]
    assert "prices_not_null" in row["reason"] and row["raw_key"].startswith("raw/yahoo_finance/")
    assert summary.rows_quarantined == 1
    assert not quality()["prices_not_null"].success


def duplicated_chart(server, symbol="SPY"):
    """A real window from the replay with its last timestamp repeated at a different volume."""
    import requests

    doc = requests.get(
        f"{server.url}/v8/finance/chart/{symbol}",
        params={"period1": 1757289600, "period2": 1758225600},
    ).json()
    result = doc["chart"]["result"][0]
    result["timestamp"].append(result["timestamp"][-1])
    for series in (result["indicators"]["quote"][0], result["indicators"]["adjclose"][0]):
        for values in series.values():
            values.append(values[-1])
    result["indicators"]["quote"][0]["volume"][-1] += 1000
    server.clear_requests()
    return json.dumps(doc).encode()


def test_duplicated_timestamps_keep_the_last_bar_and_quarantine_the_other(data_dir, replay):
    body = duplicated_chart(replay)
    replay.inject("/v8/finance/chart/SPY", [200], body=body)
    summary, _ = ingest(replay, ["SPY"], D(2025, 9, 18))
    spy = lake.read_symbol("prices_daily", "SPY")
    assert spy["date"].is_unique
    assert summary.rows_received == len(spy) + 1 and summary.rows_quarantined == 1
    bad = quarantine()
    assert list(bad["reason"].str.contains("duplicate")) == [True]
    last = json.loads(body)["chart"]["result"][0]["indicators"]["quote"][0]["volume"][-1]
    assert spy.set_index("date").loc[D(2025, 9, 18), "volume"] == last


def test_unknown_symbol_is_recorded_and_the_run_goes_on(data_dir, replay):
    summary, _ = ingest(replay, ["NOPE", "IWM"], D(2025, 9, 18))
    assert summary.symbols_unknown == ["NOPE"] and summary.symbols_loaded == 1
    check = quality()["unknown_symbols"]
    assert not check.success and check.unexpected_count == 1 and "NOPE" in check.detail


def test_symbol_yahoo_does_not_know_comes_from_stooq_marked_dividend_adjusted(data_dir, replay):
    not_found = (
        b'{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found"}}}'
    )
    replay.inject("/v8/finance/chart/RSP", [404], body=not_found)
    summary, _ = ingest(replay, ["RSP"], D(2025, 9, 18), stooq=True)
    rsp = lake.read_symbol("prices_daily", "RSP")
    assert set(rsp["source"]) == {"stooq"} and set(rsp["adjustment"]) == {"split_dividend"}
    assert (rsp["close"] == rsp["adj_close"]).all() and rsp["date"].max() == D(2025, 9, 18)
    assert requests_for(replay, "rsp.us")[0]["query"]["d2"] == "20250918"


def test_unreachable_stooq_is_recorded_not_fatal(data_dir, replay):
    not_found = (
        b'{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found"}}}'
    )
    replay.inject("/v8/finance/chart/RSP", [404], body=not_found)
    replay.inject("/q/d/l", [503] * 10)
    summary, _ = ingest(replay, ["RSP", "IWM"], D(2025, 9, 18), stooq=True)
    assert summary.symbols_unknown == ["RSP"] and summary.symbols_loaded == 1
    assert "stooq" in quality()["unknown_symbols"].detail


def test_partial_bar_is_never_stored_as_a_close(data_dir, replay):
    import requests

    doc = requests.get(
        f"{replay.url}/v8/finance/chart/IWM", params={"period1": 1757289600, "period2": 1758225600}
    ).json()
    doc["chart"]["result"][0]["meta"]["regularMarketTime"] = (
        1758218400  # 2025-09-18 18:00Z, before the close
    )
    replay.inject("/v8/finance/chart/IWM", [200], body=json.dumps(doc).encode())
    ingest(replay, ["IWM"], D(2025, 9, 18))
    iwm = lake.read_symbol("prices_daily", "IWM")
    assert D(2025, 9, 18) not in set(iwm["date"])
    assert "partial bar" in quarantine().iloc[0]["reason"]


def answer(server, symbol: str, first: D, session: D) -> dict:
    """The replay's chart for a symbol from `first` to the session's close (not logged as
    one of the run's requests)."""
    import requests

    period2 = int(sessions.open_close(session)[1].timestamp())
    params = {"period1": int(dt.datetime.combine(first, dt.time(), dt.UTC).timestamp())}
    doc = requests.get(
        f"{server.url}/v8/finance/chart/{symbol}", params={**params, "period2": period2}
    ).json()
    server.clear_requests()
    return doc


def assert_as_refetched(server, symbol: str, session: D) -> None:
    """The symbol's stored bars are those a full refetch of the session loads: the same
    dates, prices within the local restatement's tolerance, the same volumes."""
    full = yahoo.parse(json.dumps(answer(server, symbol, START, session)).encode(), symbol).bars
    stored = lake.read_symbol("prices_daily", symbol)
    assert list(stored["date"]) == list(full["date"])
    for column in ("open", "high", "low", "close", "adj_close"):
        np.testing.assert_allclose(
            stored[column], full[column], rtol=adjust.REL_TOL, atol=adjust.ABS_TOL, err_msg=column
        )
    assert stored["volume"].tolist() == full["volume"].tolist()


def test_a_split_new_to_the_lake_restates_history_locally_in_one_request(data_dir, replay):
    ingest(replay, ["NVDA"], D(2024, 6, 7), run_id="before")
    before = lake.read_symbol("prices_daily", "NVDA").set_index("date")
    assert lake.read_symbol("corporate_actions", "NVDA").query("kind == 'split'").empty

    replay.clear_requests()
    summary, manifest = ingest(replay, ["NVDA"], D(2024, 6, 12), run_id="after")
    assert len(requests_for(replay, "NVDA")) == 1  # the window only
    entry = prices_ingest.read_manifest(manifest)[0]
    assert not entry.full and entry.restate == [
        {"date": "2024-06-10", "kind": "split", "value": 10.0}
    ]
    assert "restated locally at load for new split on 2024-06-10 (10)" in entry.note

    after = lake.read_symbol("prices_daily", "NVDA").set_index("date")
    day = D(2024, 1, 3)  # long before the window
    assert after.loc[day, "close"] == pytest.approx(before.loc[day, "close"] / 10, rel=1e-12)
    assert after.loc[day, "volume"] == before.loc[day, "volume"] * 10
    assert after.loc[day, "run_id"] == "after"
    assert_as_refetched(replay, "NVDA", D(2024, 6, 12))
    versions = lake.read_all("prices_daily_versions")
    assert len(versions) == len(before) == summary.rows_replaced
    assert set(versions["replaced_by_run_id"]) == {"after"}
    old = versions.set_index("date").loc[day]
    assert old["close"] == before.loc[day, "close"] and old["run_id"] == "before"
    split = lake.read_symbol("corporate_actions", "NVDA").query("kind == 'split'")
    assert list(split["date"]) == [D(2024, 6, 10)] and list(split["value"]) == [10.0]
    checks = quality("after")
    assert checks["history_refetched"].unexpected_count == 0
    restated = checks["history_restated_locally"]
    assert restated.success and restated.unexpected_count == 1
    [record] = json.loads(restated.detail)
    assert record["symbol"] == "NVDA" and record["outcome"] == "restated"
    assert record["events"] == [
        {"date": "2024-06-10", "kind": "split", "value": 10.0, "factor": 0.1}
    ]
    assert (
        record["rows_restated"] == len(before) and record["rows_checked"] == 6
    )  # 2024-05-31 to 06-07


IWM_EX_DATE = D(2025, 6, 23)  # a dividend of 0.8674 goes ex (the replay's IWM)


def test_a_new_dividend_restates_history_locally_in_one_request(data_dir, replay):
    ingest(replay, ["IWM"], D(2025, 6, 20), run_id="before")
    before = lake.read_symbol("prices_daily", "IWM").set_index("date")

    replay.clear_requests()
    summary, manifest = ingest(replay, ["IWM"], IWM_EX_DATE, run_id="after")
    assert len(requests_for(replay, "IWM")) == 1
    entry = prices_ingest.read_manifest(manifest)[0]
    assert not entry.full
    assert entry.restate == [{"date": "2025-06-23", "kind": "dividend", "value": 0.8674}]

    after = lake.read_symbol("prices_daily", "IWM").set_index("date")
    factor = 1 - 0.8674 / before.loc[D(2025, 6, 20), "close"]
    day = D(2021, 3, 1)
    assert after.loc[day, "adj_close"] == pytest.approx(
        before.loc[day, "adj_close"] * factor, rel=1e-12
    )
    assert after.loc[day, "close"] == before.loc[day, "close"]
    assert summary.rows_replaced == len(before)  # every earlier adjusted close changed
    assert len(lake.read_all("prices_daily_versions")) == len(before)
    assert_as_refetched(replay, "IWM", IWM_EX_DATE)
    [record] = json.loads(quality("after")["history_restated_locally"].detail)
    assert record["events"][0]["factor"] == pytest.approx(factor)

    # A retried load of the same manifest restates nothing twice.
    stored = lake.read_symbol("prices_daily", "IWM")
    retried = prices_ingest.load(manifest, IWM_EX_DATE, "after", NOW)
    assert (retried.rows_new, retried.rows_replaced) == (0, 0)
    pd.testing.assert_frame_equal(lake.read_symbol("prices_daily", "IWM"), stored)
    [record] = json.loads(quality("after")["history_restated_locally"].detail)
    assert record["outcome"].startswith("already restated")

    # A rerun of the night: one request, nothing restated again, the lake as it was.
    replay.clear_requests()
    rerun, manifest = ingest(replay, ["IWM"], IWM_EX_DATE, run_id="after-rerun")
    assert len(requests_for(replay, "IWM")) == 1
    assert prices_ingest.read_manifest(manifest)[0].restate == []
    assert (rerun.rows_new, rerun.rows_replaced) == (0, 0)
    pd.testing.assert_frame_equal(lake.read_symbol("prices_daily", "IWM"), stored)


def test_a_restatement_that_no_longer_agrees_at_load_withholds_the_symbol(data_dir, replay):
    """The load checks the restatement again (the lake may have changed since the
    fetch): a symbol that no longer agrees is left out, bars and events, so that the
    next night sees its events as new again."""
    ingest(replay, ["IWM", "SPY"], D(2025, 6, 20), run_id="before")
    stored = lake.read_symbol("prices_daily", "IWM")
    manifest = prices_ingest.fetch_all(
        ["IWM", "SPY"], IWM_EX_DATE, START, 5, http(replay), None, "after"
    )
    entries = json.loads(storage.read_bytes(manifest))
    [iwm] = [e for e in entries if e["symbol"] == "IWM"]
    iwm["restate"][0]["value"] *= 2  # no longer what the answer was restated for
    storage.write_bytes(manifest, json.dumps(entries).encode())

    prices_ingest.load(manifest, IWM_EX_DATE, "after", NOW)
    pd.testing.assert_frame_equal(lake.read_symbol("prices_daily", "IWM"), stored)
    assert IWM_EX_DATE not in set(lake.read_symbol("corporate_actions", "IWM")["date"])
    assert lake.read_symbol("prices_daily", "SPY")["date"].max() == IWM_EX_DATE
    check = quality("after")["history_restated_locally"]
    [record] = json.loads(check.detail)
    assert not check.success and record["outcome"] == "withheld"
    assert "disagrees with the answer" in record["check"]

    replay.clear_requests()
    ingest(replay, ["IWM", "SPY"], D(2025, 6, 24), run_id="next")
    assert len(requests_for(replay, "IWM")) == 1
    assert_as_refetched(replay, "IWM", D(2025, 6, 24))


def test_a_restated_window_that_disagrees_with_the_local_restatement_refetches(data_dir, replay):
    ingest(replay, ["IWM"], D(2025, 6, 20), run_id="before")
    window = answer(replay, "IWM", D(2025, 6, 9), IWM_EX_DATE)
    for item in window["chart"]["result"][0]["events"]["dividends"].values():
        item["amount"] = 2 * item["amount"]  # not the amount its adjclose was restated for
    replay.inject("/v8/finance/chart/IWM", [200], body=json.dumps(window).encode())

    summary, manifest = ingest(replay, ["IWM"], IWM_EX_DATE, run_id="after")
    asked = [int(r["query"]["period1"]) for r in requests_for(replay, "IWM")]
    assert len(asked) == 2 and asked[1] == 1546387200  # the window, then history from 2019-01-02
    entry = prices_ingest.read_manifest(manifest)[0]
    assert entry.full and entry.restate == []
    assert entry.note.startswith("new dividend on 2025-06-23 (1.7348): the local restatement ")
    checks = quality("after")
    refetched = checks["history_refetched"]
    assert refetched.unexpected_count == 1
    [why] = json.loads(refetched.detail)
    assert (
        why["symbol"] == "IWM" and "disagrees with the answer: adj_close on 2025-06-" in why["why"]
    )
    assert checks["history_restated_locally"].unexpected_count == 0
    assert_as_refetched(replay, "IWM", IWM_EX_DATE)
    dividend = lake.read_symbol("corporate_actions", "IWM").set_index("date").loc[IWM_EX_DATE]
    assert dividend["value"] == 0.8674  # from the full history's answer


def chart(server, symbol: str, session: D) -> dict:
    """The replay's answer for a symbol's window ending at the session's close."""
    import requests

    params = {
        "period1": 1757289600,
        "period2": int(sessions.open_close(session)[1].timestamp()),
    }  # from 2025-09-08
    return requests.get(f"{server.url}/v8/finance/chart/{symbol}", params=params).json()


def with_bar(doc: dict, stamp: int, scale: float = 1.0, replace_last: bool = False) -> bytes:
    """The chart with its last bar scaled (in place, or copied to a new timestamp)."""
    result = doc["chart"]["result"][0]
    series = [
        *result["indicators"]["quote"][0].values(),
        result["indicators"]["adjclose"][0]["adjclose"],
    ]
    if not replace_last:
        result["timestamp"].append(stamp)
        for values in series:
            values.append(values[-1])
    for name in ("open", "high", "low", "close"):
        result["indicators"]["quote"][0][name][-1] *= scale
    result["indicators"]["adjclose"][0]["adjclose"][-1] *= scale
    return json.dumps(doc).encode()


def test_a_bar_on_a_day_that_is_not_a_session_is_quarantined_and_the_rest_loads(data_dir, replay):
    saturday = 1757770200  # 2025-09-13 13:30Z, inside the window
    for session in (D(2025, 9, 18), D(2025, 9, 19)):  # and the next night, the same answer again
        replay.inject(
            "/v8/finance/chart/IWM", [200], body=with_bar(chart(replay, "IWM", session), saturday)
        )
        summary, _ = ingest(replay, ["IWM", "SPY"], session, run_id=f"run-{session}")
        for symbol in ("IWM", "SPY"):
            assert lake.read_symbol("prices_daily", symbol)["date"].max() == session
        assert D(2025, 9, 13) not in set(lake.read_symbol("prices_daily", "IWM")["date"])
        check = quality(f"run-{session}")["dates_are_sessions"]
        assert not check.success and check.severity == "row" and "IWM" in check.detail
    bad = quarantine()
    assert set(zip(bad["symbol"], bad["date"], bad["reason"], strict=True)) == {
        ("IWM", D(2025, 9, 13), "dates_are_sessions")
    }
    assert bad["raw_key"].str.contains("IWM").all()


def test_a_spike_is_quarantined_until_confirmed_and_never_alerted(data_dir, replay):
    symbols = ["^RUT", "^GSPC", "IWM", "SPY"]
    universe = Universe(
        history_start=START,
        groups={"i": tuple(symbols)},
        baskets={},
        pairs=(Pair("^RUT", "^GSPC", "close"), Pair("IWM", "SPY", "adj_close")),
    )
    ingest(replay, symbols, D(2025, 9, 17), run_id="day1")
    spike = with_bar(chart(replay, "^RUT", D(2025, 9, 18)), 0, scale=1000, replace_last=True)
    replay.inject("/v8/finance/chart/^RUT", [200], body=spike)
    ingest(replay, symbols, D(2025, 9, 18), run_id="day2")
    assert lake.read_symbol("prices_daily", "^RUT")["date"].max() == D(2025, 9, 17)
    assert lake.read_symbol("prices_daily", "^GSPC")["date"].max() == D(2025, 9, 18)
    check = quality("day2")["unconfirmed_jump"]
    assert not check.success and check.unexpected_count == 1 and "^RUT" in check.detail
    (row,) = quarantine().itertuples()
    assert (row.symbol, row.date, row.reason) == ("^RUT", D(2025, 9, 18), "unconfirmed_jump")
    assert row.close == pytest.approx(2467.70 * 1000)
    publish.build_and_publish(universe, "day2")
    assert signals("^RUT", D(2025, 9, 18)).empty  # no record on a quarantined bar

    ingest(replay, symbols, D(2025, 9, 19), run_id="day3")  # the source's true bars
    rut = lake.read_symbol("prices_daily", "^RUT").set_index("date")
    assert rut.loc[D(2025, 9, 18), "close"] == pytest.approx(2467.70)
    publish.build_and_publish(universe, "day3")
    assert "record_close" in set(signals("^RUT", D(2025, 9, 18))["rule"])


def signals(symbol: str, day: D) -> pd.DataFrame:
    import duckdb

    with duckdb.connect(str(storage.path(read.WAREHOUSE_KEY)), read_only=True) as con:
        return con.execute(
            "select * from marts.breakout_signals where subject = ? and date = ?", [symbol, day]
        ).df()


def test_nothing_where_data_was_expected_blocks_the_batch(data_dir, replay):
    doc = chart(replay, "IWM", D(2025, 9, 18))
    result = doc["chart"]["result"][0]
    result["timestamp"] = []
    result["indicators"] = {"quote": [{}], "adjclose": [{}]}
    replay.inject("/v8/finance/chart/IWM", [200], body=json.dumps(doc).encode())
    with pytest.raises(prices_ingest.BatchBlocked, match="rows_present"):
        ingest(replay, ["IWM"], D(2025, 9, 18))
    assert lake.read_symbol("prices_daily", "IWM").empty
    assert not quality()["rows_present"].success


def test_leftovers_of_an_interrupted_writer_are_swept(data_dir, replay):
    ingest(replay, ["IWM", "SPY"], D(2025, 9, 17), run_id="day1")
    publish.build_and_publish(UNIVERSE, "day1")
    crashed = [
        "lake/prices_daily/symbol=IWM/.data.parquet.x1y2z3.tmp",
        "raw/yahoo_finance/2025-09-18/IWM/.20250910-20250918-abc.json.q9w8.tmp",
        "warehouse/.radar.crashed_run.building.duckdb",
        "warehouse/.radar.crashed_run.building.duckdb.wal",
    ]
    for key in crashed:
        storage.write_bytes(key, b"partial")
        os.utime(storage.path(key), (NOW.timestamp() - 3600,) * 2)
    in_progress = (
        "lake/prices_daily/symbol=SPY/.data.parquet.other.tmp"  # a writer started after us
    )
    storage.write_bytes(in_progress, b"partial")
    os.utime(storage.path(in_progress), (time.time() + 3600,) * 2)

    ingest(replay, ["IWM", "SPY"], D(2025, 9, 18), run_id="day2")
    publish.build_and_publish(UNIVERSE, "day2")
    assert [key for key in crashed if storage.path(key).exists()] == []
    assert storage.path(in_progress).exists()


def test_the_next_session_adds_one_row_per_symbol_and_a_rerun_writes_nothing(data_dir, replay):
    ingest(replay, ["^RUT", "IWM"], D(2025, 9, 17), run_id="day1")
    before = {s: lake.read_symbol("prices_daily", s) for s in ("^RUT", "IWM")}
    summary, _ = ingest(replay, ["^RUT", "IWM"], D(2025, 9, 18), run_id="day2")
    assert (summary.rows_new, summary.rows_replaced) == (2, 0)
    for symbol, earlier in before.items():
        after = lake.read_symbol("prices_daily", symbol)
        assert list(after["date"]) == [*earlier["date"], D(2025, 9, 18)]
        pd.testing.assert_frame_equal(
            after.iloc[:-1], earlier
        )  # history kept as it was, lineage included
        assert after["run_id"].iloc[-1] == "day2"
    files = {s: storage.path(lake.symbol_key("prices_daily", s)).stat().st_mtime_ns for s in before}
    rerun, _ = ingest(replay, ["^RUT", "IWM"], D(2025, 9, 18), run_id="day2-rerun")
    assert (rerun.rows_new, rerun.rows_replaced) == (0, 0)
    assert {
        s: storage.path(lake.symbol_key("prices_daily", s)).stat().st_mtime_ns for s in before
    } == files
