"""The benchmark's pandas implementation of marts.records and marts.relative_strength
(tests/benchmarks/pandas_marts.py) gives the warehouse's numbers, and its comparison
can fail.

A synthetic lake is written with lake.write_symbol (plus one extra run file holding a
restated row) under a temp RADAR_DATA_DIR; the warehouse's own SQL builds the two marts
into a DuckDB file, exactly as the benchmark does. The lake has the edge cases: a basket
pair (IWM/MAG7, a member listed late, a member missing a session), a symbol missing
sessions, NULL closes and highs, a row on a non-session date, symbols with fewer than
200/252 sessions, a close that ties its prior record, and a key ingested twice.
"""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import numpy as np
import pandas as pd
import pytest

from rotation_radar.core import lake, sessions, storage
from rotation_radar.core.settings import Pair, Universe
from tests.benchmarks import pandas_marts as pm

WAREHOUSE_FILE = "warehouse.duckdb"
DAYS = sessions.sessions_between(dt.date(2024, 5, 1), dt.date(2025, 9, 19))  # 349 sessions
STAMP = {
    "currency": "USD",
    "adjustment": "split",
    "source": "test",
    "ingested_at": pd.Timestamp("2025-09-20", tz="UTC"),
    "run_id": "run_a",
}
UNIVERSE = Universe(
    history_start=dt.date(2024, 1, 2),  # before the lake's first date: calendar from here
    groups={"indices": ("^RUT", "^GSPC"), "etfs": ("IWM", "SPY", "GAPPY", "SHORT")},
    baskets={"MAG7": ("AAPL", "MSFT", "NVDA", "LATE")},
    pairs=(
        Pair("^RUT", "^GSPC", "close"),
        Pair("IWM", "SPY", "adj_close"),
        Pair("IWM", "MAG7", "adj_close"),
        Pair("GAPPY", "SPY", "adj_close"),
        Pair("SHORT", "SPY", "adj_close"),
        Pair("MAG7", "^GSPC", "close"),
    ),
)


def walk(seed: int, n: int, start: float = 100.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return start * np.exp(np.cumsum(rng.normal(0.0003, 0.015, n)))


def frame(symbol: str, days, close, high=None, adj_close=None) -> pd.DataFrame:
    close = np.asarray(close, dtype=float)
    high = close * 1.01 if high is None else np.asarray(high, dtype=float)
    adj = close * 0.98 if adj_close is None else np.asarray(adj_close, dtype=float)
    return pd.DataFrame(
        {
            "symbol": symbol,
            "date": np.array(days, dtype=object),
            "open": close,
            "high": high,
            "low": np.fmin(close, high) * 0.99,
            "close": close,
            "adj_close": adj,
            "volume": pd.array(np.full(len(days), 1_000), dtype="Int64"),
            **STAMP,
        }
    )


def write_lake() -> None:
    n = len(DAYS)
    for i, symbol in enumerate(["^GSPC", "IWM", "SPY", "AAPL", "MSFT", "NVDA"]):
        lake.write_symbol("prices_daily", symbol, frame(symbol, DAYS, walk(i, n)))
    # ^RUT: 2021-11-08's record close, then the 2024-11-25 record high closing below it, a
    # tested-and-failed day, a close that ties the record exactly, then a new record.
    rut_close = walk(10, n, 2000.0)
    rut_close[:5] = np.minimum(rut_close[:5], 2400.0)
    rut_close[5:10] = [2442.74, 2442.03, 2407.34, 2442.74, 2467.70]
    rut_close[10:] = np.minimum(rut_close[10:], 2467.70)  # ties and below, no new record
    rut_close[40] = 2467.70
    rut_high = rut_close * 1.002
    rut_high[6], rut_high[7] = 2466.49, 2453.36
    rut = frame("^RUT", DAYS, rut_close, rut_high, rut_close)
    rut.loc[20, "close"] = np.nan  # NULL close: no records row, no ^RUT/^GSPC observation
    rut.loc[21, "high"] = np.nan  # NULL high: no records row, still an observation
    lake.write_symbol("prices_daily", "^RUT", rut)
    # GAPPY: misses sessions (a 10-session hole, and single days); one row on a Saturday
    gappy_days = [d for j, d in enumerate(DAYS) if not (100 <= j < 110 or j % 37 == 5)]
    gappy = frame("GAPPY", gappy_days, walk(11, len(gappy_days)))
    saturday = pd.DataFrame([gappy.iloc[0]]).assign(date=dt.date(2024, 6, 1))
    lake.write_symbol("prices_daily", "GAPPY", pd.concat([gappy, saturday], ignore_index=True))
    # SHORT: 150 sessions only (no SMA200, no 52-week flags); NULL adj_closes
    short = frame("SHORT", DAYS[-150:], walk(12, 150))
    short.loc[[3, 4, 60], "adj_close"] = np.nan
    lake.write_symbol("prices_daily", "SHORT", short)
    # LATE: a MAG7 member listed 30 sessions after the others (the basket's first common
    # session), missing one session (the basket skips it) and with a NULL adj_close
    late = frame("LATE", DAYS[30:], walk(13, n - 30))
    late = late.drop(index=50).reset_index(drop=True)
    late.loc[80, "adj_close"] = np.nan
    lake.write_symbol("prices_daily", "LATE", late)
    # a restatement of SPY on one date in another file: the later ingestion wins
    restated = frame("SPY", DAYS[200:201], [123.0]).assign(
        ingested_at=pd.Timestamp("2025-09-21", tz="UTC"), run_id="run_b"
    )
    # a file beside the symbol files (not of the dataset's layout): readers take every file
    table = lake.to_table(restated, "prices_daily")
    storage.write_parquet("lake/prices_daily/restated/run_b.parquet", table)


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    """The lake's folder, the pandas marts and the SQL marts (read back from the file)."""
    root = tmp_path_factory.mktemp("pandas_marts") / "data"
    with pm.radar_data_dir(root):
        write_lake()
        prices = pm.read_prices()
        calendar = pm.session_calendar(prices, UNIVERSE)
        ours = {
            "records": pm.records(prices, calendar),
            "relative_strength": pm.relative_strength(prices, UNIVERSE.pairs, UNIVERSE.baskets),
        }
        theirs = sql_marts(root)
    return root, ours, theirs


def sql_marts(root) -> dict:
    """The SQL marts of the lake under `root`, built into a file beside it and read back."""
    with duckdb.connect(str(root.parent / WAREHOUSE_FILE)) as con:
        pm.prepare_warehouse(con, UNIVERSE)
        pm.build_sql_marts(con)
        return {name: con.execute(f"select * from marts.{name}").df() for name in pm.KEYS}


@pytest.mark.parametrize("mart", ["records", "relative_strength"])
def test_pandas_mart_equals_the_sql_mart(marts, mart):
    _, ours, theirs = marts
    assert len(theirs[mart]) > 0
    assert list(ours[mart].columns) == list(theirs[mart].columns)
    pm.compare(theirs[mart], ours[mart], pm.KEYS[mart])


def test_the_lake_has_the_edge_cases(marts):
    _, ours, _ = marts
    rec = ours["records"].set_index(["symbol", "date"])
    rut = rec.loc["^RUT"]
    tie = rut.loc[pd.Timestamp(DAYS[8])]  # closes exactly at the prior record close
    assert tie["prior_record_close"] == 2442.74 and not tie["is_record_close"]
    assert tie["prior_record_close_date"] == pd.Timestamp(DAYS[5]) and tie["is_tested_and_failed"]
    assert rut.loc[pd.Timestamp(DAYS[7])]["is_tested_and_failed"]
    assert rut.loc[pd.Timestamp(DAYS[40])]["record_close_date"] == pd.Timestamp(DAYS[9])  # a tie
    assert pd.Timestamp(DAYS[20]) not in rut.index and pd.Timestamp(DAYS[21]) not in rut.index
    assert pd.isna(rec.loc[("GAPPY", pd.Timestamp("2024-06-01")), "sessions_since_record"])
    assert rec.loc["SHORT"]["high_52w_prior"].isna().all()
    assert rec.loc[("SPY", pd.Timestamp(DAYS[200])), "close"] == 123.0
    rs = ours["relative_strength"]
    assert set(rs["pair"]) == {p.id for p in UNIVERSE.pairs}
    assert rs.loc[rs["pair"] == "SHORT/SPY", "ratio_sma200"].isna().all()
    mag7 = rs[rs["pair"] == "IWM/MAG7"]
    assert mag7["date"].min() == pd.Timestamp(DAYS[30])  # LATE's first session
    assert mag7["denominator_price"].iloc[0] == 100.0
    assert pd.Timestamp(DAYS[80]) not in set(mag7["date"])  # LATE missing that session
    assert rs["is_ratio_high_52w"].any() and rs["mansfield_rs"].notna().any()


def test_time_marts_on_the_lake(marts):
    root, ours, _ = marts
    result = pm.time_marts(root, UNIVERSE, runs=1)
    assert result["rows_records"] == len(ours["records"])
    assert result["rows_relative_strength"] == len(ours["relative_strength"])
    assert result["pandas_ratio"] == pytest.approx(result["pandas_s"] / result["warehouse_s"])
    assert min(result["pandas_s"], result["warehouse_s"], result["read_s"]) > 0


def with_extra_row(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame, frame.tail(1).assign(symbol="ZZZ")], ignore_index=True)


def perturbed(frame: pd.DataFrame, column: str, row: int, value) -> pd.DataFrame:
    out = frame.copy()
    out.loc[out.index[row], column] = value
    return out


@pytest.mark.parametrize(
    ("mart", "column", "value", "message"),
    [
        ("records", "pct_from_record", lambda v: v * (1 + 1e-7) - 1e-7, "'pct_from_record'"),
        ("records", "prior_record_close", lambda v: np.nan, "'prior_record_close'"),
        ("records", "is_record_close", lambda v: not v, "'is_record_close'"),
        ("records", "record_close_date", lambda v: v + pd.Timedelta(days=1), "'record_close_date'"),
        ("records", "sessions_since_record", lambda v: 99, "'sessions_since_record'"),
        ("relative_strength", "ratio_sma200", lambda v: v * (1 + 1e-8), "'ratio_sma200'"),
        ("relative_strength", "price_column", lambda v: "open", "'price_column'"),
    ],
)
def test_compare_fails_on_a_perturbed_value(marts, mart, column, value, message):
    _, ours, theirs = marts
    frame = ours[mart]
    row = int(np.flatnonzero(frame[column].notna().to_numpy())[-1])
    changed = perturbed(frame, column, row, value(frame[column].iloc[row]))
    with pytest.raises(pm.MartMismatch, match=message) as failure:
        pm.compare(theirs[mart], changed, pm.KEYS[mart])
    key = frame.iloc[row][pm.KEYS[mart][0]]
    assert str(key) in str(failure.value)  # names the key ...
    assert "1 of" in str(failure.value)  # ... and only that row


def test_compare_tolerates_float_noise_below_1e9(marts):
    _, ours, theirs = marts
    frame = ours["relative_strength"]
    noisy = frame.assign(ratio_sma50=frame["ratio_sma50"] * (1 + 1e-12))
    pm.compare(theirs["relative_strength"], noisy, pm.KEYS["relative_strength"])


def test_compare_fails_on_a_missing_or_extra_row(marts):
    _, ours, theirs = marts
    with pytest.raises(pm.MartMismatch, match="only in SQL"):
        pm.compare(theirs["records"], ours["records"].iloc[1:], pm.KEYS["records"])
    extra = with_extra_row(ours["records"])
    with pytest.raises(pm.MartMismatch, match="ZZZ.*only in pandas"):
        pm.compare(theirs["records"], extra, pm.KEYS["records"])
    with pytest.raises(pm.MartMismatch, match="columns differ"):
        less = ours["records"].drop(columns="is_high_52w")
        pm.compare(theirs["records"], less, pm.KEYS["records"])


def test_compare_ignores_row_order(marts):
    _, ours, theirs = marts
    shuffled = ours["records"].sample(frac=1, random_state=0)
    pm.compare(theirs["records"], shuffled, pm.KEYS["records"])


def test_time_marts_raises_when_the_pandas_marts_differ(marts, monkeypatch):
    root, _, _ = marts
    real = pm.records

    def off_by_one(prices, calendar):
        out = real(prices, calendar)
        return out.assign(sessions_since_record=out["sessions_since_record"] + 1)

    monkeypatch.setattr(pm, "records", off_by_one)
    with pytest.raises(pm.MartMismatch, match="sessions_since_record"):
        pm.time_marts(root, UNIVERSE, runs=1)


def test_check_marts_streams_the_sql_marts_in_chunks(marts):
    root, ours, _ = marts
    with duckdb.connect(str(root.parent / WAREHOUSE_FILE), read_only=True) as con:
        pm.check_marts(con, ours, chunk_rows=2048)  # several chunks of records
        late = perturbed(ours["records"], "close", len(ours["records"]) - 1, 0.5)
        last = re.escape(f"'close' differs at symbol='{late['symbol'].iloc[-1]}'")
        with pytest.raises(pm.MartMismatch, match=last):
            pm.check_marts(con, {"records": late}, chunk_rows=2048)
        with pytest.raises(pm.MartMismatch, match="only in SQL"):
            pm.check_marts(con, {"records": ours["records"].iloc[:-1]}, chunk_rows=2048)
        with pytest.raises(pm.MartMismatch, match="only in pandas"):
            pm.check_marts(con, {"records": with_extra_row(ours["records"])}, chunk_rows=2048)
