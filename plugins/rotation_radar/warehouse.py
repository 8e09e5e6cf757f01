"""The DuckDB warehouse: built from include/sql/ over the lake into a new file,
audited, then published with one atomic rename.

Layers (schemas): `lake` (views over the Parquet lake, one per dataset),
`staging` (the `stg_*` models plus the universe's pairs, baskets and the NYSE
sessions), `marts` (tables for BI tools, documented with COMMENT ON).
`marts.breakout_signals` is the union of the rule files in include/sql/alerts/.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from rotation_radar import lake, sessions, settings, storage
from rotation_radar.alerts import SIGNAL_COLUMNS
from rotation_radar.settings import Universe

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


def load_lake(con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame] | None = None) -> None:
    """Schema `lake`: a view over each dataset's Parquet files (or, in tests, the frames
    given); a dataset without files is an empty table of its schema."""
    con.execute("create schema if not exists lake")
    for dataset, prefix in LAKE_SOURCES.items():
        if frames is not None:
            table = lake.to_table(frames.get(dataset, lake.to_frame(None, dataset)), dataset)
            con.register("_frame", table)
            con.execute(f"create or replace table lake.{dataset} as select * from _frame")
            con.unregister("_frame")
        elif storage.keys(prefix, "**/*.parquet"):
            glob = str(storage.path(prefix) / "**" / "*.parquet").replace("'", "''")
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
    first = con.execute("select min(date) from lake.prices_daily").fetchall()[0][0] or universe.history_start
    last = con.execute("select max(date) from lake.prices_daily").fetchall()[0][0] or first
    days = sessions.sessions_between(min(first, universe.history_start), last)
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
        from rotation_radar import fomc
    for (previous_date, previous), (date, text) in zip(rows, rows[1:], strict=False):
        diff = fomc.diff_statements(previous, text)
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


def run_models(con: duckdb.DuckDBPyConnection) -> None:
    """Staging views, mart tables (schema `core`) each published as a view of the same
    name in schema `marts`, the breakout signals, their docs and the catalog."""
    load_statement_diffs(con)
    for schema in ("core", "marts"):
        con.execute(f"create schema if not exists {schema}")
    for path in sorted((SQL / "staging").glob("*.sql")):
        con.execute(f"create or replace view staging.{path.stem} as {sql(path)}")
    for name in MARTS:
        publish_mart(con, name, sql(SQL / "marts" / f"{name}.sql"))
    columns = ", ".join(SIGNAL_COLUMNS)
    rules = [f"select {columns} from ({sql(p)})" for p in sorted((SQL / "alerts").glob("*.sql"))]
    publish_mart(con, "breakout_signals", f"select * from ({' union all '.join(rules)}) order by date, rule, subject")
    document(con)
    con.execute(f"create or replace view marts.catalog as {sql(SQL / 'catalog.sql')}")


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
    previous one kept for rollback), then its marts as Parquet files."""
    target = storage.path(WAREHOUSE_KEY)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.stem}.{lake.run_key(run_id)}.building.duckdb")
    building.unlink(missing_ok=True)
    try:
        with duckdb.connect(str(building)) as con:
            load_lake(con)
            as_of = con.execute("select max(date) from lake.prices_daily").fetchone()[0]
            load_config(con, universe)
            run_models(con)
            counts = audit(con, as_of)
            con.execute("checkpoint")
        publish(building, target)
    finally:
        building.unlink(missing_ok=True)
    export_parquet(target, run_id)
    return BuildResult(str(target), as_of.isoformat() if as_of else None, counts)


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


def rollback(target: Path | None = None) -> Path:
    """Publish the newest kept warehouse again (one rename); the replaced one is kept as
    history/rolled-back-*.duckdb. Returns the file now published."""
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
    folder.mkdir()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for name in mart_names(con):
            path = str(folder / f"{name}.parquet").replace("'", "''")
            con.execute(f"copy (select * from marts.{name}) to '{path}' (format parquet, compression zstd)")
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
    target = storage.path(WAREHOUSE_KEY)
    if args.command == "history":
        for path in kept(target):
            print(path)
        return 0
    print(f"published again: {rollback(target)} (the replaced one is in {history_dir(target)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
