"""The marts concentration, drawdowns and record_counts (include/sql/marts/), each built
in an in-memory warehouse from small lake frames, as tests/unit/warehouse/test_marts.py
does. Dates are real NYSE sessions."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rotation_radar.core import lake, sessions
from rotation_radar.warehouse import build as warehouse_build
from tests.unit.warehouse.test_marts import DAYS, LINEAGE, build, mart, price_rows, prices, rows

HOLDINGS_DAY = DAYS[0]
LATER_DAY = DAYS[20]
# a few sessions of prices, so the build has a calendar
CALENDAR = prices(price_rows("SPY", DAYS[:3], [400.0, 401.0, 402.0]))


# --- frames -------------------------------------------------------------------------


def holdings(basket: str, as_of: dt.date, weights: dict[str, float | None]) -> list[dict]:
    """One lake row per member of a holdings file; weights in percent, as in the file."""
    return [
        {
            "basket": basket,
            "as_of": as_of,
            "symbol": symbol,
            "name": f"{symbol} INC",
            "weight": weight,
            "shares_held": 1_000.0,
            "sector": "Information Technology",
            "market_value": 1_000_000.0,
            "raw_key": f"raw/ishares/{basket}/{as_of}.csv",
            **LINEAGE,
        }
        for symbol, weight in weights.items()
    ]


def members(*row_lists: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(
        [row for rows_ in row_lists for row in rows_],
        columns=lake.SCHEMAS["universe_members"].names,
    )


def companies(ciks: dict[str, int]) -> pd.DataFrame:
    """SEC company_tickers rows: symbol -> CIK."""
    return pd.DataFrame(
        [
            {
                "cik": cik,
                "ticker": symbol.replace("-", "."),
                "symbol": symbol,
                "title": f"company {cik}",
                "raw_key": "raw/sec/company_tickers.json",
                **LINEAGE,
            }
            for symbol, cik in ciks.items()
        ],
        columns=lake.SCHEMAS["sec_companies"].names,
    )


def concentration(files, baskets=None, ciks=None) -> list[dict]:
    frames = {"universe_members": members(*files)}
    if ciks is not None:
        frames["sec_companies"] = companies(ciks)
    con = build(CALENDAR, baskets=baskets, **frames)
    try:
        return mart(con, "concentration")
    finally:
        con.close()


# --- concentration ------------------------------------------------------------------

MAG7 = {"MAG7": ("AAPL", "GOOGL")}
ALPHABET_FILE = {"GOOGL": 30.0, "GOOG": 20.0, "AAPL": 25.0, "MSFT": 25.0}


@pytest.mark.parametrize(
    "ciks",
    [
        {"GOOGL": 1652044, "GOOG": 1652044, "AAPL": 320193, "MSFT": 789019},
        None,  # no SEC company list: the share-class map groups GOOG with GOOGL
    ],
    ids=["by_cik", "by_share_class_map"],
)
def test_share_classes_are_added_in_mag7_weight_and_effective_number(ciks):
    (got,) = concentration([holdings("IVV", HOLDINGS_DAY, ALPHABET_FILE)], MAG7, ciks)
    assert (got["basket"], got["date"]) == ("IVV", HOLDINGS_DAY)
    assert got["members"] == 3 and got["holdings_rows"] == 4
    assert got["mag7_weight"] == pytest.approx(75.0)  # GOOGL 30 + GOOG 20 + AAPL 25
    assert got["mag7_members"] == 2
    # Alphabet 50 %, Apple 25 %, Microsoft 25 %: 1 / (0.25 + 0.0625 + 0.0625)
    assert got["effective_constituents"] == pytest.approx(1 / 0.375)
    assert got["weight_total"] == pytest.approx(100.0)
    assert got["top10_weight"] == pytest.approx(100.0)


def test_company_is_the_cik_when_known():
    """Two symbols no spelling rule would group, one CIK: one company."""
    file = holdings("IVV", HOLDINGS_DAY, {"AAA": 40.0, "ZZZ": 10.0, "MMM": 50.0})
    (got,) = concentration([file], MAG7, ciks={"AAA": 7, "ZZZ": 7, "MMM": 66740})
    assert got["members"] == 2
    assert got["effective_constituents"] == pytest.approx(2.0)


def test_share_classes_with_a_dash_are_one_company_without_a_cik():
    file = holdings("IVV", HOLDINGS_DAY, {"BRK-A": 10.0, "BRK-B": 30.0, "XOM": 60.0})
    (got,) = concentration([file], MAG7)
    assert got["members"] == 2
    assert got["effective_constituents"] == pytest.approx(1 / (0.4**2 + 0.6**2))
    assert got["mag7_weight"] == 0.0 and got["mag7_members"] == 0


def test_mag7_weight_is_null_without_a_mag7_basket():
    (got,) = concentration([holdings("IVV", HOLDINGS_DAY, ALPHABET_FILE)], baskets=None)
    assert got["mag7_weight"] is None


def test_top10_weight_with_ties_at_the_tenth_place():
    """Nine companies of 9 %, three tied at 6 % for the tenth place, one of 1 %: the top
    ten weigh 9 x 9 + 6 (the tied ones are not all added)."""
    weights = {f"A{i}": 9.0 for i in range(9)} | {"T1": 6.0, "T2": 6.0, "T3": 6.0, "S": 1.0}
    (got,) = concentration([holdings("IWM", HOLDINGS_DAY, weights)])
    assert got["members"] == 13
    assert got["top10_weight"] == pytest.approx(87.0)
    assert got["weight_total"] == pytest.approx(100.0)


def test_top10_counts_share_classes_as_one_company():
    """GOOG + GOOGL (12 %) outrank the eleventh company: ten companies, not ten rows."""
    weights = {f"A{i}": 8.0 for i in range(10)} | {"GOOGL": 6.0, "GOOG": 6.0, "S": 8.0}
    (got,) = concentration([holdings("IVV", HOLDINGS_DAY, weights)], MAG7)
    assert got["members"] == 12
    assert got["top10_weight"] == pytest.approx(12.0 + 9 * 8.0)


def test_file_whose_weights_sum_to_60_percent_is_left_out():
    files = [
        holdings("IWM", HOLDINGS_DAY, {"A": 30.0, "B": 30.0}),  # 60 %: no row
        holdings("IWM", LATER_DAY, {"A": 50.0, "B": 50.0}),
        holdings("IVV", HOLDINGS_DAY, {"C": 100.0}),  # the same date of another fund stays
    ]
    got = concentration(files)
    assert [(r["basket"], r["date"]) for r in got] == [
        ("IVV", HOLDINGS_DAY),
        ("IWM", LATER_DAY),
    ]


@pytest.mark.parametrize(
    ("weights", "kept"),
    [
        ((47.5, 47.5), True),  # 95 %
        ((52.5, 52.5), True),  # 105 %
        ((47.49, 47.5), False),
        ((52.51, 52.5), False),
        ((33.3, 33.3, 33.3), True),  # 99.9 %: rounding in the file
    ],
)
def test_weight_total_must_be_95_to_105_percent(weights, kept):
    file = holdings("IWM", HOLDINGS_DAY, {f"S{i}": w for i, w in enumerate(weights)})
    got = concentration([file])
    assert len(got) == int(kept)
    if kept:
        assert got[0]["weight_total"] == pytest.approx(sum(weights))


def test_holdings_row_without_a_weight_is_left_out_not_the_file():
    file = holdings("IWM", HOLDINGS_DAY, {"A": 60.0, "B": 40.0, "C": None})
    (got,) = concentration([file])
    assert got["members"] == 2 and got["holdings_rows"] == 2
    assert got["weight_total"] == pytest.approx(100.0)
    assert got["effective_constituents"] == pytest.approx(1 / (0.36 + 0.16))


# --- drawdowns ----------------------------------------------------------------------


def drawdowns(con, subject: str) -> list[dict]:
    return rows(con, "select * from marts.drawdowns where subject = ? order by date", subject)


def test_first_session_has_no_drawdown_and_no_rebound():
    con = build(prices(price_rows("X", DAYS[:2], [50.0, 40.0])))
    first, second = drawdowns(con, "X")
    assert (first["date"], first["close"], first["record_close"]) == (DAYS[0], 50.0, 50.0)
    assert first["drawdown_pct"] == 0 and first["rebound_from_low_52w_pct"] == 0
    assert (first["low_52w"], first["low_52w_date"]) == (50.0, DAYS[0])
    assert (first["high_52w"], first["high_52w_date"]) == (50.0, DAYS[0])
    assert (first["rows_in_window"], first["kind"]) == (1, "symbol")
    assert second["drawdown_pct"] == pytest.approx(-20.0)
    assert second["rebound_from_low_52w_pct"] == 0 and second["low_52w_date"] == DAYS[1]


def test_ties_at_the_52_week_high_and_low_name_the_latest_date():
    closes = [10.0, 12.0, 8.0, 12.0, 8.0, 9.0]
    con = build(prices(price_rows("X", DAYS[:6], closes)))
    last = drawdowns(con, "X")[-1]
    assert (last["high_52w"], last["high_52w_date"]) == (12.0, DAYS[3])
    assert (last["low_52w"], last["low_52w_date"]) == (8.0, DAYS[4])
    assert last["drawdown_pct"] == pytest.approx((9 / 12 - 1) * 100)
    assert last["rebound_from_low_52w_pct"] == pytest.approx((9 / 8 - 1) * 100)
    assert last["pct_from_high_52w"] == pytest.approx((9 / 12 - 1) * 100)


def test_52_week_window_is_the_last_252_rows_including_this_one():
    """Low 50 on row 1, high 200 on row 2, 100 after: row 252 still sees the low, row 253
    no longer does; row 254 no longer sees the high, while the record close stays 200."""
    closes = [50.0, 200.0] + [100.0] * 252
    con = build(prices(price_rows("X", DAYS[:254], closes)))
    got = drawdowns(con, "X")
    row_252, row_253, row_254 = got[251], got[252], got[253]
    assert row_252["rows_in_window"] == 252 and row_253["rows_in_window"] == 252
    assert (row_252["low_52w"], row_252["low_52w_date"]) == (50.0, DAYS[0])
    assert row_252["rebound_from_low_52w_pct"] == pytest.approx(100.0)
    # every close of the window is 100: the latest date reaching it, this one
    assert (row_253["low_52w"], row_253["low_52w_date"]) == (100.0, DAYS[252])
    assert row_253["rebound_from_low_52w_pct"] == 0
    assert (row_253["high_52w"], row_253["high_52w_date"]) == (200.0, DAYS[1])
    assert (row_254["high_52w"], row_254["high_52w_date"]) == (100.0, DAYS[253])
    assert row_254["record_close"] == 200.0
    assert row_254["drawdown_pct"] == pytest.approx(-50.0)


def test_dates_are_sessions_and_the_window_counts_rows_across_a_holiday():
    """Independence Day 2023 has no row; a session the symbol did not trade (a halt) is
    no row either: the window counts the symbol's rows, not calendar days."""
    days = sessions.sessions_between(dt.date(2023, 6, 29), dt.date(2023, 7, 7))
    assert dt.date(2023, 7, 4) not in days
    traded = [d for d in days if d != dt.date(2023, 7, 6)]  # halted on the 6th
    con = build(prices(price_rows("X", traded, [10.0, 9.0, 11.0, 12.0, 12.5, 13.0][: len(traded)])))
    got = drawdowns(con, "X")
    assert [r["date"] for r in got] == traded
    assert [r["rows_in_window"] for r in got] == list(range(1, len(traded) + 1))
    assert got[-1]["low_52w_date"] == traded[1]


def test_mag7_basket_drawdown_on_its_index():
    frame = prices(
        price_rows("A", DAYS[:4], [10.0, 11.0, 9.9, 11.0]),
        price_rows("B", DAYS[:4], [20.0, 22.0, 19.8, 19.8]),
    )
    con = build(frame, baskets={"MAG7": ("A", "B")})
    got = drawdowns(con, "MAG7")
    index = [100.0, 110.0, 99.0, 99.0 * (1 + (11.0 / 9.9 - 1) / 2)]
    assert [r["kind"] for r in got] == ["basket"] * 4
    assert [r["close"] for r in got] == pytest.approx(index)
    assert [r["record_close"] for r in got] == pytest.approx([100.0, 110.0, 110.0, 110.0])
    assert got[2]["drawdown_pct"] == pytest.approx(-10.0)
    assert got[3]["drawdown_pct"] == pytest.approx((index[3] / 110 - 1) * 100)
    assert (got[3]["low_52w"], got[3]["low_52w_date"]) == (pytest.approx(99.0), DAYS[2])
    assert got[3]["high_52w_date"] == DAYS[1]
    # the members are subjects too (universe symbols)
    assert {r["subject"] for r in mart(con, "drawdowns")} == {"A", "B", "MAG7"}


def test_drawdowns_cover_universe_symbols_only():
    """marts.records holds every symbol of the lake (constituents too); drawdowns only
    the universe's."""
    con = build(
        prices(price_rows("X", DAYS[:2], [1.0, 2.0]), price_rows("Y", DAYS[:2], [3.0, 4.0]))
    )
    con.execute("delete from staging.stg_tracked_symbols where symbol = 'Y'")
    warehouse_build.publish_mart(con, "drawdowns", sql("drawdowns"))
    assert {r["symbol"] for r in mart(con, "records")} == {"X", "Y"}
    assert {r["subject"] for r in mart(con, "drawdowns")} == {"X"}


# --- record_counts ------------------------------------------------------------------

# the last three sessions of 2023 and the first three of 2024 (2024-01-01 is a holiday)
YEAR_END = sessions.sessions_between(dt.date(2023, 12, 27), dt.date(2024, 1, 4))


def sql(name: str) -> str:
    return warehouse_build.sql(warehouse_build.SQL / "marts" / f"{name}.sql")


@pytest.fixture(scope="module")
def year_end():
    closes = [10.0, 11.0, 10.5, 12.0, 11.0, 13.0]
    highs = [10.0, 11.0, 10.5, 12.0, 12.5, 13.0]  # 2024-01-03: tested and failed
    flat = [5.0] * 6  # never a record (a first session is none)
    con = build(prices(price_rows("X", YEAR_END, closes, highs), price_rows("F", YEAR_END, flat)))
    yield con
    con.close()


def test_record_counts_per_calendar_year(year_end):
    assert YEAR_END[2:4] == [dt.date(2023, 12, 29), dt.date(2024, 1, 2)]
    got = {(r["symbol"], r["year"]): r for r in mart(year_end, "record_counts")}
    assert set(got) == {("F", 2023), ("F", 2024), ("X", 2023), ("X", 2024)}
    x_2023, x_2024 = got["X", 2023], got["X", 2024]
    assert (x_2023["sessions"], x_2023["record_closes"], x_2023["record_highs"]) == (3, 1, 1)
    assert x_2023["first_record_date"] == x_2023["last_record_date"] == YEAR_END[1]
    assert (x_2024["sessions"], x_2024["record_closes"], x_2024["record_highs"]) == (3, 2, 3)
    assert x_2024["tested_and_failed"] == 1
    assert (x_2024["first_record_date"], x_2024["last_record_date"]) == (YEAR_END[3], YEAR_END[5])
    assert (x_2024["first_session"], x_2024["last_session"]) == (YEAR_END[3], YEAR_END[5])


def test_a_year_without_a_record_has_no_record_dates(year_end):
    got = {(r["symbol"], r["year"]): r for r in mart(year_end, "record_counts")}
    for year in (2023, 2024):
        flat = got["F", year]
        assert flat["record_closes"] == 0 and flat["tested_and_failed"] == 0
        assert flat["first_record_date"] is None and flat["last_record_date"] is None


def test_record_counts_computes_the_years_from_build_since(year_end):
    """An incremental build (staging.stg_build_since set) computes the years from the
    year of `since` on; updated in place (include/sql/incremental/record_counts.sql
    deletes those years), the mart equals the full build's."""
    full = mart(year_end, "record_counts")
    year_end.execute(
        "create or replace table staging.stg_build_since as select date '2024-01-03' as since"
    )
    try:
        got = rows(year_end, f"select * from ({sql('record_counts')})")
        year_end.execute("begin")
        year_end.execute(
            warehouse_build.sql(warehouse_build.SQL / "incremental" / "record_counts.sql")
        )
        assert {r["year"] for r in mart(year_end, "record_counts")} == {2023}
        year_end.execute(f"insert into core.record_counts by name {sql('record_counts')}")
        updated = rows(year_end, "select * from marts.record_counts order by symbol, year")
        year_end.execute("rollback")
    finally:
        year_end.execute(
            "create or replace table staging.stg_build_since as select null::date as since"
        )
    assert {(r["symbol"], r["year"]) for r in got} == {("F", 2024), ("X", 2024)}
    assert updated == sorted(full, key=lambda r: (r["symbol"], r["year"]))
