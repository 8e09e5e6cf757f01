"""Benchmark (`make bench`): the full warehouse rebuild as the lake grows in symbols and
years. A synthetic lake (seeded random walks, one Parquet file per symbol, written
straight to lake/prices_daily) is rebuilt with warehouse.build; figures are printed,
never asserted against a wall-clock target. RADAR_BENCH_SCALE=full adds the
production size (2,500 symbols x 25 years, about 16 million rows)."""

from __future__ import annotations

import datetime as dt
import os
import resource
import time

import numpy as np
import pandas as pd

from rotation_radar import lake, sessions, storage, warehouse
from rotation_radar.settings import Pair, Universe

END = dt.date(2025, 9, 19)
SIZES = [(250, 5), (250, 25), (1_000, 5)]
if os.environ.get("RADAR_BENCH_SCALE") == "full":
    SIZES += [(2_500, 5), (2_500, 25)]


def write_lake(symbols: int, years: int) -> int:
    """`symbols` random-walk histories over the last `years` years of sessions."""
    days = sessions.sessions_between(dt.date(END.year - years, END.month, END.day), END)
    rng = np.random.default_rng(symbols * 100 + years)
    stamp = {"currency": "USD", "adjustment": "split", "source": "bench",
             "ingested_at": pd.Timestamp("2025-09-20", tz="UTC"), "run_id": "bench"}  # fmt: skip
    for i in range(symbols):
        close = 50 * np.exp(np.cumsum(rng.normal(0.0003, 0.02, len(days))))
        frame = pd.DataFrame({
            "symbol": f"S{i:04d}", "date": np.array(days, dtype=object), "open": close, "high": close * 1.01,
            "low": close * 0.99, "close": close, "adj_close": close,
            "volume": pd.array(np.full(len(days), 1_000), dtype="Int64"), **stamp,
        })  # fmt: skip
        lake.write_symbol("prices_daily", frame["symbol"].iloc[0], frame)
    return symbols * len(days)


def test_bench_full_rebuild_growth(tmp_path, monkeypatch):
    rows_by_size, lines = {}, []
    for symbols, years in SIZES:
        monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / f"{symbols}x{years}"))
        rows = write_lake(symbols, years)
        universe = Universe(
            history_start=dt.date(END.year - years, 1, 2),
            groups={"stocks": ("S0000", "S0001")},
            baskets={},
            pairs=(Pair("S0000", "S0001", "adj_close"),),
        )
        started = time.perf_counter()
        result = warehouse.build(universe, "bench")
        seconds = time.perf_counter() - started
        size_mb = storage.path(warehouse.WAREHOUSE_KEY).stat().st_size / 1e6
        rows_by_size[(symbols, years)] = (rows, seconds)
        lines.append(f"{symbols:>6,} symbols x {years:>2} years {rows:>11,} rows: rebuild {seconds:6.1f}s "
                     f"({rows / seconds:,.0f} rows/s), warehouse {size_mb:,.0f} MB, "
                     f"records {result.row_counts['records']:,}")  # fmt: skip
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("\nfull rebuild by lake size (one run each):\n  " + "\n  ".join(lines))
    print(f"peak RSS of the benchmark process: {peak_mb:,.0f} MB")
    assert all(seconds > 0 for _, seconds in rows_by_size.values())
