"""A straightforward pandas implementation of `marts.records` and
`marts.relative_strength`, written for the benchmark's `pandas_ratio` and checked to
give the same numbers as the warehouse's SQL (include/sql/marts/records.sql,
relative_strength.sql, over include/sql/staging/stg_prices_daily.sql and
stg_prices_daily_baskets.sql).

"Straightforward" means the way a data engineer would write it in pandas: sort,
groupby + cummax / shift / rolling / cumprod, merges and maps; no Python loop over
rows or groups, no numba, no hand-written numpy kernels.

    prices   = read_prices()                         # the lake's prices_daily rows
    calendar = session_calendar(prices, universe)     # as build.stage_config builds it
    records(prices, calendar)
    relative_strength(prices, universe.pairs, universe.baskets)
    compare(sql_frame, pandas_frame, KEYS["records"])  # raises MartMismatch
    time_marts(data_dir, universe)                     # the benchmark's figures

Each mart function starts from the lake rows and does the staging itself (typing
and "latest ingestion wins" de-duplication, as stg_prices_daily), since the SQL marts
read the staging views too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import resource
import statistics
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from rotation_radar.core import sessions as nyse
from rotation_radar.core import settings, storage
from rotation_radar.core.settings import Pair, Universe
from rotation_radar.warehouse import build

MARTS_SQL = settings.SQL_DIR / "marts"
KEYS = {"records": ["symbol", "date"], "relative_strength": ["pair", "date"]}
# The lake columns the two marts use (stg_prices_daily's dedup needs the lineage two).
LAKE_COLUMNS = [
    "symbol",
    "date",
    "open",
    "high",
    "low",
    "close",
    "adj_close",
    "volume",
    "ingested_at",
    "run_id",
]
RECORDS_COLUMNS = [
    "symbol",
    "date",
    "open",
    "high",
    "low",
    "close",
    "adj_close",
    "volume",
    "prior_record_close",
    "prior_record_close_date",
    "prior_record_high",
    "prior_record_high_date",
    "record_close",
    "record_close_date",
    "is_record_close",
    "is_record_high",
    "is_tested_and_failed",
    "record_basis_start",
    "pct_from_record",
    "sessions_since_record",
    "high_52w_prior",
    "is_high_52w",
    "record_high",
    "record_high_date",
    "observation_number",
]
RELATIVE_STRENGTH_COLUMNS = [
    "pair",
    "date",
    "numerator",
    "denominator",
    "price_column",
    "numerator_price",
    "denominator_price",
    "ratio",
    "ratio_sma50",
    "ratio_sma200",
    "mansfield_rs",
    "rs_momentum_63",
    "numerator_return",
    "denominator_return",
    "ratio_high_52w_prior",
    "ratio_low_52w_prior",
    "is_ratio_high_52w",
    "is_ratio_low_52w",
    "observation_number",
]


# --- inputs ---------------------------------------------------------------------------


def read_prices(data_dir: str | Path | None = None) -> pd.DataFrame:
    """The lake's prices_daily rows (every lake/prices_daily/**/*.parquet file, as
    build.load_lake's view reads them), the columns the marts use; dates as
    datetime64. `data_dir` defaults to RADAR_DATA_DIR."""
    import pyarrow.dataset as ds

    from rotation_radar.core import lake

    with radar_data_dir(data_dir):
        keys = storage.keys("lake/prices_daily", "**/*.parquet")
        files = [str(storage.path(key)) for key in keys]
    schema = lake.SCHEMAS["prices_daily"]
    if not files:
        return schema.empty_table().select(LAKE_COLUMNS).to_pandas(date_as_object=False)
    # partitioning=None: the symbol=... folders are not a column (hive_partitioning = false)
    dataset = ds.dataset(files, schema=schema, format="parquet", partitioning=None)
    return dataset.to_table(columns=LAKE_COLUMNS).to_pandas(date_as_object=False)


def session_calendar(prices: pd.DataFrame, universe: Universe) -> pd.DataFrame:
    """staging.stg_sessions as build.stage_config builds it: the NYSE sessions from
    min(first lake date, history_start) to the last lake date, numbered from 0."""
    dates = pd.to_datetime(prices["date"])
    first = dates.min().date() if len(dates) else universe.history_start
    last = dates.max().date() if len(dates) else first
    days = nyse.sessions_between(min(first, universe.history_start), last)
    return pd.DataFrame(
        {"date": pd.to_datetime(pd.Series(days, dtype="object")), "session_index": range(len(days))}
    )


def pairs_frame(pairs: Iterable[Pair]) -> pd.DataFrame:
    """staging.stg_pairs."""
    return pd.DataFrame(
        [(p.id, p.numerator, p.denominator, p.price) for p in pairs],
        columns=["pair", "numerator", "denominator", "price_column"],
    ).astype("str")


# --- staging --------------------------------------------------------------------------


def stg_prices_daily(prices: pd.DataFrame) -> pd.DataFrame:
    """stg_prices_daily: typed, one row per symbol and date (the latest ingested_at, then
    the greatest run_id, wins; NULLs lose, as in DuckDB's DESC NULLS LAST), sorted by
    symbol and date."""
    typed = prices[LAKE_COLUMNS].astype(
        {
            "symbol": "str",
            "open": "float64",
            "high": "float64",
            "low": "float64",
            "close": "float64",
            "adj_close": "float64",
            "volume": "Int64",
            "run_id": "str",
        }
    )
    typed["date"] = pd.to_datetime(typed["date"])
    typed["ingested_at"] = pd.to_datetime(typed["ingested_at"], utc=True)
    ordered = typed.sort_values(["symbol", "date", "ingested_at", "run_id"], na_position="first")
    return ordered.drop_duplicates(["symbol", "date"], keep="last").reset_index(drop=True)


def basket_index(staged: pd.DataFrame, baskets: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """stg_prices_daily_baskets from staged prices: each basket's equal-weight index,
    rebalanced daily, 100 on the first session on which every member has an adj_close,
    on those complete sessions only (a member's return runs from the previous one)."""
    members = (
        pd.DataFrame(
            [(basket, symbol) for basket, symbols in baskets.items() for symbol in symbols],
            columns=["basket", "symbol"],
        )
        .astype("str")
        .drop_duplicates()
    )
    member_count = members.groupby("basket")["symbol"].size()
    member_prices = members.merge(
        staged.loc[staged["adj_close"].notna(), ["symbol", "date", "adj_close"]], on="symbol"
    )
    present = member_prices.groupby(["basket", "date"])["symbol"].transform("size")
    complete = member_prices[present == member_prices["basket"].map(member_count)]
    complete = complete.sort_values(["basket", "symbol", "date"])
    previous = complete.groupby(["basket", "symbol"])["adj_close"].shift()
    complete = complete.assign(member_return=complete["adj_close"] / previous - 1)
    by_day = complete.groupby(["basket", "date"])
    daily = pd.DataFrame(
        {
            "member_count": by_day["symbol"].size(),
            # NaN on the first complete session; a NaN return (0/0) spoils the day, as in SQL
            "daily_return": by_day["member_return"].mean(skipna=False),
        }
    ).reset_index()
    growth = 1 + daily["daily_return"].fillna(0)
    daily["close"] = 100 * growth.groupby(daily["basket"]).cumprod()
    daily["adj_close"] = daily["close"]
    return daily[["basket", "date", "close", "adj_close", "daily_return", "member_count"]]


# --- marts ----------------------------------------------------------------------------


def records(prices: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """marts.records from the lake's prices_daily rows and the session calendar
    (date, session_index), sorted by symbol and date."""
    staged = stg_prices_daily(prices)
    p = staged[staged["close"].notna() & staged["high"].notna()].reset_index(drop=True)
    p[["record_close", "record_high"]] = p.groupby("symbol", sort=False)[["close", "high"]].cummax()
    prior = p.groupby("symbol", sort=False)[["record_close", "record_high"]].shift()
    p["prior_record_close"] = prior["record_close"]
    p["prior_record_high"] = prior["record_high"]
    # comparisons with NaN are False: coalesce(..., false) of the SQL
    p["is_record_close"] = p["close"] > p["prior_record_close"]
    p["is_record_high"] = p["high"] > p["prior_record_high"]
    p["is_tested_and_failed"] = (p["high"] > p["prior_record_close"]) & (
        p["close"] <= p["prior_record_close"]
    )
    # the running record moves on a new record or on the symbol's first session
    sets_close = p["is_record_close"] | p["prior_record_close"].isna()
    sets_high = p["is_record_high"] | p["prior_record_high"].isna()
    p["record_close_date"] = p["date"].where(sets_close)
    p["record_high_date"] = p["date"].where(sets_high)
    p[["record_close_date", "record_high_date"]] = p.groupby("symbol", sort=False)[
        ["record_close_date", "record_high_date"]
    ].ffill()
    prior_dates = p.groupby("symbol", sort=False)[["record_close_date", "record_high_date"]].shift()
    p["prior_record_close_date"] = prior_dates["record_close_date"]
    p["prior_record_high_date"] = prior_dates["record_high_date"]
    p["record_basis_start"] = p.groupby("symbol", sort=False)["date"].transform("first")
    best = np.maximum(p["close"], p["prior_record_close"].fillna(p["close"]))
    p["pct_from_record"] = (p["close"] / best - 1) * 100
    session_index = pd.Series(
        sessions["session_index"].to_numpy(), index=pd.to_datetime(sessions["date"])
    )
    today = p["date"].map(session_index)
    record_day = p["record_close_date"].map(session_index)
    p["sessions_since_record"] = (today - record_day).astype("Int64")
    # highest close of the previous 252 rows, NULL until there are 252 of them
    high_52w = p.groupby("symbol", sort=False)["close"].rolling(252, closed="left").max()
    p["high_52w_prior"] = high_52w.droplevel(0)
    p["is_high_52w"] = p["close"] > p["high_52w_prior"]
    p["observation_number"] = p.groupby("symbol", sort=False).cumcount() + 1
    return p[RECORDS_COLUMNS]


def relative_strength(
    prices: pd.DataFrame, pairs: Iterable[Pair], baskets: Mapping[str, Sequence[str]]
) -> pd.DataFrame:
    """marts.relative_strength from the lake's prices_daily rows, the universe's pairs
    and baskets (Universe.pairs, Universe.baskets), sorted by pair and date. Only the
    symbols a pair or basket needs are staged (a filter, not a change of result)."""
    stg_pairs = pairs_frame(pairs)
    needed = set(stg_pairs["numerator"]) | set(stg_pairs["denominator"])
    needed |= {symbol for symbols in baskets.values() for symbol in symbols}
    staged = stg_prices_daily(prices[prices["symbol"].isin(needed)])
    legs = staged[["symbol", "date", "close", "adj_close"]].rename(columns={"symbol": "leg"})
    if baskets:
        indexes = basket_index(staged, baskets)[["basket", "date", "close", "adj_close"]]
        legs = pd.concat([legs, indexes.rename(columns={"basket": "leg"})], ignore_index=True)
    numerators = legs.rename(
        columns={"leg": "numerator", "close": "numerator_close", "adj_close": "numerator_adj"}
    )
    denominators = legs.rename(
        columns={"leg": "denominator", "close": "denominator_close", "adj_close": "denominator_adj"}
    )
    r = stg_pairs.merge(numerators, on="numerator").merge(denominators, on=["denominator", "date"])
    by_close = r["price_column"] == "close"
    r["numerator_price"] = r["numerator_close"].where(by_close, r["numerator_adj"])
    r["denominator_price"] = r["denominator_close"].where(by_close, r["denominator_adj"])
    priced = r["numerator_price"].notna() & r["denominator_price"].notna()
    r = r[priced & (r["denominator_price"] != 0)]
    r = r.sort_values(["pair", "date"]).reset_index(drop=True)
    r["ratio"] = r["numerator_price"] / r["denominator_price"]

    by_pair = r.groupby("pair", sort=False)
    r["observation_number"] = by_pair.cumcount() + 1
    # min_periods = window: NULL during the warm-up, as the SQL's observation_number cases
    r["ratio_sma50"] = by_pair["ratio"].rolling(50).mean().droplevel(0)
    r["ratio_sma200"] = by_pair["ratio"].rolling(200).mean().droplevel(0)
    prior_252 = by_pair["ratio"].rolling(252, closed="left")
    r["ratio_high_52w_prior"] = prior_252.max().droplevel(0)
    r["ratio_low_52w_prior"] = prior_252.min().droplevel(0)
    previous = by_pair[["numerator_price", "denominator_price"]].shift()
    r["mansfield_rs"] = (r["ratio"] / r["ratio_sma200"] - 1) * 100
    r["rs_momentum_63"] = r["ratio"] / by_pair["ratio"].shift(63) - 1
    r["numerator_return"] = r["numerator_price"] / previous["numerator_price"] - 1
    r["denominator_return"] = r["denominator_price"] / previous["denominator_price"] - 1
    r["is_ratio_high_52w"] = r["ratio"] > r["ratio_high_52w_prior"]
    r["is_ratio_low_52w"] = r["ratio"] < r["ratio_low_52w_prior"]
    return r[RELATIVE_STRENGTH_COLUMNS]


# --- comparison -----------------------------------------------------------------------


class MartMismatch(AssertionError):
    """The pandas (or Polars) and SQL marts differ; the message names the column, key and
    values."""


def _key_values(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if _is_dates(out[column]):
            out[column] = pd.to_datetime(out[column]).astype("datetime64[us]")
        else:
            out[column] = out[column].astype("str")
    return out


def _is_dates(series: pd.Series) -> bool:
    """datetime64, or objects that are dates (datetime.date, as DuckDB may give)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return True
    first = series.dropna().head(1)
    return series.dtype == object and len(first) > 0 and isinstance(first.iloc[0], dt.date)


def _describe(key_frame: pd.DataFrame, position: int) -> str:
    row = key_frame.iloc[position]
    return ", ".join(f"{k}={_show(v)}" for k, v in row.items())


def _show(value: object) -> str:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return repr(value)


def _mismatches(
    column: str,
    sql: pd.Series,
    other: pd.Series,
    rel_tol: float,
    abs_tol: float,
    engine: str = "pandas",
) -> np.ndarray:
    """A boolean mask of the rows where the column differs (NULL == NaN)."""
    if pd.api.types.is_bool_dtype(sql.dtype):
        if not (pd.api.types.is_bool_dtype(other.dtype) or other.isna().all()):
            raise MartMismatch(f"column {column!r}: SQL gives booleans, {engine} {other.dtype}")
        left, right = sql.astype("boolean"), other.astype("boolean")
    elif _is_dates(sql):
        try:
            left, right = pd.to_datetime(sql), pd.to_datetime(other)
        except (TypeError, ValueError) as exc:
            problem = f"SQL gives dates, {engine} {other.dtype}: {exc}"
            raise MartMismatch(f"column {column!r}: {problem}") from None
        left, right = left.astype("datetime64[us]"), right.astype("datetime64[us]")
    elif pd.api.types.is_integer_dtype(sql.dtype):
        left, right = sql.astype("Int64"), other
        # an integer column that became float
        if pd.api.types.is_float_dtype(right.dtype) and not np.all(
            np.isnan(right) | (right == np.round(right))
        ):
            raise MartMismatch(f"column {column!r}: SQL gives integers, {engine} fractions")
        right = right.astype("Int64")
    elif pd.api.types.is_numeric_dtype(sql.dtype):
        try:
            a = sql.to_numpy(dtype="float64", na_value=np.nan)
            b = other.to_numpy(dtype="float64", na_value=np.nan)
        except (TypeError, ValueError) as exc:
            problem = f"SQL gives numbers, {engine} {other.dtype}: {exc}"
            raise MartMismatch(f"column {column!r}: {problem}") from None
        a_null, b_null = np.isnan(a), np.isnan(b)
        with np.errstate(invalid="ignore"):
            tolerance = np.maximum(rel_tol * np.maximum(np.abs(a), np.abs(b)), abs_tol)
            close = (a == b) | (np.abs(a - b) <= tolerance)
        return (a_null != b_null) | (~a_null & ~b_null & ~close)
    else:
        left, right = sql.astype("str"), other.astype("str")
    left_null, right_null = left.isna().to_numpy(), right.isna().to_numpy()
    equal = (left == right).fillna(False).to_numpy(dtype=bool)
    return (left_null != right_null) | (~left_null & ~right_null & ~equal)


def compare(
    sql_frame: pd.DataFrame,
    pandas_frame: pd.DataFrame,
    keys: Sequence[str],
    rel_tol: float = 1e-9,
    abs_tol: float = 0.0,
    engine: str = "pandas",
) -> None:
    """Assert two versions of a mart are the same: the same columns, the same set of
    keys (each once), and every column equal row by row: floats within a relative
    tolerance (|a - b| <= rel_tol * max(|a|, |b|), or abs_tol), NULL equal to NaN and
    to NULL only, equal infinities equal; dates, booleans, integers and strings exact.
    Raises MartMismatch naming the first mismatching column (in the SQL's column
    order), the key of the first row where it differs and both values; `engine` names
    the other frame's maker in the message (pandas, Polars)."""
    keys = list(keys)
    sql_columns, pandas_columns = list(sql_frame.columns), list(pandas_frame.columns)
    if set(sql_columns) != set(pandas_columns):
        only_sql = [c for c in sql_columns if c not in pandas_columns]
        only_pandas = [c for c in pandas_columns if c not in sql_columns]
        raise MartMismatch(
            f"columns differ: only in SQL {only_sql}, only in {engine} {only_pandas}"
        )
    for name, frame in (("SQL", sql_frame), (engine, pandas_frame)):
        duplicated = frame.duplicated(keys)
        if duplicated.any():
            first = _describe(frame[keys], int(np.argmax(duplicated)))
            raise MartMismatch(f"{name} frame has duplicated keys, e.g. {first}")
    # positions in key order; one column at a time is reordered (no copy of whole frames)
    left_keys = _key_values(sql_frame[keys].reset_index(drop=True))
    right_keys = _key_values(pandas_frame[keys].reset_index(drop=True))
    left_order = left_keys.sort_values(keys, kind="stable").index.to_numpy()
    right_order = right_keys.sort_values(keys, kind="stable").index.to_numpy()
    left_keys = left_keys.iloc[left_order].reset_index(drop=True)
    right_keys = right_keys.iloc[right_order].reset_index(drop=True)
    if len(left_keys) != len(right_keys) or not left_keys.equals(right_keys):
        joined = left_keys.merge(right_keys, how="outer", on=keys, indicator=True, sort=True)
        odd = joined[joined["_merge"] != "both"]
        side = {"left_only": "only in SQL", "right_only": f"only in {engine}"}
        only_sql = (odd["_merge"] == "left_only").sum()
        only_pandas = (odd["_merge"] == "right_only").sum()
        raise MartMismatch(
            f"row sets differ ({len(sql_frame)} SQL rows, {len(pandas_frame)} {engine} rows, "
            f"{only_sql} only in SQL, {only_pandas} only in {engine}): "
            f"first {_describe(odd[keys], 0)} is {side[odd['_merge'].iloc[0]]}"
        )
    for column in sql_columns:
        if column in keys:
            continue
        left = sql_frame[column].iloc[left_order].reset_index(drop=True)
        right = pandas_frame[column].iloc[right_order].reset_index(drop=True)
        bad = _mismatches(column, left, right, rel_tol, abs_tol, engine)
        if bad.any():
            position = int(np.argmax(bad))
            raise MartMismatch(
                f"column {column!r} differs at {_describe(left_keys, position)}: "
                f"SQL {_show(left.iloc[position])}, {engine} {_show(right.iloc[position])}"
                f" ({int(bad.sum())} of {len(bad)} rows differ)"
            )


# --- the benchmark --------------------------------------------------------------------


@contextlib.contextmanager
def radar_data_dir(data_dir: str | Path | None) -> Iterator[None]:
    """RADAR_DATA_DIR set to data_dir for the block (unchanged when None)."""
    if data_dir is None:
        yield
        return
    previous = os.environ.get("RADAR_DATA_DIR")
    os.environ["RADAR_DATA_DIR"] = str(data_dir)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("RADAR_DATA_DIR", None)
        else:
            os.environ["RADAR_DATA_DIR"] = previous


def prepare_warehouse(con, universe: Universe) -> None:
    """What build.build_file and run_models do before the marts: schema `lake` (views over
    the Parquet lake), the configuration tables, the FOMC diffs and every staging view."""
    build.load_lake(con)
    build.stage_config(con, universe)
    build.load_statement_diffs(con)
    for schema in ("core", "marts"):
        con.execute(f"create schema if not exists {schema}")
    for path in sorted((settings.SQL_DIR / "staging").glob("*.sql")):
        con.execute(f"create or replace view staging.{path.stem} as {build.sql(path)}")


def build_sql_marts(con) -> dict[str, float]:
    """marts.records and marts.relative_strength built by the warehouse's SQL on a
    connection set up by prepare_warehouse, the way build.run_models builds them:
    inside build.materialized_staging (the staging views that several models read,
    stg_prices_daily, materialised once per build), each mart
    by build.publish_mart. Returns the seconds of each step: staging (materialising
    and, afterwards, putting the views back), records, relative_strength."""
    started = time.perf_counter()
    with build.materialized_staging(con):
        staged = time.perf_counter()
        build.publish_mart(con, "records", build.sql(MARTS_SQL / "records.sql"))
        records_done = time.perf_counter()
        rs_sql = build.sql(MARTS_SQL / "relative_strength.sql")
        build.publish_mart(con, "relative_strength", rs_sql)
        done = time.perf_counter()
    ended = time.perf_counter()
    return {
        "staging": (staged - started) + (ended - done),
        "records": records_done - staged,
        "relative_strength": done - records_done,
    }


def check_marts(
    con, frames: Mapping[str, pd.DataFrame], chunk_rows: int = 1 << 20, engine: str = "pandas"
) -> None:
    """compare() each pandas mart (sorted by its keys, as records() and relative_strength()
    return them) with marts.<name> of the DuckDB connection, streamed in key order in
    chunks of about chunk_rows rows so that the SQL mart is never all in memory at once.
    Raises MartMismatch (a row-set difference shows in the chunk where it starts);
    `engine` names the frames' maker in its message."""
    vectors = max(1, chunk_rows // 2048)  # DuckDB's vector size
    for name, frame in frames.items():
        keys = KEYS[name]
        result = con.execute(f"select * from marts.{name} order by {', '.join(keys)}")
        start = 0
        while len(chunk := result.fetch_df_chunk(vectors)):
            compare(chunk, frame.iloc[start : start + len(chunk)], keys, engine=engine)
            start += len(chunk)
        if start != len(frame):
            # names the first row beyond SQL's
            compare(chunk, frame.iloc[start:], keys, engine=engine)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_marts(
    data_dir: str | Path | None,
    universe: Universe,
    *,
    runs: int = 3,
    workdir: str | Path | None = None,
    check: bool = True,
    with_polars: bool = False,
) -> dict:
    """Time marts.records + marts.relative_strength in pandas (and, with_polars, in
    Polars: tests/benchmarks/polars_marts.py) and in the warehouse, in this process,
    over the lake under `data_dir` (RADAR_DATA_DIR; None: the current one).

    - pandas_s: median over `runs` of reading lake/prices_daily/**/*.parquet into a
      pandas frame (read_prices, pyarrow's threads) and building the session calendar
      (session_calendar), read_s, then records(prices, calendar) +
      relative_strength(prices, universe.pairs, universe.baskets) on that frame,
      single-threaded: the staging (typing, de-duplication, the basket index) and both
      marts. records stages every symbol; relative_strength only the symbols its pairs
      and baskets need. The read counts as the warehouse's scan of the same files does.
    - polars_s (with_polars): median over `runs` of polars_marts.timed_marts: a lazy
      scan of the same files, the calendar, then each mart collected (scan, staging and
      mart in one query), Polars' thread pool (every core).
    - warehouse_s: median over `runs` of the warehouse's own SQL for the two marts as
      build.run_models runs it (build_sql_marts: build.materialized_staging,
      then publish_mart, `create or replace table core.<mart> as
      <include/sql/marts/<mart>.sql>` and its marts view) into a DuckDB *file* (in a
      temp dir under `workdir`), DuckDB's default threads. The lake's views are lazy,
      so this includes DuckDB's scan of the Parquet lake, the staging SQL (in a full
      build the materialised staging also serves other marts) and writing the tables.
      Not timed: connecting, load_lake, stage_config, the FOMC diffs, creating the views
      (prepare_warehouse), a checkpoint.
    Each run is pandas, then Polars, then warehouse, so the shared machine's noise hits
    all. pandas_ratio_without_read compares the pandas computation alone with the
    warehouse.

    With check=True the last run's results are checked equal (check_marts, compare()):
    MartMismatch if they differ. Returns (floats in seconds, RSS in MB):
    pandas_s, warehouse_s, pandas_ratio = pandas_s / warehouse_s,
    pandas_ratio_without_read, rows_records,
    rows_relative_strength, and read_s, pandas_records_s, pandas_relative_strength_s,
    warehouse_staging_s, warehouse_records_s, warehouse_relative_strength_s (medians
    of each step), rows_prices,
    runs, and the process's peak RSS after the read (peak_rss_read_mb), after the first
    pandas run, before any DuckDB work (peak_rss_pandas_mb), after the warehouse runs
    (peak_rss_warehouse_mb) and after the check (peak_rss_mb). With Polars also
    polars_s, polars_ratio = polars_s / warehouse_s, polars_calendar_s,
    polars_records_s, polars_relative_strength_s and peak_rss_polars_mb (after the
    first Polars run)."""
    if runs < 1:
        raise ValueError("runs must be >= 1")
    if with_polars:
        from tests.benchmarks import polars_marts
    with radar_data_dir(data_dir):
        peak = {}
        steps = ("read", "pr", "prs", "ws", "wr", "wrs", "plc", "plr", "plrs")
        timings: dict[str, list[float]] = {k: [] for k in steps}
        pandas_records = pandas_rs = polars_frames = None
        with tempfile.TemporaryDirectory(prefix="bench-pandas-marts-", dir=workdir) as tmp:
            import duckdb

            with duckdb.connect(str(Path(tmp) / "warehouse.duckdb")) as con:
                for run in range(runs):
                    # free the previous run's frames first
                    prices = pandas_records = pandas_rs = polars_frames = None
                    started = time.perf_counter()
                    prices = read_prices()
                    calendar = session_calendar(prices, universe)
                    timings["read"].append(time.perf_counter() - started)
                    peak.setdefault("peak_rss_read_mb", _peak_rss_mb())
                    t0 = time.perf_counter()
                    pandas_records = records(prices, calendar)
                    t1 = time.perf_counter()
                    pandas_rs = relative_strength(prices, universe.pairs, universe.baskets)
                    t2 = time.perf_counter()
                    timings["pr"].append(t1 - t0)
                    timings["prs"].append(t2 - t1)
                    if run == 0:
                        peak["peak_rss_pandas_mb"] = _peak_rss_mb()
                    if with_polars:
                        polars_frames, seconds = polars_marts.timed_marts(universe)
                        timings["plc"].append(seconds["calendar"])
                        timings["plr"].append(seconds["records"])
                        timings["plrs"].append(seconds["relative_strength"])
                        peak.setdefault("peak_rss_polars_mb", _peak_rss_mb())
                    if run == 0:
                        prepare_warehouse(con, universe)
                    seconds = build_sql_marts(con)
                    timings["ws"].append(seconds["staging"])
                    timings["wr"].append(seconds["records"])
                    timings["wrs"].append(seconds["relative_strength"])
                peak["peak_rss_warehouse_mb"] = _peak_rss_mb()
                count = "select count(*) from marts.{}"
                rows = {name: con.execute(count.format(name)).fetchone()[0] for name in KEYS}
                rows_prices = len(prices)
                made = {"pandas": {"records": pandas_records, "relative_strength": pandas_rs}}
                prices = pandas_records = pandas_rs = None
                if with_polars:
                    made["Polars"] = polars_frames
                    polars_frames = None
                for engine in list(made):  # one engine's frames at a time, freed once checked
                    frames = made.pop(engine)
                    lengths = {name: len(frame) for name, frame in frames.items()}
                    if check:
                        for name in list(frames):
                            frame = frames.pop(name)
                            as_pandas = frame if engine == "pandas" else frame.to_pandas()
                            frame = None
                            check_marts(con, {name: as_pandas}, engine=engine)
                            as_pandas = None
                    frames = None
                    for name, length in lengths.items():
                        if length != rows[name]:
                            raise MartMismatch(
                                f"marts.{name}: {rows[name]:,} SQL rows, {length:,} {engine} rows"
                            )
    pandas_s = statistics.median(
        map(sum, zip(timings["read"], timings["pr"], timings["prs"], strict=True))
    )
    computed_s = statistics.median(map(sum, zip(timings["pr"], timings["prs"], strict=True)))
    warehouse_runs = zip(timings["ws"], timings["wr"], timings["wrs"], strict=True)
    warehouse_s = statistics.median(map(sum, warehouse_runs))
    result = {
        "pandas_s": pandas_s,
        "warehouse_s": warehouse_s,
        "pandas_ratio": pandas_s / warehouse_s,
        "pandas_ratio_without_read": computed_s / warehouse_s,
        "rows_records": int(rows["records"]),
        "rows_relative_strength": int(rows["relative_strength"]),
        "read_s": statistics.median(timings["read"]),
        "pandas_records_s": statistics.median(timings["pr"]),
        "pandas_relative_strength_s": statistics.median(timings["prs"]),
        "warehouse_staging_s": statistics.median(timings["ws"]),
        "warehouse_records_s": statistics.median(timings["wr"]),
        "warehouse_relative_strength_s": statistics.median(timings["wrs"]),
        "rows_prices": rows_prices,
        "runs": runs,
        **peak,
        "peak_rss_mb": _peak_rss_mb(),
    }
    if with_polars:
        polars_runs = zip(timings["plc"], timings["plr"], timings["plrs"], strict=True)
        polars_s = statistics.median(map(sum, polars_runs))
        result |= {
            "polars_s": polars_s,
            "polars_ratio": polars_s / warehouse_s,
            "polars_calendar_s": statistics.median(timings["plc"]),
            "polars_records_s": statistics.median(timings["plr"]),
            "polars_relative_strength_s": statistics.median(timings["plrs"]),
        }
    return result
