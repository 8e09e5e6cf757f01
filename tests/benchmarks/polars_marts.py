"""A Polars implementation of `marts.records` and `marts.relative_strength`, written for
the benchmark's `polars_ratio` beside pandas' (tests/benchmarks/pandas_marts.py) and
checked to give the same numbers as the warehouse's SQL the same way (pandas_marts.compare).

Idiomatic Polars: one lazy scan of the lake's Parquet files, the staging and both marts
as lazy queries of window expressions (`cum_max().shift().over("symbol")`,
`rolling_mean(50).over("pair")`, ...), collected by Polars' own thread pool; no Python
loop over rows or groups, no UDFs.

    prices   = scan_prices()                         # LazyFrame of lake/prices_daily/**/*.parquet
    calendar = session_calendar(prices, universe)     # as build.stage_config builds it
    records(prices, calendar).collect()
    relative_strength(prices, universe.pairs, universe.baskets).collect()
    timed_marts(universe)                             # one timed run: frames and seconds

Each mart starts from the lake rows and does the staging itself (typing and "latest
ingestion wins" de-duplication, as stg_prices_daily), as the SQL marts read the staging
views too. Polars is a dependency of the benchmark only (requirements-dev.txt).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import polars as pl

from rotation_radar.core import lake, storage
from rotation_radar.core import sessions as nyse
from rotation_radar.core.settings import Pair, Universe
from tests.benchmarks.pandas_marts import (
    LAKE_COLUMNS,
    RECORDS_COLUMNS,
    RELATIVE_STRENGTH_COLUMNS,
    radar_data_dir,
)

# The in-memory engine: the marts are window expressions over whole partitions, which
# Polars' streaming engine (the default of collect()) runs slower here.
ENGINE = "in-memory"
STAGED_TYPES = {
    "symbol": pl.String,
    "date": pl.Date,
    "open": pl.Float64,
    "high": pl.Float64,
    "low": pl.Float64,
    "close": pl.Float64,
    "adj_close": pl.Float64,
    "volume": pl.Int64,
    "ingested_at": pl.Datetime("us", "UTC"),
    "run_id": pl.String,
}


# --- inputs ---------------------------------------------------------------------------


def scan_prices(data_dir: str | Path | None = None) -> pl.LazyFrame:
    """The lake's prices_daily rows, lazily: every lake/prices_daily/**/*.parquet file
    (any folder depth, as build.load_lake's view reads them; temporary files excluded by
    storage.keys), the columns the marts use. `data_dir` defaults to RADAR_DATA_DIR."""
    with radar_data_dir(data_dir):
        keys = storage.keys("lake/prices_daily", "**/*.parquet")
        files = [str(storage.path(key)) for key in keys]
    schema = pl.from_arrow(lake.SCHEMAS["prices_daily"].empty_table()).schema
    if not files:
        return pl.LazyFrame(schema=schema).select(LAKE_COLUMNS)
    # hive_partitioning=False: the symbol=... folders are not columns; missing or extra
    # columns in a file are tolerated, as union_by_name in the warehouse's view
    scan = pl.scan_parquet(
        files,
        schema=schema,
        hive_partitioning=False,
        missing_columns="insert",
        extra_columns="ignore",
    )
    return scan.select(LAKE_COLUMNS)


def session_calendar(prices: pl.LazyFrame, universe: Universe) -> pl.DataFrame:
    """staging.stg_sessions as build.stage_config builds it: the NYSE sessions from
    min(first lake date, history_start) to the last lake date, numbered from 0."""
    dates = pl.col("date")
    bounds = prices.select(dates.min().alias("first"), dates.max().alias("last"))
    first, last = bounds.collect(engine=ENGINE).row(0)
    first = first or universe.history_start
    last = last or first
    days = nyse.sessions_between(min(first, universe.history_start), last)
    return pl.DataFrame(
        {"date": days, "session_index": range(len(days))},
        schema={"date": pl.Date, "session_index": pl.Int64},
    )


def pairs_frame(pairs: Iterable[Pair]) -> pl.LazyFrame:
    """staging.stg_pairs."""
    return pl.LazyFrame(
        [(p.id, p.numerator, p.denominator, p.price) for p in pairs],
        schema=dict.fromkeys(("pair", "numerator", "denominator", "price_column"), pl.String),
        orient="row",
    )


# --- staging --------------------------------------------------------------------------


def stg_prices_daily(prices: pl.LazyFrame) -> pl.LazyFrame:
    """stg_prices_daily: typed, one row per symbol and date (the latest ingested_at, then
    the greatest run_id, wins; NULLs lose, as in DuckDB's DESC NULLS LAST), sorted by
    symbol and date."""
    latest_last = (
        prices.select(LAKE_COLUMNS)
        .cast(STAGED_TYPES)
        .sort("symbol", "date", "ingested_at", "run_id", nulls_last=False)
    )
    # keep each key's last row: the next row has another key (the SQL's lag, reversed)
    symbol, date = pl.col("symbol"), pl.col("date")
    last_of_key = symbol.ne_missing(symbol.shift(-1)) | date.ne_missing(date.shift(-1))
    return latest_last.filter(last_of_key)


def basket_index(staged: pl.LazyFrame, baskets: Mapping[str, Sequence[str]]) -> pl.LazyFrame:
    """stg_prices_daily_baskets from staged prices: each basket's equal-weight index,
    rebalanced daily, 100 on the first session on which every member has an adj_close,
    on those complete sessions only (a member's return runs from the previous one)."""
    members = (
        pl.LazyFrame(
            [(basket, symbol) for basket, symbols in baskets.items() for symbol in symbols],
            schema={"basket": pl.String, "symbol": pl.String},
            orient="row",
        )
        .unique()
        .with_columns(basket_size=pl.len().over("basket"))
    )
    priced = staged.filter(pl.col("adj_close").is_not_null()).select("symbol", "date", "adj_close")
    member_returns = (
        members.join(priced, on="symbol")
        .filter(pl.len().over("basket", "date") == pl.col("basket_size"))
        .sort("basket", "symbol", "date")
        .with_columns(
            member_return=(pl.col("adj_close") / pl.col("adj_close").shift() - 1).over(
                "basket", "symbol"
            )
        )
    )
    daily = (
        member_returns.group_by("basket", "date")
        # NULL on the first complete session (no previous price), as the SQL's avg
        .agg(member_count=pl.len(), daily_return=pl.col("member_return").mean())
        .sort("basket", "date")
    )
    level = 100 * (1 + pl.col("daily_return").fill_null(0)).cum_prod().over("basket")
    return daily.with_columns(close=level, adj_close=level).select(
        "basket", "date", "close", "adj_close", "daily_return", "member_count"
    )


# --- marts ----------------------------------------------------------------------------


def records(prices: pl.LazyFrame, calendar: pl.DataFrame) -> pl.LazyFrame:
    """marts.records from the lake's prices_daily rows and the session calendar
    (date, session_index), sorted by symbol and date."""
    close, high, date = pl.col("close"), pl.col("high"), pl.col("date")
    prior_close, prior_high = pl.col("prior_record_close"), pl.col("prior_record_high")

    def session_index(column: str) -> pl.Expr:
        return pl.col(column).replace_strict(
            calendar["date"], calendar["session_index"], default=None, return_dtype=pl.Int64
        )

    return (
        stg_prices_daily(prices)
        .filter(close.is_not_null() & high.is_not_null())
        .with_columns(
            prior_record_close=close.cum_max().shift().over("symbol"),
            prior_record_high=high.cum_max().shift().over("symbol"),
            record_close=close.cum_max().over("symbol"),
            record_high=high.cum_max().over("symbol"),
            observation_number=pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over("symbol"),
            record_basis_start=date.first().over("symbol"),
            # highest close of the previous 252 rows, NULL until there are 252 of them
            high_52w_prior=close.rolling_max(252).shift().over("symbol"),
        )
        .with_columns(
            # comparisons with NULL are NULL: coalesce(..., false) of the SQL
            is_record_close=(close > prior_close).fill_null(False),
            is_record_high=(high > prior_high).fill_null(False),
            is_tested_and_failed=((high > prior_close) & (close <= prior_close)).fill_null(False),
            # the running record moves on a new record or on the symbol's first session
            record_close_date=pl.when((close > prior_close) | prior_close.is_null())
            .then(date)
            .forward_fill()
            .over("symbol"),
            record_high_date=pl.when((high > prior_high) | prior_high.is_null())
            .then(date)
            .forward_fill()
            .over("symbol"),
            pct_from_record=(close / pl.max_horizontal(close, prior_close) - 1) * 100,
            is_high_52w=(close > pl.col("high_52w_prior")).fill_null(False),
        )
        .with_columns(
            prior_record_close_date=pl.col("record_close_date").shift().over("symbol"),
            prior_record_high_date=pl.col("record_high_date").shift().over("symbol"),
            sessions_since_record=session_index("date") - session_index("record_close_date"),
        )
        .select(RECORDS_COLUMNS)
    )


def relative_strength(
    prices: pl.LazyFrame, pairs: Iterable[Pair], baskets: Mapping[str, Sequence[str]]
) -> pl.LazyFrame:
    """marts.relative_strength from the lake's prices_daily rows, the universe's pairs
    and baskets (Universe.pairs, Universe.baskets), sorted by pair and date. Only the
    symbols a pair or basket needs are staged (a filter the scan pushes down)."""
    pairs = list(pairs)
    needed = {p.numerator for p in pairs} | {p.denominator for p in pairs}
    needed |= {symbol for symbols in baskets.values() for symbol in symbols}
    staged = stg_prices_daily(prices.filter(pl.col("symbol").is_in(sorted(needed))))
    legs = staged.select(pl.col("symbol").alias("leg"), "date", "close", "adj_close")
    if baskets:
        indexes = basket_index(staged, baskets).select(
            pl.col("basket").alias("leg"), "date", "close", "adj_close"
        )
        legs = pl.concat([legs, indexes])
    numerators = legs.rename(
        {"leg": "numerator", "close": "numerator_close", "adj_close": "numerator_adj"}
    )
    denominators = legs.rename(
        {"leg": "denominator", "close": "denominator_close", "adj_close": "denominator_adj"}
    )
    by_close = pl.col("price_column") == "close"
    ratio = pl.col("ratio")
    prior_252 = ratio.rolling_max(252).shift().over("pair")
    return (
        pairs_frame(pairs)
        .join(numerators, on="numerator")
        .join(denominators, on=["denominator", "date"])
        .with_columns(
            numerator_price=pl.when(by_close).then("numerator_close").otherwise("numerator_adj"),
            denominator_price=pl.when(by_close)
            .then("denominator_close")
            .otherwise("denominator_adj"),
        )
        .filter(
            pl.col("numerator_price").is_not_null()
            & pl.col("denominator_price").is_not_null()
            & (pl.col("denominator_price") != 0)
        )
        .sort("pair", "date")
        .with_columns(ratio=pl.col("numerator_price") / pl.col("denominator_price"))
        .with_columns(
            observation_number=pl.int_range(1, pl.len() + 1, dtype=pl.Int64).over("pair"),
            # min_samples = window: NULL during the warm-up, as the SQL's cases
            ratio_sma50=ratio.rolling_mean(50).over("pair"),
            ratio_sma200=ratio.rolling_mean(200).over("pair"),
            ratio_high_52w_prior=prior_252,
            ratio_low_52w_prior=ratio.rolling_min(252).shift().over("pair"),
            rs_momentum_63=(ratio / ratio.shift(63) - 1).over("pair"),
            numerator_return=(
                pl.col("numerator_price") / pl.col("numerator_price").shift() - 1
            ).over("pair"),
            denominator_return=(
                pl.col("denominator_price") / pl.col("denominator_price").shift() - 1
            ).over("pair"),
        )
        .with_columns(
            mansfield_rs=(ratio / pl.col("ratio_sma200") - 1) * 100,
            is_ratio_high_52w=(ratio > pl.col("ratio_high_52w_prior")).fill_null(False),
            is_ratio_low_52w=(ratio < pl.col("ratio_low_52w_prior")).fill_null(False),
        )
        .select(RELATIVE_STRENGTH_COLUMNS)
    )


# --- the benchmark --------------------------------------------------------------------


def timed_marts(universe: Universe) -> tuple[dict[str, pl.DataFrame], dict[str, float]]:
    """One run over the lake of the current RADAR_DATA_DIR: both marts collected, and the
    seconds of each step: calendar (the scan's date range and the session calendar),
    records and relative_strength (each its own scan of the files it needs, staging
    and mart). Polars' default thread pool (every core)."""
    started = time.perf_counter()
    prices = scan_prices()
    calendar = session_calendar(prices, universe)
    calendar_done = time.perf_counter()
    marts = {"records": records(prices, calendar).collect(engine=ENGINE)}
    records_done = time.perf_counter()
    rs = relative_strength(prices, universe.pairs, universe.baskets)
    marts["relative_strength"] = rs.collect(engine=ENGINE)
    done = time.perf_counter()
    seconds = {
        "calendar": calendar_done - started,
        "records": records_done - calendar_done,
        "relative_strength": done - records_done,
    }
    return marts, seconds
