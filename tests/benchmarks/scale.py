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
   its last two sessions are the two nights below: the first brings no split or
   dividend, the second (the third Friday of September: quarterly dividends) eight new
   dividends and one split at 2,500 symbols (universe.json's last_sessions lists them);
2. bootstrap (setup, not a target; cached in bench/universe-<s>x<y>/bootstrap/ with its
   timings in bootstrap.json): the real ingest functions, in the order of the demo's
   pipeline, against the replay server (run as its own process, request-rate limit
   lifted in the connections' extra), as of the session two before the universe's last:
   holdings (universe_holdings' load_holdings), prices (prices_daily's fetch +
   validate_and_load, by chunks of symbols), earnings (earnings_sec's plan +
   fetch_and_load; SEC's cap of 10 requests per second stays), the warehouse
   (marts_build: a full build, the first) and the alerts (breakout_alerts'
   deliver_alerts, local receivers), which logs the history's signals;
3. two nights in a hard-linked copy of the bootstrap, each one new session for every
   symbol: the prices_daily tasks' calls, then marts_build's (publish.build_and_publish,
   incremental: a copy of the published build updated from what changed in the lake),
   then deliver_alerts', in sequence in one fresh process with the modules imported
   first (import time reported apart). incremental_s is the first night (no new split
   or dividend), incremental_ex_dividend_s the second (new dividends and a split,
   restated locally); requests per symbol from the replay server's log; each build's
   stages timed by wrapping the build's functions in that process (their own time,
   nested calls apart). validate_batch_s: the median of VALIDATE_RUNS GX validations of
   the first night's batch (rebuilt from the landed responses as prices_ingest.load
   builds it);
4. incremental_equals_full: a full build (build.build_file) of the lake (and quarantine)
   as the second night's build read them (hard-linked by the night's process right after
   its build, untimed: its alerts then add to the lake's alert log) into another file, in a
   process of its own that also times its stages (the full rebuild's breakdown); then
   every view of schema marts of the two files compared row for row (DuckDB `except
   all` both ways, both files attached; floating-point columns within FLOAT_TOLERANCE
   when they alone differ; the catalog, which lists the attached databases' views,
   compared file by file);
5. full_rebuild_s: publish.build_and_publish(full=True) over the same lake, alone in a
   fresh process; full_rebuild_peak_rss_mb is that process's own peak (getrusage
   RUSAGE_SELF);
6. pandas_ratio and polars_ratio: tests/benchmarks/pandas_marts.time_marts on the same
   lake, the Polars marts (tests/benchmarks/polars_marts.py) timed in the same runs;
7. parse_ms_max: each dags/*.py parsed by Airflow's DagBag in a fresh interpreter (the
   probe of tests/dags/test_dag_integrity.py: Airflow imported first, the file's DagBag
   timed), median of RUNS per file, the slowest file;
8. growth: full_rebuild_s on sub-lakes of the bootstrap's lake (the first k symbols in
   the universe's subset order, the last y years, each with its universe file starting
   there), 250 / 1,000 / 2,500 symbols x 5 / 25 years, and the exponent of a
   least-squares fit of log(seconds) on log(rows). On the sub-lake of every symbol over
   NIGHT_GROWTH_YEARS years, once its full build is published and its alerts logged
   (setup), the first night again: nightly_growth_ratio = incremental_s over the
   whole span / incremental_s over those years.
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
NIGHT_GROWTH_YEARS = 5  # nightly_growth_ratio: the first night over the whole span / over these
BOOTSTRAP_VERSION = 2  # bump when the bootstrap changes: a cached one is redone
USER_AGENT = "Rotation Radar bench bench@rotation-radar.example"
# name: (comparison, target); the targets on this 2-core machine. A target
# (factor, name) is that factor times another figure.
TARGETS = {
    "incremental_s": ("<=", 15),
    "incremental_ex_dividend_s": ("<=", (1.3, "incremental_s")),
    "nightly_growth_ratio": ("<=", 1.25),
    "incremental_requests_per_symbol_max": ("<=", 1),  # on both nights
    "incremental_equals_full": ("==", True),
    "full_rebuild_s": ("<=", 20),
    "full_rebuild_peak_rss_mb": ("<=", 2000),
    "validate_batch_s": ("<=", 2),
    "parse_ms_max": ("<=", 100),
    "pandas_ratio": (">=", 2),
    "polars_ratio": (">=", 1),
    "growth_exponent": ("<=", 1.1),  # cost growing no faster than linearly in rows (noise: +0.1)
    "breadth_full_s": ("<=", 5),
    "breadth_nightly_s": ("<=", 1),
}
# The marts of issue 17 (breadth, concentration, drawdowns, records per year, rotation),
# whose build stages breadth_full_s and breadth_nightly_s add up.
BASKET_STAGES = (
    "marts.sector_breadth",
    "marts.breadth",
    "marts.rotation",
    "marts.concentration",
    "marts.drawdowns",
    "marts.record_counts",
    "basket marts' first session (stage_since)",
)
# Columns a full build and an incremental one may legitimately disagree on (lineage).
LINEAGE_COLUMNS = ("source", "ingested_at", "run_id", "built_at", "replaced_at")
# Relative difference of a floating-point value within which two builds' marts are equal
# (DuckDB's parallel sums of doubles differ in the last bits from one run to the next).
FLOAT_TOLERANCE = 1e-9
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
        years = sorted({min(y, self.years) for y in (*GROWTH_YEARS, NIGHT_GROWTH_YEARS)})
        return [(s, y) for s in symbols for y in years]

    @property
    def night_growth_size(self) -> tuple[int, int]:
        """The sub-lake whose first night nightly_growth_ratio compares: every symbol,
        NIGHT_GROWTH_YEARS years."""
        return self.symbols, min(NIGHT_GROWTH_YEARS, self.years)

    @property
    def nights(self) -> list[dt.date]:
        """The measured nights' sessions: the universe's last two."""
        return [sessions_back(self.end, 1), self.end]

    @property
    def bootstrap_day(self) -> dt.date:
        """The session the bootstrap's lake is as of: the one before the first night."""
        return sessions_back(self.end, 2)


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


def sessions_back(day: dt.date, count: int) -> dt.date:
    from rotation_radar.core import sessions

    return sessions.sessions_back(day, count)


# ---------------------------------------------------------------- phases (parent side)


def ensure_bootstrap(config: Config, universe: dict) -> dict:
    """The lake as of the session before the first night, through the real ingest (cached).
    A cached bootstrap whose warehouse another definition built (the SQL changed since)
    has its last two steps (marts_build, deliver_alerts) run again, so that the first
    night's build is incremental."""
    folder = config.universe_dir / "bootstrap"
    marker = config.universe_dir / "bootstrap.json"
    yaml_path = config.universe_dir / "universe.yaml"
    key = {
        "version": BOOTSTRAP_VERSION,
        "universe": universe["parameters"],
        "day": config.bootstrap_day.isoformat(),
    }
    definition = warehouse_definition(yaml_path)
    if marker.exists() and folder.exists():
        found = json.loads(marker.read_text())
        if found.get("key") == key:
            log(f"bootstrap reused: {folder} (took {found['total_s']:.0f}s when made)")
            if found.get("warehouse_definition") != definition:
                log("its warehouse was built from other SQL: marts_build and deliver_alerts again")
                marts = run_child(
                    "bootstrap_marts",
                    child_env(folder, yaml_path),
                    "--day",
                    config.bootstrap_day.isoformat(),
                )
                found.update(
                    warehouse_definition=definition,
                    warehouse_rebuilt_s=marts["steps_s"],
                    build=marts["build"],
                )
                marker.write_text(json.dumps(found, indent=1) + "\n")
            return found
    if folder.exists():
        shutil.rmtree(folder)
    marker.unlink(missing_ok=True)
    log(
        f"bootstrap as of {config.bootstrap_day}: the real ingest against the replay server "
        "(setup, not a target)"
    )
    with ServerProcess(config.universe_dir) as server:
        env = child_env(folder, yaml_path, server.url)
        result = run_child(
            "bootstrap",
            env,
            "--day",
            config.bootstrap_day.isoformat(),
            "--root",
            str(config.universe_dir),
        )
        result["requests"] = len(server.requests())
    result["key"] = key
    result["warehouse_definition"] = definition
    marker.write_text(json.dumps(result, indent=1) + "\n")
    return result


def warehouse_definition(universe_yaml: Path) -> str:
    """What a build's records depend on besides the lake (incremental.definition): a
    published build of another one is rebuilt whole."""
    from rotation_radar.core import settings
    from rotation_radar.warehouse import incremental

    return incremental.definition(settings.load_universe(universe_yaml))


def measure_night(
    server: ServerProcess,
    env: dict,
    session: dt.date,
    run_id: str,
    validate_runs: int,
    snapshot: Path | None = None,
) -> dict:
    """One night in the data dir of `env`: the source warmed for the session, then the
    timed run (child_incremental; with `snapshot`, the lake as the build read it is
    hard-linked there); the requests it made, per symbol, from the server's log."""
    # Warm the source: every symbol's recording parsed once (Yahoo does not read a file
    # per request); then forget those requests.
    warm = run_child("warm", env, "--url", server.url, "--end", session.isoformat())
    server.clear()
    result = run_child(
        "incremental",
        env,
        "--end",
        session.isoformat(),
        "--run-id",
        run_id,
        "--server-pid",
        str(server.proc.pid),
        "--runs",
        str(validate_runs),
        *(["--snapshot", str(snapshot)] if snapshot else []),
    )
    asked = [r for r in server.requests() if r["path"].startswith("/v8/finance/chart/")]
    per_symbol: dict[str, int] = {}
    for request in asked:
        symbol = request["path"].rsplit("/", 1)[1]
        per_symbol[symbol] = per_symbol.get(symbol, 0) + 1
    result.update(
        session=session.isoformat(),
        warm_s=warm["seconds"],
        requests=len(asked),
        requests_symbols=len(per_symbol),
        requests_per_symbol_max=max(per_symbol.values(), default=0),
        symbols_asked_twice=sorted(s for s, n in per_symbol.items() if n > 1),
    )
    log(
        f"night {session}: {result['seconds']:.1f}s ({result['build']} build), "
        f"{len(asked):,} requests for {len(per_symbol):,} symbols, "
        f"restated locally: {', '.join(result['history_restated_locally']) or 'none'}"
    )
    return result


def measure_nights(config: Config, work: Path, snapshot: Path) -> list[dict]:
    """The universe's last two sessions, one after the other, in a copy of the bootstrap
    (left in `work`); the lake as the last night's build read it left in `snapshot`."""
    copy_tree(config.universe_dir / "bootstrap", work)
    shutil.rmtree(snapshot, ignore_errors=True)
    with ServerProcess(config.universe_dir) as server:
        env = child_env(work, config.universe_dir / "universe.yaml", server.url)
        last = len(config.nights)
        return [
            measure_night(
                server,
                env,
                session,
                f"bench_night_{number}",
                VALIDATE_RUNS if number == 1 else 1,
                snapshot if number == last else None,
            )
            for number, session in enumerate(config.nights, 1)
        ]


def measure_equality(
    data: Path, snapshot: Path, universe_yaml: Path, reference: Path
) -> tuple[dict, dict]:
    """A full build of the lake as the last night's build read it (`snapshot`: after the
    build, the night's alerts add to the lake's alert log) into `reference`, its stages
    timed (the full rebuild's breakdown); then every mart of the build published in
    `data` (incremental) compared with it."""
    built = run_child("full_build", child_env(snapshot, universe_yaml), "--target", str(reference))
    try:
        compared = run_child("compare", child_env(data, universe_yaml), "--target", str(reference))
    finally:
        reference.unlink(missing_ok=True)
        shutil.rmtree(snapshot, ignore_errors=True)
    return built, compared


def measure_rebuild(data: Path, universe_yaml: Path) -> dict:
    return run_child("rebuild", child_env(data, universe_yaml))


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


def measure_growth(config: Config, lake_source: Path) -> tuple[list[dict], dict | None]:
    """full_rebuild_s on sub-lakes: the first k symbols (subset order), the last y years;
    on the sub-lake of config.night_growth_size, the first night after its full build
    (nightly_growth_ratio). Returns the growth rows and that night (None when the
    sub-lake is the whole lake: the first night itself)."""
    rows, night = [], None
    for symbols, years in config.growth_sizes():
        target = config.universe_dir / "work" / f"sub-{symbols}x{years}"
        universe_yaml = target.with_name(f"{target.name}.yaml")
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
            "--universe-out",
            str(universe_yaml),
        )
        result = measure_rebuild(target, universe_yaml)
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
        if (symbols, years) == config.night_growth_size and years < config.years:
            night = measure_sub_night(config, target, universe_yaml)
            night["rows_before"] = made["rows"]
            night["years"] = years
        shutil.rmtree(target, ignore_errors=True)
        universe_yaml.unlink(missing_ok=True)
    return rows, night


def measure_sub_night(config: Config, data: Path, universe_yaml: Path) -> dict:
    """The first night on a sub-lake whose full build is published: its alerts logged
    first (setup, as the bootstrap does), then the night as on the whole lake."""
    with ServerProcess(config.universe_dir) as server:
        env = child_env(data, universe_yaml, server.url)
        setup = run_child("alerts", env, "--day", config.bootstrap_day.isoformat())
        night = measure_night(server, env, config.nights[0], "bench_night_1", 1)
    night["setup_alerts_s"] = setup["seconds"]
    return night


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
    universe_yaml = config.universe_dir / "universe.yaml"

    log(f"two nights ({', '.join(d.isoformat() for d in config.nights)}): a new session each")
    snapshot = work / "lake-as-built"
    nights = measure_nights(config, data, snapshot)

    log("incremental_equals_full: a full build of the same lake, every mart compared")
    full_build, equality = measure_equality(
        data, snapshot, universe_yaml, work / "full-reference.duckdb"
    )
    log(
        f"full build {full_build['seconds']:.1f}s; incremental equals full: "
        f"{equality['equal']} ({len(equality['marts'])} marts; "
        f"mismatching: {', '.join(equality['mismatching']) or 'none'})"
    )

    log("full rebuild (own process)")
    rebuild = measure_rebuild(data, universe_yaml)
    log(f"full rebuild {rebuild['seconds']:.1f}s, peak RSS {rebuild['peak_rss_mb']:,.0f} MB")

    log("pandas_ratio and polars_ratio (time_marts)")
    pandas = measure_pandas(data, universe_yaml, config.runs)
    log(f"pandas_ratio {pandas['pandas_ratio']:.2f}, polars_ratio {pandas['polars_ratio']:.2f}")

    log("DAG parse times")
    parse = measure_parse(config.runs)

    log(f"growth of full_rebuild_s; the first night on {config.night_growth_size} years")
    growth, growth_night = measure_growth(config, config.universe_dir / "bootstrap")
    shutil.rmtree(work, ignore_errors=True)

    results = assemble(
        config,
        universe,
        bootstrap,
        nights,
        full_build,
        equality,
        rebuild,
        pandas,
        parse,
        growth,
        growth_night,
    )
    results["machine"]["loadavg_start"] = [round(x, 2) for x in load_start]
    results["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    results["bench_wall_s"] = round(time.perf_counter() - started)
    write_results(config, results)
    return results


def target_of(name: str, figures: dict) -> tuple[str, float | bool | None, bool | None]:
    """A figure's target as text, its value, and whether it is met (None: not measured)."""
    op, target = TARGETS[name]
    text = f"{op} {str(target).lower() if isinstance(target, bool) else target}"
    if isinstance(target, tuple):
        factor, other = target
        text = f"{op} {factor} x {other}"
        target = None if figures.get(other) is None else factor * figures[other]
        if target is not None:
            text += f" (= {round(target, 2)})"
    value = figures.get(name)
    if value is None or target is None:
        return text, value, None
    ok = {"<=": value <= target, ">=": value >= target, "==": value == target}[op]
    return text, value, ok


def night_details(night: dict) -> dict:
    return {
        "session": night["session"],
        "seconds": round(night["seconds"], 2),
        "build": night["build"],
        "steps_s": night["steps_s"],
        "build_stages_s": night["build_stages_s"],
        "imports_s": round(night["imports_s"], 2),
        "fetch": night["fetch"],
        "load_estimate_s": night["load_estimate_s"],
        "requests": night["requests"],
        "requests_symbols": night["requests_symbols"],
        "requests_per_symbol_max": night["requests_per_symbol_max"],
        "symbols_asked_twice": night["symbols_asked_twice"],
        "history_restated_locally": night["history_restated_locally"],
        "history_refetched": night["history_refetched"],
        "events": night["events"],
        "rows_loaded": night["rows_new"],
        "alerts": night["alerts"],
        "source_warm_up_s": round(night["warm_s"], 1),
    }


def assemble(
    config,
    universe,
    bootstrap,
    nights,
    full_build,
    equality,
    rebuild,
    pandas,
    parse,
    growth,
    growth_night,
) -> dict:
    plain, ex_dividend = nights
    figures = {
        "incremental_s": round(plain["seconds"], 2),
        "incremental_ex_dividend_s": round(ex_dividend["seconds"], 2),
        "incremental_ex_dividend_ratio": round(ex_dividend["seconds"] / plain["seconds"], 3),
        "incremental_s_short_history": None,
        "nightly_growth_ratio": None,
        "incremental_requests": plain["requests"],
        "incremental_ex_dividend_requests": ex_dividend["requests"],
        "incremental_symbols": plain["symbols"],
        "incremental_requests_per_symbol_max": max(n["requests_per_symbol_max"] for n in nights),
        "incremental_builds": [n["build"] for n in nights],
        "incremental_equals_full": equality["equal"],
        "full_rebuild_s": round(rebuild["seconds"], 2),
        "full_rebuild_peak_rss_mb": round(rebuild["peak_rss_mb"]),
        "validate_batch_s": round(plain["validate_batch_s"], 3),
        "parse_ms_max": round(max(parse.values()), 1),
        "pandas_ratio": round(pandas["pandas_ratio"], 2),
        "polars_ratio": round(pandas["polars_ratio"], 2),
        "growth_exponent": None,
        "breadth_full_s": round(sum(full_build["stages_s"].get(k, 0) for k in BASKET_STAGES), 2),
        "breadth_nightly_s": round(
            sum(plain["build_stages_s"].get(k, 0) for k in BASKET_STAGES), 2
        ),
    }
    if growth_night is not None:
        figures["incremental_s_short_history"] = round(growth_night["seconds"], 2)
        figures["nightly_growth_ratio"] = round(plain["seconds"] / growth_night["seconds"], 3)
    exponent = growth_exponent(growth)
    figures["growth_exponent"] = None if exponent is None else round(exponent, 3)
    targets = {}
    for name in TARGETS:
        text, value, ok = target_of(name, figures)
        targets[name] = {"target": text, "value": value, "pass": ok}
    details_nights = [night_details(n) for n in nights]
    if growth_night is not None:
        details_nights.append(
            {
                **night_details(growth_night),
                "years": growth_night["years"],
                "setup_alerts_s": round(growth_night["setup_alerts_s"], 1),
            }
        )
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "commit": git_commit(),
        "universe": {
            "symbols": config.symbols,
            "years": config.years,
            "end": config.end.isoformat(),
            "bootstrap_day": config.bootstrap_day.isoformat(),
            "nights": [d.isoformat() for d in config.nights],
            "last_sessions": universe.get("last_sessions"),
            "sessions": universe["sessions"],
            "price_rows": universe["counts"]["price_rows"],
            "members": universe["counts"]["members"],
            "companies": universe["counts"]["companies"],
            "holdings_files": universe["counts"]["holdings_files"],
        },
        "figures": figures,
        "targets": targets,
        "details": {
            "nights": details_nights,
            "validate_batch": {
                "rows": plain["validate_batch_rows"],
                "runs_s": plain["validate_runs_s"],
            },
            "equality": {
                "method": "the build published by the second night and a full build "
                "(build.build_file) of the lake and quarantine as that build read them "
                "(hard-linked right after it, before the night's alerts add to the alert log) "
                "attached in one "
                "DuckDB connection; for each view of schema marts, `except all` both ways on "
                "the columns by name; a mart that differs only in floating-point columns is "
                f"compared again, rows paired in order, within {FLOAT_TOLERANCE} relative "
                "(DuckDB's parallel sums of doubles differ in the last bits between two full "
                "builds of the same lake too); marts.catalog, which lists every attached "
                "database's views, compared file by file",
                **equality,
                "full_build_s": round(full_build["seconds"], 2),
                "full_build": full_build["build"],
            },
            "full_rebuild": {
                "build": rebuild["build"],
                "imports_s": round(rebuild["imports_s"], 2),
                "rss_after_imports_mb": round(rebuild["rss_before_mb"]),
                "row_counts": rebuild["row_counts"],
                "stages_s": full_build["stages_s"],
                "stages_total_s": round(full_build["seconds"], 2),
                "stages_peak_rss_mb": round(full_build["peak_rss_mb"]),
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
            "bootstrap_day": bootstrap.get("day"),
            "bootstrap_s": bootstrap["total_s"],
            "bootstrap_steps_s": bootstrap["steps_s"],
            "bootstrap_requests": bootstrap.get("requests"),
            "bootstrap_rows": bootstrap.get("rows"),
            "bootstrap_build": bootstrap.get("build"),
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
    "incremental_s": "a new session without new splits or dividends, all symbols: "
    "fetch to alerts delivered (s)",
    "incremental_ex_dividend_s": "the next session, with new dividends and a split (s)",
    "nightly_growth_ratio": "incremental_s over the whole span / over "
    f"{NIGHT_GROWTH_YEARS} years, same symbols",
    "incremental_requests_per_symbol_max": "requests for one symbol, at most (both nights)",
    "incremental_equals_full": "every mart after the nights equal to a full build, row for row",
    "full_rebuild_s": "whole warehouse rebuilt from the lake (s)",
    "full_rebuild_peak_rss_mb": "peak RSS of that rebuild's process (MB)",
    "validate_batch_s": "GX validation of one session's batch (s)",
    "parse_ms_max": "slowest DAG file's parse (ms)",
    "pandas_ratio": "pandas / warehouse time, records + relative_strength",
    "polars_ratio": "Polars / warehouse time, the same two marts",
    "growth_exponent": "growth of full_rebuild_s in rows (exponent; 1 = linear)",
    "breadth_full_s": "the breadth, concentration, drawdown, record-count and rotation marts' "
    "share of a full build (s)",
    "breadth_nightly_s": "the same marts' share of the first night's incremental build (s)",
}


def _cell(value) -> str:
    return "" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _columns(rows: list[dict], key: str) -> list[str]:
    """The keys of rows[i][key] in first-seen order (the union over the nights)."""
    return list(dict.fromkeys(k for row in rows for k in row[key]))


def _night_title(night: dict) -> str:
    years = f", {night['years']} years" if "years" in night else ""
    return f"{night['session']}{years}"


def markdown(results: dict) -> str:
    u, f, d, s = results["universe"], results["figures"], results["details"], results["setup"]
    nights = d["nights"]
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
            f"| `{name}`: {NAMES[name]} | {_cell(target['value'])} | {target['target']} | {mark} |"
        )
    events = u.get("last_sessions") or {}
    lines += [
        "",
        f"incremental_ex_dividend_s / incremental_s = {f['incremental_ex_dividend_ratio']}; "
        f"incremental_s over {NIGHT_GROWTH_YEARS} years: {f['incremental_s_short_history']}s. "
        f"Builds of the nights: {', '.join(f['incremental_builds'])}.",
        "",
        "## The nights",
        "",
        f"The bootstrap's lake is as of {u['bootstrap_day']}; the nights are "
        f"{' and '.join(u['nights'])}, one after the other in the same copy of it, each the "
        "prices_daily tasks' calls (fetch, validate_and_load), marts_build's "
        "(publish.build_and_publish: an incremental build) and deliver_alerts' in one fresh "
        "process. The universe's events on those sessions: "
        + "; ".join(
            f"{day}: {len(found['dividend'])} dividends"
            + (f" ({', '.join(found['dividend'])})" if found["dividend"] else "")
            + f", {len(found['split'])} splits"
            + (f" ({', '.join(found['split'])})" if found["split"] else "")
            for day, found in events.items()
        )
        + ".",
        "",
        "| night | requests | symbols | asked twice | restated locally | refetched "
        "| rows loaded | build |",
        "|---|---:|---:|---|---|---|---:|---|",
        *(
            f"| {_night_title(n)} | {n['requests']:,} | {n['requests_symbols']:,} "
            f"| {', '.join(n['symbols_asked_twice']) or 'none'} "
            f"| {', '.join(n['history_restated_locally']) or 'none'} "
            f"| {', '.join(n['history_refetched']) or 'none'} | {n['rows_loaded']:,} "
            f"| {n['build']} |"
            for n in nights
        ),
        "",
        "## Where incremental_s goes",
        "",
        "| step | " + " | ".join(_night_title(n) for n in nights) + " |",
        "|---|" + "---:|" * len(nights),
        *(
            f"| {step} | " + " | ".join(_cell(n["steps_s"].get(step)) for n in nights) + " |"
            for step in _columns(nights, "steps_s")
        ),
        "| **total** | " + " | ".join(str(n["seconds"]) for n in nights) + " |",
        "| (imports before the timer, not counted) | "
        + " | ".join(str(n["imports_s"]) for n in nights)
        + " |",
        "",
        "The warehouse step's stages, each function's own time (the functions of "
        "rotation_radar.warehouse.build, .incremental and .publish wrapped in the night's "
        "process; a nested call's time counts for it, not for its caller):",
        "",
        "| stage | " + " | ".join(_night_title(n) for n in nights) + " |",
        "|---|" + "---:|" * len(nights),
        *(
            f"| {stage} | "
            + " | ".join(_cell(n["build_stages_s"].get(stage)) for n in nights)
            + " |"
            for stage in _columns(nights, "build_stages_s")
        ),
        "",
        *(
            f"{_night_title(n)}: prices.ingest.load, estimated from a re-run of its parts: "
            + ", ".join(f"{k} {v}s" for k, v in n["load_estimate_s"].items())
            + ". Fetch: "
            + ", ".join(f"{k} {v}" for k, v in n["fetch"].items())
            + "."
            for n in nights
        ),
        "",
        "## incremental_equals_full",
        "",
        f"{d['equality']['method']}. Marts compared: {', '.join(d['equality']['marts'])}. "
        f"Equal: {_cell(d['equality']['equal'])}; mismatching: "
        + (
            "; ".join(f"{name} ({detail})" for name, detail in d["equality"]["mismatching"].items())
            or "none"
        )
        + "; equal within the float tolerance (largest relative difference per column): "
        + (
            "; ".join(
                f"{name} ({', '.join(f'{c} {v}' for c, v in columns.items())})"
                for name, columns in d["equality"]["equal_within_float_tolerance"].items()
            )
            or "none"
        )
        + "; equal only with lineage columns aside: "
        + (
            "; ".join(
                f"{name} ({', '.join(columns)})"
                for name, columns in d["equality"]["lineage_aside"].items()
            )
            or "none"
        )
        + f". The full build took {d['equality']['full_build_s']}s, the comparison "
        f"{d['equality']['seconds']}s.",
        "",
        "## Where full_rebuild_s goes",
        "",
        "The stages of the full build of the equality check (build.build_file and "
        "publish.write_marts_parquet, their functions wrapped as in the nights; total "
        f"{d['full_rebuild']['stages_total_s']}s; the official figure is "
        "publish.build_and_publish(full=True) alone in its own process):",
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
        "Sub-lakes of the bootstrap's lake, each with its universe file starting where it starts.",
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
        f"Bootstrap as of {s['bootstrap_day']} through the real ingest: {s['bootstrap_s']}s "
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

    day = dt.date.fromisoformat(args.day)
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
    """The bootstrap's last two steps: marts_build (a full build, the first one), then
    deliver_alerts (which logs the history's signals, so that the timed nights decide
    only their new session's)."""
    from rotation_radar.core import settings
    from rotation_radar.warehouse import publish

    steps = {}
    mark = time.perf_counter()
    built = publish.build_and_publish(settings.load_universe(), "bootstrap_marts")
    steps["warehouse_build"] = round(time.perf_counter() - mark, 1)
    print(f"warehouse build {steps['warehouse_build']}s: {built.row_counts}", flush=True)
    alerts = child_alerts(args)
    steps["alerts"] = round(alerts["seconds"], 1)
    return {
        "steps_s": steps,
        "build": built.build,
        "marts": built.row_counts,
        "alerts": alerts["summary"],
        "marts_peak_rss_mb": round(_peak_rss_mb()),
    }


def child_alerts(args) -> dict:
    """deliver_alerts as of `--day` on the published warehouse, to local receivers: the
    history's signals logged (setup before a timed night)."""
    from rotation_radar.alerts import delivery

    day = dt.date.fromisoformat(args.day)
    mark = time.perf_counter()
    with _receivers():
        summary = delivery.deliver_signals(
            f"setup_alerts_{day:%Y%m%d}", _ingested_at(day) + dt.timedelta(hours=1)
        )
    return {"seconds": time.perf_counter() - mark, "summary": summary}


class CallTimer:
    """Each wrapped function's own time (its calls' total, less the time spent in the
    wrapped functions it calls), by label, in the order first called. Wrapping a
    module's attribute reaches every caller that looks it up at call time (a module
    global or `module.function`), which the warehouse's modules all do."""

    def __init__(self):
        self.own_s: dict[str, float] = {}
        self._inner: list[float] = []  # per open call: time spent in wrapped callees

    def _wrapped(self, function, label):
        def wrapper(*args, **kwargs):
            name = label(*args, **kwargs) if callable(label) else label
            self.own_s.setdefault(name, 0.0)
            self._inner.append(0.0)
            mark = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.perf_counter() - mark
                self.own_s[name] += spent - self._inner.pop()
                if self._inner:
                    self._inner[-1] += spent

        return wrapper

    @contextlib.contextmanager
    def installed(self, probes):
        """Wrap (module, attribute, label) for the duration of the block."""
        originals = []
        try:
            for module, attribute, label in probes:
                function = getattr(module, attribute)
                originals.append((module, attribute, function))
                setattr(module, attribute, self._wrapped(function, label))
            yield self
        finally:
            for module, attribute, function in reversed(originals):
                setattr(module, attribute, function)

    def stages(self, total: float, rest: str) -> dict[str, float]:
        """The own times, rounded, and `rest`: the total less them all."""
        found = {k: round(v, 2) for k, v in self.own_s.items()}
        found[rest] = round(total - sum(self.own_s.values()), 2)
        return found


def build_probes() -> list[tuple]:
    """The warehouse build's functions, timed by CallTimer (labels as in results.md)."""
    from rotation_radar.warehouse import build, docs, incremental, publish

    return [
        (
            build,
            "build_file",
            "build_file itself: copy of the published build, or lake's last date",
        ),
        (build, "update", "update: definition check, settings"),
        (incremental, "lake_symbols", "symbol files' footers (lake_symbols)"),
        (incremental, "stage_records", "plan + changed rows (stage_records)"),
        (build, "load_lake", "lake views (load_lake)"),
        (build, "stage_config", "config tables (stage_config)"),
        (incremental, "replace_records", "marts.records (replace_records)"),
        (incremental, "stage_since", "basket marts' first session (stage_since)"),
        (build, "run_models", "staging views + materialized staging (run_models)"),
        (build, "load_statement_diffs", "FOMC diffs (load_statement_diffs)"),
        (build, "build_mart", lambda _con, name, **_: f"marts.{name}"),
        (build, "publish_mart", lambda _con, name, _query: f"marts.{name}"),
        (docs, "document", "docs (document)"),
        (incremental, "drop_plan", "drop plan (drop_plan)"),
        (build, "finish", "checkpoint (finish)"),
        (build, "audit", "audit"),
        (incremental, "save_state", "build state (save_state)"),
        (publish, "write_marts_parquet", "export_parquet (write_marts_parquet)"),
    ]


def child_incremental(args) -> dict:
    started = time.perf_counter()
    import duckdb  # noqa: F401 - imported before the timer, as a worker has its modules
    import great_expectations  # noqa: F401
    import pandas as pd
    import psutil

    from rotation_radar.alerts import delivery
    from rotation_radar.core import connections, lake, sessions, settings, storage
    from rotation_radar.prices import checks
    from rotation_radar.prices import ingest as prices_ingest
    from rotation_radar.universe import ingest as universe_ingest
    from rotation_radar.warehouse import publish

    imports_s = time.perf_counter() - started
    session = dt.date.fromisoformat(args.end)
    ingested = _ingested_at(session)
    run_id = args.run_id
    server = psutil.Process(args.server_pid)
    steps = {}
    timer = CallTimer()
    with _receivers() as (slack, webhook, mail):
        mark = time.perf_counter()
        cpu = sum(server.cpu_times()[:2])
        universe = settings.load_universe()
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

        with timer.installed(build_probes()):
            mark = time.perf_counter()
            built = publish.build_and_publish(settings.load_universe(), run_id)
            build_s = time.perf_counter() - mark
        steps["warehouse build + publish (marts_build)"] = build_s
        if args.snapshot:  # not timed: what the build read, for the equality check
            Path(args.snapshot).mkdir(parents=True)
            for top in sorted({Path(v.prefix).parts[0] for v in lake.warehouse_views()}):
                if storage.path(top).exists():  # lake/, quarantine/
                    subprocess.run(
                        ["cp", "-al", str(storage.path(top)), str(Path(args.snapshot) / top)],
                        check=True,
                    )

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
    bars, events = prices_ingest.parse_landed(ok, ingested, run_id)
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
    on_session = [
        (frame["symbol"].iloc[0], e.kind)
        for frame in events
        for e in frame.itertuples()
        if pd.Timestamp(e.date).date() == session
    ]
    return {
        "seconds": seconds,
        "imports_s": imports_s,
        "steps_s": {k: round(v, 2) for k, v in steps.items()},
        "build": built.build,
        "build_stages_s": timer.stages(build_s, "stage + publish (storage backend)"),
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
            "restate + merge + write + quality results (rest)": round(
                max(load_s - parse_s - history_s - validate_s, 0), 2
            ),
        },
        "events": {
            kind: sorted(s for s, k in on_session if k == kind) for kind in ("dividend", "split")
        },
        "history_restated_locally": sorted(e.symbol for e in entries if e.restate),
        "history_refetched": sorted(e.symbol for e in entries if "refetched" in e.note),
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


def child_full_build(args) -> dict:
    """A full build of the lake into `--target` (build.build_file, not published) and its
    Parquet export (removed), their functions timed: the full rebuild's breakdown, and
    the reference incremental_equals_full compares the published build with."""
    started = time.perf_counter()
    import duckdb  # noqa: F401
    import pandas  # noqa: F401

    from rotation_radar.core import settings
    from rotation_radar.warehouse import build, publish

    imports_s = time.perf_counter() - started
    target = Path(args.target)
    target.unlink(missing_ok=True)
    export = target.with_name(f"{target.stem}-parquet")
    shutil.rmtree(export, ignore_errors=True)
    universe = settings.load_universe()
    timer = CallTimer()
    try:
        with timer.installed(build_probes()):
            mark = time.perf_counter()
            as_of, counts, how = build.build_file(target, universe)
            publish.write_marts_parquet(target, export)
            seconds = time.perf_counter() - mark
    finally:
        shutil.rmtree(export, ignore_errors=True)
    return {
        "seconds": seconds,
        "build": how,
        "as_of": as_of.isoformat() if as_of else None,
        "row_counts": counts,
        "stages_s": timer.stages(seconds, "rest"),
        "imports_s": imports_s,
        "peak_rss_mb": _peak_rss_mb(),
    }


def child_compare(args) -> dict:
    """Every view of schema marts of the published build and of `--target` compared row
    for row: `except all` both ways on the columns by name, both files attached to one
    connection. A mart that differs names the columns whose values differ among the rows
    each side lacks (each column alone, `except all` both ways) and those rows are
    compared again, paired in the order of all their columns: equal within
    FLOAT_TOLERANCE when only floating-point columns differ by at most that (relative;
    DuckDB's parallel sums of doubles are not reproducible to the last bit: two full
    builds of the same lake differ so), equal with lineage columns aside
    (LINEAGE_COLUMNS) when those are the others that differ.
    marts.catalog lists the views of every attached database, so it is read from each
    file in a connection of its own."""
    import duckdb

    from rotation_radar.warehouse import read

    started = time.perf_counter()
    published = read.published_path()
    files = {"incremental": str(published), "rebuilt": args.target}
    spill = Path(args.target).parent / "compare-spill"
    with duckdb.connect() as con:
        con.execute("set memory_limit = '3GB'")
        con.execute(f"set temp_directory = '{spill}'")
        for alias, path in files.items():
            con.execute(f"attach '{path}' as {alias} (read_only)")

        def views(alias: str) -> list[str]:
            return [
                name
                for (name,) in con.execute(
                    "select view_name from duckdb_views() where database_name = ? "
                    "and schema_name = 'marts' order by 1",
                    [alias],
                ).fetchall()
            ]

        def columns(alias: str, view: str) -> list[tuple[str, str]]:
            return con.execute(
                "select column_name, data_type from duckdb_columns() where database_name = ? "
                "and schema_name = 'marts' and table_name = ? order by column_index",
                [alias, view],
            ).fetchall()

        def only_in_each(view: str, names: list[str]) -> tuple[int, int]:
            """`except all` both ways; the rows of each side the other lacks are kept in
            the temp tables only_incremental and only_rebuilt."""
            listed = ", ".join(f'"{c}"' for c in names)
            counts = []
            for a, b in (("incremental", "rebuilt"), ("rebuilt", "incremental")):
                con.execute(
                    f"create or replace temp table only_{a} as select {listed} from "
                    f"{a}.marts.{view} except all select {listed} from {b}.marts.{view}"
                )
                counts.append(con.execute(f"select count(*) from only_{a}").fetchone()[0])
            return counts[0], counts[1]

        def differing_columns(names: list[str]) -> list[str]:
            """The columns whose values differ between the rows each side lacks."""
            return [
                c
                for c in names
                if con.execute(
                    f'select count(*) from (select "{c}" from only_incremental except all '
                    f'select "{c}" from only_rebuilt)'
                ).fetchone()[0]
                or con.execute(
                    f'select count(*) from (select "{c}" from only_rebuilt except all '
                    f'select "{c}" from only_incremental)'
                ).fetchone()[0]
            ]

        def within_tolerance(names: list[str], floats: set[str]) -> tuple[int, dict]:
            """The rows each side lacks, paired by their order on every column (floats
            last): (pairs that differ beyond the tolerance or lack a partner, the largest
            relative difference per float column)."""
            order = ", ".join(f'"{c}"' for c in sorted(names, key=lambda c: c in floats))
            listed = ", ".join(f'"{c}"' for c in names)
            same = []
            for c in names:
                exact = f'a."{c}" is not distinct from b."{c}"'
                if c in floats:
                    exact = (
                        f'({exact} or abs(a."{c}" - b."{c}") <= {FLOAT_TOLERANCE} '
                        f'* greatest(abs(a."{c}"), abs(b."{c}")))'
                    )
                same.append(exact)
            largest = [
                f'max(abs(a."{c}" - b."{c}") / nullif(greatest(abs(a."{c}"), abs(b."{c}")), 0))'
                for c in sorted(floats)
            ]
            found = con.execute(
                f"""
                with
                a as (select {listed}, row_number() over (order by {order}) as _row
                      from only_incremental),
                b as (select {listed}, row_number() over (order by {order}) as _row
                      from only_rebuilt)
                select
                    count(*) filter (where a._row is null or b._row is null
                                     or not ({" and ".join(same)}))
                    {"".join(", " + x for x in largest)}
                from a full join b on a._row = b._row
                """
            ).fetchone()
            return found[0], {
                c: v for c, v in zip(sorted(floats), found[1:], strict=True) if v is not None
            }

        found = {alias: views(alias) for alias in files}
        marts = sorted(set(found["incremental"]) | set(found["rebuilt"]))
        mismatching, lineage_aside, float_noise, rows = {}, {}, {}, {}
        for view in marts:
            if view not in found["incremental"] or view not in found["rebuilt"]:
                where = "full" if view not in found["incremental"] else "incremental"
                mismatching[view] = f"only in the {where} build"
                continue
            if view == "catalog":
                continue
            typed = columns("incremental", view)
            if typed != columns("rebuilt", view):
                mismatching[view] = f"columns differ: {typed} / {columns('rebuilt', view)}"
                continue
            names = [c for c, _type in typed]
            floats = {c for c, kind in typed if kind in ("DOUBLE", "FLOAT", "REAL")}
            rows[view] = [
                con.execute(f"select count(*) from {alias}.marts.{view}").fetchone()[0]
                for alias in files
            ]
            extra = only_in_each(view, names)
            if extra == (0, 0):
                continue
            changed = differing_columns(names)
            aside = [c for c in changed if c in LINEAGE_COLUMNS]
            kept = [c for c in names if c not in aside]
            if set(changed) <= floats | set(aside):
                differing, largest = within_tolerance(kept, floats & set(kept))
                if differing == 0:
                    if aside:
                        lineage_aside[view] = aside
                    largest = {c: float(f"{v:.3g}") for c, v in largest.items() if v > 0}
                    if largest:
                        float_noise[view] = largest
                    continue
            mismatching[view] = (
                f"{extra[0]:,} rows only in the incremental build, {extra[1]:,} only in the "
                f"full one; columns differing: {', '.join(changed) or 'none alone'}"
            )
    if "catalog" in found["incremental"] and "catalog" in found["rebuilt"]:
        catalogs = []
        for path in files.values():
            with duckdb.connect(path, read_only=True) as con:
                listed = con.execute("select * from marts.catalog").fetchall()
                catalogs.append(sorted(map(repr, listed)))
        rows["catalog"] = [len(c) for c in catalogs]
        if catalogs[0] != catalogs[1]:
            mismatching["catalog"] = "the catalogs differ"
    shutil.rmtree(spill, ignore_errors=True)
    return {
        "equal": not mismatching,
        "marts": marts,
        "mismatching": mismatching,
        "float_tolerance": FLOAT_TOLERANCE,
        "equal_within_float_tolerance": float_noise,
        "lineage_aside": lineage_aside,
        "rows": rows,
        "seconds": round(time.perf_counter() - started, 2),
        "peak_rss_mb": round(_peak_rss_mb()),
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
    mark = time.perf_counter()
    result = publish.build_and_publish(universe, "bench_rebuild", full=True)
    seconds = time.perf_counter() - mark
    return {
        "seconds": seconds,
        "build": result.build,
        "peak_rss_mb": _peak_rss_mb(),
        "rss_before_mb": rss_before,
        "imports_s": imports_s,
        "row_counts": result.row_counts,
    }


def child_sublake(args) -> dict:
    """The first `symbols` symbols of the universe (subset order) over its last `years`
    years, from a lake: prices (symbol files, their footer metadata kept, and
    increments) and corporate actions cut, members and earnings of those symbols only,
    the small datasets as they are; and a universe file (`--universe-out`) whose
    history_start is the sub-lake's start."""
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
    cut = start > dt.date.fromisoformat(manifest["history_start"])
    source, target = Path(args.source) / "lake", storage.path("lake")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    rows = 0

    def cut_table(table: pa.Table) -> pa.Table:
        return table.filter(pc.greater_equal(table["date"], pa.scalar(start, pa.date32())))

    for dataset in ("prices_daily", "corporate_actions"):
        for folder in sorted((source / dataset).glob("symbol=*")):
            if folder.name.split("=", 1)[1] not in keep:
                continue
            key = f"lake/{dataset}/{folder.name}/data.parquet"
            if cut:  # the lake's writer; the footer's metadata (restated_by, last_date) kept
                table = cut_table(pq.read_table(folder / "data.parquet"))
                storage.write_parquet(key, table)
                count = table.num_rows
            else:  # the whole span: the same file
                storage.path(key).parent.mkdir(parents=True)
                os.link(folder / "data.parquet", storage.path(key))
                count = pq.ParquetFile(folder / "data.parquet").metadata.num_rows
            rows += count if dataset == "prices_daily" else 0
    for path in sorted((source / "prices_daily" / "increments").glob("*.parquet")):
        table = pq.read_table(path)
        table = table.filter(pc.is_in(table["symbol"], pa.array(sorted(keep))))
        table = cut_table(table) if cut else table
        if table.num_rows:
            storage.write_parquet(f"lake/prices_daily/increments/{path.name}", table)
            rows += table.num_rows
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
    text = Path(os.environ["RADAR_UNIVERSE"]).read_text()
    line = f"history_start: {manifest['history_start']}"
    if line not in text:
        raise RuntimeError(f"{os.environ['RADAR_UNIVERSE']}: no line {line!r}")
    Path(args.universe_out).write_text(text.replace(line, f"history_start: {start.isoformat()}"))
    return {"rows": rows, "start": start.isoformat(), "symbols": len(keep)}


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
    "alerts": child_alerts,
    "warm": child_warm,
    "incremental": child_incremental,
    "full_build": child_full_build,
    "compare": child_compare,
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
    child.add_argument("--day")
    child.add_argument("--url")
    child.add_argument("--root")
    child.add_argument("--run-id")
    child.add_argument("--server-pid", type=int)
    child.add_argument("--runs", type=int, default=RUNS)
    child.add_argument("--target")
    child.add_argument("--source")
    child.add_argument("--symbols", type=int)
    child.add_argument("--years", type=int)
    child.add_argument("--manifest")
    child.add_argument("--universe-out")
    child.add_argument("--snapshot")
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
