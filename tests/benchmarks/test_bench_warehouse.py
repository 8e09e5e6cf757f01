"""Benchmark (`make bench`): the full warehouse rebuild as the lake grows in symbols and
years. A synthetic lake (seeded random walks, one Parquet file per symbol, written
straight to lake/prices_daily) is rebuilt with warehouse.publish.build_and_publish; figures
are printed, never asserted against a wall-clock target. RADAR_BENCH_SCALE=full adds the
production size (2,500 symbols x 25 years, about 16 million rows).

Besides each size's total, the largest size's build is broken down by stage (timed
around the warehouse's own functions while the build runs, so nothing is mirrored)
and the peak resident memory of the builds alone is sampled (the process's ru_maxrss
also counts writing the lakes).

Every symbol here has the same sessions, so 25 years are 6,288 rows per symbol, a
multiple of 16: DuckDB's window segment tree is at its fastest on such partitions (see
include/sql/marts/records.sql); real histories have any length."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import resource
import threading
import time

import numpy as np
import pandas as pd

from rotation_radar.core import lake, sessions, storage
from rotation_radar.core.settings import Pair, Universe
from rotation_radar.warehouse import build, docs, publish, read

END = dt.date(2025, 9, 19)
SIZES = [(250, 5), (250, 25), (1_000, 5)]
if os.environ.get("RADAR_BENCH_SCALE") == "full":
    SIZES += [(2_500, 5), (2_500, 25)]


def write_lake(symbols: int, years: int) -> int:
    """`symbols` random-walk histories over the last `years` years of sessions."""
    days = sessions.sessions_between(dt.date(END.year - years, END.month, END.day), END)
    rng = np.random.default_rng(symbols * 100 + years)
    stamp = {
        "currency": "USD",
        "adjustment": "split",
        "source": "bench",
        "ingested_at": pd.Timestamp("2025-09-20", tz="UTC"),
        "run_id": "bench",
    }
    for i in range(symbols):
        close = 50 * np.exp(np.cumsum(rng.normal(0.0003, 0.02, len(days))))
        frame = pd.DataFrame(
            {
                "symbol": f"S{i:04d}",
                "date": np.array(days, dtype=object),
                "open": close,
                "high": close * 1.01,
                "low": close * 0.99,
                "close": close,
                "adj_close": close,
                "volume": pd.array(np.full(len(days), 1_000), dtype="Int64"),
                **stamp,
            }
        )
        lake.write_symbol("prices_daily", frame["symbol"].iloc[0], frame)
    return symbols * len(days)


def rss_mb() -> float | None:
    """The process's resident memory now (Linux), None elsewhere."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


@contextlib.contextmanager
def peak_rss(found: dict):
    """found["peak_mb"]: the highest resident memory sampled (every 20 ms) inside the block."""
    done = threading.Event()

    def sample():
        while not done.is_set():
            found["peak_mb"] = max(found.get("peak_mb") or 0.0, rss_mb() or 0.0)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield found
    finally:
        done.set()
        sampler.join()


def time_stages(monkeypatch, stages: dict[str, float]) -> None:
    """Add the wall seconds of publish.build_and_publish's stages to `stages` from now on:
    the lake views, the configuration tables, the shared staging tables (build.materialized_staging,
    entering and leaving), each mart (publish_mart), the docs, the audit and the Parquet
    export; what the build does between them (the staging views, the catalog, the final
    checkpoint and the atomic publish) is the rest of its total."""

    def add(name: str, started: float) -> None:
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - started

    def timed(module, attribute: str, label=None) -> None:
        function = getattr(module, attribute)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                add(label(*args, **kwargs) if label else attribute, started)

        monkeypatch.setattr(module, attribute, wrapper)

    for attribute in ("load_lake", "stage_config", "audit"):
        timed(build, attribute)
    timed(docs, "document")
    timed(publish, "write_marts_parquet", lambda *_args, **_kwargs: "export_parquet")
    timed(build, "publish_mart", lambda con, name, query: f"marts.{name}")
    materialized = build.materialized_staging

    @contextlib.contextmanager
    def timed_materialized(con, *args, **kwargs):
        started = time.perf_counter()
        with materialized(con, *args, **kwargs):
            add("shared staging (materialized_staging)", started)
            yield
            started = time.perf_counter()
        add("shared staging (materialized_staging)", started)

    monkeypatch.setattr(build, "materialized_staging", timed_materialized)


def test_bench_full_rebuild_growth(tmp_path, monkeypatch):
    rows_by_size, lines, stages = {}, [], {}
    for symbols, years in SIZES:
        monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / f"{symbols}x{years}"))
        rows = write_lake(symbols, years)
        universe = Universe(
            history_start=dt.date(END.year - years, 1, 2),
            groups={"stocks": ("S0000", "S0001")},
            baskets={},
            pairs=(Pair("S0000", "S0001", "adj_close"),),
        )
        if (symbols, years) == SIZES[-1]:
            time_stages(monkeypatch, stages)
        memory = {}
        with peak_rss(memory):
            started = time.perf_counter()
            result = publish.build_and_publish(universe, "bench")
            seconds = time.perf_counter() - started
        size_mb = storage.path(read.WAREHOUSE_KEY).stat().st_size / 1e6
        rows_by_size[(symbols, years)] = (rows, seconds)
        lines.append(
            f"{symbols:>6,} symbols x {years:>2} years {rows:>11,} rows: rebuild {seconds:6.1f}s "
            f"({rows / seconds:,.0f} rows/s), warehouse {size_mb:,.0f} MB, "
            f"records {result.row_counts['records']:,}, "
            f"build peak RSS {memory.get('peak_mb', 0):,.0f} MB"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("\nfull rebuild by lake size (one run each):\n  " + "\n  ".join(lines))
    symbols, years = SIZES[-1]
    total = rows_by_size[(symbols, years)][1]
    stages["rest (views, catalog, checkpoint, publish)"] = total - sum(stages.values())
    slowest_first = sorted(stages.items(), key=lambda stage: -stage[1])
    breakdown = [f"{name:<44} {seconds:6.2f}s" for name, seconds in slowest_first]
    print(
        f"stages of the {symbols:,} x {years} rebuild ({total:.1f}s):\n  " + "\n  ".join(breakdown)
    )
    print(f"peak RSS of the benchmark process (lakes written too): {peak_mb:,.0f} MB")
    assert all(seconds > 0 for _, seconds in rows_by_size.values())
