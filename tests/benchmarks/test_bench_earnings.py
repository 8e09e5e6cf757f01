"""Benchmarks (`make bench`): point-in-time fundamentals of every replay company as of each
of its filing dates (`fundamentals.ttm_history`), the work the earnings DAG does per company.
Figures are medians of a few runs, never asserted against a wall-clock target. Run:
`make bench` (or pytest tests/benchmarks/test_bench_earnings.py -s)."""

from __future__ import annotations

import json
import statistics
import time

from rotation_radar.core.settings import INCLUDE_DIR
from rotation_radar.earnings import fundamentals
from tests.conftest import REALDATA

RUNS = 3
COMPANYFACTS = INCLUDE_DIR / "replay" / "sec" / "api" / "xbrl" / "companyfacts"
REAL = {
    "SNOW": REALDATA / "dgunning_edgartools" / "snow_companyfacts.json",
    "TSLA": REALDATA / "dgunning_edgartools" / "tsla_companyfacts.converted.json",
}


def median_seconds(fn, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(name: str, doc: dict) -> tuple[float, float, int, int]:
    """(facts_frame seconds, ttm_history seconds, facts, filing dates) of one company."""
    facts = fundamentals.facts_frame(doc)
    dates = facts["filed"].nunique()
    read = median_seconds(lambda: fundamentals.facts_frame(doc))
    history = median_seconds(lambda: fundamentals.ttm_history(facts))
    per_date = history / dates * 1e3 if dates else float("nan")
    print(
        f"{name:<20} {len(facts):>5} facts {dates:>3} dates: facts_frame {read * 1e3:6.1f} ms, "
        f"ttm_history {history * 1e3:6.1f} ms ({per_date:.2f} ms per filing date)"
    )
    return read, history, len(facts), dates


def test_bench_ttm_history_of_replay_companies():
    files = sorted(COMPANYFACTS.glob("*.json"))
    assert files, f"no companyfacts under {COMPANYFACTS}"
    print()
    results = [measure(path.name, json.loads(path.read_text())) for path in files]
    reads, histories, _, dates = zip(*results, strict=True)
    per_date = [h / d for h, d in zip(histories, dates, strict=True) if d]
    print(
        f"median of {len(results)} replay companies: "
        f"facts_frame {statistics.median(reads) * 1e3:.1f} ms, "
        f"ttm_history {statistics.median(histories) * 1e3:.1f} ms per company, "
        f"{statistics.median(per_date) * 1e3:.2f} ms per filing date"
    )
    for name, path in REAL.items():  # real filers: longer histories than the replay's
        if path.exists():
            measure(f"{name} (realdata)", json.loads(path.read_text()))
    assert all(h > 0 for h in histories)
