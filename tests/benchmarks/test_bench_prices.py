"""Benchmarks (`make bench`): figures printed as medians of a few runs, never asserted
against a wall-clock target. Run: `make bench` (or pytest tests/benchmarks -s)."""

from __future__ import annotations

import datetime as dt
import statistics
import time

import numpy as np
import pandas as pd

from devtools.replay.server import ReplayServer
from rotation_radar.core import sessions
from rotation_radar.core.settings import INCLUDE_DIR, load_universe
from rotation_radar.core.transport import HttpSource
from rotation_radar.prices import ingest
from rotation_radar.prices.checks import validate_prices

RUNS = 3


def median_seconds(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def synthetic_batch(n: int) -> tuple[pd.DataFrame, list[dt.date]]:
    days = sessions.sessions_between(dt.date(2021, 1, 4), dt.date(2025, 12, 31))
    per = len(days)
    close = 100 * np.exp(np.cumsum(np.random.default_rng(0).normal(0, 0.01, n)))
    batch = pd.DataFrame(
        {
            "symbol": pd.Series(
                np.repeat([f"S{i:04d}" for i in range(n // per + 1)], per)[:n], dtype="str"
            ),
            "date": np.tile(np.array(days, dtype=object), n // per + 1)[:n],
            "open": close,
            "high": close * 1.01,
            "low": close * 0.99,
            "close": close,
            "adj_close": close,
            "volume": pd.array(np.full(n, 1000), dtype="Int64"),
            "currency": "USD",
            "adjustment": "split",
            "source": "yahoo_finance",
            "ingested_at": pd.Timestamp("2026-01-01", tz="UTC"),
            "run_id": "bench",
        }
    )
    return batch, days


def test_bench_validation_rows_per_second():
    for n in (10_000, 100_000, 1_000_000):
        batch, days = synthetic_batch(n)
        validate_prices(batch.head(100), run_id="warm", sessions=days)
        seconds = median_seconds(
            lambda b=batch, d=days: validate_prices(b, run_id="bench", sessions=d)
        )
        print(f"\nGX validation, {n:>9,} rows: median {seconds:.2f}s = {n / seconds:,.0f} rows/s")
    assert seconds > 0


def test_bench_ingest_demo_universe(tmp_path, monkeypatch):
    """Full-history bootstrap and one incremental session of the demo universe, replay server."""
    universe = load_universe()
    symbols = list(universe.symbols)
    with ReplayServer(INCLUDE_DIR / "replay").start() as server:
        http = HttpSource("yahoo_finance", server.url)

        def run(session: dt.date, tag: str) -> None:
            manifest = ingest.fetch_all(
                symbols, session, universe.history_start, 5, http, None, tag
            )
            ingest.load(manifest, session, tag, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

        counter = iter(range(100))

        def bootstrap() -> None:
            monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / f"boot{next(counter)}"))
            run(dt.date(2025, 9, 18), "boot")

        boot = median_seconds(bootstrap)
        incremental = median_seconds(lambda: run(dt.date(2025, 9, 19), f"inc{next(counter)}"))
        rows = len(symbols) * len(
            sessions.sessions_between(universe.history_start, dt.date(2025, 9, 18))
        )
        print(f"\nbootstrap of {len(symbols)} symbols (~{rows:,} rows): median {boot:.2f}s")
        print(
            f"incremental session ({len(symbols)} symbols): median {incremental:.2f}s "
            f"({boot / incremental:.1f}x faster than the bootstrap)"
        )
    assert boot > 0 and incremental > 0
