"""The SQL models of the warehouse (include/sql/): staging, marts and breakout rules.

Each test builds an in-memory DuckDB from small lake frames made here, runs the
models with warehouse.build.run_models, and reads the marts. Dates are real NYSE sessions.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pandas as pd
import pytest

from rotation_radar.core import lake, sessions
from rotation_radar.core.settings import Pair, Universe
from rotation_radar.warehouse import build as warehouse_build

DAYS = sessions.sessions_between(dt.date(2023, 1, 3), dt.date(2024, 6, 28))  # 374 sessions
LINEAGE = {
    "source": "test",
    "ingested_at": pd.Timestamp("2025-01-02", tz="UTC"),
    "run_id": "run_prices",
}

CONTRACT = {
    "records": [
        "symbol",
        "date",
        "open",
        "high",
        "low",
        "close",
        "prior_record_close",
        "prior_record_close_date",
        "prior_record_high",
        "is_record_close",
        "is_record_high",
        "is_tested_and_failed",
        "pct_from_record",
        "sessions_since_record",
        "high_52w_prior",
        "is_high_52w",
    ],
    "relative_strength": [
        "pair",
        "date",
        "numerator",
        "denominator",
        "numerator_price",
        "denominator_price",
        "ratio",
        "ratio_sma50",
        "ratio_sma200",
        "mansfield_rs",
        "rs_momentum_63",
        "numerator_return",
        "denominator_return",
        "is_ratio_high_52w",
        "is_ratio_low_52w",
    ],
    "data_quality": [
        "dataset",
        "run_id",
        "session",
        "check",
        "severity",
        "success",
        "unexpected_count",
        "detail",
    ],
    "breakout_signals": ["date", "rule", "subject", "value", "threshold", "message"],
}


# --- frames -------------------------------------------------------------------------


def price_rows(symbol, days, closes, highs=None, adj_closes=None) -> list[dict]:
    """One lake row per day: open = low = close unless a high says otherwise."""
    highs = highs or closes
    adj_closes = adj_closes or closes
    return [
        {
            "symbol": symbol,
            "date": day,
            "open": close,
            "high": high,
            "low": min(close, high),
            "close": close,
            "adj_close": adj,
            "volume": 1_000,
            "currency": "USD",
            "adjustment": "split",
            **LINEAGE,
        }
        for day, close, high, adj in zip(days, closes, highs, adj_closes, strict=True)
    ]


def prices(*row_lists: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        [row for rows in row_lists for row in rows], columns=lake.SCHEMAS["prices_daily"].names
    )


def build(prices_frame, pairs=(), baskets=None, **frames) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse built from the frames given (other datasets empty)."""
    con = duckdb.connect()
    warehouse_build.load_lake(con, frames={"prices_daily": prices_frame, **frames})
    symbols = tuple(dict.fromkeys(prices_frame["symbol"])) or ("SPY",)
    universe = Universe(
        history_start=min(prices_frame["date"], default=DAYS[0]),
        groups={"test": symbols},
        baskets=baskets or {},
        pairs=tuple(pairs),
    )
    warehouse_build.stage_config(con, universe)
    warehouse_build.run_models(con)
    return con


def rows(con, query: str, *params) -> list[dict]:
    result = con.execute(query, list(params))
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def mart(con, table: str, where: str = "true", *params) -> list[dict]:
    order = {"records": "symbol, date", "relative_strength": "pair, date"}.get(table, "1")
    return rows(con, f"select * from marts.{table} where {where} order by {order}", *params)


def signals(con, rule: str) -> list[dict]:
    return rows(
        con, "select * from marts.breakout_signals where rule = ? order by date, subject", rule
    )


# ^RUT around its record, real numbers: the 2021-11-08 record close, the 2024-11-25
# record high that closed below it, the 2025-09-17 tested-and-failed, the 2025-09-18 record.
RUT = [
    # (close, high)
    (2442.74, 2458.86),  # first session: the record close
    (2442.03, 2466.49),  # record high, close below the record close (2024-11-25)
    (2407.34, 2453.36),  # above the record close intraday, closed below (2025-09-17)
    (2467.70, 2472.39),  # record close and record high (2025-09-18)
    (2460.00, 2465.00),  # below both
]


@pytest.fixture(scope="module")
def rut():
    days = DAYS[:5]
    con = build(prices(price_rows("^RUT", days, [c for c, _ in RUT], [h for _, h in RUT])))
    yield con, days
    con.close()


# --- every mart -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def full():
    """A warehouse with every mart non-empty: two symbols, a pair, a basket, a quarantine."""
    days = DAYS[:30]
    frame = prices(
        price_rows("IWM", days, [100 + i for i in range(30)]),
        price_rows("SPY", days, [200 + 3 * i for i in range(30)]),
    )
    quarantine = frame.head(1).assign(reason="prices_not_null", raw_key="raw/x.json")
    con = build(
        frame,
        pairs=[Pair("IWM", "SPY", "adj_close"), Pair("IWM", "BIG", "adj_close")],
        baskets={"BIG": ("IWM", "SPY")},
        quarantine_prices_daily=quarantine,
    )
    yield con
    con.close()


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_every_contract_column_is_in_its_mart(full, table):
    columns = [
        c for (c,) in full.execute(f"select column_name from (describe marts.{table})").fetchall()
    ]
    assert set(CONTRACT[table]) <= set(columns), set(CONTRACT[table]) - set(columns)
    assert full.execute(f"select count(*) from marts.{table}").fetchall()[0][0] > 0


@pytest.mark.parametrize("table", sorted(CONTRACT))
def test_marts_and_every_column_are_documented(full, table):
    (comment,) = full.execute(
        "select comment from duckdb_views() where schema_name = 'marts' and view_name = ?",
        [table],
    ).fetchall()[0]
    assert comment and len(comment) > 20
    undocumented = full.execute(
        "select column_name from duckdb_columns() "
        "where schema_name = 'marts' and table_name = ? and coalesce(comment, '') = ''",
        [table],
    ).fetchall()
    assert undocumented == []


def test_signal_columns_have_the_expected_types(full):
    types = dict(
        full.execute(
            "select column_name, column_type from (describe marts.breakout_signals)"
        ).fetchall()
    )
    assert types == {
        "date": "DATE",
        "rule": "VARCHAR",
        "subject": "VARCHAR",
        "value": "DOUBLE",
        "threshold": "DOUBLE",
        "message": "VARCHAR",
    }


# --- records ------------------------------------------------------------------------


def test_first_session_has_no_prior_record(rut):
    con, days = rut
    first = mart(con, "records")[0]
    assert first["date"] == days[0]
    assert first["prior_record_close"] is None and first["prior_record_high"] is None
    assert first["prior_record_close_date"] is None
    assert (first["is_record_close"], first["is_record_high"], first["is_tested_and_failed"]) == (
        False,
        False,
        False,
    )
    assert first["pct_from_record"] == 0
    assert first["sessions_since_record"] == 0


def test_record_high_without_record_close(rut):
    con, days = rut
    day = mart(con, "records", "date = ?", days[1])[0]
    assert day["prior_record_close"] == 2442.74 and day["prior_record_close_date"] == days[0]
    assert day["prior_record_high"] == 2458.86
    assert day["is_record_high"] is True
    assert day["is_record_close"] is False
    assert day["is_tested_and_failed"] is True  # high above the record close, close below it
    assert day["pct_from_record"] == pytest.approx((2442.03 / 2442.74 - 1) * 100)
    assert day["sessions_since_record"] == 1


def test_tested_and_failed_then_record_close(rut):
    con, days = rut
    failed, record, after = mart(con, "records", "date between ? and ?", days[2], days[4])
    assert failed["is_tested_and_failed"] is True
    assert failed["is_record_close"] is False and failed["is_record_high"] is False
    assert failed["prior_record_high"] == 2466.49
    assert failed["sessions_since_record"] == 2
    assert record["is_record_close"] is True and record["is_record_high"] is True
    assert record["is_tested_and_failed"] is False
    assert record["prior_record_close"] == 2442.74 and record["prior_record_close_date"] == days[0]
    assert record["pct_from_record"] == 0 and record["sessions_since_record"] == 0
    assert after["prior_record_close"] == 2467.70 and after["prior_record_close_date"] == days[3]
    assert after["sessions_since_record"] == 1


@pytest.mark.parametrize(
    ("close", "high", "tested_and_failed", "record_close"),
    [
        (100.0, 101.0, True, False),  # closed exactly at the record: failed
        (99.0, 100.5, True, False),
        (101.0, 101.0, False, True),  # closed above: a record, not a failure
        (99.0, 100.0, False, False),  # touched the record without going above it
        (98.0, 99.0, False, False),
    ],
)
def test_tested_and_failed_boundaries(close, high, tested_and_failed, record_close):
    con = build(prices(price_rows("X", DAYS[:2], [100.0, close], [100.0, high])))
    day = mart(con, "records", "date = ?", DAYS[1])[0]
    assert day["is_tested_and_failed"] is tested_and_failed
    assert day["is_record_close"] is record_close


def test_sessions_since_record_counts_calendar_sessions_across_a_gap():
    # X has no row on DAYS[3]; Y has every session, so the calendar covers them all.
    x_days = [DAYS[0], DAYS[1], DAYS[2], DAYS[4], DAYS[5]]
    con = build(
        prices(price_rows("X", x_days, [10, 12, 11, 11, 13]), price_rows("Y", DAYS[:6], [1] * 6))
    )
    got = {r["date"]: r["sessions_since_record"] for r in mart(con, "records", "symbol = 'X'")}
    assert got == {DAYS[0]: 0, DAYS[1]: 0, DAYS[2]: 1, DAYS[4]: 3, DAYS[5]: 0}


def test_high_52w_needs_252_prior_rows():
    closes = [float(i) for i in range(1, 261)]  # rising: every close above the ones before
    con = build(prices(price_rows("X", DAYS[:260], closes)))
    got = mart(con, "records")
    assert all(r["high_52w_prior"] is None and r["is_high_52w"] is False for r in got[:252])
    assert got[252]["high_52w_prior"] == 252.0  # the max of rows 0..251
    assert got[252]["is_high_52w"] is True
    assert [s["date"] for s in signals(con, "high_52w")] == DAYS[252:260]


def test_high_52w_looks_back_252_rows_only():
    # An old high of 200 leaves the window after 252 rows; 150 is then a 52-week
    # high, though not a record.
    closes = [200.0] + [100.0] * 252 + [150.0]
    con = build(prices(price_rows("X", DAYS[:254], closes)))
    got = mart(con, "records")
    assert got[252]["high_52w_prior"] == 200.0 and got[252]["is_high_52w"] is False
    assert got[253]["high_52w_prior"] == 100.0 and got[253]["is_high_52w"] is True
    assert got[253]["is_record_close"] is False
    assert got[253]["pct_from_record"] == pytest.approx(-25.0)
    (hit,) = signals(con, "high_52w")
    assert (hit["date"], hit["value"], hit["threshold"]) == (DAYS[253], 150.0, 100.0)


def test_records_use_close_not_adj_close():
    con = build(prices(price_rows("X", DAYS[:2], [100.0, 99.0], adj_closes=[90.0, 99.0])))
    day = mart(con, "records", "date = ?", DAYS[1])[0]
    assert day["prior_record_close"] == 100.0 and day["is_record_close"] is False


# --- record rules -----------------------------------------------------------------------


def test_record_close_rule_and_message(rut):
    con, days = rut
    (hit,) = signals(con, "record_close")
    assert (hit["date"], hit["subject"], hit["value"], hit["threshold"]) == (
        days[3],
        "^RUT",
        2467.70,
        2442.74,
    )
    assert hit["message"] == (
        f"^RUT closed at a record 2,467.70 on {days[3]}, "
        f"above the prior record close of 2,442.74 ({days[0]})"
    )


def test_record_high_rule_and_message(rut):
    con, days = rut
    hits = signals(con, "record_high")
    assert [(h["date"], h["value"], h["threshold"]) for h in hits] == [
        (days[1], 2466.49, 2458.86),
        (days[3], 2472.39, 2466.49),
    ]
    assert "record high of 2,466.49" in hits[0]["message"]
    assert "closed at 2,442.03, below the record close of 2,442.74" in hits[0]["message"]
    assert "a record close" in hits[1]["message"]


def test_tested_and_failed_rule_and_message(rut):
    con, days = rut
    hits = signals(con, "tested_and_failed")
    assert [(h["date"], h["value"], h["threshold"]) for h in hits] == [
        (days[1], 2466.49, 2442.74),
        (days[2], 2453.36, 2442.74),
    ]
    assert hits[1]["message"] == (
        f"^RUT traded at 2,453.36, above its record close of 2,442.74 ({days[0]}), "
        f"but closed at 2,407.34: tested and failed ({days[2]})"
    )


def test_every_signal_is_a_mart_flag(rut):
    con, _ = rut
    flagged = con.execute(
        "select count_if(is_record_close) + count_if(is_record_high)"
        " + count_if(is_tested_and_failed) + count_if(is_high_52w) from marts.records"
    ).fetchall()[0][0]
    assert (
        con.execute("select count(*) from marts.breakout_signals").fetchall()[0][0] == flagged == 5
    )


# --- relative strength ----------------------------------------------------------------


@pytest.fixture(scope="module")
def long_pair():
    """N/D over 300 sessions, a ratio that wiggles so averages are not trivial."""
    days = DAYS[:300]
    numerator = [100 + 10 * ((i * 7) % 13) / 13 + i / 10 for i in range(300)]
    denominator = [50 + 5 * ((i * 5) % 11) / 11 for i in range(300)]
    con = build(
        prices(price_rows("N", days, numerator), price_rows("D", days, denominator)),
        pairs=[Pair("N", "D", "close")],
    )
    ratio = pd.Series(numerator) / pd.Series(denominator)
    yield con, ratio
    con.close()


def test_ratio_sma50_and_sma200_warm_up(long_pair):
    con, ratio = long_pair
    got = pd.DataFrame(mart(con, "relative_strength"))
    assert len(got) == 300
    assert got["ratio"].tolist() == pytest.approx(ratio.tolist())
    assert got["ratio_sma50"][:49].isna().all() and got["ratio_sma50"][49:].notna().all()
    assert got["ratio_sma200"][:199].isna().all() and got["ratio_sma200"][199:].notna().all()
    assert got["mansfield_rs"][:199].isna().all() and got["mansfield_rs"][199:].notna().all()
    assert got["ratio_sma50"][49:].tolist() == pytest.approx(ratio.rolling(50).mean()[49:].tolist())
    assert got["ratio_sma200"][199:].tolist() == pytest.approx(
        ratio.rolling(200).mean()[199:].tolist()
    )
    expected_mansfield = (ratio[250] / ratio[51:251].mean() - 1) * 100
    assert got["mansfield_rs"][250] == pytest.approx(expected_mansfield)


def test_rs_momentum_63(long_pair):
    con, ratio = long_pair
    got = pd.DataFrame(mart(con, "relative_strength"))
    assert got["rs_momentum_63"][:63].isna().all()
    assert got["rs_momentum_63"][63] == pytest.approx(ratio[63] / ratio[0] - 1)
    assert got["rs_momentum_63"][299] == pytest.approx(ratio[299] / ratio[236] - 1)


def test_ratio_52w_flags_need_252_prior_observations(long_pair):
    con, ratio = long_pair
    got = pd.DataFrame(mart(con, "relative_strength"))
    assert not got["is_ratio_high_52w"][:252].any() and not got["is_ratio_low_52w"][:252].any()
    expected_high = [ratio[i] > ratio[i - 252 : i].max() for i in range(252, 300)]
    expected_low = [ratio[i] < ratio[i - 252 : i].min() for i in range(252, 300)]
    assert got["is_ratio_high_52w"][252:].tolist() == expected_high
    assert got["is_ratio_low_52w"][252:].tolist() == expected_low
    assert any(expected_high)  # the numerator drifts up: the test exercises a True


def test_pair_only_on_common_dates_with_returns_between_them():
    n_days = [DAYS[0], DAYS[1], DAYS[2], DAYS[4]]
    d_days = [DAYS[0], DAYS[2], DAYS[3], DAYS[4]]
    con = build(
        prices(
            price_rows("N", n_days, [10.0, 11.0, 12.0, 15.0]),
            price_rows("D", d_days, [5.0, 6.0, 6.5, 4.0]),
        ),
        pairs=[Pair("N", "D", "close")],
    )
    got = mart(con, "relative_strength")
    assert [r["date"] for r in got] == [DAYS[0], DAYS[2], DAYS[4]]
    assert [r["ratio"] for r in got] == pytest.approx([2.0, 2.0, 3.75])
    assert got[0]["numerator_return"] is None and got[0]["denominator_return"] is None
    assert got[1]["numerator_return"] == pytest.approx(0.2)  # 10 -> 12, across the missing date
    assert got[2]["denominator_return"] == pytest.approx(4.0 / 6.0 - 1)
    assert (got[0]["pair"], got[0]["numerator"], got[0]["denominator"]) == ("N/D", "N", "D")


@pytest.mark.parametrize(("price_column", "expected_ratio"), [("close", 2.0), ("adj_close", 1.8)])
def test_pair_uses_its_price_column(price_column, expected_ratio):
    con = build(
        prices(
            price_rows("N", DAYS[:1], [20.0], adj_closes=[18.0]), price_rows("D", DAYS[:1], [10.0])
        ),
        pairs=[Pair("N", "D", price_column)],
    )
    (row,) = mart(con, "relative_strength")
    assert row["ratio"] == pytest.approx(expected_ratio)


def test_rs_crosses_fire_on_the_crossing_date():
    # ratio 1.0 for 210 sessions, 1.5 for 10 (crosses above on day 210), then 0.5
    # (crosses below on day 220); flat otherwise.
    ratio = [1.0] * 210 + [1.5] * 10 + [0.5] * 10
    days = DAYS[:230]
    con = build(
        prices(
            price_rows("N", days, [100.0 * r for r in ratio]), price_rows("D", days, [100.0] * 230)
        ),
        pairs=[Pair("N", "D", "close")],
    )
    (above,) = signals(con, "rs_cross_above_sma200")
    (below,) = signals(con, "rs_cross_below_sma200")
    assert (above["date"], above["subject"], above["value"]) == (DAYS[210], "N/D", 1.5)
    assert above["threshold"] == pytest.approx((199 * 1.0 + 1.5) / 200)
    assert (below["date"], below["value"]) == (DAYS[220], 0.5)
    assert below["threshold"] == pytest.approx((189 * 1.0 + 10 * 1.5 + 0.5) / 200)  # rows 21..220
    assert "N/D ratio crossed above its 200-session average" in above["message"]
    assert "1.5000 vs 1.0025" in above["message"]
    assert "crossed below" in below["message"]


def test_no_cross_before_sma200_exists():
    # Below then above 1.0 during the warm-up: no sma200 to cross yet.
    ratio = [0.5] * 100 + [1.5] * 110
    days = DAYS[:210]
    con = build(
        prices(
            price_rows("N", days, [100.0 * r for r in ratio]), price_rows("D", days, [100.0] * 210)
        ),
        pairs=[Pair("N", "D", "close")],
    )
    assert (
        signals(con, "rs_cross_above_sma200") == [] and signals(con, "rs_cross_below_sma200") == []
    )


# --- baskets ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def basket():
    """B3 = {A, B, C}: C starts on DAYS[1]; B has no row on DAYS[3]."""
    frame = prices(
        price_rows("A", DAYS[:5], [10.0, 10.0, 11.0, 12.0, 12.1]),
        price_rows("B", [DAYS[0], DAYS[1], DAYS[2], DAYS[4]], [20.0, 20.0, 19.0, 19.0]),
        price_rows("C", DAYS[1:5], [50.0, 55.0, 60.0, 55.0]),
        price_rows("IWM", DAYS[:5], [100.0, 100.0, 102.0, 103.0, 104.0]),
    )
    con = build(frame, pairs=[Pair("IWM", "B3", "adj_close")], baskets={"B3": ("A", "B", "C")})
    yield con
    con.close()


def test_basket_index_is_equal_weight_rebalanced_daily(basket):
    got = rows(basket, "select * from staging.stg_prices_daily_baskets order by date")
    # 100 on DAYS[1], the first session with all three members; none on DAYS[3] (B missing).
    assert [r["date"] for r in got] == [DAYS[1], DAYS[2], DAYS[4]]
    day2 = 100 * (1 + (0.10 - 0.05 + 0.10) / 3)  # A 10 -> 11, B 20 -> 19, C 50 -> 55
    day4 = day2 * (1 + (12.1 / 11 - 1 + 0.0 + 0.0) / 3)  # returns since DAYS[2]
    assert [r["adj_close"] for r in got] == pytest.approx([100.0, day2, day4])
    assert [r["close"] for r in got] == [r["adj_close"] for r in got]
    assert got[0]["daily_return"] is None and got[1]["daily_return"] == pytest.approx(0.05)


def test_basket_is_a_pair_leg(basket):
    got = mart(basket, "relative_strength")
    assert [r["date"] for r in got] == [DAYS[1], DAYS[2], DAYS[4]]
    assert got[0]["denominator_price"] == 100.0 and got[0]["ratio"] == pytest.approx(1.0)
    assert got[1]["ratio"] == pytest.approx(102.0 / 105.0)
    assert got[0]["denominator"] == "B3"


# --- data quality -------------------------------------------------------------------


def test_data_quality_counts_quarantined_rows_per_run():
    results = pd.DataFrame(
        [
            (
                "prices_daily",
                "run_1",
                DAYS[1],
                "prices_not_null",
                "row",
                False,
                2,
                '[{"symbol": "X"}]',
            ),
            ("prices_daily", "run_1", DAYS[1], "unique_key", "batch", True, 0, None),
            ("prices_daily", "run_2", DAYS[2], "prices_not_null", "row", True, 0, None),
        ],
        columns=lake.SCHEMAS["data_quality"].names,
    )
    frame = prices(price_rows("X", DAYS[:3], [1.0, 2.0, 3.0]))
    quarantine = pd.concat(
        [
            frame.iloc[[1]].assign(reason="prices_not_null; low_le_high"),
            frame.iloc[[1]].assign(symbol="Y", reason="prices_not_null"),
            frame.iloc[[1]].assign(symbol="Z", reason="open_le_high"),
        ]
    ).assign(run_id="run_1", raw_key="raw/yahoo/x.json")
    con = build(frame, data_quality=results, quarantine_prices_daily=quarantine)

    got = mart(con, "data_quality", '"check" = ?', "quarantined_rows")
    by_run = {r["run_id"]: r for r in got}
    assert set(by_run) == {"run_1", "run_2"}
    assert (by_run["run_1"]["unexpected_count"], by_run["run_1"]["success"]) == (3, False)
    run_1 = by_run["run_1"]
    assert (run_1["dataset"], run_1["session"], run_1["severity"]) == (
        "prices_daily",
        DAYS[1],
        "row",
    )
    detail = json.loads(by_run["run_1"]["detail"])
    assert detail["top_reasons"][0] == {"reason": "prices_not_null", "rows": 2}
    assert detail["symbols"] == ["X", "Y", "Z"]
    assert (by_run["run_2"]["unexpected_count"], by_run["run_2"]["success"]) == (0, True)
    # the validation results themselves are all there, unchanged
    assert len(mart(con, "data_quality", '"check" <> ?', "quarantined_rows")) == 3


def test_empty_lake_builds_empty_marts():
    con = build(prices(), pairs=[Pair("IWM", "SPY", "adj_close")])
    for table in CONTRACT:
        assert con.execute(f"select count(*) from marts.{table}").fetchall()[0][0] == 0
