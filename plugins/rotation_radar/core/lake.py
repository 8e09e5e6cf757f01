"""The curated Parquet lake: dataset schemas, keys and typed reads and writes.

One file per symbol for the symbol-keyed datasets, so a nightly run rewrites
only what changed; append-only datasets get one file per run, so a rerun
replaces its own file instead of adding a second copy.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pyarrow as pa

from rotation_radar.core import storage

LINEAGE = [
    pa.field("source", pa.string()),
    pa.field("ingested_at", pa.timestamp("us", tz="UTC")),
    pa.field("run_id", pa.string()),
]
PRICE_VALUES = ["open", "high", "low", "close", "adj_close", "volume"]

SCHEMAS = {
    "prices_daily": pa.schema(
        [
            pa.field("symbol", pa.string()),
            pa.field("date", pa.date32()),
            *(pa.field(c, pa.float64()) for c in PRICE_VALUES[:-1]),
            pa.field("volume", pa.int64()),
            pa.field("currency", pa.string()),
            # "split": close split-adjusted, adj_close also dividend-adjusted (Yahoo);
            # "split_dividend": close already dividend-adjusted too (Stooq).
            pa.field("adjustment", pa.string()),
            *LINEAGE,
        ]
    ),
    "corporate_actions": pa.schema(
        [
            pa.field("symbol", pa.string()),
            pa.field("date", pa.date32()),
            pa.field("kind", pa.string()),  # split | dividend
            pa.field("value", pa.float64()),  # split ratio (10.0 for 10:1) or cash amount
            *LINEAGE,
        ]
    ),
    "data_quality": pa.schema(
        [
            pa.field("dataset", pa.string()),
            pa.field("run_id", pa.string()),
            pa.field("session", pa.date32()),
            pa.field("check", pa.string()),
            pa.field("severity", pa.string()),  # row | batch | warning | source
            pa.field("success", pa.bool_()),
            pa.field("unexpected_count", pa.int64()),
            pa.field("detail", pa.string()),
        ]
    ),
    "fomc_statements": pa.schema(
        [
            pa.field("statement_date", pa.date32()),
            pa.field("url", pa.string()),  # the page's path on the federal_reserve connection
            pa.field("title", pa.string()),
            pa.field("text", pa.string()),
            pa.field("sha256", pa.string()),  # of the page's raw bytes
            pa.field("target_low", pa.float64()),
            pa.field("target_high", pa.float64()),
            pa.field("change_bps", pa.int64()),
            pa.field("action", pa.string()),  # cut | hike | hold
            pa.field("votes_for", pa.list_(pa.string())),
            pa.field("votes_for_count", pa.int64()),
            pa.field("votes_against_count", pa.int64()),
            pa.field(
                "dissents",
                pa.list_(
                    pa.struct(
                        [
                            pa.field("name", pa.string()),
                            pa.field("preferred_action", pa.string()),
                            pa.field("preferred_change_bps", pa.int64()),
                        ]
                    )
                ),
            ),
            pa.field("etag", pa.string()),
            pa.field("last_modified", pa.string()),
            pa.field("raw_key", pa.string()),
            pa.field("version", pa.int64()),
            *LINEAGE,
        ]
    ),
    "fed_funds_target": pa.schema(
        [
            pa.field("date", pa.date32()),
            pa.field("lower", pa.float64()),  # FRED DFEDTARL, percent
            pa.field("upper", pa.float64()),  # FRED DFEDTARU, percent
            *LINEAGE,
        ]
    ),
    "treasury_yields": pa.schema(
        [
            pa.field("date", pa.date32()),
            pa.field("series", pa.string()),  # DGS2 | DGS10
            pa.field("value", pa.float64()),  # percent; NULL when the bond market was closed
            *LINEAGE,
        ]
    ),
    # Members of an ETF basket as of a holdings file's date (iShares), one file per
    # (basket, as_of), which a later run for that date replaces.
    "universe_members": pa.schema(
        [
            pa.field("basket", pa.string()),  # the fund: IWM, IVV
            pa.field("as_of", pa.date32()),  # the file's "Fund Holdings as of"
            pa.field("symbol", pa.string()),  # Yahoo spelling (iShares BRKB -> BRK-B)
            pa.field("name", pa.string()),
            pa.field("weight", pa.float64()),  # percent of the fund
            pa.field("shares_held", pa.float64()),
            pa.field("sector", pa.string()),
            pa.field("market_value", pa.float64()),  # USD
            pa.field("raw_key", pa.string()),
            *LINEAGE,
        ]
    ),
    # XBRL facts of SEC companyfacts, one row per fact and filing (accession): a value
    # restated by a later filing is a new row, so any date's view is a filter on `filed`.
    # One file per company (cik=...), rewritten when the company files.
    "earnings_facts": pa.schema(
        [
            pa.field("cik", pa.int64()),
            pa.field("symbol", pa.string()),  # the company's first ticker (Yahoo spelling)
            pa.field("concept", pa.string()),  # taxonomy:Concept, e.g. us-gaap:NetIncomeLoss
            pa.field("metric", pa.string()),  # net_income, eps_diluted, revenue, ...
            pa.field("unit", pa.string()),  # USD, USD/shares, shares
            pa.field("period_start", pa.date32()),  # NULL for instants (share counts)
            pa.field("period_end", pa.date32()),
            pa.field("value", pa.float64()),
            pa.field("accession", pa.string()),
            pa.field("fiscal_year", pa.int64()),  # of the filing, not of the period
            pa.field("fiscal_period", pa.string()),  # of the filing: Q1..Q3, FY
            pa.field("form", pa.string()),
            pa.field("filed", pa.date32()),
            pa.field("frame", pa.string()),
            pa.field("raw_key", pa.string()),
            *LINEAGE,
        ]
    ),
    # Point-in-time fundamentals per company: what its facts said from each filing date
    # on (trailing twelve months; the latest share count and its date).
    "earnings_ttm": pa.schema(
        [
            pa.field("cik", pa.int64()),
            pa.field("symbol", pa.string()),
            pa.field("known_from", pa.date32()),
            *(pa.field(m, pa.float64()) for m in
              ("net_income", "eps_diluted", "revenue", "operating_income", "interest_expense")),  # fmt: skip
            pa.field("shares_outstanding", pa.float64()),
            pa.field("shares_as_of", pa.date32()),
            *LINEAGE,
        ]
    ),
    # SEC's ticker -> CIK map (company_tickers.json); share classes share a CIK.
    "sec_companies": pa.schema(
        [
            pa.field("cik", pa.int64()),
            pa.field("ticker", pa.string()),  # SEC spelling (BRK-B)
            pa.field("symbol", pa.string()),  # Yahoo spelling
            pa.field("title", pa.string()),
            pa.field("raw_key", pa.string()),
            *LINEAGE,
        ]
    ),
    # EDGAR's daily form index, one file per index day read (empty: SEC was closed).
    "sec_daily_index": pa.schema(
        [
            pa.field("index_date", pa.date32()),
            pa.field("form_type", pa.string()),
            pa.field("company", pa.string()),
            pa.field("cik", pa.int64()),
            pa.field("date_filed", pa.date32()),
            pa.field("accession", pa.string()),
            pa.field("file_name", pa.string()),
            *LINEAGE,
        ]
    ),
    # Every alert decision: one row per (rule, subject, session_date, channel) and
    # attempt outcome; a key with a `delivered` or `suppressed` row is never sent again.
    # Lives in the lake because the warehouse is rebuilt each night.
    "alert_log": pa.schema(
        [
            pa.field("rule", pa.string()),
            pa.field("subject", pa.string()),
            pa.field("session_date", pa.date32()),
            pa.field("channel", pa.string()),  # slack | email | webhook
            pa.field("severity", pa.string()),
            pa.field("value", pa.float64()),
            pa.field("threshold", pa.float64()),
            pa.field("message", pa.string()),
            pa.field("idempotency_key", pa.string()),
            pa.field("status", pa.string()),  # delivered | failed | suppressed
            pa.field("error", pa.string()),
            pa.field("attempts", pa.int64()),
            pa.field("delivered_at", pa.timestamp("us", tz="UTC")),  # when the outcome was logged
            pa.field("run_id", pa.string()),
        ]
    ),
}
SCHEMAS["earnings_facts_versions"] = SCHEMAS["earnings_facts"].append(
    pa.field("replaced_at", pa.timestamp("us", tz="UTC"))
).append(pa.field("replaced_by_run_id", pa.string()))
SCHEMAS["quarantine_earnings_facts"] = SCHEMAS["earnings_facts"].append(
    pa.field("value_raw", pa.string())
).append(pa.field("reason", pa.string()))
SCHEMAS["fomc_statements_versions"] = SCHEMAS["fomc_statements"].append(
    pa.field("replaced_at", pa.timestamp("us", tz="UTC"))
).append(pa.field("replaced_by_run_id", pa.string()))
SCHEMAS["quarantine_fomc_statements"] = SCHEMAS["fomc_statements"].append(pa.field("reason", pa.string()))
SCHEMAS["prices_daily_versions"] = SCHEMAS["prices_daily"].append(
    pa.field("replaced_at", pa.timestamp("us", tz="UTC"))
).append(pa.field("replaced_by_run_id", pa.string()))
SCHEMAS["quarantine_prices_daily"] = SCHEMAS["prices_daily"].append(
    pa.field("reason", pa.string())
).append(pa.field("raw_key", pa.string()))


def run_key(run_id: str) -> str:
    """A file-name-safe form of an Airflow run id."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", run_id)


def symbol_key(dataset: str, symbol: str) -> str:
    return f"lake/{dataset}/symbol={symbol}/data.parquet"


def to_table(frame: pd.DataFrame, dataset: str) -> pa.Table:
    schema = SCHEMAS[dataset]
    return pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)


def to_frame(table: pa.Table | None, dataset: str) -> pd.DataFrame:
    schema = SCHEMAS[dataset]
    if table is None:
        table = schema.empty_table()
    frame = table.cast(schema).to_pandas()
    if "volume" in frame:
        frame["volume"] = frame["volume"].astype("Int64")
    if "date" in frame:
        frame["date"] = frame["date"].astype(object)
    return frame


def read_symbol(dataset: str, symbol: str) -> pd.DataFrame:
    return to_frame(storage.read_parquet(symbol_key(dataset, symbol)), dataset)


def last_date(dataset: str, symbol: str) -> dt.date | None:
    """A symbol's latest stored date (its date column read alone), None when it has none."""
    import pyarrow.compute as pc

    table = storage.read_parquet(symbol_key(dataset, symbol), columns=["date"])
    return None if table is None or table.num_rows == 0 else pc.max(table["date"]).as_py()


def write_symbol(dataset: str, symbol: str, frame: pd.DataFrame) -> None:
    frame = frame.sort_values("date" if dataset == "prices_daily" else ["date", "kind"])
    storage.write_parquet(symbol_key(dataset, symbol), to_table(frame, dataset))


def write_run_file(dataset: str, partition: str, run_id: str, frame: pd.DataFrame) -> str:
    """Write (or on a rerun, replace) one run's file of an append-only dataset."""
    key = f"lake/{dataset}/{partition}/{run_key(run_id)}.parquet"
    storage.write_parquet(key, to_table(frame, dataset))
    return key


def sweep(prefixes: list[str], started: dt.datetime) -> None:
    """Remove the temporary files an interrupted run of a writer left under the prefixes
    it writes (lake datasets, quarantine, raw folders), older than this run's start."""
    for prefix in prefixes:
        storage.sweep(prefix, started.timestamp())


def write_quarantine(session: dt.date, run_id: str, frame: pd.DataFrame, dataset: str = "prices_daily") -> str:
    key = f"quarantine/{dataset}/{session.isoformat()}/{run_key(run_id)}.parquet"
    storage.write_parquet(key, to_table(frame, f"quarantine_{dataset}"))
    return key


def dataset_key(dataset: str) -> str:
    """The single file of a small dataset that is rewritten whole."""
    return f"lake/{dataset}/data.parquet"


def read_dataset(dataset: str) -> pd.DataFrame:
    return to_frame(storage.read_parquet(dataset_key(dataset)), dataset)


def write_dataset(dataset: str, frame: pd.DataFrame) -> None:
    storage.write_parquet(dataset_key(dataset), to_table(frame, dataset))


def read_all(dataset: str, prefix: str | None = None) -> pd.DataFrame:
    """Every file of a dataset concatenated (tests, summaries and small datasets)."""
    base = prefix or f"lake/{dataset}"
    frames = [to_frame(storage.read_parquet(k), dataset) for k in storage.keys(base, "**/*.parquet")]
    frames = [f for f in frames if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else to_frame(None, dataset)
