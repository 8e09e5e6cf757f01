"""The production-size benchmark (`make bench`): figures on a synthetic universe of
2,500 symbols x 25 years (devtools.replay.generate_scale), written to
bench/results.json (figures by name, targets, pass/fail, machine) and bench/results.md.

Run: `python -m tests.benchmarks.scale` (what tests/benchmarks/test_bench_scale.py
calls), from the repository root with PYTHONPATH=plugins. RADAR_BENCH_SYMBOLS and
RADAR_BENCH_YEARS pick a smaller universe (its results go beside it, in
bench/universe-<symbols>x<years>/results.json, not over the committed ones).

Lives in tests/benchmarks, not in the package: it is test tooling (it reuses the DAG
integrity test's parse probe and the pandas implementation of two marts written for
the benchmark) and has no place on an Airflow worker.

Phases, each heavy one in a child process of its own (so that its peak RSS, imports and
caches are its own; children are `python -m tests.benchmarks.scale child <phase>`):

1. generate the universe into bench/universe-<s>x<y>/ (reused when its parameters match);
2. bootstrap (setup, not a target; cached in bench/universe-<s>x<y>/bootstrap/ with its
   timings in bootstrap.json): the real ingest functions, in the order of the demo's
   pipeline, against the replay server (run as its own process, request-rate limit
   lifted in the connections' extra): holdings (universe_holdings' load_holdings) for
   the session before the last, prices (prices_daily's fetch + validate_and_load, by
   chunks of symbols), earnings (earnings_sec's plan + fetch_and_load; SEC's cap of
   10 requests per second stays), the warehouse (marts_build) and the alerts
   (breakout_alerts' deliver_alerts, local receivers), which logs the history's signals;
3. incremental_s: in a hard-linked copy of the bootstrap, one new session (the
   universe's last) for every symbol, the prices_daily tasks' calls then marts_build's
   then deliver_alerts', in sequence in one fresh process with the modules imported
   first (import time reported apart); incremental_requests from the replay server's
   log. validate_batch_s: the median of RUNS GX validations of that session's batch
   (rebuilt from the landed responses as prices_ingest.load builds it);
4. full_rebuild_s: publish.build_and_publish over the resulting lake, alone in a fresh process;
   full_rebuild_peak_rss_mb is that process's own peak (getrusage RUSAGE_SELF);
   a second process times the stages of the build (a mirror of publish.build_and_publish, for
   the breakdown only);
5. pandas_ratio and polars_ratio: tests/benchmarks/pandas_marts.time_marts on the same
   lake, the Polars marts (tests/benchmarks/polars_marts.py) timed in the same runs;
6. parse_ms_max: each dags/*.py parsed by Airflow's DagBag in a fresh interpreter (the
   probe of tests/dags/test_dag_integrity.py: Airflow imported first, the file's DagBag
   timed), median of RUNS per file, the slowest file;
7. growth: full_rebuild_s on sub-lakes of the same lake (the first k symbols in the
   universe's subset order, the last y years), 250 / 1,000 / 2,500 symbols x 5 / 25
   years, and the exponent of a least-squares fit of log(seconds) on log(rows).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import json
import math
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BENCH_DIR = REPO / "bench"
PLUGINS = REPO / "plugins"
RUNS = 3
VALIDATE_RUNS = 5
PRICES_CHUNK = 250  # symbols per prices fetch + load round of the bootstrap
GROWTH_SYMBOLS = (250, 1_000, 2_500)
GROWTH_YEARS = (5, 25)
BOOTSTRAP_VERSION = 1  # bump when the bootstrap changes: a cached one is redone
USER_AGENT = "Rotation Radar bench bench@rotation-radar.example"
# name: (comparison, target); the targets on this 2-core machine.
TARGETS = {
    "full_rebuild_s": ("<=", 45),
    "full_rebuild_peak_rss_mb": ("<=", 4000),
    "incremental_s": ("<=", 60),
    "incremental_requests_per_symbol_max": ("<=", 1),
    "validate_batch_s": ("<=", 2),
    "parse_ms_max": ("<=", 100),
    "pandas_ratio": (">=", 1),
    "polars_ratio": (">=", 1),
    "growth_exponent": ("<=", 1.1),  # cost growing no faster than linearly in rows (noise: +0.1)
}
RESULT = "BENCH-RESULT "


def log(message: str) -> None:
    print(f"[bench {dt.datetime.now():%H:%M:%S}] {message}", flush=True)


# ---------------------------------------------------------------- configuration


@dataclasses.dataclass(frozen=True)
class Config:
    symbols: int = 2_500
    years: int = 25
    end: dt.date = dt.date(2025, 9, 19)
    runs: int = RUNS

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            symbols=int(os.environ.get("RADAR_BENCH_SYMBOLS", cls.symbols)),
            years=int(os.environ.get("RADAR_BENCH_YEARS", cls.years)),
            runs=int(os.environ.get("RADAR_BENCH_RUNS", cls.runs)),
        )

    @property
    def default(self) -> bool:
        return (self.symbols, self.years) == (Config.symbols, Config.years)

    @property
    def universe_dir(self) -> Path:
        return BENCH_DIR / f"universe-{self.symbols}x{self.years}"

    @property
    def results_dir(self) -> Path:
        """bench/ for the production size; the universe's folder (not in git) otherwise."""
        return BENCH_DIR if self.default else self.universe_dir

    def growth_sizes(self) -> list[tuple[int, int]]:
        symbols = sorted({min(s, self.symbols) for s in GROWTH_SYMBOLS})
        years = sorted({min(y, self.years) for y in GROWTH_YEARS})
        return [(s, y) for s in symbols for y in years]


def child_env(
    data_dir: Path, universe: Path, url: str | None = None, airflow_home: Path | None = None
) -> dict:
    """Environment of a child process: the package on the path, a throwaway Airflow home,
    the data dir and universe, and the source connections at the replay server."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(PLUGINS), str(REPO)])
    env["RADAR_DATA_DIR"] = str(data_dir)
    env["RADAR_UNIVERSE"] = str(universe)
    env["AIRFLOW_HOME"] = str(airflow_home or Path(tempfile.mkdtemp(prefix="radar-bench-airflow-")))
    env["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    env["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO / "dags")
    env["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(PLUGINS)
    env.setdefault("GX_ANALYTICS_ENABLED", "False")
    env["RADAR_ALERT_BACKOFF_SECONDS"] = "0.05"
    env["AIRFLOW__LOGGING__LOGGING_LEVEL"] = "WARNING"
    for name in [k for k in env if k.startswith("AIRFLOW_CONN_")]:
        del env[name]
    if url:
        unlimited = {"requests_per_second": 0}  # 0: no limit (transport.RateLimiter)
        docs = {
            "yahoo_finance": {"conn_type": "http", "host": url, "extra": unlimited},
            "ishares": {"conn_type": "http", "host": url, "extra": unlimited},
            # SEC's 10 requests per second is a cap the client keeps whatever the extra says
            "sec_edgar": {
                "conn_type": "http",
                "host": url,
                "extra": {"user_agent": USER_AGENT, "www_base_url": url, "requests_per_second": 10},
            },
        }
        for conn_id, doc in docs.items():
            env[f"AIRFLOW_CONN_{conn_id.upper()}"] = json.dumps(doc)
    return env


def run_child(phase: str, env: dict, *args: str) -> dict:
    """Run `python -m tests.benchmarks.scale child <phase> ...`; returns its result JSON.
    Its other output goes to our stdout as it comes (the bench's log)."""
    command = [sys.executable, "-m", "tests.benchmarks.scale", "child", phase, *args]
    proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    result = None
    for line in proc.stdout:
        if line.startswith(RESULT):
            result = json.loads(line[len(RESULT) :])
        else:
            sys.stdout.write(f"    {line}")
    if proc.wait() != 0 or result is None:
        raise RuntimeError(
            f"bench child '{phase}' failed (exit {proc.returncode}): {' '.join(command)}"
        )
    return result


def copy_tree(source: Path, target: Path) -> None:
    """A hard-linked copy (every writer of the lake and warehouse writes a new file and
    renames it over the old name, so the copy's changes never reach the source)."""
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["cp", "-al", str(source), str(target)], check=True)


class ServerProcess:
    """The replay server in a process of its own (its memory and CPU apart from ours)."""

    def __init__(self, root: Path):
        command = [
            sys.executable,
            "-m",
            "devtools.replay.server",
            "--root",
            str(root),
            "--port",
            "0",
        ]
        env = dict(os.environ, PYTHONPATH=str(PLUGINS))
        self.proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
        self.url = self.proc.stdout.readline().strip()
        if not self.url.startswith("http"):
            self.stop()
            raise RuntimeError(f"replay server did not start: {self.url!r}")

    def _call(self, method: str, path: str):
        request = urllib.request.Request(f"{self.url}/_replay/{path}", method=method)
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def requests(self) -> list[dict]:
        return self._call("GET", "requests")

    def clear(self) -> None:
        self._call("DELETE", "requests")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def ensure_universe(config: Config) -> dict:
    from devtools.replay import generate_scale

    log(f"universe {config.symbols} x {config.years} in {config.universe_dir}")
    return generate_scale.generate(
        config.universe_dir, config.symbols, config.years, config.end, log=log
    )


def previous_session(day: dt.date) -> dt.date:
    from rotation_radar.core import sessions

    return sessions.sessions_back(day, 1)


# ---------------------------------------------------------------- phases (parent side)


def ensure_bootstrap(config: Config, universe: dict) -> dict:
    """The lake as of the session before the last, through the real ingest (cached)."""
    folder = config.universe_dir / "bootstrap"
    marker = config.universe_dir / "bootstrap.json"
    key = {"version": BOOTSTRAP_VERSION, "universe": universe["parameters"]}
    if marker.exists() and folder.exists():
        found = json.loads(marker.read_text())
        if found.get("key") == key:
            log(f"bootstrap reused: {folder} (took {found['total_s']:.0f}s when made)")
            return found
    if folder.exists():
        shutil.rmtree(folder)
    marker.unlink(missing_ok=True)
    yaml_path = config.universe_dir / "universe.yaml"
    log("bootstrap: the real ingest against the replay server (setup, not a target)")
    with ServerProcess(config.universe_dir) as server:
        env = child_env(folder, yaml_path, server.url)
        result = run_child(
            "bootstrap", env, "--end", config.end.isoformat(), "--root", str(config.universe_dir)
        )
        result["requests"] = len(server.requests())
    result["key"] = key
    marker.write_text(json.dumps(result, indent=1) + "\n")
    return result


def measure_incremental(config: Config, work: Path) -> dict:
    """One new session for every symbol in a copy of the bootstrap (left in `work`)."""
    copy_tree(config.universe_dir / "bootstrap", work)
    with ServerProcess(config.universe_dir) as server:
        env = child_env(work, config.universe_dir / "universe.yaml", server.url)
        # Warm the source: every symbol's recording parsed once (Yahoo does not read a
        # file per request); then forget those requests.
        warm = run_child("warm", env, "--url", server.url, "--end", config.end.isoformat())
        server.clear()
        result = run_child(
            "incremental",
            env,
            "--end",
            config.end.isoformat(),
            "--server-pid",
            str(server.proc.pid),
            "--runs",
            str(VALIDATE_RUNS),
        )
        asked = [r for r in server.requests() if r["path"].startswith("/v8/finance/chart/")]
    per_symbol: dict[str, int] = {}
    for request in asked:
        symbol = request["path"].rsplit("/", 1)[1]
        per_symbol[symbol] = per_symbol.get(symbol, 0) + 1
    result.update(
        warm_s=warm["seconds"],
        requests=len(asked),
        requests_symbols=len(per_symbol),
        requests_per_symbol_max=max(per_symbol.values(), default=0),
        symbols_asked_twice=sorted(s for s, n in per_symbol.items() if n > 1),
    )
    return result


def measure_rebuild(
    data: Path, universe_yaml: Path, history_start: dt.date | None = None, breakdown=False
) -> dict:
    args = ["--breakdown"] if breakdown else []
    if history_start:
        args += ["--history-start", history_start.isoformat()]
    return run_child("rebuild", child_env(data, universe_yaml), *args)


def measure_parse(runs: int) -> dict:
    """Each DAG file parsed by DagBag in a fresh interpreter (the DAG integrity test's probe)."""
    from tests.dags.test_dag_integrity import DAG_FILES, PROBE

    env = child_env(
        Path(tempfile.mkdtemp(prefix="radar-bench-parse-")),
        REPO / "include" / "config" / "universe.yaml",
    )
    by_file = {}
    for path in DAG_FILES:
        times = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-c", PROBE, str(path)],
                capture_output=True,
                text=True,
                check=True,
                env=env,
                cwd=REPO,
            ).stdout
            found = json.loads(out.strip().splitlines()[-1])
            if found["errors"]:
                raise RuntimeError(f"{path.name}: import errors {found['errors']}")
            times.append(found["seconds"] * 1e3)
        by_file[path.name] = statistics.median(times)
    return by_file


def measure_growth(config: Config, lake_source: Path) -> list[dict]:
    """full_rebuild_s on sub-lakes: the first k symbols (subset order), the last y years."""
    rows = []
    for symbols, years in config.growth_sizes():
        target = config.universe_dir / "work" / f"sub-{symbols}x{years}"
        made = run_child(
            "sublake",
            child_env(target, config.universe_dir / "universe.yaml"),
            "--source",
            str(lake_source),
            "--symbols",
            str(symbols),
            "--years",
            str(years),
            "--end",
            config.end.isoformat(),
            "--manifest",
            str(config.universe_dir / "universe.json"),
        )
        result = measure_rebuild(
            target, config.universe_dir / "universe.yaml", dt.date.fromisoformat(made["start"])
        )
        rows.append(
            {
                "symbols": symbols,
                "years": years,
                "rows": made["rows"],
                "full_rebuild_s": round(result["seconds"], 2),
                "s_per_million_rows": round(result["seconds"] / made["rows"] * 1e6, 3),
                "peak_rss_mb": round(result["peak_rss_mb"]),
            }
        )
        log(f"growth {symbols} x {years}: {made['rows']:,} rows, rebuild {result['seconds']:.1f}s")
        shutil.rmtree(target, ignore_errors=True)
    return rows


def growth_exponent(rows: list[dict]) -> float | None:
    """Least-squares slope of log(seconds) on log(rows): 1 is linear."""
    points = [
        (math.log(r["rows"]), math.log(r["full_rebuild_s"]))
        for r in rows
        if r["full_rebuild_s"] > 0
    ]
    if len({x for x, _ in points}) < 2:
        return None
    mx = statistics.fmean(x for x, _ in points)
    my = statistics.fmean(y for _, y in points)
    return sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)


def measure_pandas(data: Path, universe_yaml: Path, runs: int) -> dict:
    return run_child("pandas", child_env(data, universe_yaml), "--runs", str(runs))


# ---------------------------------------------------------------- the run


def run(config: Config | None = None) -> dict:
    """Every figure; writes results.json and results.md; returns the results."""
    config = config or Config.from_env()
    started = time.perf_counter()
    load_start = os.getloadavg()
    universe = ensure_universe(config)
    bootstrap = ensure_bootstrap(config, universe)
    work = config.universe_dir / "work"
    data = work / "data"

    log("incremental: one new session for every symbol")
    incremental = measure_incremental(config, data)
    log(f"incremental {incremental['seconds']:.1f}s, {incremental['requests']:,} requests")

    log("full rebuild (own process)")
    rebuild = measure_rebuild(data, config.universe_dir / "universe.yaml")
    log(f"full rebuild {rebuild['seconds']:.1f}s, peak RSS {rebuild['peak_rss_mb']:,.0f} MB")
    breakdown = measure_rebuild(data, config.universe_dir / "universe.yaml", breakdown=True)

    log("pandas_ratio and polars_ratio (time_marts)")
    pandas = measure_pandas(data, config.universe_dir / "universe.yaml", config.runs)
    log(f"pandas_ratio {pandas['pandas_ratio']:.2f}, polars_ratio {pandas['polars_ratio']:.2f}")

    log("DAG parse times")
    parse = measure_parse(config.runs)

    log("growth of full_rebuild_s")
    growth = measure_growth(config, config.universe_dir / "bootstrap")
    shutil.rmtree(work, ignore_errors=True)

    results = assemble(
        config, universe, bootstrap, incremental, rebuild, breakdown, pandas, parse, growth
    )
    results["machine"]["loadavg_start"] = [round(x, 2) for x in load_start]
    results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["bench_wall_s"] = round(time.perf_counter() - started)
    write_results(config, results)
    return results


def assemble(
    config, universe, bootstrap, incremental, rebuild, breakdown, pandas, parse, growth
) -> dict:
    figures = {
        "full_rebuild_s": round(rebuild["seconds"], 2),
        "full_rebuild_peak_rss_mb": round(rebuild["peak_rss_mb"]),
        "incremental_s": round(incremental["seconds"], 2),
        "incremental_requests": incremental["requests"],
        "incremental_symbols": incremental["symbols"],
        "incremental_requests_per_symbol_max": incremental["requests_per_symbol_max"],
        "validate_batch_s": round(incremental["validate_batch_s"], 3),
        "parse_ms_max": round(max(parse.values()), 1),
        "pandas_ratio": round(pandas["pandas_ratio"], 2),
        "polars_ratio": round(pandas["polars_ratio"], 2),
        "growth_exponent": None,
    }
    exponent = growth_exponent(growth)
    figures["growth_exponent"] = None if exponent is None else round(exponent, 3)
    targets = {}
    for name, (op, target) in TARGETS.items():
        value = figures.get(name)
        ok = None if value is None else (value <= target if op == "<=" else value >= target)
        targets[name] = {"target": f"{op} {target}", "value": value, "pass": ok}
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": git_commit(),
        "universe": {
            "symbols": config.symbols,
            "years": config.years,
            "end": config.end.isoformat(),
            "sessions": universe["sessions"],
            "price_rows": universe["counts"]["price_rows"],
            "members": universe["counts"]["members"],
            "companies": universe["counts"]["companies"],
            "holdings_files": universe["counts"]["holdings_files"],
        },
        "figures": figures,
        "targets": targets,
        "details": {
            "incremental": {
                "steps_s": incremental["steps_s"],
                "imports_s": round(incremental["imports_s"], 2),
                "fetch": incremental["fetch"],
                "load_estimate_s": incremental["load_estimate_s"],
                "requests_symbols": incremental["requests_symbols"],
                "symbols_asked_twice": incremental["symbols_asked_twice"],
                "history_refetches": incremental["history_refetches"],
                "rows_loaded": incremental["rows_new"],
                "alerts": incremental["alerts"],
                "source_warm_up_s": round(incremental["warm_s"], 1),
            },
            "validate_batch": {
                "rows": incremental["validate_batch_rows"],
                "runs_s": incremental["validate_runs_s"],
            },
            "full_rebuild": {
                "imports_s": round(rebuild["imports_s"], 2),
                "rss_after_imports_mb": round(rebuild["rss_before_mb"]),
                "row_counts": rebuild["row_counts"],
                "stages_s": breakdown["stages_s"],
                "stages_total_s": round(sum(breakdown["stages_s"].values()), 2),
                "stages_peak_rss_mb": round(breakdown["peak_rss_mb"]),
            },
            "pandas": {
                k: (round(v, 3) if isinstance(v, float) else v) for k, v in sorted(pandas.items())
            },
            "parse_ms": {k: round(v, 1) for k, v in sorted(parse.items())},
            "parse_method": "DagBag(dag_folder=<file>) in a fresh interpreter after importing "
            "airflow's DagBag "
            f"(tests/dags/test_dag_integrity.py PROBE), median of {config.runs} per file",
            "growth": growth,
        },
        "setup": {
            "generation_s": universe["generation_s"],
            "generation_timings_s": universe["timings_s"],
            "generation_workers": universe["workers"],
            "universe_size_mb": universe["size_mb"],
            "universe_files": universe["counts"]["files"],
            "bootstrap_s": bootstrap["total_s"],
            "bootstrap_steps_s": bootstrap["steps_s"],
            "bootstrap_requests": bootstrap.get("requests"),
            "bootstrap_rows": bootstrap.get("rows"),
            "bootstrap_calendar": bootstrap.get("calendar"),
            "bootstrap_notes": bootstrap.get("notes", []),
        },
        "machine": machine(),
    }


def git_commit() -> str | None:
    """HEAD's commit, read from .git (no git command: others work in this checkout)."""
    git = REPO / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = Path(git.read_text().split(":", 1)[1].strip())
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref:"):
            return head
        ref = head.split(" ", 1)[1]
        common = (
            Path((git / "commondir").read_text().strip()) if (git / "commondir").exists() else git
        )
        common = common if common.is_absolute() else git / common
        for base in (git, common):
            if (base / ref).exists():
                return (base / ref).read_text().strip()
            packed = base / "packed-refs"
            if packed.exists():
                for line in packed.read_text().splitlines():
                    if line.endswith(" " + ref):
                        return line.split(" ", 1)[0]
    except OSError:
        return None
    return None


def machine() -> dict:
    import duckdb
    import pandas

    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory_gb = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "pandas": pandas.__version__,
    }


def write_results(config: Config, results: dict) -> None:
    folder = config.results_dir
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (folder / "results.md").write_text(markdown(results))
    log(f"wrote {folder / 'results.json'} and {folder / 'results.md'}")
    print(markdown(results))


NAMES = {
    "full_rebuild_s": "whole warehouse rebuilt from the lake (s)",
    "full_rebuild_peak_rss_mb": "peak RSS of that rebuild's process (MB)",
    "incremental_s": "one new session, all symbols: fetch to alerts (s)",
    "incremental_requests_per_symbol_max": "requests for one symbol, at most",
    "validate_batch_s": "GX validation of one session's batch (s)",
    "parse_ms_max": "slowest DAG file's parse (ms)",
    "pandas_ratio": "pandas / warehouse time, records + relative_strength",
    "polars_ratio": "Polars / warehouse time, the same two marts",
    "growth_exponent": "growth of full_rebuild_s in rows (exponent; 1 = linear)",
}


def markdown(results: dict) -> str:
    u, f, d, s = results["universe"], results["figures"], results["details"], results["setup"]
    lines = [
        "# Benchmark results",
        "",
        f"Universe: {u['symbols']:,} symbols x {u['years']} years through {u['end']} "
        f"({u['price_rows']:,} price rows, {u['sessions']:,} sessions; "
        f"IWM {u['members']['IWM']:,} and IVV {u['members']['IVV']:,} members, "
        f"{u['companies']:,} SEC companies, {u['holdings_files']} holdings files).",
        f"Commit {results['commit']}, {results['date']}; {results['machine']['cores']} cores "
        f"({results['machine']['cpu']}), {results['machine']['memory_gb']} GB; load average "
        f"{results['machine'].get('loadavg_start')} at the start, "
        f"{results['machine'].get('loadavg_end')} at the end "
        "(the machine is shared: figures are noisy). "
        "Written by `make bench` (tests/benchmarks/scale.py).",
        "",
        "| figure | value | target | pass |",
        "|---|---:|---:|:---:|",
    ]
    for name, target in results["targets"].items():
        mark = {True: "yes", False: "**no**", None: "n/a"}[target["pass"]]
        lines.append(
            f"| `{name}`: {NAMES[name]} | {target['value']} | {target['target']} | {mark} |"
        )
    inc = d["incremental"]
    lines += [
        "",
        f"incremental_requests: {f['incremental_requests']:,} "
        f"for {f['incremental_symbols']:,} symbols "
        f"(asked twice: {', '.join(inc['symbols_asked_twice']) or 'none'}; "
        "full-history refetches after a new "
        f"split or dividend: {len(inc['history_refetches'])}).",
        "",
        "## Where incremental_s goes",
        "",
        "| step | s |",
        "|---|---:|",
        *(f"| {k} | {v} |" for k, v in inc["steps_s"].items()),
        f"| (imports before the timer, not counted) | {inc['imports_s']} |",
        "",
        "prices.ingest.load, estimated from a re-run of its parts: "
        + ", ".join(f"{k} {v}s" for k, v in inc["load_estimate_s"].items())
        + ". Fetch: "
        + ", ".join(f"{k} {v}" for k, v in inc["fetch"].items())
        + ".",
        "",
        "## Where full_rebuild_s goes",
        "",
        "A mirror of publish.build_and_publish's stages in a second process "
        f"(total {d['full_rebuild']['stages_total_s']}s; "
        f"the official figure is publish.build_and_publish itself):",
        "",
        "| stage | s |",
        "|---|---:|",
        *(f"| {k} | {v} |" for k, v in d["full_rebuild"]["stages_s"].items()),
        "",
        "## pandas_ratio and polars_ratio",
        "",
        f"Medians of {d['pandas']['runs']} runs in one process "
        "(tests/benchmarks/pandas_marts.time_marts, each run pandas, then Polars, then the "
        "warehouse; the pandas and the Polars marts checked equal to the SQL ones, row by "
        "row). "
        "Both start from the Parquet lake: "
        f"pandas {d['pandas']['pandas_s']}s = lake read {d['pandas']['read_s']}s + records "
        f"{d['pandas']['pandas_records_s']}s + relative_strength "
        f"{d['pandas']['pandas_relative_strength_s']}s; "
        f"warehouse {d['pandas']['warehouse_s']}s = shared staging (scan + de-duplication) "
        f"{d['pandas']['warehouse_staging_s']}s + records "
        f"{d['pandas']['warehouse_records_s']}s + relative_strength "
        f"{d['pandas']['warehouse_relative_strength_s']}s, tables written to a DuckDB file. "
        "Without pandas' "
        f"read the ratio is {d['pandas']['pandas_ratio_without_read']}. "
        f"Polars {d['pandas']['polars_version']} "
        "(tests/benchmarks/polars_marts.py: a lazy scan of the same files, window "
        f"expressions, every core): {d['pandas']['polars_s']}s = date range and calendar "
        f"{d['pandas']['polars_calendar_s']}s + records {d['pandas']['polars_records_s']}s "
        f"+ relative_strength {d['pandas']['polars_relative_strength_s']}s "
        "(each a scan, the staging and the mart).",
        "",
        "## Growth of full_rebuild_s",
        "",
        "| symbols | years | price rows | full_rebuild_s | s per million rows |",
        "|---:|---:|---:|---:|---:|",
        *(
            f"| {g['symbols']:,} | {g['years']} | {g['rows']:,} "
            f"| {g['full_rebuild_s']} | {g['s_per_million_rows']} |"
            for g in d["growth"]
        ),
        "",
        "## DAG parse times (ms)",
        "",
        "| file | ms |",
        "|---|---:|",
        *(f"| {k} | {v} |" for k, v in d["parse_ms"].items()),
        "",
        d["parse_method"] + ".",
        "",
        "## Setup (not targets)",
        "",
        f"Universe generated in {s['generation_s']}s ({s['universe_files']:,} files, "
        f"{s['universe_size_mb']:,} MB on disk, {s['generation_workers']} workers). "
        f"Bootstrap through the real ingest: {s['bootstrap_s']}s "
        f"({s['bootstrap_rows']:,} price rows): "
        + ", ".join(f"{k} {v}s" for k, v in s["bootstrap_steps_s"].items())
        + ".",
        "",
        *(f"- {note}" for note in s.get("bootstrap_notes") or []),
        "",
    ]
    if s.get("bootstrap_calendar"):
        c = s["bootstrap_calendar"]
        lines[-1:-1] = [
            "- prices.ingest.final_bars looks up sessions.is_session and sessions.open_close "
            "for every date, uncached: "
            f"{c['final_bars_s_per_symbol_uncached']}s per {c['bars_per_symbol']:,}-bar symbol, "
            f"{c['final_bars_s_per_symbol_memoised']}s with both memoised, "
            "as the bootstrap process does.",
        ]
    return "\n".join(lines)


# ---------------------------------------------------------------- child processes


def _emit(result: dict) -> None:
    print(RESULT + json.dumps(result), flush=True)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _ingested_at(day: dt.date) -> dt.datetime:
    """A fixed ingestion time: 30 minutes after the session's close (runs are reproducible)."""
    from rotation_radar.core import sessions

    return sessions.open_close(day)[1] + dt.timedelta(minutes=30)


@contextlib.contextmanager
def _receivers():
    """Local Slack, webhook and SMTP receivers with the alert connections set."""
    from devtools.replay.receivers import MailServer, Receiver, connections

    with Receiver() as slack, Receiver() as webhook, MailServer() as mail:
        os.environ.update(connections(slack, webhook, mail, secret="bench-secret"))
        yield slack, webhook, mail


def child_bootstrap(args) -> dict:
    from rotation_radar.core import connections, settings
    from rotation_radar.earnings import ingest as earnings_ingest
    from rotation_radar.prices import ingest as prices_ingest
    from rotation_radar.sources import sec
    from rotation_radar.universe import ingest as universe_ingest

    end = dt.date.fromisoformat(args.end)
    day = previous_session(end)
    ingested = _ingested_at(day)
    universe = settings.load_universe()
    steps, started = {}, time.perf_counter()

    mark = time.perf_counter()
    universe_ingest.fetch_and_load(
        connections.required_source("ishares"),
        list(settings.HOLDINGS_BASKETS),
        day,
        universe.holdings_start,
        "bootstrap_holdings",
        ingested,
    )
    steps["holdings"] = round(time.perf_counter() - mark, 1)
    print(f"holdings {steps['holdings']}s", flush=True)

    symbols = list(dict.fromkeys([*universe.symbols, *universe_ingest.current_members(day)]))
    calendar = memoise_calendar(Path(args.root) / "yahoo", symbols[:5], day)
    print(f"calendar lookups: {calendar}", flush=True)
    yahoo, stooq = connections.required_source("yahoo_finance"), connections.http_source("stooq")
    fetch_s = load_s = 0.0
    rows = 0
    for number, first in enumerate(range(0, len(symbols), PRICES_CHUNK)):
        chunk, run_id = symbols[first : first + PRICES_CHUNK], f"bootstrap_prices_{number:03d}"
        mark = time.perf_counter()
        key = prices_ingest.fetch_all(
            chunk, day, universe.history_start, universe.lookback_sessions, yahoo, stooq, run_id
        )
        fetched = time.perf_counter()
        summary = prices_ingest.load(key, day, run_id, ingested)
        loaded = time.perf_counter()
        fetch_s, load_s, rows = (
            fetch_s + fetched - mark,
            load_s + loaded - fetched,
            rows + summary.rows_new,
        )
        print(
            f"prices {first + len(chunk):,}/{len(symbols):,} symbols: fetch {fetched - mark:.1f}s, "
            f"load {loaded - fetched:.1f}s, {summary.rows_new:,} rows",
            flush=True,
        )
    steps["prices_fetch"], steps["prices_load"] = round(fetch_s, 1), round(load_s, 1)

    mark = time.perf_counter()
    data, www = sec.connection_sources()
    plan = earnings_ingest.plan(www, universe, day, "bootstrap_earnings", ingested)
    steps["earnings_plan"] = round(time.perf_counter() - mark, 1)
    mark = time.perf_counter()
    totals = earnings_ingest.fetch_and_load(data, plan, day, "bootstrap_earnings", ingested)
    steps["earnings_fetch_and_load"] = round(time.perf_counter() - mark, 1)
    print(f"earnings: {totals}", flush=True)

    marts = child_bootstrap_marts(args)
    steps.update(marts.pop("steps_s"))
    return {
        "day": day.isoformat(),
        "symbols": len(symbols),
        "rows": rows,
        "steps_s": steps,
        "total_s": round(time.perf_counter() - started, 1),
        "earnings": totals,
        **marts,
        "peak_rss_mb": round(_peak_rss_mb()),
        "calendar": calendar,
    }


def child_bootstrap_marts(args) -> dict:
    """The bootstrap's last two steps: marts_build, then deliver_alerts (which logs the
    history's signals, so that the timed run decides only the new session's)."""
    from rotation_radar.alerts import delivery
    from rotation_radar.core import settings
    from rotation_radar.warehouse import publish

    day = previous_session(dt.date.fromisoformat(args.end))
    steps = {}
    mark = time.perf_counter()
    built = publish.build_and_publish(settings.load_universe(), "bootstrap_marts")
    steps["warehouse_build"] = round(time.perf_counter() - mark, 1)
    print(f"warehouse build {steps['warehouse_build']}s: {built.row_counts}", flush=True)
    mark = time.perf_counter()
    with _receivers():
        alerts = delivery.deliver_signals(
            "bootstrap_alerts", _ingested_at(day) + dt.timedelta(hours=1)
        )
    steps["alerts"] = round(time.perf_counter() - mark, 1)
    return {
        "steps_s": steps,
        "marts": built.row_counts,
        "alerts": alerts,
        "marts_peak_rss_mb": round(_peak_rss_mb()),
    }


def memoise_calendar(recordings: Path, sample: list[str], day: dt.date) -> dict:
    """Memoise sessions.is_session and sessions.open_close in this (bootstrap) process.

    prices.ingest.final_bars looks both up for every date of a response, uncached: for a
    25-year history that is about a second per symbol, most of a 16-million-row
    bootstrap. Both are pure functions of the date, so the bootstrap caches them (the
    lake it writes is the same); the timed incremental run does not. Returns the cost
    measured without and with the cache on `sample` recordings."""
    import functools

    from rotation_radar.core import sessions
    from rotation_radar.prices import ingest as prices_ingest
    from rotation_radar.sources import yahoo

    charts = [yahoo.parse((recordings / f"{s}.json").read_bytes(), s) for s in sample]

    def cost() -> float:
        mark = time.perf_counter()
        for chart in charts:
            prices_ingest.final_bars(chart.bars, chart.as_of, day)
        return (time.perf_counter() - mark) / len(charts)

    without = cost()
    sessions.is_session = functools.cache(sessions.is_session)
    sessions.open_close = functools.cache(sessions.open_close)
    cost()  # fills the cache
    return {
        "final_bars_s_per_symbol_uncached": round(without, 3),
        "final_bars_s_per_symbol_memoised": round(cost(), 4),
        "bars_per_symbol": round(statistics.fmean(len(c.bars) for c in charts)),
    }


def child_warm(args) -> dict:
    """Ask the replay server for every symbol's last session once, so that it has parsed
    every recording before the timed run (a real source holds its data in memory)."""
    from concurrent.futures import ThreadPoolExecutor

    from rotation_radar.core import sessions, settings
    from rotation_radar.core.transport import HttpSource
    from rotation_radar.universe import ingest as universe_ingest

    end = dt.date.fromisoformat(args.end)
    universe = settings.load_universe()
    symbols = list(dict.fromkeys([*universe.symbols, *universe_ingest.current_members(end)]))
    http = HttpSource("yahoo_finance", args.url)
    close = sessions.open_close(end)[1]
    params = {
        "period1": int(close.timestamp()) - 86_400,
        "period2": int(close.timestamp()),
        "interval": "1d",
    }
    started = time.perf_counter()
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda s: http.get(f"/v8/finance/chart/{s}", params), symbols))
    return {"seconds": time.perf_counter() - started, "symbols": len(symbols)}


def child_incremental(args) -> dict:
    started = time.perf_counter()
    import duckdb  # noqa: F401 - imported before the timer, as a worker has its modules
    import great_expectations  # noqa: F401
    import pandas as pd
    import psutil

    from rotation_radar.alerts import delivery
    from rotation_radar.core import connections, lake, sessions, settings
    from rotation_radar.prices import checks
    from rotation_radar.prices import ingest as prices_ingest
    from rotation_radar.universe import ingest as universe_ingest
    from rotation_radar.warehouse import publish

    imports_s = time.perf_counter() - started
    end = dt.date.fromisoformat(args.end)
    ingested = _ingested_at(end)
    run_id = "bench_incremental"
    server = psutil.Process(args.server_pid)
    steps = {}
    with _receivers() as (slack, webhook, mail):
        mark = time.perf_counter()
        cpu = sum(server.cpu_times()[:2])
        universe = settings.load_universe()
        session = end
        members = universe_ingest.current_members(session)
        symbols = list(dict.fromkeys([*universe.symbols, *members]))
        key = prices_ingest.fetch_all(
            symbols,
            session,
            universe.history_start,
            universe.lookback_sessions,
            connections.required_source("yahoo_finance"),
            connections.http_source("stooq"),
            run_id,
        )
        steps["prices fetch (prices_daily.fetch)"] = time.perf_counter() - mark
        server_cpu = sum(server.cpu_times()[:2]) - cpu

        mark = time.perf_counter()
        summary = prices_ingest.load(key, session, run_id, ingested)
        steps["prices load: parse, GX validation, lake merge (prices_daily.validate_and_load)"] = (
            time.perf_counter() - mark
        )

        mark = time.perf_counter()
        built = publish.build_and_publish(settings.load_universe(), run_id)
        steps["warehouse build + publish (marts_build)"] = time.perf_counter() - mark

        mark = time.perf_counter()
        alerts = delivery.deliver_signals(run_id, ingested + dt.timedelta(hours=1))
        steps["alerts to local receivers (breakout_alerts.deliver_alerts)"] = (
            time.perf_counter() - mark
        )
        received = {
            "slack": len(slack.requests),
            "webhook": len(webhook.requests),
            "email": len(mail.envelopes),
        }
    seconds = sum(steps.values())
    entries = prices_ingest.read_manifest(key)

    # prices_ingest.load's parts, re-run on the same landed responses (estimates for the breakdown)
    ok = [e for e in entries if e.status == "ok"]
    mark = time.perf_counter()
    bars, _events = prices_ingest.parse_landed(ok, ingested, run_id)
    good, _rejected = prices_ingest.final_bars(bars, bars["answered_at"], session)
    batch = prices_ingest._concat([good], lake.SCHEMAS["prices_daily"].names)
    parse_s = time.perf_counter() - mark
    mark = time.perf_counter()
    history = prices_ingest._history(batch, prices_ingest.read_recent(batch))
    history_s = time.perf_counter() - mark
    span = pd.concat([history["date"], batch["date"]])
    valid = sessions.sessions_between(min(min(span), session), session)
    runs = []
    for _ in range(args.runs):
        mark = time.perf_counter()
        checks.validate_prices(
            batch, run_id="bench_validate", sessions=valid, expect_rows=True, history=history
        )
        runs.append(time.perf_counter() - mark)
    validate_s = statistics.median(runs)
    load_s = steps["prices load: parse, GX validation, lake merge (prices_daily.validate_and_load)"]
    return {
        "seconds": seconds,
        "imports_s": imports_s,
        "steps_s": {k: round(v, 2) for k, v in steps.items()},
        "symbols": len(symbols),
        "fetch": {
            "symbols": len(entries),
            "ok": len(ok),
            "replay_server_cpu_s": round(server_cpu, 2),
            "ms_per_symbol": round(next(iter(steps.values())) / len(symbols) * 1e3, 2),
        },
        "load_estimate_s": {
            "read + parse + final_bars": round(parse_s, 2),
            "lake history for checks": round(history_s, 2),
            "GX validation (median)": round(validate_s, 2),
            "merge + write + quality results (rest)": round(
                max(load_s - parse_s - history_s - validate_s, 0), 2
            ),
        },
        "history_refetches": sorted(e.symbol for e in entries if e.note.startswith("new ")),
        "rows_new": summary.rows_new,
        "alerts": {
            "summary": alerts,
            "messages_received": received,
            "signals": built.row_counts.get("breakout_signals"),
        },
        "validate_batch_s": validate_s,
        "validate_batch_rows": len(batch),
        "validate_runs_s": [round(r, 3) for r in runs],
    }


def child_rebuild(args) -> dict:
    started = time.perf_counter()
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    from rotation_radar.core import settings
    from rotation_radar.warehouse import publish

    imports_s = time.perf_counter() - started
    rss_before = _peak_rss_mb()
    universe = settings.load_universe()
    if args.history_start:
        universe = dataclasses.replace(
            universe, history_start=dt.date.fromisoformat(args.history_start)
        )
    if args.breakdown:
        stages = build_stages(universe)
        return {
            "stages_s": {k: round(v, 2) for k, v in stages.items()},
            "peak_rss_mb": _peak_rss_mb(),
        }
    mark = time.perf_counter()
    result = publish.build_and_publish(universe, "bench_rebuild")
    seconds = time.perf_counter() - mark
    return {
        "seconds": seconds,
        "peak_rss_mb": _peak_rss_mb(),
        "rss_before_mb": rss_before,
        "imports_s": imports_s,
        "row_counts": result.row_counts,
    }


def build_stages(universe) -> dict[str, float]:
    """publish.build_and_publish's stages, timed one by one (a mirror for the breakdown: the
    same calls in the same order, into a scratch file; not published)."""
    import duckdb

    from rotation_radar.alerts.rules import SIGNAL_COLUMNS
    from rotation_radar.core import storage
    from rotation_radar.warehouse import build, docs, publish

    sql_dir = build.SQL
    target = storage.path("warehouse/bench-stages.duckdb")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    stages: dict[str, float] = {}

    def timed(name: str, fn) -> None:
        mark = time.perf_counter()
        fn()
        stages[name] = stages.get(name, 0.0) + time.perf_counter() - mark

    try:
        with duckdb.connect(str(target)) as con:
            timed("lake views (load_lake)", lambda: build.load_lake(con))
            timed("config tables (stage_config)", lambda: build.stage_config(con, universe))
            timed("FOMC diffs (load_statement_diffs)", lambda: build.load_statement_diffs(con))
            for schema in ("core", "marts"):
                con.execute(f"create schema if not exists {schema}")
            for path in sorted((sql_dir / "staging").glob("*.sql")):
                timed(
                    "staging views",
                    lambda p=path: con.execute(
                        f"create or replace view staging.{p.stem} as {build.sql(p)}"
                    ),
                )
            staging = build.materialized_staging(con)
            timed("shared staging (materialized_staging)", staging.__enter__)
            for name in build.MARTS:
                timed(
                    f"marts.{name}",
                    lambda n=name: build.publish_mart(
                        con, n, build.sql(sql_dir / "marts" / f"{n}.sql")
                    ),
                )
            timed(
                "shared staging (materialized_staging)", lambda: staging.__exit__(None, None, None)
            )
            columns = ", ".join(SIGNAL_COLUMNS)
            rules = [
                f"select {columns} from ({build.sql(p)})"
                for p in sorted((sql_dir / "alerts").glob("*.sql"))
            ]
            timed(
                "marts.breakout_signals",
                lambda: build.publish_mart(
                    con,
                    "breakout_signals",
                    f"select * from ({' union all '.join(rules)}) order by date, rule, subject",
                ),
            )
            timed(
                "docs + catalog",
                lambda: (
                    con.execute(  # the catalog first: it is documented too
                        "create or replace view marts.catalog as "
                        f"{build.sql(sql_dir / 'catalog.sql')}"
                    ),
                    docs.document(con),
                ),
            )
            as_of = con.execute("select max(date) from lake.prices_daily").fetchone()[0]
            timed("audit", lambda: build.audit(con, as_of))
            timed("checkpoint", lambda: con.execute("checkpoint"))
        export = target.parent / "parquet-bench_stages"
        shutil.rmtree(export, ignore_errors=True)
        timed("export_parquet", lambda: publish.write_marts_parquet(target, export))
    finally:
        target.unlink(missing_ok=True)
        shutil.rmtree(target.parent / "parquet-bench_stages", ignore_errors=True)
    return stages


def child_sublake(args) -> dict:
    """The first `symbols` symbols of the universe (subset order) over its last `years`
    years, from a lake: prices and corporate actions cut, members and earnings of those
    symbols only, the small datasets as they are."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from devtools.replay import generate_scale
    from rotation_radar.core import storage

    manifest = json.loads(Path(args.manifest).read_text())
    keep = set(manifest["universe"]) | {
        t for t, _fund in manifest["members"][: args.symbols - len(manifest["universe"])]
    }
    end = dt.date.fromisoformat(args.end)
    start = generate_scale.span(args.years, end)[0]
    source, target = Path(args.source) / "lake", storage.path("lake")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    rows = 0
    for dataset in ("prices_daily", "corporate_actions"):
        for folder in sorted((source / dataset).glob("symbol=*")):
            if folder.name.split("=", 1)[1] not in keep:
                continue
            (target / dataset / folder.name).mkdir(parents=True)
            if start > dt.date.fromisoformat(manifest["history_start"]):
                table = pq.read_table(folder / "data.parquet")
                table = table.filter(pc.greater_equal(table["date"], pa.scalar(start, pa.date32())))
                pq.write_table(table, target / dataset / folder.name / "data.parquet")
                count = table.num_rows
            else:  # the whole span: the same file
                os.link(folder / "data.parquet", target / dataset / folder.name / "data.parquet")
                count = pq.ParquetFile(folder / "data.parquet").metadata.num_rows
            rows += count if dataset == "prices_daily" else 0
    first_as_of = generate_scale.month_end_sessions(start, end)[0] - dt.timedelta(days=40)
    for path in sorted((source / "universe_members").glob("basket=*/as_of=*/data.parquet")):
        if dt.date.fromisoformat(path.parent.name.split("=", 1)[1]) < first_as_of:
            continue
        table = pq.read_table(path)
        table = table.filter(pc.is_in(table["symbol"], pa.array(sorted(keep))))
        out = target / "universe_members" / path.parent.parent.name / path.parent.name
        out.mkdir(parents=True)
        pq.write_table(table, out / "data.parquet")
    for dataset in ("earnings_facts", "earnings_ttm"):
        for path in sorted((source / dataset).glob("cik=*/data.parquet")):
            symbols = set(pq.read_table(path, columns=["symbol"])["symbol"].to_pylist())
            if symbols & keep:
                (target / dataset / path.parent.name).mkdir(parents=True)
                os.link(path, target / dataset / path.parent.name / "data.parquet")
    for dataset in ("sec_companies", "data_quality"):
        if (source / dataset).exists():
            subprocess.run(["cp", "-al", str(source / dataset), str(target / dataset)], check=True)
    return {"rows": rows, "start": start.isoformat(), "symbols": len(keep)}


def child_pandas(args) -> dict:
    import polars

    from rotation_radar.core import settings, storage
    from tests.benchmarks import pandas_marts

    work = storage.path("bench-pandas")
    work.mkdir(parents=True, exist_ok=True)
    try:
        result = pandas_marts.time_marts(
            None, settings.load_universe(), runs=args.runs, workdir=work, with_polars=True
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["polars_version"] = polars.__version__
    return {k: v for k, v in result.items() if isinstance(v, (int, float, str))}


CHILDREN = {
    "bootstrap": child_bootstrap,
    "bootstrap_marts": child_bootstrap_marts,
    "warm": child_warm,
    "incremental": child_incremental,
    "rebuild": child_rebuild,
    "sublake": child_sublake,
    "pandas": child_pandas,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    child = sub.add_parser("child", help="one phase in this process (used by the harness)")
    child.add_argument("phase", choices=sorted(CHILDREN))
    child.add_argument("--end")
    child.add_argument("--url")
    child.add_argument("--root")
    child.add_argument("--server-pid", type=int)
    child.add_argument("--runs", type=int, default=RUNS)
    child.add_argument("--breakdown", action="store_true")
    child.add_argument("--history-start")
    child.add_argument("--source")
    child.add_argument("--symbols", type=int)
    child.add_argument("--years", type=int)
    child.add_argument("--manifest")
    args = parser.parse_args(argv)
    if args.command == "child":
        import logging

        logging.basicConfig(level=logging.WARNING)
        _emit(CHILDREN[args.phase](args))
        return 0
    run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
