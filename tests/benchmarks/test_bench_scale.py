"""Benchmark (`make bench`): the production-size figures of the issue on a synthetic
universe of 2,500 symbols x 25 years (tests/benchmarks/scale.py), written to
bench/results.json and bench/results.md with the targets and pass/fail per target.

Figures are recorded, not asserted against their wall-clock targets (the machine is
shared and noisy); what is asserted is that every figure was measured and that the
runs did what they claim (every symbol asked for the new session, the pandas marts
equal to the warehouse's, the growth table complete).

The first run generates the universe (bench/universe-2500x25/, about 1.5 GB, several
minutes) and bootstraps its lake through the real ingest (bench/universe-2500x25/
bootstrap/, much longer); later runs reuse both. RADAR_BENCH_SYMBOLS and
RADAR_BENCH_YEARS pick a smaller universe for a quick look (results beside it)."""

from __future__ import annotations

from tests.benchmarks import scale


def test_bench_scale():
    config = scale.Config.from_env()
    results = scale.run(config)
    figures, targets = results["figures"], results["targets"]
    assert (config.results_dir / "results.json").exists() and (
        config.results_dir / "results.md"
    ).exists()
    assert figures["incremental_symbols"] == results["universe"]["symbols"]
    assert (
        figures["incremental_requests"] >= figures["incremental_symbols"]
    )  # every symbol was asked
    assert results["details"]["incremental"]["requests_symbols"] == figures["incremental_symbols"]
    assert len(results["details"]["growth"]) == len(config.growth_sizes())
    assert all(t["value"] is not None for name, t in targets.items() if name != "growth_exponent")
    print(
        "\n"
        + "\n".join(
            f"{name}: {t['value']} (target {t['target']}: {'pass' if t['pass'] else 'MISS'})"
            for name, t in targets.items()
        )
    )
