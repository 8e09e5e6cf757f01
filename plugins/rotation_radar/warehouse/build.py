"""Building the DuckDB warehouse from include/sql/ over the lake into a new file, then
auditing it (publishing it is rotation_radar.warehouse.publish).

Layers (schemas): `lake` (views over the Parquet lake, one per dataset),
`staging` (the `stg_*` models plus the universe's pairs, baskets and the NYSE
sessions), `marts` (tables for BI tools, documented with COMMENT ON).
`marts.breakout_signals` is the union of the rule files in include/sql/alerts/.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from rotation_radar.alerts.rules import SIGNAL_COLUMNS
from rotation_radar.core import lake, sessions, settings, storage
from rotation_radar.core.settings import Universe
from rotation_radar.warehouse import docs, incremental, read

SQL = settings.SQL_DIR
# Marts in dependency order; breakout_signals (from alerts/) comes last.
MARTS = (
    "records",
    "relative_strength",
    "sector_breadth",
    "breadth",
    "rotation",
    "data_quality",
    "fomc_projections",
    "fed_path",
    "fomc_decisions",
    "fomc_event_returns",
    "fomc_event_summary",
    "rate_sensitivity",
    "valuation_spread",
    "concentration",
    "drawdowns",
    "record_counts",
    "alert_log",
)


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


def load_lake(
    con: duckdb.DuckDBPyConnection, frames: dict[str, pd.DataFrame] | None = None
) -> None:
    """Schema `lake`: a view over the Parquet files of each dataset the registry marks as
    read by the warehouse (or, in tests, the frames given); a dataset without files is an
    empty table of its schema."""
    configure(con)
    # anew: a dataset empty at the last build (a table) may have files now (a view)
    con.execute("drop schema if exists lake cascade")
    con.execute("create schema lake")
    for view in lake.warehouse_views():
        if frames is not None:
            table = lake.to_table(frames.get(view.name, lake.to_frame(None, view.name)), view.name)
            con.register("_frame", table)
            con.execute(f"create or replace table lake.{view.name} as select * from _frame")
            con.unregister("_frame")
        elif storage.keys(view.prefix, view.glob):
            glob = str(storage.local_copy(view.prefix) / view.glob).replace("'", "''")
            con.execute(
                f"create or replace view lake.{view.name} as "
                f"select * from read_parquet('{glob}', "
                "union_by_name = true, hive_partitioning = false)"
            )
        else:
            con.register("_empty", view.schema.empty_table())
            con.execute(f"create or replace table lake.{view.name} as select * from _empty")
            con.unregister("_empty")


def stage_config(
    con: duckdb.DuckDBPyConnection,
    universe: Universe,
    span: tuple[dt.date | None, dt.date | None] | None = None,
) -> None:
    """Staging tables from configuration: pairs, basket members, NYSE sessions, the
    universe's own symbols (not constituents) and the valuation spreads' settings. The
    sessions run over `span`, the lake's first and last price dates (read from the lake
    when not given)."""
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
    if span is None:
        span = con.execute("select min(date), max(date) from lake.prices_daily").fetchall()[0]
    first, last = span
    # From history_start when it is a date (the lake may start later); for a whole
    # history, from the lake's first date (not the calendar's first day).
    first = first or universe.history_start
    last = last or first
    days = sessions.sessions_between(
        first if universe.whole_history else min(first, universe.history_start), last
    )
    calendar = pd.DataFrame(
        {"date": pd.Series(days, dtype="object"), "session_index": range(len(days))}
    )
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
    # a full build recomputes every date; update() replaces this with its first changed one
    con.execute("create or replace table staging.stg_build_since as select null::date as since")


def load_statement_diffs(con: duckdb.DuckDBPyConnection) -> None:
    """staging.stg_fomc_diffs: each statement's sentences added and removed against the
    previous one (a Python model: the diff is rotation_radar.fomc.diff_statements)."""
    rows = con.execute(
        "select statement_date, text from lake.fomc_statements order by statement_date"
    ).fetchall()
    diffs = []
    if len(rows) > 1:
        from rotation_radar.fomc import statements
    for (previous_date, previous), (date, text) in zip(rows, rows[1:], strict=False):
        diff = statements.diff_statements(previous, text)
        diffs.append((date, previous_date, diff.added, diff.removed, diff.redlines))
    frame = pd.DataFrame(
        diffs,
        columns=[
            "statement_date",
            "previous_statement_date",
            "sentences_added",
            "sentences_removed",
            "redlines",
        ],
    )
    con.execute("create schema if not exists staging")
    con.execute(
        "create or replace table staging.stg_fomc_diffs (statement_date date, "
        "previous_statement_date date, sentences_added varchar[], "
        "sentences_removed varchar[], redlines varchar[])"
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
def materialized_staging(
    con: duckdb.DuckDBPyConnection, source: str | None = None
) -> Iterator[None]:
    """While the marts are built, each view of BUILD_MATERIALIZED reads a temporary table
    holding its rows, so the lake is read and de-duplicated once per build, not once per
    model that reads it (records, the baskets, relative_strength, fomc_event_returns,
    valuation_spread). The table has only the listed columns: a model reading another
    fails to bind, it never reads other values. With `source`, a table holding the same
    rows (an incremental build: core.records, one row per price), the view reads them
    from there instead. The view's own definition is put back afterwards, so the
    published warehouse has the same views over the lake."""
    for name, columns in BUILD_MATERIALIZED.items():
        selected = f"select {', '.join(columns)} from "
        if source is not None:
            con.execute(f"create or replace view staging.{name} as {selected}{source}")
            continue
        con.execute(f"create or replace temp table {name} as {selected}staging.{name}")
        con.execute(f"create or replace view staging.{name} as select * from temp.main.{name}")
    try:
        yield
    finally:
        for name in BUILD_MATERIALIZED:
            con.execute(
                f"create or replace view staging.{name} as {sql(SQL / 'staging' / f'{name}.sql')}"
            )
            con.execute(f"drop table if exists temp.main.{name}")


# Marts an incremental build updates in place: the rows from staging.stg_build_since on
# are deleted (include/sql/incremental/<mart>.sql) and their SQL, which computes only
# those, inserts them anew. A full build (since NULL) creates them whole.
UPDATED_IN_PLACE = ("sector_breadth", "record_counts")


def run_models(
    con: duckdb.DuckDBPyConnection,
    rebuilt: tuple[str, ...] = MARTS,
    prices_from: str | None = None,
) -> None:
    """Staging views, mart tables (schema `core`; those of `rebuilt`, in that order) each
    published as a view of the same name in schema `marts`, the breakout signals, their
    docs and the catalog. `prices_from`: see materialized_staging."""
    load_statement_diffs(con)
    for schema in ("core", "marts"):
        con.execute(f"create schema if not exists {schema}")
    for path in sorted((SQL / "staging").glob("*.sql")):
        con.execute(f"create or replace view staging.{path.stem} as {sql(path)}")
    (since_set,) = con.execute("select since is not null from staging.stg_build_since").fetchone()
    with materialized_staging(con, prices_from):
        for name in rebuilt:
            build_mart(con, name, in_place=since_set and name in UPDATED_IN_PLACE)
    columns = ", ".join(SIGNAL_COLUMNS)
    rules = [f"select {columns} from ({sql(p)})" for p in sorted((SQL / "alerts").glob("*.sql"))]
    publish_mart(
        con,
        "breakout_signals",
        f"select * from ({' union all '.join(rules)}) order by date, rule, subject",
    )
    con.execute(f"create or replace view marts.catalog as {sql(SQL / 'catalog.sql')}")
    docs.document(con)


def build_mart(con: duckdb.DuckDBPyConnection, name: str, in_place: bool = False) -> None:
    """One mart from include/sql/marts/<name>.sql: whole, or `in_place` (an incremental
    build's UPDATED_IN_PLACE marts) its rows from staging.stg_build_since on replaced."""
    query = sql(SQL / "marts" / f"{name}.sql")
    if not in_place:
        publish_mart(con, name, query)
        return
    con.execute(sql(SQL / "incremental" / f"{name}.sql"))
    con.execute(f"insert into core.{name} by name {query}")


def publish_mart(con: duckdb.DuckDBPyConnection, name: str, query: str) -> None:
    """Materialise a mart in `core` and expose it as the view `marts.<name>`: BI tools
    query the views, so the tables behind them can change without breaking a report."""
    con.execute(f"create or replace table core.{name} as {query}")
    con.execute(f"create or replace view marts.{name} as select * from core.{name}")


def audit(
    con: duckdb.DuckDBPyConnection, as_of: dt.date | None, written: str | None = None
) -> dict[str, int]:
    """Row counts, unique keys and freshness of the marts; AuditFailed names what is wrong.
    `written`: a relation of the (symbol, date) keys an incremental build wrote to
    records, whose keys are then checked (the others were unique when published)."""
    counts = {
        name: con.execute(f"select count(*) from marts.{name}").fetchone()[0]
        for name in read.mart_names(con)
    }
    problems = []
    for table, keys in (
        ("records", "symbol, date"),
        ("relative_strength", "pair, date"),
        ("valuation_spread", "date, small_basket, large_basket"),
    ):
        rows = f"marts.{table}"
        if table == "records" and written is not None:
            rows = (
                f"(select {keys} from marts.records semi join "
                f"(select distinct {keys} from {written}) as written using ({keys}))"
            )
        duplicates = con.execute(
            f"select count(*) from (select {keys} from {rows} group by all having count(*) > 1)"
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
                problems.append(
                    f"marts.{table} ends {latest}, the lake's latest session is {as_of}"
                )
    if problems:
        raise AuditFailed("warehouse audit failed: " + "; ".join(problems))
    return counts


def build_file(
    target: Path, universe: Universe, previous: Path | None = None
) -> tuple[dt.date | None, dict[str, int], str]:
    """Build the warehouse into a new local file and audit it (AuditFailed says why):
    from a copy of the `previous` build updated with what changed in the lake since
    (`update`), or, when there is none or it was built from another definition, from
    the whole lake. Returns the lake's latest session, the marts' row counts and how it
    was built (`incremental` or `full`)."""
    if previous is not None:
        shutil.copyfile(previous, target)
        with duckdb.connect(str(target)) as con:
            updated = update(con, universe)
            if updated is not None:
                built = finish(con, universe, *updated, written="temp.main.records_input")
                incremental.drop_plan(con)
                return (*built, "incremental")
        target.unlink()
    with duckdb.connect(str(target)) as con:
        load_lake(con)
        symbols = incremental.lake_symbols(con)
        as_of = con.execute("select max(date) from lake.prices_daily").fetchone()[0]
        stage_config(con, universe)
        run_models(con)
        return (*finish(con, universe, symbols, as_of), "full")


def update(
    con: duckdb.DuckDBPyConnection, universe: Universe
) -> tuple[pd.DataFrame, dt.date | None] | None:
    """Bring a copy of a published warehouse up to the lake
    (rotation_radar.warehouse.incremental): records extended or recomputed per symbol,
    every other mart rebuilt from them. Returns the lake's symbol files as read and its
    latest session, or None, having changed nothing, when the copy was built from
    another definition."""
    if incremental.built_with(con) != incremental.definition(universe, SQL):
        return None
    configure(con)
    symbols = incremental.lake_symbols(con)
    first, last = incremental.stage_records(con, symbols)
    load_lake(con)
    stage_config(con, universe, span=(first, last))
    incremental.replace_records(con, sql(SQL / "marts" / "records.sql"))
    incremental.stage_since(con)
    run_models(con, rebuilt=MARTS[1:], prices_from="core.records")
    return symbols, last


def finish(
    con: duckdb.DuckDBPyConnection,
    universe: Universe,
    symbols: pd.DataFrame,
    as_of: dt.date | None,
    written: str | None = None,
) -> tuple[dt.date | None, dict[str, int]]:
    """Audit a built warehouse (`written`: see audit), record what it was built from and
    write it to disk."""
    counts = audit(con, as_of, written)
    incremental.save_state(con, incremental.definition(universe, SQL), symbols)
    con.execute("checkpoint")
    return as_of, counts


@contextmanager
def empty(universe: Universe | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory warehouse built from the same SQL and docs over an empty lake (what
    docs/marts.md is rendered from); the universe file's settings unless given."""
    with duckdb.connect() as con:
        load_lake(con, frames={})
        stage_config(con, universe or settings.load_universe())
        run_models(con)
        yield con
