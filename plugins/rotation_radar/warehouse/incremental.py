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
- the basket marts that read every member's rows (build.UPDATED_IN_PLACE) keep their
  rows before `staging.stg_build_since` (since.sql: the first new date of records or
  of a changed holdings file; every session after a restatement) and recompute the rest;
- the other marts are small: each is rebuilt from the updated records (prices read
  through `staging.stg_prices_daily`, a view of `core.records` for the build, not the
  lake);
- `core.build_changes` lists what changed in records, per symbol and since when: the
  Parquet export rewrites only the partitions it touches.
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
    columns = ["symbol", "file_path", "restated_by", "last_date"]
    if not files:
        return pd.DataFrame(columns=columns)
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    found = con.execute(
        f"""
        select
            file_name as file_path,
            max(case when decode(key) = ? then decode(value) end) as restated_by,
            cast(max(case when decode(key) = ? then decode(value) end) as date) as last_date
        from parquet_kv_metadata([{listed}])
        group by file_name
        """,
        [lake.RESTATED_BY.decode(), lake.LAST_DATE.decode()],
    ).df()
    found = pd.DataFrame({"file_path": files}).merge(found, on="file_path", how="left")
    top = root.parents[len(Path(declared.prefix).parts) - 1]
    found["symbol"] = [
        declared.parts(Path(f).relative_to(top).as_posix())["symbol"] for f in found["file_path"]
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
    """core.build_info (the definition it was `built_from`), core.build_state (each
    symbol's marker as the build read it) and core.build_holdings (the holdings files and
    baskets it read): what the next build compares the lake with."""
    con.execute("create schema if not exists core")
    con.execute(_sql("holdings.sql"))
    con.execute("create or replace table core.build_holdings as select * from holdings_now")
    con.execute("drop table holdings_now")
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
    symbol files, from lake_symbols; include/sql/incremental/plan.sql) and point
    staging.stg_records_input and staging.stg_records_seed at what marts.records must
    compute (records_input.sql): the whole history of each new or restated symbol, the
    new rows of each extended one with its seed and context. Leaves the view
    lake.prices_daily over the files read (load_lake puts it back) and the plan in temp
    tables (drop_plan). Returns the first and last date of the lake's prices."""
    _register(con, "lake_symbols", symbols)
    con.execute(_sql("plan.sql"))
    # the files holding what is new: the increments, the file of each recomputed symbol
    # and of each extended symbol holding rows after its last published one (after a
    # compaction, or a file without its last date in its footer)
    files = [str(_local(key)) for key in lake.increment_keys(PRICES)]
    files += [
        file
        for (file,) in con.execute(
            "select file_path from plan where step = 'recompute' or (step = 'extend' "
            "and coalesce(file_last_date > last_date, true)) order by file_path"
        ).fetchall()
    ]
    _read_changed(con, files)
    con.execute(_sql("records_input.sql"))
    con.execute(_sql("changes.sql"))
    first, last = con.execute(_sql("span.sql")).fetchall()[0]
    steps = dict(con.execute("select step, count(*) from plan group by step").fetchall())
    log.info(
        "incremental build: %d symbols extended, %d recomputed, %d removed; %d files read",
        steps.get("extend", 0),
        steps.get("recompute", 0),
        steps.get("removed", 0),
        len(files),
    )
    return first, last


def stage_since(con: duckdb.DuckDBPyConnection) -> None:
    """staging.stg_build_since: the first session whose basket marts the build recomputes
    (since.sql), from what changed in records (core.build_changes) and in the holdings."""
    con.execute(_sql("holdings.sql"))
    con.execute(_sql("since.sql"))
    con.execute("drop table holdings_now")
    (since,) = con.execute("select since from staging.stg_build_since").fetchone()
    log.info("incremental build: basket marts from %s", since or "the first session")


def replace_records(con: duckdb.DuckDBPyConnection, records: str) -> None:
    """core.records without the rows of recomputed or removed symbols, plus what the
    `records` model (marts/records.sql) computes from the staged input."""
    con.execute(
        "delete from core.records where symbol in "
        "(select symbol from plan where step in ('recompute', 'removed'))"
    )
    con.execute(f"insert into core.records by name {records}")


def drop_plan(con: duckdb.DuckDBPyConnection) -> None:
    """The temp tables of stage_records gone (they are not part of the published file)."""
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


def _sql(name: str) -> str:
    return (settings.SQL_DIR / "incremental" / name).read_text()


def _register(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("_frame", frame)
    con.execute(f"create or replace temp table {name} as select * from _frame")
    con.unregister("_frame")


def _local(key: str) -> Path:
    """A lake file's local path (on object storage, in the local copy of its folder)."""
    folder = key.rsplit("/", 1)[0]
    return storage.local_copy(folder) / key.rsplit("/", 1)[1]
