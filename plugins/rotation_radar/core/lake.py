"""The curated Parquet lake: typed reads and writes of the datasets declared in
`rotation_radar.core.datasets`, and the one keyed merge that archives what it replaces.

Every key and path comes from a dataset's declaration: `read`/`write` take the
fields its layout names (`read("earnings_facts", cik=320193)`), `write_run_file`
names a run's own file, so a rerun replaces it instead of adding a second copy.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from rotation_radar.core import storage
from rotation_radar.core.datasets import (
    DATASETS,
    LINEAGE,
    PRICE_VALUES,
    SCHEMAS,
    Dataset,
    warehouse_views,
)

__all__ = ["DATASETS", "LINEAGE", "PRICE_VALUES", "SCHEMAS", "Dataset", "warehouse_views"]


def dataset(name: str) -> Dataset:
    """A dataset's declaration; an unknown name says which ones exist."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"no lake dataset {name!r}; declared: {', '.join(DATASETS)}") from None


def run_key(run_id: str) -> str:
    """A file-name-safe form of an Airflow run id."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", run_id)


# ---------------------------------------------------------------- tables and frames


def to_table(frame: pd.DataFrame, name: str) -> pa.Table:
    schema = SCHEMAS[name]
    return pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)


def to_frame(table: pa.Table | None, name: str) -> pd.DataFrame:
    schema = SCHEMAS[name]
    if table is None:
        table = schema.empty_table()
    frame = table.cast(schema).to_pandas()
    if "volume" in frame:
        frame["volume"] = frame["volume"].astype("Int64")
    if "date" in frame:
        frame["date"] = frame["date"].astype(object)
    return frame


# ---------------------------------------------------------------- files by layout


def read(name: str, **parts) -> pd.DataFrame:
    """One file of a dataset (`read("prices_daily", symbol="^RUT")`); empty when absent."""
    return to_frame(storage.read_parquet(dataset(name).file(**parts)), name)


def write(name: str, frame: pd.DataFrame, **parts) -> str:
    """Write (replace) one file of a dataset; returns its key."""
    key = dataset(name).file(**parts)
    storage.write_parquet(key, to_table(frame, name))
    return key


def stored(name: str, **parts) -> list[dict[str, str]]:
    """The layout fields of every stored file of a dataset that shares `parts`, e.g.
    `stored("universe_members", basket="IWM")` -> [{"basket": "IWM", "as_of": "2025-08-29"}]."""
    declared = dataset(name)
    return [
        declared.parts(k) for k in storage.keys(declared.folder(**parts), declared.pattern(**parts))
    ]


def prefix(name: str, **parts) -> str:
    """The folder of a dataset's files (those sharing `parts`): what a writer sweeps."""
    return dataset(name).folder(**parts)


def write_run_file(name: str, run_id: str, frame: pd.DataFrame, **parts) -> str:
    """Write (or on a rerun, replace) one run's file of an append-only dataset."""
    return write(name, frame, run=run_key(run_id), **parts)


def write_quarantine(
    session: dt.date, run_id: str, frame: pd.DataFrame, dataset: str = "prices_daily"
) -> str:
    """Rows of `dataset` that failed a check, in its quarantine for the session and run."""
    return write_run_file(f"quarantine_{dataset}", run_id, frame, session=session)


def sweep(prefixes: list[str], started: dt.datetime) -> None:
    """Remove the temporary files an interrupted run of a writer left under the prefixes
    it writes (lake datasets, quarantine, raw folders), older than this run's start."""
    for folder in prefixes:
        storage.sweep(folder, started.timestamp())


def read_all(name: str, prefix: str | None = None) -> pd.DataFrame:
    """Every file of a dataset concatenated (tests, summaries and small datasets)."""
    base = prefix or dataset(name).prefix
    frames = [to_frame(storage.read_parquet(k), name) for k in storage.keys(base, Dataset.glob)]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else to_frame(None, name)


# ---------------------------------------------------------------- one file per symbol
#
# A dataset declared with `increments` (prices_daily) keeps each symbol's history in
# one file and the rows a night appends after every symbol's history in one increment
# file of that run, so a night writes what is new, not every symbol's years. A symbol
# whose stored rows change (a restated or inserted bar) has its file rewritten with its
# increment rows folded in, then those rows are removed from the increments: between
# the two steps a reader may see a key twice (with equal values), never lose one, and
# every reader keeps the latest ingestion of a key. Past COMPACT_AFTER increments, they
# are folded into the symbols' files (`compact`). Each symbol file records in its
# Parquet metadata the run that last changed its stored rows (RESTATED_BY): appending
# and compacting keep it, so a reader that saw the history before can tell a history
# that only grew from one that was restated (and LAST_DATE, the file's latest date).

RESTATED_BY = b"rotation_radar.restated_by"
LAST_DATE = b"rotation_radar.last_date"  # the file's latest date, read from its footer


def symbol_key(name: str, symbol: str) -> str:
    return dataset(name).file(symbol=symbol)


def increment_keys(name: str) -> list[str]:
    """The increment files of a dataset, oldest first (empty without increments)."""
    template = dataset(name).increments
    if template is None:
        return []
    folder, pattern = template.rsplit("/", 1)
    return storage.keys(folder, pattern.replace("{run}", "*"))


def read_increments(name: str, symbols=None) -> pa.Table:
    """The rows of every increment file (of `symbols` only, when given)."""
    schema = SCHEMAS[name]
    tables = [_typed(storage.read_parquet(k), schema) for k in increment_keys(name)]
    table = pa.concat_tables(tables) if tables else schema.empty_table()
    if symbols is not None:
        table = table.filter(pc.is_in(table["symbol"], pa.array(list(symbols), pa.string())))
    return table


def read_symbol_table(
    name: str, symbol: str, since: dt.date | None = None, increments: pa.Table | None = None
) -> pa.Table:
    """A symbol's stored rows (from `since` on) as a table in the dataset's order: its
    file and its rows in the increments, each key once (the latest ingestion). A reader
    of many symbols passes `increments` (read_increments), read once."""
    filters = None if since is None else [("date", ">=", since)]
    schema = SCHEMAS[name]
    base = _typed(storage.read_parquet(symbol_key(name, symbol), filters=filters), schema)
    if dataset(name).increments is None:
        return base
    added = read_increments(name) if increments is None else increments
    added = added.filter(pc.equal(added["symbol"], symbol))
    if since is not None:
        added = added.filter(pc.greater_equal(added["date"], pa.scalar(since, pa.date32())))
    return _latest(name, pa.concat_tables([base, added])) if added.num_rows else base


def read_symbol(name: str, symbol: str) -> pd.DataFrame:
    return to_frame(read_symbol_table(name, symbol), name)


def write_symbol(name: str, symbol: str, frame: pd.DataFrame) -> None:
    """Replace a symbol's whole stored history (its file; its increment rows removed)."""
    table = to_table(frame.sort_values(list(dataset(name).order)), name)
    rewrite_symbols(name, {symbol: table}, run=f"write_symbol-{uuid.uuid4().hex}")


def last_date(name: str, symbol: str) -> dt.date | None:
    """A symbol's latest stored date (date columns read alone), None when it has none."""
    dates = [storage.read_parquet(symbol_key(name, symbol), columns=["date"])]
    if dataset(name).increments is not None:
        stamp = tuple((key, storage.size(key)) for key in increment_keys(name))
        dates.append(_increment_dates(name, stamp).get(symbol))
    found = [pc.max(t["date"]).as_py() for t in dates if t is not None and t.num_rows]
    return max(found) if found else None


def restated_by(name: str, symbol: str) -> str | None:
    """The run that last changed a symbol's stored rows (None for a file without it)."""
    table = storage.read_parquet(symbol_key(name, symbol), columns=["date"])
    value = None if table is None else (table.schema.metadata or {}).get(RESTATED_BY)
    return value.decode() if value else None


def append_increment(name: str, rows: pa.Table, run_id: str) -> str | None:
    """The rows a run appends after its symbols' stored histories, in that run's
    increment file (a rerun adds to it: what an earlier attempt wrote is kept)."""
    if rows.num_rows == 0:
        return None
    key = dataset(name).increments.replace("{run}", run_key(run_id))
    earlier = storage.read_parquet(key)
    if earlier is not None:
        rows = _latest(name, pa.concat_tables([_typed(earlier, SCHEMAS[name]), rows]))
    storage.write_parquet(key, rows)
    return key


def rewrite_symbols(
    name: str, histories: dict[str, pa.Table], run: str | None, threads: int = 4
) -> None:
    """Write each symbol's file as the given whole history, then remove those symbols'
    rows from the increments. `run` names the run that changed the stored rows (None
    keeps each file's own RESTATED_BY: a compaction changes no stored row)."""
    from concurrent.futures import ThreadPoolExecutor

    def write_one(item: tuple[str, pa.Table]) -> None:
        symbol, table = item
        marker = run if run is not None else restated_by(name, symbol)
        metadata = {RESTATED_BY: marker.encode()} if marker else {}
        if table.num_rows and "date" in table.column_names:
            metadata[LAST_DATE] = pc.max(table["date"]).as_py().isoformat().encode()
        storage.write_parquet(symbol_key(name, symbol), table.replace_schema_metadata(metadata))

    # every file on disk (one sync, not one each) before the increments lose those rows
    with storage.synced_once(), ThreadPoolExecutor(threads) as pool:
        list(pool.map(write_one, histories.items()))
    _drop_from_increments(name, set(histories))


def compact(name: str, threads: int = 4, after: int | None = None) -> int:
    """Fold the increments into the symbols' files once there are more than `after`
    (COMPACT_AFTER); returns the symbols rewritten (0 when there was nothing to do)."""
    from concurrent.futures import ThreadPoolExecutor

    from rotation_radar.core.datasets import COMPACT_AFTER

    keys = increment_keys(name)
    if len(keys) <= (COMPACT_AFTER if after is None else after):
        return 0
    added = read_increments(name)
    symbols = sorted(set(added["symbol"].to_pylist()))

    def history(symbol: str) -> pa.Table:
        return read_symbol_table(name, symbol, increments=added)

    with ThreadPoolExecutor(threads) as pool:
        histories = dict(zip(symbols, pool.map(history, symbols), strict=True))
    rewrite_symbols(name, histories, run=None, threads=threads)
    for key in keys:
        if storage.exists(key):
            storage.delete(key)
    return len(symbols)


def _drop_from_increments(name: str, symbols: set[str]) -> None:
    dropped = pa.array(sorted(symbols), pa.string())
    for key in increment_keys(name):
        table = storage.read_parquet(key)
        keep = pc.invert(pc.is_in(table["symbol"], dropped))
        if pc.all(keep).as_py():
            continue
        if pc.any(keep).as_py():
            storage.write_parquet(key, table.filter(keep))
        else:
            storage.delete(key)


def _increment_dates(name: str, stamp: tuple) -> dict[str, pa.Table]:
    """Each symbol's dates in the increments (cached per set of increment files and
    their sizes: a fetch asks for every symbol's)."""
    cached = _INCREMENT_DATES.get((name, stamp))
    if cached is None:
        table = read_increments(name).select(["symbol", "date"])
        cached = {
            symbol: table.filter(pc.equal(table["symbol"], symbol))
            for symbol in set(table["symbol"].to_pylist())
        }
        _INCREMENT_DATES.clear()
        _INCREMENT_DATES[(name, stamp)] = cached
    return cached


_INCREMENT_DATES: dict[tuple, dict[str, pa.Table]] = {}


def _typed(table: pa.Table | None, schema: pa.Schema) -> pa.Table:
    if table is None:
        return schema.empty_table()
    return table.select(schema.names).cast(schema)


def _latest(name: str, table: pa.Table) -> pa.Table:
    """Each key once (the latest ingestion, then the later row), in the dataset's order."""
    declared = dataset(name)
    frame = table.append_column("_row", pa.array(range(table.num_rows), pa.int64()))
    frame = frame.sort_by([("ingested_at", "descending"), ("_row", "descending")])
    keyed = frame.to_pandas()[list(declared.key)]
    first = ~keyed.duplicated(keep="first").to_numpy()
    frame = frame.filter(pa.array(first))
    order = [(column, "ascending") for column in declared.order] or [("_row", "ascending")]
    return frame.sort_by(order).drop_columns(["_row"])


# ---------------------------------------------------------------- keyed merge


def merge(
    name: str, stored_rows: pd.DataFrame, incoming: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Incoming rows merged over stored rows by the dataset's key: (new contents, the
    stored rows that were replaced).

    A stored row is replaced only when an incoming row of its key differs in one of the
    dataset's `compared` columns (any kind of missing value equals any other, and
    nothing else); an unchanged row keeps its stored lineage, so a rerun leaves the lake
    as it was. Stored rows the incoming ones do not mention are kept, new keys added.
    With a `version_column`, a replacing row is the replaced one's version + 1 and a new
    key is version 1. Rows come out in the dataset's `order`.
    """
    declared = dataset(name)
    if stored_rows.empty:
        return _ordered(declared, _versioned(declared, incoming, [])), stored_rows.iloc[0:0]
    columns = list(stored_rows.columns)
    stored_at = {key: i for i, key in enumerate(_keys(stored_rows, declared.key))}
    incoming_keys = _keys(incoming, declared.key)
    common = [(stored_at[key], j) for j, key in enumerate(incoming_keys) if key in stored_at]
    old_rows, new_rows = [i for i, _ in common], [j for _, j in common]
    same = _comparable(stored_rows, declared.compared, old_rows) == _comparable(
        incoming, declared.compared, new_rows
    )
    changed = ~same.all(axis=1) if common else np.zeros(0, dtype=bool)
    changed_old = [i for i, c in zip(old_rows, changed, strict=True) if c]
    changed_new = [j for j, c in zip(new_rows, changed, strict=True) if c]
    added = [j for j, key in enumerate(incoming_keys) if key not in stored_at]
    kept = np.ones(len(stored_rows), dtype=bool)
    kept[changed_old] = False
    replaced = stored_rows.iloc[changed_old].reset_index(drop=True)
    arriving = _versioned(
        declared,
        incoming.iloc[changed_new + added][columns],
        list(replaced.get(declared.version_column, [])),
    )
    parts = [part for part in (stored_rows[kept], arriving) if len(part)]
    merged = pd.concat(parts, ignore_index=True) if parts else stored_rows.iloc[0:0]
    return _ordered(declared, merged), replaced


def archive(name: str, replaced: pd.DataFrame, run_id: str, replaced_at: dt.datetime) -> list[str]:
    """Store the rows a merge of `name` replaced in its versions dataset, stamped with
    when and by which run, one run file per folder of that dataset's layout."""
    if replaced.empty:
        return []
    versions = dataset(dataset(name).versions)
    rows = replaced.assign(replaced_at=replaced_at, replaced_by_run_id=run_id)
    by = list(versions.partition)
    if not by:
        return [write_run_file(versions.name, run_id, rows)]
    return [
        write_run_file(versions.name, run_id, group, **dict(zip(by, values, strict=True)))
        for values, group in rows.groupby(by, sort=True)
    ]


def _keys(frame: pd.DataFrame, key: tuple[str, ...]) -> list[tuple]:
    """Each row's key as a tuple, every kind of missing value as None (so that a key
    with a missing part, such as an instant's period_start, finds its stored row)."""
    values = frame[list(key)].to_numpy(dtype=object)
    return list(map(tuple, np.where(pd.isna(values), None, values)))


def _comparable(frame: pd.DataFrame, columns: tuple[str, ...], rows: list[int]) -> np.ndarray:
    """The compared values of `rows` as objects, every kind of missing value as None
    (so that missing equals missing and nothing else)."""
    values = frame[list(columns)].iloc[rows].to_numpy(dtype=object)
    return np.where(pd.isna(values), None, values)


def _versioned(declared: Dataset, arriving: pd.DataFrame, replaced_versions: list) -> pd.DataFrame:
    """Arriving rows numbered: the first `len(replaced_versions)` replace rows of those
    versions, the rest are new keys (version 1)."""
    if declared.version_column is None:
        return arriving
    numbers = [int(v) + 1 for v in replaced_versions] + [1] * (
        len(arriving) - len(replaced_versions)
    )
    return arriving.assign(**{declared.version_column: numbers})


def _ordered(declared: Dataset, frame: pd.DataFrame) -> pd.DataFrame:
    if not declared.order:
        return frame.reset_index(drop=True)
    return frame.sort_values(list(declared.order), kind="stable", ignore_index=True)
