"""Acceptance on real data: ^RUT and ^GSPC closes from ../shared/realdata, served as
Yahoo chart responses by the replay server, through prices_daily and marts_build.

^RUT set its record close of 2,442.74 on 2021-11-08; on 2024-11-25 it set a record
intraday high (2,466.49) but closed below that record close; on 2025-09-17, the day
the FOMC cut, it traded at 2,453.36 and closed at 2,407.34 (tested and failed); on
2025-09-18 it closed at a record.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd
import pytest

from rotation_radar.core import sessions, storage
from rotation_radar.sources.yahoo import epoch
from rotation_radar.warehouse import read
from tests.conftest import REALDATA
from tests.integration.conftest import airflow_pipeline, alert_receivers, run_dag

INDICES = REALDATA / "heliar-k_market-base" / "data" / "indices"
pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not INDICES.exists(), reason=f"real data not present at {INDICES}"),
]
UNIVERSE = """
history_start: 2016-06-28
symbols:
  indices: ["^RUT", "^GSPC"]
pairs:
  - {numerator: "^RUT", denominator: "^GSPC", price: close}
"""


def yahoo_chart(csv_path, symbol: str) -> dict:
    """A Yahoo chart v8 response (full history) from a daily OHLC CSV: bars stamped at
    each session's open, indices have no dividends so adjclose is the close."""
    frame = pd.read_csv(csv_path, parse_dates=["date"])
    days = [d.date() for d in frame["date"]]
    assert all(sessions.is_session(d) for d in days), f"{csv_path} has a non-session date"
    opens = [epoch(sessions.open_close(d)[0]) for d in days]
    last_close = epoch(sessions.open_close(days[-1])[1])

    def series(column):
        return [None if pd.isna(v) else round(float(v), 2) for v in frame[column]]

    volume = [None if pd.isna(v) else int(v) for v in frame["volume"]]
    quote = {
        "open": series("open"),
        "high": series("high"),
        "low": series("low"),
        "close": series("close"),
        "volume": volume,
    }
    meta = {
        "currency": "USD",
        "symbol": symbol,
        "exchangeName": "WCB",
        "instrumentType": "INDEX",
        "exchangeTimezoneName": "America/New_York",
        "timezone": "EDT",
        "gmtoffset": -14400,
        "regularMarketTime": last_close,
        "dataGranularity": "1d",
    }
    result = {
        "meta": meta,
        "timestamp": opens,
        "indicators": {"quote": [quote], "adjclose": [{"adjclose": quote["close"]}]},
    }
    return {"chart": {"result": [result], "error": None}}


@pytest.fixture(scope="module")
def real_pipeline(tmp_path_factory):
    root = tmp_path_factory.mktemp("realdata")
    replay = root / "replay"
    (replay / "yahoo").mkdir(parents=True)
    for name, symbol in (("RUT", "^RUT"), ("SPX", "^GSPC")):
        (replay / "yahoo" / f"{symbol}.json").write_text(
            json.dumps(yahoo_chart(INDICES / f"{name}.csv", symbol))
        )
    universe = root / "universe.yaml"
    universe.write_text(UNIVERSE)
    with alert_receivers() as (slack, webhook, mail, alert_env):
        env = {"RADAR_UNIVERSE": str(universe), **alert_env}
        with airflow_pipeline(root, replay, env=env) as (stack, server, data):
            run_dag(stack, "prices_daily", "2025-09-19T00:00:00+00:00")
            run_dag(stack, "marts_build", "2025-09-19T00:00:00+00:00")
            run_dag(stack, "breakout_alerts", "2025-09-19T00:00:00+00:00")
            run_dag(stack, "breakout_alerts", "2025-09-19T01:00:00+00:00")  # a rerun: nothing new
            REAL_ALERTS.update(
                slack=slack.requests, webhook=webhook.delivered(), email=mail.messages()
            )
            yield data


REAL_ALERTS: dict = {}


@pytest.fixture(scope="module")
def marts(real_pipeline):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RADAR_DATA_DIR", str(real_pipeline))
        path = storage.path(read.WAREHOUSE_KEY)
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def record(con, day: str) -> dict:
    cursor = con.execute(
        "select * from marts.records where symbol = '^RUT' and date = ?",
        [dt.date.fromisoformat(day)],
    )
    names = [d[0] for d in cursor.description]
    return dict(zip(names, cursor.fetchone(), strict=True))


def test_lake_stops_at_the_run_session(marts):
    assert marts.execute("select max(date) from marts.records").fetchone()[0] == dt.date(
        2025, 9, 19
    )


def test_2025_09_17_tested_and_failed_against_the_2021_record(marts):
    row = record(marts, "2025-09-17")
    assert row["prior_record_close"] == pytest.approx(2442.74)
    assert row["prior_record_close_date"] == dt.date(2021, 11, 8)
    assert (row["high"], row["close"]) == (pytest.approx(2453.36), pytest.approx(2407.34))
    assert row["is_tested_and_failed"] and not row["is_record_close"]


def test_2025_09_18_record_close(marts):
    row = record(marts, "2025-09-18")
    assert row["is_record_close"] and row["close"] == pytest.approx(2467.70)
    assert row["prior_record_close"] == pytest.approx(2442.74)
    assert row["sessions_since_record"] == 0


def test_2024_11_25_record_high_without_record_close(marts):
    row = record(marts, "2024-11-25")
    assert row["is_record_high"] and not row["is_record_close"]
    assert row["high"] == pytest.approx(2466.49) and row["close"] == pytest.approx(2442.03)


def test_signals_state_the_evidence(marts):
    rows = marts.execute(
        "select rule, message from marts.breakout_signals where subject = '^RUT' and date = ?",
        [dt.date(2025, 9, 17)],
    ).fetchall()
    messages = dict(rows)
    assert "tested_and_failed" in messages
    for number in ("2,453.36", "2,442.74", "2,407.34", "2021-11-08"):
        assert number in messages["tested_and_failed"]
    rules_0918 = {
        r
        for (r,) in marts.execute(
            "select rule from marts.breakout_signals where subject = '^RUT' and date = ?",
            [dt.date(2025, 9, 18)],
        ).fetchall()
    }
    assert "record_close" in rules_0918


def test_relative_strength_of_real_indices(marts):
    ratio, sma200 = marts.execute(
        "select ratio, ratio_sma200 from marts.relative_strength "
        "where pair = '^RUT/^GSPC' and date = ?",
        [dt.date(2025, 9, 18)],
    ).fetchone()
    assert ratio == pytest.approx(
        2467.70
        / marts.execute(
            "select close from marts.records where symbol = '^GSPC' and date = ?",
            [dt.date(2025, 9, 18)],
        ).fetchone()[0]
    )
    assert sma200 is not None


def test_real_rut_alerts_once_each(marts):
    """The first alerts run delivers 2025-09-17 (tested and failed) and 2025-09-18 (record
    close) once on each channel; the rerun delivers nothing."""
    assert (
        len(REAL_ALERTS["slack"]) == len(REAL_ALERTS["webhook"]) == len(REAL_ALERTS["email"]) == 1
    )
    [body] = REAL_ALERTS["webhook"]
    sent = [(a["rule"], a["subject"], a["session_date"]) for a in body["alerts"]]
    assert sent.count(("tested_and_failed", "^RUT", "2025-09-17")) == 1
    assert sent.count(("record_close", "^RUT", "2025-09-18")) == 1
    tested = next(
        a for a in body["alerts"] if a["rule"] == "tested_and_failed" and a["subject"] == "^RUT"
    )
    for number in ("2,453.36", "2,442.74", "2,407.34", "2021-11-08"):
        assert number in tested["message"]
    email = REAL_ALERTS["email"][0].get_body(("plain",)).get_content()
    assert "tested and failed" in email and "2,467.70" in email
