"""Updating a copy of the published warehouse from what changed in the lake since it
was built: equal, row for row, to a full rebuild (tests/integration/test_incremental.py).

What changed is the lake's own record. Each symbol's prices file names in its Parquet
metadata the run that last changed its stored rows (`lake.RESTATED_BY`): appending a
night's bars (in an increment file) and compacting keep it, restating a history or
inserting a bar changes it. A build keeps each symbol's marker in `core.build_state`
and what it was built from in `core.build_info` (a hash of include/sql/ and of the
universe's history_start); without them, or with another definition, the build is full.

- a symbol that is new or whose marker changed: its records recomputed whole;
- any other symbol: its rows after its last published row continue its records from
  that row (running records, row count: `staging.stg_records_seed`) with its last 252
  rows as the trailing windows' context (`staging.stg_records_input`);
- the other marts are small: each is rebuilt from the updated records (prices read
  through `staging.stg_prices_daily`, materialised from `core.records`, not the lake).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import duckdb
import pandas as pd

from rotation_radar.core import lake, settings, storage
from rotation_radar.core.settings import Universe

log = logging.getLogger(__name__)
PRICES = "prices_daily"
# Bump when what a build stores changes in a way the SQL files do not show.
FORMAT = "1"
CONTEXT_ROWS = 252  # the longest trailing window of marts.records


def definition(universe: Universe, sql_dir: Path = settings.SQL_DIR) -> str:
    """What a build's records depend on besides the lake: the SQL and the history start."""
    digest = hashlib.sha256(FORMAT.encode())
    for path in sorted(sql_dir.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(sql_dir)).encode() + path.read_bytes())
    digest.update(f"{universe.history_start}|{universe.whole_history}".encode())
    return digest.hexdigest()


def lake_symbols(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each symbol file of the prices lake: symbol, file (a local path), restated_by and
    last_date, from the metadata in the file's footer (NULL where a file has none)."""
    declared = lake.dataset(PRICES)
    root = storage.local_copy(declared.prefix)
    files = sorted(str(p) for p in root.glob(declared.pattern()))
    columns = ["symbol", "file", "restated_by", "last_date"]
    if not files:
        return pd.DataFrame(columns=columns)
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    found = con.execute(
        f"""
        select
            file_name as file,
            max(case when decode(key) = ? then decode(value) end) as restated_by,
            cast(max(case when decode(key) = ? then decode(value) end) as date) as last_date
        from parquet_kv_metadata([{listed}])
        group by file_name
        """,
        [lake.RESTATED_BY.decode(), lake.LAST_DATE.decode()],
    ).df()
    found = pd.DataFrame({"file": files}).merge(found, on="file", how="left")
    top = root.parents[len(Path(declared.prefix).parts) - 1]
    found["symbol"] = [
        declared.parts(Path(f).relative_to(top).as_posix())["symbol"] for f in found["file"]
    ]
    return found[columns]


def built_with(con: duckdb.DuckDBPyConnection) -> str | None:
    """The definition a warehouse was built from (None for one built before they were)."""
    try:
        row = con.execute("select value from core.build_info where name = 'definition'").fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


def save_state(con: duckdb.DuckDBPyConnection, built_from: str, symbols: pd.DataFrame) -> None:
    """core.build_info (the definition it was `built_from`) and core.build_state (each
    symbol's marker as the build read it): what the next build compares the lake with."""
    con.execute("create schema if not exists core")
    con.execute(
        "create or replace table core.build_info as select 'definition' as name, ? as value",
        [built_from],
    )
    con.register("_state", symbols[["symbol", "restated_by"]].astype(object))
    con.execute(
        "create or replace table core.build_state as "
        "select cast(symbol as varchar) as symbol, cast(restated_by as varchar) as restated_by "
        "from _state"
    )
    con.unregister("_state")


def stage_records(con: duckdb.DuckDBPyConnection, symbols: pd.DataFrame) -> tuple:
    """Plan an incremental build against the published records (`symbols`: the lake's
    symbol files, from lake_symbols) and point staging.stg_records_input and
    staging.stg_records_seed at what marts.records must compute: the whole history of
    each new or restated symbol, the new rows of each extended one with their seeds and
    context. Leaves the view lake.prices_daily over the files read (load_lake puts it
    back) and the plan in temp tables (drop_plan). Returns the first and last date of
    the lake's prices."""
    _register(con, "lake_symbols", symbols)
    con.execute(
        """
        create or replace temp table seeds as
        select
            records.symbol,
            records.date as last_date,
            records.record_close,
            records.record_close_date,
            records.record_high,
            records.record_high_date,
            records.record_basis_start,
            records.observation_number as row_count
        from core.records as records
        inner join (
            select symbol, max(observation_number) as row_count
            from core.records group by symbol
        ) as last_rows
            on records.symbol = last_rows.symbol
            and records.observation_number = last_rows.row_count;

        create or replace temp table plan as
        select
            coalesce(files.symbol, state.symbol) as symbol,
            files.file,
            files.last_date as file_last_date,
            seeds.last_date,
            case
                when files.symbol is null then 'removed'
                when seeds.symbol is null or files.restated_by is null
                    or files.restated_by is distinct from state.restated_by then 'recompute'
                else 'extend'
            end as action
        from lake_symbols as files
        full join core.build_state as state on files.symbol = state.symbol
        left join seeds on seeds.symbol = coalesce(files.symbol, state.symbol);
        """
    )
    # the files holding what is new: the increments, every file of a recomputed symbol
    # and the files of extended symbols holding rows after their last published one
    # (after a compaction)
    files = [str(_local(key)) for key in lake.increment_keys(PRICES)]
    files += [
        file
        for (file,) in con.execute(
            "select file from plan where action = 'recompute' or (action = 'extend' "
            "and coalesce(file_last_date > last_date, true)) order by file"
        ).fetchall()
    ]
    _read_changed(con, files)
    con.execute(
        f"""
        create or replace temp table records_input as
        select
            changed.symbol, changed.date, changed.open, changed.high, changed.low,
            changed.close, changed.adj_close, changed.volume, false as is_context
        from changed
        inner join plan on changed.symbol = plan.symbol
        where
            changed.close is not null and changed.high is not null
            and (
                plan.action = 'recompute'
                or (plan.action = 'extend' and changed.date > plan.last_date)
            );

        create or replace temp table records_seed as
        select
            seeds.symbol, seeds.record_close, seeds.record_close_date, seeds.record_high,
            seeds.record_high_date, seeds.record_basis_start,
            greatest(seeds.row_count - {CONTEXT_ROWS}, 0) as rows_before
        from seeds
        where seeds.symbol in (
            select records_input.symbol from records_input
            inner join plan on records_input.symbol = plan.symbol
            where plan.action = 'extend'
        );

        insert into records_input
        select
            records.symbol, records.date, records.open, records.high, records.low,
            records.close, records.adj_close, records.volume, true as is_context
        from core.records as records
        inner join records_seed on records.symbol = records_seed.symbol
        where records.observation_number > records_seed.rows_before;

        create or replace view staging.stg_records_input as select * from temp.main.records_input;
        create or replace view staging.stg_records_seed as select * from temp.main.records_seed;
        """
    )
    first, last = con.execute(
        """
        select min(first_date), max(last_date) from (
            select min(date) as first_date, max(date) as last_date from changed
            where symbol in (select symbol from plan where action <> 'removed')
            union all
            select min(record_basis_start), max(last_date) from seeds
            where symbol in (select symbol from plan where action = 'extend')
        )
        """
    ).fetchall()[0]
    actions = dict(con.execute("select action, count(*) from plan group by action").fetchall())
    log.info(
        "incremental build: %d symbols extended, %d recomputed, %d removed; %d files read",
        actions.get("extend", 0),
        actions.get("recompute", 0),
        actions.get("removed", 0),
        len(files),
    )
    return first, last


def replace_records(con: duckdb.DuckDBPyConnection, records: str) -> None:
    """core.records without the rows of recomputed or removed symbols, plus what the
    `records` model (marts/records.sql) computes from the staged input."""
    con.execute(
        "delete from core.records where symbol in "
        "(select symbol from plan where action in ('recompute', 'removed'))"
    )
    con.execute(f"insert into core.records by name {records}")


def drop_plan(con: duckdb.DuckDBPyConnection) -> None:
    for name in ("seeds", "plan", "changed", "records_input", "records_seed", "lake_symbols"):
        con.execute(f"drop table if exists temp.main.{name}")


def _read_changed(con: duckdb.DuckDBPyConnection, files: list[str]) -> None:
    """temp.changed: the rows of `files` typed and with each key once, as
    staging.stg_prices_daily gives them (its view run over these files alone)."""
    if not files:
        con.execute("create or replace temp table changed as from staging.stg_prices_daily limit 0")
        return
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    con.execute(
        "create or replace view lake.prices_daily as select * from "
        f"read_parquet([{listed}], union_by_name = true, hive_partitioning = false)"
    )
    con.execute("create or replace temp table changed as select * from staging.stg_prices_daily")


def _register(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("_frame", frame)
    con.execute(f"create or replace temp table {name} as select * from _frame")
    con.unregister("_frame")


def _local(key: str) -> Path:
    """A lake file's local path (on object storage, in the local copy of its folder)."""
    folder = key.rsplit("/", 1)[0]
    return storage.local_copy(folder) / key.rsplit("/", 1)[1]
