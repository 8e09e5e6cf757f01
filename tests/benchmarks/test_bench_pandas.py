"""Benchmark (`make bench`): marts.records + marts.relative_strength in a straightforward
pandas implementation (tests/benchmarks/pandas_marts.py) and in Polars
(tests/benchmarks/polars_marts.py) against the warehouse's SQL, timed in the same
process on the same lake, results checked equal (pandas_marts.compare).
Prints pandas_s, polars_s, warehouse_s, pandas_ratio = pandas_s / warehouse_s,
polars_ratio = polars_s / warehouse_s (medians of RUNS alternating runs) and the
process's peak RSS; never asserts a wall-clock target.

Scales: the demo universe on the replay lake (the real ingest, ingest.fetch_all +
ingest.load against the ReplayServer), and 2,500 symbols x 25 years of synthetic
random walks (test_bench_warehouse.write_lake, about 16 million rows) with a universe
shaped like the demo one (an index pair, ETF pairs, a 7-member basket pair).
RADAR_BENCH_PANDAS_RUNS sets RUNS (default 3)."""

from __future__ import annotations

import datetime as dt
import os

from devtools.replay.server import ReplayServer
from rotation_radar.core.settings import INCLUDE_DIR, Pair, Universe, load_universe
from rotation_radar.core.transport import HttpSource
from rotation_radar.prices import ingest
from tests.benchmarks import pandas_marts
from tests.benchmarks.test_bench_warehouse import END, write_lake

RUNS = int(os.environ.get("RADAR_BENCH_PANDAS_RUNS", "3"))
DEMO_SESSION = dt.date(2025, 9, 19)


def synthetic_universe(years: int) -> Universe:
    """The demo universe's shape over write_lake's symbols S0000..."""
    return Universe(
        history_start=dt.date(END.year - years, 1, 2),
        groups={"indices": ("S0000", "S0001"), "etfs": ("S0002", "S0003", "S0004")},
        baskets={"MAG7": tuple(f"S{i:04d}" for i in range(10, 17))},
        pairs=(
            Pair("S0000", "S0001", "close"),
            Pair("S0002", "S0003", "adj_close"),
            Pair("S0004", "S0003", "adj_close"),
            Pair("S0002", "MAG7", "adj_close"),
        ),
    )


def report(label: str, result: dict) -> str:
    r = result
    return "\n    ".join(
        [
            f"{label}: {r['rows_prices']:,} price rows -> records {r['rows_records']:,} rows, "
            f"relative_strength {r['rows_relative_strength']:,} rows (both engines checked equal)",
            f"pandas {r['pandas_s']:.3f}s (lake read {r['read_s']:.3f}s "
            f"+ records {r['pandas_records_s']:.3f}s "
            f"+ relative_strength {r['pandas_relative_strength_s']:.3f}s)",
            f"warehouse {r['warehouse_s']:.3f}s (staging {r['warehouse_staging_s']:.3f}s + records "
            f"{r['warehouse_records_s']:.3f}s + relative_strength "
            f"{r['warehouse_relative_strength_s']:.3f}s)",
            f"Polars {r['polars_s']:.3f}s (calendar {r['polars_calendar_s']:.3f}s "
            f"+ records {r['polars_records_s']:.3f}s "
            f"+ relative_strength {r['polars_relative_strength_s']:.3f}s)",
            f"pandas_ratio {r['pandas_ratio']:.2f}, polars_ratio {r['polars_ratio']:.2f} "
            f"(medians of {r['runs']} runs); "
            f"without pandas' read: {r['pandas_ratio_without_read']:.2f}",
            f"peak RSS: {r['peak_rss_read_mb']:,.0f} MB after reading, "
            f"{r['peak_rss_pandas_mb']:,.0f} MB after the first pandas run, "
            f"{r['peak_rss_polars_mb']:,.0f} MB after the first Polars run, "
            f"{r['peak_rss_warehouse_mb']:,.0f} MB after the warehouse runs, "
            f"{r['peak_rss_mb']:,.0f} MB after the check",
        ]
    )


def test_bench_pandas_ratio_demo_lake(tmp_path, monkeypatch):
    """The demo universe, its full history ingested from the replay server."""
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "demo"))
    universe = load_universe()
    with ReplayServer(INCLUDE_DIR / "replay").start() as server:
        http = HttpSource("yahoo_finance", server.url)
        symbols = list(universe.symbols)
        start = universe.history_start
        manifest = ingest.fetch_all(symbols, DEMO_SESSION, start, 5, http, None, "demo")
        ingest.load(manifest, DEMO_SESSION, "demo", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    result = pandas_marts.time_marts(
        tmp_path / "demo", universe, runs=max(RUNS, 5), with_polars=True
    )
    print("\n" + report("demo universe, replay lake", result))
    assert result["rows_records"] > 0 and result["rows_relative_strength"] > 0


def test_bench_pandas_ratio_2500_symbols_25_years(tmp_path, monkeypatch):
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "2500x25"))
    write_lake(2_500, 25)
    result = pandas_marts.time_marts(
        tmp_path / "2500x25", synthetic_universe(25), runs=RUNS, with_polars=True
    )
    print("\n" + report("2,500 symbols x 25 years, synthetic lake", result))
    assert result["rows_records"] > 0 and result["rows_relative_strength"] > 0
