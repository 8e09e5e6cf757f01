"""Benchmark (`make bench`): the production-size figures of the issue on a synthetic
universe of 2,500 symbols x 25 years (tests/benchmarks/scale.py), written to
bench/results.json and bench/results.md with the targets and pass/fail per target.

Figures are recorded, not asserted against their wall-clock targets (the machine is
shared and noisy); what is asserted is that every figure was measured and that the
runs did what they claim (every symbol asked for each night's session, both nights'
builds incremental and the rebuild full, the second night's new dividends and split
restated, the pandas marts equal to the warehouse's, the growth table complete).

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
    symbols = results["universe"]["symbols"]
    nights = results["details"]["nights"]
    assert figures["incremental_symbols"] == symbols
    for night in nights:  # every symbol was asked, each night
        assert night["requests_symbols"] == symbols and night["requests"] >= symbols
        assert night["build"] == "incremental"
    assert results["details"]["full_rebuild"]["build"] == "full"
    plain, ex_dividend = nights[:2]
    assert plain["events"] == {"dividend": [], "split": []}
    last = results["universe"]["last_sessions"][ex_dividend["session"]]
    assert ex_dividend["events"] == last and last["split"]
    new = sorted(set(last["dividend"]) | set(last["split"]))
    assert sorted(ex_dividend["history_restated_locally"] + ex_dividend["history_refetched"]) == new
    assert len(results["details"]["growth"]) == len(config.growth_sizes())
    short_history = config.night_growth_size[1] < config.years
    assert len(nights) == 2 + short_history
    optional = {"growth_exponent"} | ({"nightly_growth_ratio"} if not short_history else set())
    assert all(t["value"] is not None for name, t in targets.items() if name not in optional)
    print(
        "\n"
        + "\n".join(
            f"{name}: {t['value']} (target {t['target']}: {'pass' if t['pass'] else 'MISS'})"
            for name, t in targets.items()
        )
    )
