"""The prices lake's increments (rotation_radar.core.lake): a night appends its new bars
in one increment file; readers see each symbol's file and its increment rows as one
history; a rewritten symbol leaves the increments; compaction folds them into the
symbols' files and keeps the run that last restated each one."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pytest

from rotation_radar.core import lake, storage

NAME = "prices_daily"
D = dt.date


def bars(symbol: str, days: list[dt.date], close: float = 10.0, run: str = "r1") -> pa.Table:
    frame = pd.DataFrame(
        {
            "symbol": symbol,
            "date": days,
            "open": close,
            "high": close + 1,
            "low": close - 1,
            "close": close,
            "adj_close": close,
            "volume": 100,
            "currency": "USD",
            "adjustment": "split",
            "source": "yahoo",
            "ingested_at": pd.Timestamp("2025-09-20", tz="UTC"),
            "run_id": run,
        }
    )
    return lake.to_table(frame, NAME)


@pytest.fixture
def stored(data_dir):
    lake.rewrite_symbols(NAME, {"AAA": bars("AAA", [D(2025, 9, 15), D(2025, 9, 16)])}, run="r1")
    lake.rewrite_symbols(NAME, {"BBB": bars("BBB", [D(2025, 9, 15)])}, run="r1")
    return data_dir


def test_a_night_appends_one_increment_file_and_readers_see_one_history(stored):
    night = pa.concat_tables(
        [bars("AAA", [D(2025, 9, 17)], run="r2"), bars("BBB", [D(2025, 9, 17)], run="r2")]
    )
    key = lake.append_increment(NAME, night, "r2")
    assert lake.increment_keys(NAME) == [key]
    assert list(lake.read_symbol(NAME, "AAA")["date"]) == [
        D(2025, 9, 15),
        D(2025, 9, 16),
        D(2025, 9, 17),
    ]
    assert lake.last_date(NAME, "BBB") == D(2025, 9, 17)
    # the symbols' files were not touched
    assert storage.read_parquet(lake.symbol_key(NAME, "AAA")).num_rows == 2
    # a rerun of the run keeps what its earlier attempt wrote
    lake.append_increment(NAME, bars("AAA", [D(2025, 9, 17)], run="r2"), "r2")
    assert storage.read_parquet(key).num_rows == 2
    assert len(lake.read_all(NAME)) == 5


def test_a_rewritten_symbol_leaves_the_increments_and_is_marked_restated(stored):
    lake.append_increment(NAME, bars("AAA", [D(2025, 9, 17)], run="r2"), "r2")
    lake.append_increment(NAME, bars("BBB", [D(2025, 9, 17)], run="r2"), "r2")
    history = lake.read_symbol_table(NAME, "AAA")
    restated = bars("AAA", history["date"].to_pylist(), close=5.0, run="r3")
    lake.rewrite_symbols(NAME, {"AAA": restated}, run="r3")
    assert lake.restated_by(NAME, "AAA") == "r3" and lake.restated_by(NAME, "BBB") == "r1"
    assert set(lake.read_increments(NAME)["symbol"].to_pylist()) == {"BBB"}
    assert list(lake.read_symbol(NAME, "AAA")["close"]) == [5.0, 5.0, 5.0]
    lake.rewrite_symbols(NAME, {"BBB": lake.read_symbol_table(NAME, "BBB")}, run="r4")
    assert lake.increment_keys(NAME) == []  # an emptied increment file is removed


def test_a_key_seen_twice_reads_as_its_latest_ingestion(stored):
    later = bars("AAA", [D(2025, 9, 16)], close=11.0, run="r2")
    later = later.set_column(
        later.schema.get_field_index("ingested_at"),
        "ingested_at",
        pa.array([pd.Timestamp("2025-09-21", tz="UTC")], pa.timestamp("us", tz="UTC")),
    )
    lake.append_increment(NAME, later, "r2")  # as between the two steps of a rewrite
    assert list(lake.read_symbol(NAME, "AAA")["close"]) == [10.0, 11.0]


def test_compaction_folds_increments_into_the_files_and_keeps_the_restating_run(stored):
    for i, day in enumerate((D(2025, 9, 17), D(2025, 9, 18), D(2025, 9, 19))):
        lake.append_increment(NAME, bars("AAA", [day], run=f"n{i}"), f"n{i}")
    before = lake.read_symbol(NAME, "AAA")
    assert lake.compact(NAME, after=3) == 0  # not yet more than `after`
    assert lake.compact(NAME, after=2) == 1
    assert lake.increment_keys(NAME) == []
    after = lake.read_symbol(NAME, "AAA")
    pd.testing.assert_frame_equal(before, after)
    assert storage.read_parquet(lake.symbol_key(NAME, "AAA")).num_rows == 5
    assert lake.restated_by(NAME, "AAA") == "r1"  # compaction changed no stored row
