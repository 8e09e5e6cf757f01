"""The lake's datasets, each declared once: name, schema, key, file layout and what a
rerun does to it. Ingest (through `lake`), the warehouse's `lake` views and
docs/lake.md read these declarations instead of spelling paths and keys.

A layout is the template of one file's key: `{column}` fills a folder from a key
column (one file per symbol, per company, per basket and date...), `{run}` names a
run's own file, so a rerun replaces it instead of adding a copy. What a rerun does:

- MERGE: incoming rows are merged over the stored ones by key (`lake.merge`); a stored
  row comes back replaced only when one of its `compared` columns differs (a missing
  value equals a missing value), and then goes to the `versions` dataset; an unchanged
  row keeps its lineage, so a rerun leaves the file byte-identical;
- REPLACE: a run rewrites whole each file it writes (a key folder's file, or the
  dataset's single file);
- APPEND: one file per run (or per delivery outcome); a rerun rewrites its own file.
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass

import pyarrow as pa

from rotation_radar.core.settings import REPO_ROOT

DOCS_PATH = REPO_ROOT / "docs" / "lake.md"
MERGE, REPLACE, APPEND = "merge", "replace", "append"
LINEAGE = [
    pa.field("source", pa.string()),
    pa.field("ingested_at", pa.timestamp("us", tz="UTC")),
    pa.field("run_id", pa.string()),
]
PRICE_VALUES = ["open", "high", "low", "close", "adj_close", "volume"]
# Increment files a dataset keeps before they are folded into its key folders' files.
COMPACT_AFTER = 20
_FIELD = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Dataset:
    """One lake dataset. `path` is the template of a file's key (see the module doc)."""

    name: str
    schema: pa.Schema
    key: tuple[str, ...]
    path: str
    rerun: str
    doc: str
    compared: tuple[str, ...] = ()  # MERGE: columns whose change replaces a stored row
    versions: str | None = None  # MERGE: the dataset that archives replaced rows
    version_column: str | None = None  # MERGE: counts a key's versions (1, 2, ...)
    order: tuple[str, ...] = ()  # row order of a merged or per-key file
    warehouse: bool = False  # the warehouse has a view `lake.<name>` over its files
    # MERGE: the template of a run's increment file, which holds the rows a night appends
    # after every key folder's stored history (see rotation_radar.core.lake)
    increments: str | None = None

    glob = "**/*.parquet"  # every file of the dataset, below `prefix`

    @property
    def prefix(self) -> str:
        """The dataset's folder, which holds every file of it (`lake/prices_daily`)."""
        return "/".join(self.path.split("/")[:2])

    @property
    def partition(self) -> tuple[str, ...]:
        """The fields that name a file's folders (`symbol`; `basket`, `as_of`)."""
        return tuple(_FIELD.findall(self.path.rsplit("/", 1)[0]))

    def file(self, **parts) -> str:
        """One file's key: `file(symbol="^RUT")` -> `lake/prices_daily/symbol=^RUT/data.parquet`."""
        missing = set(_FIELD.findall(self.path)) - set(parts)
        if missing:
            raise ValueError(
                f"dataset {self.name}: a file's key needs {sorted(missing)} ({self.path})"
            )
        return _FIELD.sub(lambda m: _text(parts[m.group(1)]), self.path)

    def folder(self, **parts) -> str:
        """The folder of the files that share the leading `parts`, e.g. one basket's files;
        with no parts, `prefix`."""
        segments = self.path.split("/")[:-1]
        filled = []
        for segment in segments:
            fields = _FIELD.findall(segment)
            if any(f not in parts for f in fields):
                break
            filled.append(_FIELD.sub(lambda m: _text(parts[m.group(1)]), segment))
        return "/".join(filled)

    def pattern(self, **parts) -> str:
        """The glob, below `folder(**parts)`, of the files that share those parts."""
        depth = len(self.folder(**parts).split("/"))
        return "/".join(_FIELD.sub("*", s) for s in self.path.split("/")[depth:])

    def parts(self, key: str) -> dict[str, str]:
        """The fields of a file's key, as text: the inverse of `file`."""
        regex = "".join(
            f"(?P<{piece}>[^/]+)" if i % 2 else re.escape(piece)
            for i, piece in enumerate(_FIELD.split(self.path))
        )
        match = re.fullmatch(regex, key)
        if match is None:
            raise ValueError(f"{key} is not a file of dataset {self.name} ({self.path})")
        return match.groupdict()


def _text(value) -> str:
    """A key's value as it names a folder: dates in ISO form, whole numbers without a point."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, numbers.Integral):
        return str(int(value))
    return str(value)


def _with(schema: pa.Schema, *fields: pa.Field) -> pa.Schema:
    for field in fields:
        schema = schema.append(field)
    return schema


def _versions(schema: pa.Schema) -> pa.Schema:
    """The rows a merge replaced, stamped with when and by which run."""
    return _with(
        schema,
        pa.field("replaced_at", pa.timestamp("us", tz="UTC")),
        pa.field("replaced_by_run_id", pa.string()),
    )


PRICES = pa.schema(
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
)
STATEMENTS = pa.schema(
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
)
FACTS = pa.schema(
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
)
PROJECTIONS = pa.schema(
    [
        pa.field("meeting_date", pa.date32()),  # the meeting's decision day
        # real_gdp_change | unemployment_rate | pce_inflation | core_pce_inflation |
        # federal_funds_rate
        pa.field("variable", pa.string()),
        pa.field("target_year", pa.string()),  # '2025', ... or 'longer_run'
        *(
            pa.field(c, pa.float64())  # percent; NULL where Table 1 prints nothing
            for c in (
                "median",
                "central_tendency_low",
                "central_tendency_high",
                "range_low",
                "range_high",
            )
        ),
        pa.field("url", pa.string()),  # the page's path on the federal_reserve connection
        pa.field("sha256", pa.string()),  # of the page's raw bytes
        pa.field("etag", pa.string()),
        pa.field("last_modified", pa.string()),
        pa.field("raw_key", pa.string()),
        *LINEAGE,
    ]
)
DOTS = pa.schema(
    [
        pa.field("meeting_date", pa.date32()),
        pa.field("target_year", pa.string()),  # '2025', ... or 'longer_run'
        pa.field("midpoint", pa.float64()),  # of a target range, percent (3.625)
        pa.field("participants", pa.int64()),  # dots at that midpoint, > 0
        *LINEAGE,
    ]
)
TTM_VALUES = ("net_income", "eps_diluted", "revenue", "operating_income", "interest_expense")
REASON = pa.field("reason", pa.string())

_DECLARED = [
    Dataset(
        "prices_daily",
        PRICES,
        key=("symbol", "date"),
        path="lake/prices_daily/symbol={symbol}/data.parquet",
        rerun=MERGE,
        compared=(*PRICE_VALUES, "currency", "adjustment"),
        versions="prices_daily_versions",
        order=("symbol", "date"),
        warehouse=True,
        increments="lake/prices_daily/increments/{run}.parquet",
        doc="Daily bars: each symbol's history in one file, the bars a night appends after "
        "it in that night's increment file (folded into the symbols' files every "
        f"{COMPACT_AFTER} increments); a restated bar rewrites its symbol's file.",
    ),
    Dataset(
        "prices_daily_versions",
        _versions(PRICES),
        key=("symbol", "date", "replaced_at"),
        path="lake/prices_daily_versions/symbol={symbol}/{run}.parquet",
        rerun=APPEND,
        warehouse=True,
        doc="The bars a restatement replaced, one file per symbol and run.",
    ),
    Dataset(
        "corporate_actions",
        pa.schema(
            [
                pa.field("symbol", pa.string()),
                pa.field("date", pa.date32()),
                pa.field("kind", pa.string()),  # split | dividend
                pa.field("value", pa.float64()),  # split ratio (10.0 for 10:1) or cash amount
                *LINEAGE,
            ]
        ),
        key=("symbol", "date", "kind"),
        path="lake/corporate_actions/symbol={symbol}/data.parquet",
        rerun=MERGE,  # nothing compared: an action is kept as first seen, new ones added
        order=("symbol", "date", "kind"),
        warehouse=True,
        doc="Splits and dividends, one file per symbol; new actions are added.",
    ),
    Dataset(
        "universe_members",
        pa.schema(
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
        key=("basket", "as_of", "symbol"),
        path="lake/universe_members/basket={basket}/as_of={as_of}/data.parquet",
        rerun=REPLACE,
        warehouse=True,
        doc="Members of an ETF basket as of a holdings file's date (iShares); a later run "
        "for that date replaces the file.",
    ),
    Dataset(
        "fomc_statements",
        STATEMENTS,
        key=("statement_date",),
        path="lake/fomc_statements/data.parquet",
        rerun=MERGE,
        compared=("sha256",),  # the page's bytes: a changed page is a new version
        versions="fomc_statements_versions",
        version_column="version",
        order=("statement_date",),
        warehouse=True,
        doc="One row per FOMC statement; a changed page replaces it as the next version.",
    ),
    Dataset(
        "fomc_statements_versions",
        _versions(STATEMENTS),
        key=("statement_date", "version"),
        path="lake/fomc_statements_versions/all/{run}.parquet",
        rerun=APPEND,
        warehouse=True,
        doc="The statement rows a changed page replaced, one file per run.",
    ),
    Dataset(
        "fomc_projections",
        PROJECTIONS,
        key=("meeting_date", "variable", "target_year"),
        path="lake/fomc_projections/meeting_date={meeting_date}/data.parquet",
        rerun=REPLACE,
        warehouse=True,
        doc="Table 1 of each Summary of Economic Projections (median, central tendency and "
        "range of each variable per year and the longer run), one file per meeting; a "
        "changed page replaces its meeting's file (its raw bytes stay in raw/).",
    ),
    Dataset(
        "fomc_dots",
        DOTS,
        key=("meeting_date", "target_year", "midpoint"),
        path="lake/fomc_dots/meeting_date={meeting_date}/data.parquet",
        rerun=REPLACE,
        warehouse=True,
        doc="The dot plot of each SEP (Figure 2): participants at each target-rate midpoint "
        "per year and the longer run, one file per meeting, replaced with its page.",
    ),
    Dataset(
        "fed_funds_target",
        pa.schema(
            [
                pa.field("date", pa.date32()),
                pa.field("lower", pa.float64()),  # FRED DFEDTARL, percent
                pa.field("upper", pa.float64()),  # FRED DFEDTARU, percent
                *LINEAGE,
            ]
        ),
        key=("date",),
        path="lake/fed_funds_target/data.parquet",
        rerun=REPLACE,
        warehouse=True,
        doc="The federal funds target range (FRED), replaced whole by each run.",
    ),
    Dataset(
        "treasury_yields",
        pa.schema(
            [
                pa.field("date", pa.date32()),
                pa.field("series", pa.string()),  # DGS2 | DGS10
                pa.field("value", pa.float64()),  # percent; NULL when the bond market was closed
                *LINEAGE,
            ]
        ),
        key=("date", "series"),
        path="lake/treasury_yields/data.parquet",
        rerun=REPLACE,
        warehouse=True,
        doc="2- and 10-year Treasury yields (FRED), replaced whole by each run.",
    ),
    Dataset(
        "earnings_facts",
        FACTS,
        key=("cik", "concept", "period_start", "period_end", "accession"),
        path="lake/earnings_facts/cik={cik}/data.parquet",
        rerun=MERGE,
        compared=("value", "unit", "form", "filed", "fiscal_year", "fiscal_period"),
        versions="earnings_facts_versions",
        order=("metric", "concept", "period_end", "filed", "accession"),
        warehouse=True,
        doc="XBRL facts of SEC companyfacts, one row per fact and filing (a restatement by a "
        "later filing is a new row, so any date's view is a filter on `filed`), one file "
        "per company.",
    ),
    Dataset(
        "earnings_facts_versions",
        _versions(FACTS),
        key=("cik", "concept", "period_start", "period_end", "accession", "replaced_at"),
        path="lake/earnings_facts_versions/cik={cik}/{run}.parquet",
        rerun=APPEND,
        doc="The facts whose value SEC changed, as they were, one file per company and run.",
    ),
    Dataset(
        "earnings_ttm",
        pa.schema(
            [
                pa.field("cik", pa.int64()),
                pa.field("symbol", pa.string()),
                pa.field("known_from", pa.date32()),
                *(pa.field(m, pa.float64()) for m in TTM_VALUES),
                pa.field("shares_outstanding", pa.float64()),
                pa.field("shares_as_of", pa.date32()),
                *LINEAGE,
            ]
        ),
        key=("cik", "known_from"),
        path="lake/earnings_ttm/cik={cik}/data.parquet",
        rerun=REPLACE,
        warehouse=True,
        doc="Point-in-time fundamentals per company: what its facts said from each filing "
        "date on (trailing twelve months; the latest share count and its date), rewritten "
        "with the company's facts.",
    ),
    Dataset(
        "sec_companies",
        pa.schema(
            [
                pa.field("cik", pa.int64()),
                pa.field("ticker", pa.string()),  # SEC spelling (BRK-B)
                pa.field("symbol", pa.string()),  # Yahoo spelling
                pa.field("title", pa.string()),
                pa.field("raw_key", pa.string()),
                *LINEAGE,
            ]
        ),
        key=("cik", "ticker"),
        path="lake/sec_companies/data.parquet",
        rerun=REPLACE,
        warehouse=True,
        doc="SEC's ticker -> CIK map (company_tickers.json; share classes share a CIK).",
    ),
    Dataset(
        "sec_daily_index",
        pa.schema(
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
        key=("index_date", "cik", "accession"),
        path="lake/sec_daily_index/index_date={index_date}/data.parquet",
        rerun=REPLACE,
        doc="EDGAR's daily form index, one file per index day read (empty: SEC was closed).",
    ),
    Dataset(
        "data_quality",
        pa.schema(
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
        key=("dataset", "run_id", "check"),
        path="lake/data_quality/dataset={dataset}/{run}.parquet",
        rerun=APPEND,
        warehouse=True,
        doc="Every check's result, one file per dataset and run (or run stage).",
    ),
    Dataset(
        "alert_log",
        pa.schema(
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
                pa.field(
                    "delivered_at", pa.timestamp("us", tz="UTC")
                ),  # when the outcome was logged
                pa.field("run_id", pa.string()),
            ]
        ),
        key=("rule", "subject", "session_date", "channel"),
        path="lake/alert_log/channel={channel}/{status}-{digest}.parquet",
        rerun=APPEND,
        warehouse=True,
        doc="Every alert decision, one file per delivery outcome named by its status and "
        "keys (a key has a row per outcome; one logged delivered or suppressed is never "
        "sent again). In the lake because the warehouse is rebuilt each night.",
    ),
    Dataset(
        "quarantine_prices_daily",
        _with(PRICES, REASON, pa.field("raw_key", pa.string())),
        key=("symbol", "date"),
        path="quarantine/prices_daily/{session}/{run}.parquet",
        rerun=APPEND,
        warehouse=True,
        doc="Bars that failed a check, with every reason and the raw response's key.",
    ),
    Dataset(
        "quarantine_fomc_statements",
        _with(STATEMENTS, REASON),
        key=("statement_date",),
        path="quarantine/fomc_statements/{session}/{run}.parquet",
        rerun=APPEND,
        doc="Statements that failed a check, with the reason.",
    ),
    Dataset(
        "quarantine_fomc_projections",
        _with(PROJECTIONS, REASON),
        key=("meeting_date", "variable", "target_year"),
        path="quarantine/fomc_projections/{session}/{run}.parquet",
        rerun=APPEND,
        doc="Table 1 rows of SEP meetings left out (Table 1 and the dots disagree, or a row "
        "failed a check), the whole meeting with the reason.",
    ),
    Dataset(
        "quarantine_fomc_dots",
        _with(DOTS, REASON),
        key=("meeting_date", "target_year", "midpoint"),
        path="quarantine/fomc_dots/{session}/{run}.parquet",
        rerun=APPEND,
        doc="The dots of SEP meetings left out, with the reason.",
    ),
    Dataset(
        "quarantine_earnings_facts",
        _with(FACTS, pa.field("value_raw", pa.string()), REASON),
        key=("cik", "concept", "period_start", "period_end", "accession"),
        path="quarantine/earnings_facts/{session}/{run}.parquet",
        rerun=APPEND,
        doc="Facts that failed a check, with the value as received and the reason.",
    ),
]
DATASETS: dict[str, Dataset] = {d.name: d for d in _DECLARED}
SCHEMAS: dict[str, pa.Schema] = {d.name: d.schema for d in _DECLARED}


def warehouse_views() -> list[Dataset]:
    """The datasets the warehouse reads, each as a view `lake.<name>` over the Parquet
    files `glob` below `prefix` (an empty table of `schema` while it has none)."""
    return [d for d in _DECLARED if d.warehouse]


def markdown() -> str:
    """docs/lake.md: every dataset with its key, files and what a rerun does."""
    lines = [
        "# The lake",
        "",
        "Generated from `rotation_radar.core.datasets` (`python -m rotation_radar.core.datasets`);",
        "paths are relative to `RADAR_DATA_DIR`. Every curated row carries lineage (`source`,",
        "`ingested_at`, `run_id`). On a rerun, *merge* merges rows by key (a changed row is",
        "archived to the versions dataset, an unchanged one keeps its lineage), *replace*",
        "rewrites the file, *append* rewrites the run's own file.",
        "",
        "| dataset | key | file | rerun | warehouse |",
        "|---|---|---|---|---|",
    ]
    for d in _DECLARED:
        rerun = d.rerun
        if d.rerun == MERGE:
            rerun += (
                f" (compares {', '.join(d.compared)})" if d.compared else " (adds new keys only)"
            )
            rerun += f"; replaced rows to `{d.versions}`" if d.versions else ""
        path = _FIELD.sub(lambda m: f"<{m.group(1)}>", d.path)
        if d.increments:
            path += "`, appended rows `" + _FIELD.sub(lambda m: f"<{m.group(1)}>", d.increments)
        view = f"`lake.{d.name}`" if d.warehouse else ""
        lines.append(f"| `{d.name}` | {', '.join(d.key)} | `{path}` | {rerun} | {view} |")
    lines += ["", "## Datasets", ""]
    for d in _DECLARED:
        columns = ", ".join(f"`{f.name}` {f.type}" for f in d.schema)
        lines += [f"### {d.name}", "", d.doc, "", f"Columns: {columns}.", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    DOCS_PATH.write_text(markdown())
    print(f"wrote {DOCS_PATH}")
