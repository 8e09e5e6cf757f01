"""The DuckDB warehouse: built from include/sql/ over the lake into a new file,
audited, then published with one atomic rename.

Layers (schemas): `lake` (views over the Parquet lake, one per dataset),
`staging` (the `stg_*` models plus the universe's pairs, baskets and the NYSE
sessions), `marts` (tables for BI tools, documented with COMMENT ON).
`marts.breakout_signals` is the union of the rule files in include/sql/alerts/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from rotation_radar.core import lake
from rotation_radar.core import sessions
from rotation_radar.core import settings
from rotation_radar.core import storage
from rotation_radar.alerts.rules import SIGNAL_COLUMNS
from rotation_radar.core.settings import Universe

SQL = settings.SQL_DIR
# Marts in dependency order; breakout_signals (from alerts/) comes last.
MARTS = (
    "records",
    "relative_strength",
    "data_quality",
    "fomc_decisions",
    "fomc_event_returns",
    "rate_sensitivity",
    "valuation_spread",
    "alert_log",
)
# Lake datasets the warehouse reads, and where their files live.
LAKE_SOURCES = {
    "prices_daily": "lake/prices_daily",
    "prices_daily_versions": "lake/prices_daily_versions",
    "corporate_actions": "lake/corporate_actions",
    "data_quality": "lake/data_quality",
    "quarantine_prices_daily": "quarantine/prices_daily",
    "fomc_statements": "lake/fomc_statements",
    "fomc_statements_versions": "lake/fomc_statements_versions",
    "fed_funds_target": "lake/fed_funds_target",
    "treasury_yields": "lake/treasury_yields",
    "universe_members": "lake/universe_members",
    "earnings_facts": "lake/earnings_facts",
    "earnings_ttm": "lake/earnings_ttm",
    "sec_companies": "lake/sec_companies",
    "alert_log": "lake/alert_log",
}
WAREHOUSE_KEY = "warehouse/radar.duckdb"


class AuditFailed(RuntimeError):
    """The new warehouse failed its audit; the published one was left as it was."""


def sql(path: Path) -> str:
    return path.read_text()


# DuckDB settings of a build's connection (set by load_lake, its first step). Above the
# memory limit DuckDB spills to a temporary folder next to the file instead of growing:
# a full rebuild of 16 million price rows stays near 3 GB resident (near 4 GB without).
# The metadata cache reads each lake file's footer once per build, not once per query
# that binds the lake's views (union_by_name reads every file's schema).
CONNECTION_SETTINGS = {"memory_limit": "3GB", "parquet_metadata_cache": "true"}


def configure(con: duckdb.DuckDBPyConnection) -> None:
    for name, value in CONNECTION_SETTINGS.items():
        con.execute(f"set {name} = '{value}'")


def load_lake(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame] | None = None) -> None:
    """Schema `lake`: a view over each dataset's Parquet files (or, in tests, the frames
    given); a dataset without files is an empty table of its schema."""
    configure(con)
    con.execute("create schema if not exists lake")
    for dataset, prefix in LAKE_SOURCES.items():
        if frames is not None:
            table = lake.to_table(frames.get(dataset, lake.to_frame(None, dataset)), dataset)
            con.register("_frame", table)
            con.execute(f"create or replace table lake.{dataset} as select * from _frame")
            con.unregister("_frame")
        elif storage.keys(prefix, "**/*.parquet"):
            glob = str(storage.local_copy(prefix) / "**" / "*.parquet").replace("'", "''")
            con.execute(
                f"create or replace view lake.{dataset} as "
                f"select * from read_parquet('{glob}', union_by_name = true, hive_partitioning = false)"
            )
        else:
            con.register("_empty", lake.SCHEMAS[dataset].empty_table())
            con.execute(f"create or replace table lake.{dataset} as select * from _empty")
            con.unregister("_empty")


def load_config(con: duckdb.DuckDBPyConnection, universe: Universe) -> None:
    """Staging tables from configuration: pairs, basket members, NYSE sessions, the
    universe's own symbols (not constituents) and the valuation spreads' settings."""
    con.execute("create schema if not exists staging")
    pairs = pd.DataFrame(
        [(p.id, p.numerator, p.denominator, p.price) for p in universe.pairs],
        columns=["pair", "numerator", "denominator", "price_column"],
    )
    members = pd.DataFrame(
        [(basket, symbol) for basket, symbols in universe.baskets.items() for symbol in symbols],
        columns=["basket", "symbol"],
    )
    # fetchall: DuckDB 2.0 refuses register() while a fetchone() result is unfinished
    # one scan of the lake for both (each reads every price file)
    first, last = con.execute("select min(date), max(date) from lake.prices_daily").fetchall()[0]
    # From history_start when it is a date (the lake may start later); for a whole
    # history, from the lake's first date (not the calendar's first day).
    first = first or universe.history_start
    last = last or first
    days = sessions.sessions_between(first if universe.whole_history else min(first, universe.history_start), last)
    calendar = pd.DataFrame({"date": pd.Series(days, dtype="object"), "session_index": range(len(days))})
    tracked = pd.DataFrame({"symbol": list(universe.symbols)})
    valuation = universe.valuation
    valuation_pairs = pd.DataFrame(valuation.pairs, columns=["small_basket", "large_basket"])
    valuation_settings = pd.DataFrame(
        [(valuation.min_coverage, valuation.zscore_min_history, valuation.zscore_threshold)],
        columns=["min_coverage", "zscore_min_history", "zscore_threshold"],
    )
    for name, frame in (
        ("stg_pairs", pairs),
        ("stg_basket_members", members),
        ("stg_sessions", calendar),
        ("stg_valuation_pairs", valuation_pairs),
        ("stg_valuation_settings", valuation_settings),
        ("stg_tracked_symbols", tracked),
    ):
        con.register("_config", frame)
        con.execute(f"create or replace table staging.{name} as select * from _config")
        con.unregister("_config")
    con.execute("alter table staging.stg_sessions alter date type date")


def load_statement_diffs(con: duckdb.DuckDBPyConnection) -> None:
    """staging.stg_fomc_diffs: each statement's sentences added and removed against the
    previous one (a Python model: the diff is rotation_radar.fomc.diff_statements)."""
    rows = con.execute("select statement_date, text from lake.fomc_statements order by statement_date").fetchall()
    diffs = []
    if len(rows) > 1:
        from rotation_radar.fomc import statements
    for (previous_date, previous), (date, text) in zip(rows, rows[1:], strict=False):
        diff = statements.diff_statements(previous, text)
        diffs.append((date, previous_date, diff.added, diff.removed, diff.redlines))
    frame = pd.DataFrame(
        diffs, columns=["statement_date", "previous_statement_date", "sentences_added", "sentences_removed", "redlines"]
    )
    con.execute("create schema if not exists staging")
    con.execute(
        "create or replace table staging.stg_fomc_diffs (statement_date date, previous_statement_date date, "
        "sentences_added varchar[], sentences_removed varchar[], redlines varchar[])"
    )
    if len(frame):
        con.register("_diffs", frame)
        con.execute("insert into staging.stg_fomc_diffs select * from _diffs")
        con.unregister("_diffs")


# Staging views that several models read in full, materialised once per build (see
# materialized_staging), with the columns the models read.
BUILD_MATERIALIZED = {
    "stg_prices_daily": ("symbol", "date", "open", "high", "low", "close", "adj_close", "volume"),
}


@contextmanager
def materialized_staging(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """While the marts are built, each view of BUILD_MATERIALIZED reads a temporary table
    holding its rows, so the lake is read and de-duplicated once per build, not once per
    model that reads it (records, the baskets, relative_strength, fomc_event_returns,
    valuation_spread). The table has only the listed columns: a model reading another
    fails to bind, it never reads other values. The view's own definition is put back
    afterwards, so the published warehouse has the same views over the lake."""
    for name, columns in BUILD_MATERIALIZED.items():
        con.execute(f"create or replace temp table {name} as select {', '.join(columns)} from staging.{name}")
        con.execute(f"create or replace view staging.{name} as select * from temp.main.{name}")
    try:
        yield
    finally:
        for name in BUILD_MATERIALIZED:
            con.execute(f"create or replace view staging.{name} as {sql(SQL / 'staging' / f'{name}.sql')}")
            con.execute(f"drop table if exists temp.main.{name}")


def run_models(con: duckdb.DuckDBPyConnection) -> None:
    """Staging views, mart tables (schema `core`) each published as a view of the same
    name in schema `marts`, the breakout signals, their docs and the catalog."""
    load_statement_diffs(con)
    for schema in ("core", "marts"):
        con.execute(f"create schema if not exists {schema}")
    for path in sorted((SQL / "staging").glob("*.sql")):
        con.execute(f"create or replace view staging.{path.stem} as {sql(path)}")
    with materialized_staging(con):
        for name in MARTS:
            publish_mart(con, name, sql(SQL / "marts" / f"{name}.sql"))
    columns = ", ".join(SIGNAL_COLUMNS)
    rules = [f"select {columns} from ({sql(p)})" for p in sorted((SQL / "alerts").glob("*.sql"))]
    publish_mart(con, "breakout_signals", f"select * from ({' union all '.join(rules)}) order by date, rule, subject")
    con.execute(f"create or replace view marts.catalog as {sql(SQL / 'catalog.sql')}")
    document(con)


def publish_mart(con: duckdb.DuckDBPyConnection, name: str, query: str) -> None:
    """Materialise a mart in `core` and expose it as the view `marts.<name>`: BI tools
    query the views, so the tables behind them can change without breaking a report."""
    con.execute(f"create or replace table core.{name} as {query}")
    con.execute(f"create or replace view marts.{name} as select * from core.{name}")


def mart_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The published marts (views of schema marts, the catalog aside)."""
    rows = con.execute(
        "select view_name from duckdb_views() where schema_name = 'marts' and view_name <> 'catalog' order by 1"
    ).fetchall()
    return [name for (name,) in rows]


def document(con: duckdb.DuckDBPyConnection) -> None:
    """COMMENT ON every mart view and column described in include/sql/marts/docs.yaml."""
    for table, doc in docs().items():
        con.execute(f"comment on view marts.{table} is {quote(doc['description'])}")
        for column, text in (doc.get("columns") or {}).items():
            con.execute(f"comment on column marts.{table}.{column} is {quote(text)}")


def docs() -> dict:
    return yaml.safe_load((SQL / "marts" / "docs.yaml").read_text())


def quote(text: str) -> str:
    return "'" + " ".join(str(text).split()).replace("'", "''") + "'"


@dataclass
class BuildResult:
    path: str
    as_of: str | None
    row_counts: dict[str, int]


def audit(con: duckdb.DuckDBPyConnection, as_of: dt.date | None) -> dict[str, int]:
    """Row counts, unique keys and freshness of the marts; AuditFailed names what is wrong."""
    counts = {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in mart_names(con)}
    problems = []
    for table, keys in (
        ("records", "symbol, date"),
        ("relative_strength", "pair, date"),
        ("valuation_spread", "date, small_basket, large_basket"),
    ):
        duplicates = con.execute(
            f"select count(*) from (select {keys} from marts.{table} group by all having count(*) > 1)"
        ).fetchone()[0]
        if duplicates:
            problems.append(f"marts.{table}: {duplicates} duplicated keys ({keys})")
    if as_of is not None:
        for table in ("records", "relative_strength"):
            if not counts.get(table):
                problems.append(f"marts.{table} is empty")
                continue
            latest = con.execute(f"select max(date) from marts.{table}").fetchone()[0]
            if latest != as_of:
                problems.append(f"marts.{table} ends {latest}, the lake's latest session is {as_of}")
    if problems:
        raise AuditFailed("warehouse audit failed: " + "; ".join(problems))
    return counts


def build(universe: Universe, run_id: str) -> BuildResult:
    """Build a new warehouse file from the lake, audit it, publish it atomically (the
    previous one kept for rollback), then its marts as Parquet files. On object storage
    see `build_remote`."""
    if storage.is_remote():
        return build_remote(universe, run_id)
    target = storage.path(WAREHOUSE_KEY)
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.time()  # what an interrupted build left (with its .wal) goes first
    storage.sweep("warehouse", started, f".{target.stem}.*.building.duckdb*")
    storage.sweep("warehouse", started)
    building = target.with_name(f".{target.stem}.{lake.run_key(run_id)}.building.duckdb")
    building.unlink(missing_ok=True)
    try:
        as_of, counts = build_file(building, universe)
        publish(building, target)
    finally:
        building.unlink(missing_ok=True)
    export_parquet(target, run_id)
    return BuildResult(str(target), as_of.isoformat() if as_of else None, counts)


def build_file(target: Path, universe: Universe) -> tuple[dt.date | None, dict[str, int]]:
    """Build the warehouse from the lake into a new local file and audit it (AuditFailed
    says why); returns the lake's latest session and the marts' row counts."""
    with duckdb.connect(str(target)) as con:
        load_lake(con)
        as_of = con.execute("select max(date) from lake.prices_daily").fetchone()[0]
        load_config(con, universe)
        run_models(con)
        counts = audit(con, as_of)
        con.execute("checkpoint")
    return as_of, counts


def keep_count() -> int:
    """Previous warehouses kept for rollback (RADAR_WAREHOUSE_KEEP, default 5)."""
    return int(os.environ.get("RADAR_WAREHOUSE_KEEP", "5"))


def history_dir(target: Path) -> Path:
    return target.parent / "history"


def kept(target: Path) -> list[Path]:
    """Previous warehouses, oldest first."""
    return sorted(history_dir(target).glob("radar-*.duckdb"))


def _link(source: Path, destination: Path) -> None:
    """A second name for a file (a copy where hard links are not possible)."""
    try:
        os.link(source, destination)
    except OSError:
        shutil.copy2(source, destination)


def publish(built: Path, target: Path) -> None:
    """Swap the new file in with one rename: a reader sees the old file or the new one.
    The old one stays in warehouse/history/ (the newest `keep_count()`) for rollback."""
    with open(built, "rb") as handle:
        os.fsync(handle.fileno())
    if target.exists():
        history_dir(target).mkdir(exist_ok=True)
        _link(target, history_dir(target) / f"radar-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}.duckdb")
        for old in kept(target)[: -keep_count() or None]:
            old.unlink()
    os.replace(built, target)


def rollback(target: Path | None = None) -> Path | str:
    """Publish the newest kept warehouse again (one rename); the replaced one is kept as
    history/rolled-back-*.duckdb. Returns the file now published (on object storage see
    `rollback_remote`)."""
    if target is None and storage.is_remote():
        return rollback_remote()
    target = target or storage.path(WAREHOUSE_KEY)
    previous = kept(target)
    if not previous:
        raise FileNotFoundError(f"no previous warehouse in {history_dir(target)} to roll back to")
    chosen = previous[-1]
    if target.exists():
        _link(target, history_dir(target) / f"rolled-back-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}.duckdb")
    os.replace(chosen, target)
    return target


PARQUET_LINK = "parquet"  # warehouse/parquet -> the current export's folder


def export_parquet(warehouse: Path, run_id: str) -> Path:
    """Every mart of a published warehouse as warehouse/parquet/<mart>.parquet, for tools
    that read Parquet but not DuckDB. The files are written to a new folder and the
    `parquet` symlink is swapped to it with one rename, so a reader sees one whole export;
    the previous folder is kept (a reader may be in it), older ones removed."""
    root = warehouse.parent
    folder = root / f"parquet-{dt.datetime.now(dt.UTC):%Y%m%dT%H%M%S%f}-{lake.run_key(run_id)}"
    write_marts_parquet(warehouse, folder)
    link = root / PARQUET_LINK
    previous = link.resolve() if link.is_symlink() else None
    swap = root / f".{PARQUET_LINK}.{lake.run_key(run_id)}.link"
    swap.unlink(missing_ok=True)
    swap.symlink_to(folder.name)
    os.replace(swap, link)
    for old in root.glob("parquet-*"):
        if old not in (folder, previous):
            shutil.rmtree(old, ignore_errors=True)
    return link


def write_marts_parquet(warehouse: Path, folder: Path) -> list[Path]:
    """Every mart of a warehouse file as <folder>/<mart>.parquet (a new folder)."""
    folder.mkdir()
    files = []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name in mart_names(con):
            files.append(folder / f"{name}.parquet")
            path = str(files[-1]).replace("'", "''")
            # zstd level 1: the 16 million-row records mart in 5.2 s instead of 6.5 s, 7% larger
            con.execute(
                f"copy (select * from marts.{name}) to '{path}' (format parquet, compression zstd, compression_level 1)"
            )
    return files


# ---- on object storage: each build uploaded whole, then a manifest written last -------

MANIFEST_KEY = "warehouse/manifest.json"
BUILDS_PREFIX = "warehouse/builds"
ENTRY_FIELDS = ("build", "sha256", "size", "as_of", "row_counts", "built_at", "run_id")


def build_remote(universe: Universe, run_id: str) -> BuildResult:
    """Build and audit in a local work folder, upload the file as one object
    (warehouse/builds/radar-<stamp>-<run>.duckdb) and its marts as Parquet
    (warehouse/parquet-<stamp>-<run>/), then write warehouse/manifest.json last: readers
    follow the manifest, so they never see a build before it is whole."""
    now = dt.datetime.now(dt.UTC)
    name = f"{now:%Y%m%dT%H%M%S%f}-{lake.run_key(run_id)}"
    storage.cache_dir().mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="build-", dir=storage.cache_dir()))
    try:
        local = work / "radar.duckdb"
        as_of, counts = build_file(local, universe)
        entry = {
            "build": f"{BUILDS_PREFIX}/radar-{name}.duckdb", "sha256": sha256_of(local),
            "size": local.stat().st_size, "as_of": as_of.isoformat() if as_of else None,
            "row_counts": counts, "built_at": now.isoformat(), "run_id": run_id,
        }  # fmt: skip
        storage.upload(local, entry["build"])
        folder = f"warehouse/parquet-{name}"
        for path in write_marts_parquet(local, work / "parquet"):
            storage.upload(path, f"{folder}/{path.name}")
        manifest = publish_manifest(entry, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    prune(manifest)
    return BuildResult(storage.url(entry["build"]), entry["as_of"], counts)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_manifest() -> dict | None:
    """warehouse/manifest.json of an object-storage root, None before the first publish."""
    try:
        return json.loads(storage.read_bytes(MANIFEST_KEY))
    except FileNotFoundError:
        return None


def write_manifest(manifest: dict) -> None:
    storage.write_bytes(MANIFEST_KEY, json.dumps(manifest, indent=1).encode())


def entry_of(manifest: dict) -> dict:
    """The build a manifest publishes, as listed among the previous ones."""
    return {field: manifest.get(field) for field in ENTRY_FIELDS}


def publish_manifest(entry: dict, parquet: str) -> dict:
    """Point the manifest at a new build and its Parquet export (one PUT, a build's last
    write); the build it replaces heads the `previous` list (the newest `keep_count()`)."""
    old = read_manifest()
    manifest = {
        **entry,
        "parquet": parquet,
        "previous_parquet": old["parquet"] if old else None,
        "previous": ([entry_of(old), *old["previous"]] if old else [])[: keep_count()],
        "rolled_back": old["rolled_back"] if old else [],
    }
    write_manifest(manifest)
    return manifest


def prune(manifest: dict) -> None:
    """Delete the builds the manifest no longer names and the Parquet exports other than
    its current and previous one; only older ones than its own, so a build another run
    is still uploading (newer) is left alone."""
    named = {e["build"] for e in (manifest, *manifest["previous"], *manifest["rolled_back"])}
    for key in storage.keys(BUILDS_PREFIX, "radar-*.duckdb"):
        if key not in named and key < manifest["build"]:
            storage.delete(key)
    folders = {key.rsplit("/", 1)[0] for key in storage.keys("warehouse", "parquet-*/*.parquet")}
    for folder in sorted(folders - {manifest["parquet"], manifest["previous_parquet"]}):
        if folder < manifest["parquet"]:
            storage.delete(folder)


def rollback_remote() -> str:
    """Point the manifest at the newest previous build again (one PUT); the replaced one
    is listed under `rolled_back`. Returns the URL of the build now published. The
    Parquet export stays the latest one, as on a local root."""
    manifest = read_manifest()
    if not manifest or not manifest["previous"]:
        raise FileNotFoundError(f"no previous warehouse in {storage.url(MANIFEST_KEY)} to roll back to")
    chosen, *rest = manifest["previous"]
    if not storage.exists(chosen["build"]):
        raise FileNotFoundError(f"{storage.url(chosen['build'])}: the build to roll back to is gone")
    rolled_back = [entry_of(manifest), *manifest["rolled_back"]][: keep_count()]
    write_manifest({**manifest, **chosen, "previous": rest, "rolled_back": rolled_back})
    return storage.url(chosen["build"])


def published_path() -> Path | None:
    """The published warehouse as a local file to open read-only, None when none is. On
    object storage, the build the manifest names, downloaded once into the cache and
    checked against its sha256: a reader never opens a half-uploaded build."""
    if not storage.is_remote():
        path = storage.path(WAREHOUSE_KEY)
        return path if path.exists() else None
    manifest = read_manifest()
    return fetch(manifest) if manifest else None


def fetch(entry: dict) -> Path:
    """A build object as a read-only file in the cache, named by its sha256 (only the
    most recently used `keep_count() + 1` are kept)."""
    cache = storage.cache_dir() / "warehouse"
    cached = cache / f"radar-{entry['sha256']}.duckdb"
    if cached.exists():
        os.utime(cached)
        return cached
    partial = storage.download(entry["build"], cache / f".{cached.name}.{os.getpid()}.download")
    digest = sha256_of(partial)
    if digest != entry["sha256"]:
        partial.unlink()
        raise storage.StorageError(
            f"{storage.url(entry['build'])}: sha256 {digest} is not the manifest's {entry['sha256']}"
        )
    partial.chmod(0o444)  # a shared copy: nobody opens it read-write
    os.replace(partial, cached)
    for old in sorted(cache.glob("radar-*.duckdb"), key=lambda p: p.stat().st_mtime)[: -keep_count() - 1]:
        old.unlink(missing_ok=True)
    return cached


DOCS_PATH = settings.REPO_ROOT / "docs" / "marts.md"


def catalog_markdown() -> str:
    """docs/marts.md: every mart and column with its type and description, read from the
    catalog of a warehouse built (empty) from the same SQL and docs.yaml."""
    with duckdb.connect() as con:
        load_lake(con, frames={})
        load_config(con, settings.load_universe())
        run_models(con)
        rows = con.execute("select mart, column_name, data_type, description from marts.catalog").fetchall()
    lines = [
        "# Marts",
        "",
        "Generated by `make docs` (`python -m rotation_radar.warehouse docs`) from the",
        "warehouse's `marts.catalog`, whose descriptions come from `include/sql/marts/docs.yaml`",
        "(the same text BI tools see as `COMMENT ON`). Do not edit by hand; CI checks it is current.",
    ]
    for mart, column, data_type, description in rows:
        if column is None:
            lines += ["", f"## marts.{mart}", "", " ".join(description.split()), "", "| column | type | description |",
                      "|---|---|---|"]  # fmt: skip
        else:
            lines.append(f"| `{column}` | {data_type} | {description.replace('|', '/')} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """`python -m rotation_radar.warehouse rollback|history|docs` (make rollback, make docs)."""
    import argparse

    parser = argparse.ArgumentParser(description="The published warehouse: roll back, list kept versions, docs.")
    parser.add_argument("command", choices=("rollback", "history", "docs"))
    args = parser.parse_args(argv)
    if args.command == "docs":
        DOCS_PATH.parent.mkdir(exist_ok=True)
        DOCS_PATH.write_text(catalog_markdown())
        print(f"wrote {DOCS_PATH}")
        return 0
    if storage.is_remote():
        return main_remote(args.command)
    target = storage.path(WAREHOUSE_KEY)
    if args.command == "history":
        for path in kept(target):
            print(path)
        return 0
    print(f"published again: {rollback(target)} (the replaced one is in {history_dir(target)})")
    return 0


def main_remote(command: str) -> int:
    """history and rollback on object storage: the builds the manifest keeps, oldest first."""
    if command == "history":
        for entry in reversed((read_manifest() or {"previous": []})["previous"]):
            print(f"{storage.url(entry['build'])}  as of {entry['as_of']}, built {entry['built_at']}")
        return 0
    print(f"published again: {rollback_remote()} ({storage.url(MANIFEST_KEY)} rewritten)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
