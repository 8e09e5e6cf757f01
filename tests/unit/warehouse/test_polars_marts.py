"""The benchmark's Polars implementation of marts.records and marts.relative_strength
(tests/benchmarks/polars_marts.py) gives the warehouse's numbers, as the pandas one does
(tests/unit/warehouse/test_pandas_marts.py, whose lake with its edge cases this reuses),
on either layout of the prices lake: one of its symbols (IWM) is stored one file per
year (lake/prices_daily/symbol=IWM/year=YYYY/data.parquet) beside the one file per
symbol of the others, and both the warehouse and Polars read every file below
lake/prices_daily.
"""

from __future__ import annotations

import polars as pl
import pytest

from rotation_radar.core import storage
from tests.benchmarks import pandas_marts as pm
from tests.benchmarks import polars_marts as plm
from tests.unit.warehouse.test_pandas_marts import UNIVERSE, sql_marts, write_lake

WAREHOUSE_FILE = "warehouse.duckdb"


def split_by_year(symbol: str) -> list[str]:
    """Rewrite one symbol's files as one file per year; returns the new keys."""
    folder = f"lake/prices_daily/symbol={symbol}"
    old = storage.keys(folder, "**/*.parquet")
    rows = pl.concat([pl.from_arrow(storage.read_parquet(key)) for key in old])
    for key in old:
        storage.delete(key)
    keys = []
    for (year,), part in rows.group_by(pl.col("date").dt.year(), maintain_order=True):
        keys.append(f"{folder}/year={year}/data.parquet")
        storage.write_parquet(keys[-1], part.to_arrow())
    return keys


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    """The lake's folder, the Polars marts (as pandas frames) and the SQL marts."""
    root = tmp_path_factory.mktemp("polars_marts") / "data"
    with pm.radar_data_dir(root):
        write_lake()
        assert len(split_by_year("IWM")) == 2  # 2024 and 2025
        frames, _ = plm.timed_marts(UNIVERSE)
        ours = {name: frame.to_pandas() for name, frame in frames.items()}
        theirs = sql_marts(root)
    return root, ours, theirs


@pytest.mark.parametrize("mart", ["records", "relative_strength"])
def test_polars_mart_equals_the_sql_mart(marts, mart):
    _, ours, theirs = marts
    assert len(theirs[mart]) > 0
    assert list(ours[mart].columns) == list(theirs[mart].columns)
    pm.compare(theirs[mart], ours[mart], pm.KEYS[mart], engine="Polars")


def test_polars_reads_the_files_of_both_layouts(marts):
    _, ours, _ = marts
    records = ours["records"]
    iwm = records[records["symbol"] == "IWM"]
    assert set(iwm["date"].dt.year) == {2024, 2025}
    assert iwm["date"].is_monotonic_increasing and iwm["date"].is_unique
    spy = records[(records["symbol"] == "SPY")].set_index("date")
    assert spy["close"].eq(123.0).sum() == 1  # the restatement in a third folder wins


def test_polars_marts_are_sorted_by_their_keys(marts):
    _, ours, _ = marts
    for name, keys in pm.KEYS.items():
        assert ours[name][keys].equals(ours[name].sort_values(keys)[keys].reset_index(drop=True))


def test_an_empty_lake_gives_empty_marts(tmp_path):
    with pm.radar_data_dir(tmp_path / "data"):
        frames, _ = plm.timed_marts(UNIVERSE)
    assert frames["records"].columns == pm.RECORDS_COLUMNS and frames["records"].height == 0
    assert frames["relative_strength"].height == 0


def test_time_marts_times_polars_beside_pandas(marts):
    root, ours, _ = marts
    result = pm.time_marts(root, UNIVERSE, runs=1, with_polars=True)
    assert result["rows_records"] == len(ours["records"])
    assert result["rows_relative_strength"] == len(ours["relative_strength"])
    assert result["polars_ratio"] == pytest.approx(result["polars_s"] / result["warehouse_s"])
    parts = ("polars_calendar_s", "polars_records_s", "polars_relative_strength_s")
    assert result["polars_s"] == pytest.approx(sum(result[p] for p in parts))
    assert min(result["polars_s"], result["pandas_s"], result["warehouse_s"]) > 0
    assert "polars_s" not in pm.time_marts(root, UNIVERSE, runs=1)  # pandas alone


def test_time_marts_raises_when_the_polars_marts_differ(marts, monkeypatch):
    root, _, _ = marts
    real = plm.records

    def one_session_late(prices, calendar):
        late = pl.col("sessions_since_record") + 1
        return real(prices, calendar).with_columns(sessions_since_record=late)

    monkeypatch.setattr(plm, "records", one_session_late)
    with pytest.raises(pm.MartMismatch, match="sessions_since_record.*Polars"):
        pm.time_marts(root, UNIVERSE, runs=1, with_polars=True)
