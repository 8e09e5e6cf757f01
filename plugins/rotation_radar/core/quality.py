"""Batch validation of curated daily prices with Great Expectations 1.x.

One GX suite holds every check; each expectation carries its check name and
severity in `meta`, and the expectations of one check are merged into one
`CheckResult`. Three strengths (see DESIGN.md, "Data contracts"):

- row checks quarantine the offending rows (taken from GX's unexpected index
  list) and let the rest of the batch through;
- batch checks block the whole batch;
- warnings are recorded and never block or quarantine.

The jump and missing-session checks need the symbol's previous row, which
may sit in the lake: the batch is validated with helper columns
(`_prev_date`, `_prev_close`, `_close_change`, `_missing_sessions`,
`_unconfirmed_jump`) computed from history + batch, and GX checks those.

A close more than `jump_factor` times the previous one (or below its reciprocal)
with no split that day is quarantined (`unconfirmed_jump`) until the symbol's
next bar confirms the level (stays within the factor of it): a one-bar spike
from the source never reaches the lake, a real move is loaded a night later. Missing sessions are counted
between each batch row and its symbol's previous row (in history or the
batch): a gap wholly inside history was reported when that history was
validated, and is not reported again every night.

This module imports great_expectations (about 3.5 s): import it inside tasks,
never at DAG-parse time.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import logging
import os
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

# Keep task logs readable: no usage analytics, no GX chatter at INFO (hundreds
# of lines at import), and no progress bars (set on the context below).
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
logging.getLogger("great_expectations").setLevel(logging.WARNING)

import great_expectations as gx
import great_expectations.expectations as gxe
import numpy as np
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from rotation_radar.core.settings import DEFAULT_JUMP_FACTOR

# This GX module pins its own logger to INFO at import.
logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)

ROW, BATCH, WARNING = "row", "batch", "warning"
_SEVERITY_ORDER = {BATCH: 0, ROW: 1, WARNING: 2}
SAMPLE_SIZE = 20

# The curated `prices_daily` contract: column -> kind.
PRICE_SCHEMA: dict[str, str] = {
    "symbol": "string",
    "date": "date",
    "open": "float",
    "high": "float",
    "low": "float",
    "close": "float",
    "adj_close": "float",
    "volume": "int",
    "currency": "string",
    "adjustment": "string",
    "source": "string",
    "ingested_at": "timestamp",
    "run_id": "string",
}

# Pandas dtypes accepted for each kind. Dates are python `datetime.date`
# objects (object dtype); `dates_are_sessions` rejects any other value.
# pandas 3 picks the datetime unit from its input, so any unit is UTC-valid.
KIND_DTYPES: dict[str, tuple[str, ...]] = {
    "string": ("str", "string"),
    "date": ("object",),
    "float": ("float64",),
    "int": ("Int64",),
    "timestamp": tuple(f"datetime64[{unit}, UTC]" for unit in ("s", "ms", "us", "ns")),
}

PRICE_COLUMNS = ("open", "high", "low", "close", "adj_close")
KEY = ("symbol", "date")
HELPER_COLUMNS = ("_prev_date", "_prev_close", "_close_change", "_missing_sessions", "_is_session", "_unconfirmed_jump")

# Row checks "a <= b": check name -> (a, b).
ORDER_CHECKS = {
    "low_le_open": ("low", "open"),
    "low_le_close": ("low", "close"),
    "open_le_high": ("open", "high"),
    "close_le_high": ("close", "high"),
}

# Only what the checks need: full unexpected index lists, no pandas query strings.
RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "partial_unexpected_count": SAMPLE_SIZE,
    "return_unexpected_index_query": False,
}


@dataclass(frozen=True)
class CheckResult:
    """One check of one run, as stored in `data_quality`."""

    dataset: str
    run_id: str
    check: str
    severity: str  # "row" | "batch" | "warning"
    success: bool
    unexpected_count: int
    detail: str  # JSON: a sample of offending rows, or a message


@dataclass
class Validation:
    """A validated batch split into good and quarantined rows, with every check's result."""

    good: pd.DataFrame
    quarantined: pd.DataFrame
    results: list[CheckResult]

    @property
    def blocked(self) -> bool:
        return any(r.severity == BATCH and not r.success for r in self.results)

    def failures(self) -> list[CheckResult]:
        failed = [r for r in self.results if not r.success]
        return sorted(failed, key=lambda r: _SEVERITY_ORDER[r.severity])


# --- the suite ---------------------------------------------------------------


def _meta(check: str, severity: str, *columns: str) -> dict:
    return {"check": check, "severity": severity, "columns": list(columns)}


def _row_expectations() -> list:
    expectations = []
    for column in PRICE_COLUMNS:
        expectations.append(
            gxe.ExpectColumnValuesToNotBeNull(
                column=column, meta=_meta("prices_not_null", ROW, *PRICE_COLUMNS)
            )
        )
    for column in PRICE_COLUMNS:
        expectations.append(
            gxe.ExpectColumnValuesToBeBetween(
                column=column,
                min_value=0,
                strict_min=True,
                meta=_meta("prices_positive", ROW, *PRICE_COLUMNS),
            )
        )
    for check, (smaller, larger) in ORDER_CHECKS.items():
        # "neither": a comparison with a null fails instead of being skipped.
        expectations.append(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A=larger,
                column_B=smaller,
                or_equal=True,
                ignore_row_if="neither",
                meta=_meta(check, ROW, smaller, larger),
            )
        )
    expectations += [
        # A bar dated a day that is not a session concerns its symbol, not the batch.
        gxe.ExpectColumnValuesToBeInSet(
            column="_is_session", value_set=[True], meta=_meta("dates_are_sessions", ROW, "date")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="_unconfirmed_jump",
            value_set=[False],
            meta=_meta("unconfirmed_jump", ROW, "close", "_prev_date", "_prev_close"),
        ),
    ]
    return expectations


def _batch_expectations() -> list:
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=[*PRICE_SCHEMA, *HELPER_COLUMNS],
            exact_match=True,
            meta=_meta("schema", BATCH),
        )
    ]
    for column, kind in PRICE_SCHEMA.items():
        for dtype in KIND_DTYPES[kind]:
            expectations.append(
                gxe.ExpectColumnTypeToBe(column=column, type_=dtype, meta=_meta("schema", BATCH))
            )
    for column in KEY:
        expectations.append(
            gxe.ExpectColumnValuesToNotBeNull(column=column, meta=_meta("keys_not_null", BATCH))
        )
    expectations += [
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=list(KEY), meta=_meta("unique_symbol_date", BATCH)
        ),
        gxe.ExpectTableRowCountToBeBetween(
            min_value={"$PARAMETER": "min_rows"}, meta=_meta("rows_present", BATCH)
        ),
    ]
    return expectations


def _warning_expectations() -> list:
    return [
        gxe.ExpectColumnValuesToBeBetween(
            column="_close_change",
            min_value={"$PARAMETER": "jump_min"},
            max_value={"$PARAMETER": "jump_max"},
            meta=_meta("implausible_jump", WARNING, "close", "_prev_date", "_prev_close"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="_missing_sessions",
            max_value=0,
            meta=_meta("missing_sessions", WARNING),
        ),
    ]


def _price_suite():
    """The suite for `prices_daily`; run-specific values are suite parameters."""
    suite = gx.ExpectationSuite(name="prices_daily")
    for expectation in _batch_expectations() + _row_expectations() + _warning_expectations():
        suite.add_expectation(expectation)
    return suite


@lru_cache(maxsize=1)
def _context():
    """An ephemeral GX context, built once per process."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context.data_sources.add_pandas("rotation_radar"), context


@lru_cache(maxsize=None)
def _validation_definition(name: str):
    """The validation definition of one dataset's suite, built once per process."""
    source, context = _context()
    batch_definition = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("whole_batch")
    suite = context.suites.add(SUITES[name]())
    definition = gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    return context.validation_definitions.add(definition)


# --- helper columns from history + batch -------------------------------------


def _as_datetime(values) -> pd.Series:
    """Dates of any kind (date objects, text, timestamps) as naive datetime64[ns]; NaT if invalid.

    Lenient on purpose: a batch with malformed dates is blocked by the schema
    check, so the helper columns only need to not crash on it.
    """
    parsed = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce", utc=True)
    return parsed.dt.tz_localize(None).astype("datetime64[ns]")


def _chain(batch: pd.DataFrame, history: pd.DataFrame | None) -> pd.DataFrame:
    """symbol, date, close of history + batch (batch wins on a shared key), sorted by date.

    `_pos` is the row's position in the batch, -1 for history rows.
    """

    def part(frame: pd.DataFrame, pos) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "symbol": frame["symbol"].astype(object).to_numpy(),
                "date": _as_datetime(frame["date"]).to_numpy(),
                "close": pd.to_numeric(frame["close"], errors="coerce").to_numpy(dtype=float),
                "_pos": pos,
            }
        )

    current = part(batch, np.arange(len(batch)))
    parts = [current]
    if history is not None and len(history):
        past = part(history, -1)
        in_batch = pd.MultiIndex.from_frame(past[["symbol", "date"]]).isin(
            pd.MultiIndex.from_frame(current[["symbol", "date"]])
        )
        parts.insert(0, past[~in_batch])
    chain = pd.concat(parts, ignore_index=True)
    return chain.sort_values(["symbol", "date"], kind="stable", ignore_index=True)


def _helper_columns(
    batch: pd.DataFrame,
    history: pd.DataFrame | None,
    sessions: Collection[dt.date],
    jump_factor: float = DEFAULT_JUMP_FACTOR,
    splits: Collection[tuple[str, dt.date]] = (),
) -> pd.DataFrame:
    """Per batch row: previous date and valid close of its symbol, the close change,
    the number of sessions with no row between the previous date and this one,
    whether its date is one of `sessions` (a `datetime.date`; None for a null date),
    and whether its close is a jump that nothing explains or confirms."""
    helpers = pd.DataFrame(
        {
            "_prev_date": None,
            "_prev_close": np.nan,
            "_close_change": np.nan,
            "_missing_sessions": np.nan,
            "_is_session": _is_session(batch, sessions),
            # Sessions (the only place a session's bar can land) come from the batch's
            # own check; a batch without close or date has no jumps to judge.
            "_unconfirmed_jump": False,
        },
        index=range(len(batch)),
    )
    if not len(batch) or not {"symbol", "date", "close"} <= set(batch.columns):
        return helpers

    chain = _chain(batch, history)
    by_symbol = chain.groupby("symbol", sort=False)
    chain["_prev_date"] = by_symbol["date"].shift()
    # The previous close is the last valid one: a null or non-positive close is skipped.
    valid_close = chain["close"].where(chain["close"] > 0)
    chain["_prev_close"] = (
        valid_close.groupby(chain["symbol"]).ffill().groupby(chain["symbol"]).shift()
    )
    chain["_close_change"] = chain["close"] / chain["_prev_close"] - 1

    session_days = np.sort(_as_datetime(list(sessions)).dropna().unique()).astype("datetime64[ns]")
    after_prev = np.searchsorted(session_days, chain["_prev_date"].to_numpy(), side="right")
    before_this = np.searchsorted(session_days, chain["date"].to_numpy(), side="left")
    missing = pd.Series(np.clip(before_this - after_prev, 0, None), dtype=float)
    chain["_missing_sessions"] = missing.where(chain["_prev_date"].notna() & chain["date"].notna())

    chain["_unconfirmed_jump"] = _unconfirmed_jumps(chain, jump_factor, splits)

    rows = chain[chain["_pos"] >= 0].set_index("_pos").sort_index()
    rows["_prev_date"] = rows["_prev_date"].dt.date.astype(object)
    rows = rows.reset_index(drop=True).assign(_is_session=helpers["_is_session"])
    return rows[list(HELPER_COLUMNS)]


def _unconfirmed_jumps(
    chain: pd.DataFrame, factor: float, splits: Collection[tuple[str, dt.date]]
) -> np.ndarray:
    """Per chain row (sorted by symbol and date): True for a batch close more than
    `factor` times the last accepted close, or below its reciprocal, with no split on
    its date, that the symbol's next valid close does not confirm (stay within the
    factor of it). A quarantined close is not the reference of the next one. Stored
    (history) rows are trusted. Only symbols with a candidate jump are walked."""
    flags = np.zeros(len(chain), dtype=bool)
    ratio = (chain["close"] / chain["_prev_close"]).to_numpy()
    with np.errstate(invalid="ignore"):
        candidate = (chain["_pos"].to_numpy() >= 0) & ((ratio > factor) | (ratio < 1 / factor))
    if not candidate.any():
        return flags
    explained = {(symbol, pd.Timestamp(day)) for symbol, day in splits}

    def within(close: float, reference: float) -> bool:
        return 1 / factor <= close / reference <= factor

    symbols = chain["symbol"].to_numpy()
    for symbol in pd.unique(symbols[candidate]):
        rows = np.flatnonzero((symbols == symbol) & (chain["close"].to_numpy() > 0))
        closes, dates, pos = (chain[c].to_numpy()[rows] for c in ("close", "date", "_pos"))
        reference = None
        for i, row in enumerate(rows):
            close = closes[i]
            trusted = pos[i] < 0 or reference is None or within(close, reference)
            if not trusted and (symbol, pd.Timestamp(dates[i])) not in explained:
                confirmed = i + 1 < len(rows) and within(closes[i + 1], close)
                if not confirmed:
                    flags[row] = True
                    continue
            reference = close
    return flags


def _is_session(batch: pd.DataFrame, sessions: Collection[dt.date]) -> pd.Series | None:
    """Per batch row: True when its date is a `datetime.date` among `sessions`, None for a
    null date (None for every row when the batch has no date column)."""
    if "date" not in batch.columns:
        return None
    dates = batch["date"].reset_index(drop=True)
    is_date = dates.map(lambda value: type(value) is dt.date)
    return (is_date & dates.isin(list(set(sessions)))).astype(object).where(dates.notna(), None)


# --- turning GX results into CheckResults ------------------------------------


def _records_json(frame: pd.DataFrame) -> str:
    """A JSON list of rows; dates as ISO text, NaN and NA as null."""
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for record in records:
        for column, value in record.items():
            if isinstance(value, (dt.date, pd.Timestamp)):
                record[column] = value.isoformat()
            elif isinstance(value, np.generic):
                record[column] = value.item()
    return json.dumps(records, default=str)


def _unexpected_positions(result) -> set[int]:
    """Row positions GX reports as unexpected (the frame has a RangeIndex)."""
    return {int(index) for index in result.result.get("unexpected_index_list") or []}


def _exception_message(results: list) -> str | None:
    """The first error GX caught; metric errors are nested by metric id."""
    for result in results:
        info = result.exception_info or {}
        for entry in [info, *info.values()]:
            if isinstance(entry, dict) and entry.get("raised_exception"):
                return entry.get("exception_message")
    return None


def _sample(frame: pd.DataFrame, positions, columns) -> str:
    keep = [c for c in dict.fromkeys([*KEY, *columns]) if c in frame.columns]
    return _records_json(frame.iloc[sorted(positions)[:SAMPLE_SIZE]][keep])


def _schema_detail(results: list) -> tuple[int, str]:
    """Missing and unexpected columns, and columns whose dtype fits none of their kind's."""
    mismatched = {}
    by_column: dict[str, list] = {}
    for result in results:
        kwargs = result.expectation_config.kwargs
        if "column_set" in kwargs:
            details = (result.result.get("details") or {}).get("mismatched") or {}
            mismatched = {k: v for k, v in details.items() if v}
        else:
            by_column.setdefault(kwargs["column"], []).append(result)
    wrong_types = {}
    for column, column_results in by_column.items():
        if column in mismatched.get("missing", []) or any(r.success for r in column_results):
            continue
        observed = next(
            (r.result.get("observed_value") for r in column_results if r.result), "missing"
        )
        wrong_types[column] = {
            "expected": [r.expectation_config.kwargs["type_"] for r in column_results],
            "observed": observed,
        }
    problems = {**mismatched, **({"wrong_types": wrong_types} if wrong_types else {})}
    count = sum(len(v) for v in mismatched.values()) + len(wrong_types)
    return count, json.dumps(problems, default=str) if problems else ""


def _missing_sessions_detail(
    frame: pd.DataFrame, positions, sessions: Collection[dt.date]
) -> tuple[int, str]:
    """Total sessions with no row, and a sample of them as (symbol, date)."""
    session_days = sorted(sessions)
    rows = frame.iloc[sorted(positions)]
    sample = []
    for symbol, previous, date in rows[["symbol", "_prev_date", "date"]].itertuples(index=False):
        first = bisect.bisect_right(session_days, previous)
        last = bisect.bisect_left(session_days, date)
        sample += [{"symbol": symbol, "date": day} for day in session_days[first:last]]
        if len(sample) >= SAMPLE_SIZE:
            break
    return int(rows["_missing_sessions"].sum()), _records_json(pd.DataFrame(sample[:SAMPLE_SIZE]))


def _check_result(check, severity, results, frame, sessions, dataset, run_id) -> CheckResult:
    """Merge the GX results of one check into a CheckResult."""
    success = all(r.success for r in results)
    positions = set().union(*(_unexpected_positions(r) for r in results))
    error = _exception_message(results)
    count, detail = len(positions), ""
    if check == "schema":
        # A missing column makes its dtype expectations raise: reported as missing.
        count, detail = _schema_detail(results)
        success = count == 0
    elif error:
        count, detail = 0, json.dumps({"error": error})
    elif check == "rows_present":
        rows = results[0].result.get("observed_value")
        detail = "" if success else json.dumps({"message": f"{rows} rows where data was expected"})
    elif check == "missing_sessions" and positions:
        count, detail = _missing_sessions_detail(frame, positions, sessions)
    elif positions:
        columns = results[0].expectation_config.meta["columns"]
        detail = _sample(frame, positions, columns)
    return CheckResult(dataset, run_id, check, severity, success, count, detail)


def _by_check(gx_result, name: str = "prices_daily") -> dict[str, list]:
    """GX results grouped by check name, in suite order (GX reorders its results)."""
    order = [e.meta["check"] for e in _validation_definition(name).suite.expectations]
    groups: dict[str, list] = {check: [] for check in dict.fromkeys(order)}
    for result in gx_result.results:
        groups[result.expectation_config.meta["check"]].append(result)
    return groups


def _check_results(groups, frame, sessions, dataset, run_id) -> list[CheckResult]:
    """One CheckResult per check."""
    return [
        _check_result(
            check,
            results[0].expectation_config.meta["severity"],
            results,
            frame,
            sessions,
            dataset,
            run_id,
        )
        for check, results in groups.items()
    ]


def _row_failures(groups) -> dict[int, list[str]]:
    """Batch position -> names of the row checks it failed, in suite order."""
    reasons: dict[int, list[str]] = {}
    for check, results in groups.items():
        if results[0].expectation_config.meta["severity"] != ROW:
            continue
        for position in sorted(set().union(*(_unexpected_positions(r) for r in results))):
            reasons.setdefault(position, []).append(check)
    return reasons


def _validation(batch: pd.DataFrame, groups, results: list[CheckResult]) -> Validation:
    """The batch split by its row checks; a blocked batch is quarantined whole, each row
    once, with the row checks it failed and the batch checks that blocked it."""
    reasons = _row_failures(groups)
    blocking = [r.check for r in results if r.severity == BATCH and not r.success]
    if blocking:
        reasons = {p: [*reasons.get(p, []), f"batch blocked: {', '.join(blocking)}"] for p in range(len(batch))}
    good, quarantined = _split(batch, reasons)
    return Validation(good=good, quarantined=quarantined, results=results)


def _split(batch: pd.DataFrame, reasons: dict[int, list[str]]):
    """(good, quarantined): quarantined rows get a `reason` column."""
    failed = sorted(reasons)
    is_failed = np.zeros(len(batch), dtype=bool)
    is_failed[failed] = True
    good = batch.iloc[~is_failed].reset_index(drop=True)
    quarantined = batch.iloc[failed].reset_index(drop=True)
    quarantined["reason"] = pd.Series(
        ["; ".join(reasons[p]) for p in failed], index=quarantined.index, dtype="str"
    )
    return good, quarantined


# --- public API ---------------------------------------------------------------


def validate_prices(
    batch: pd.DataFrame,
    *,
    run_id: str,
    sessions: Collection[dt.date],
    expect_rows: bool = True,
    history: pd.DataFrame | None = None,
    jump_threshold: float = 0.25,
    jump_factor: float = DEFAULT_JUMP_FACTOR,
    splits: Collection[tuple[str, dt.date]] = (),
    dataset: str = "prices_daily",
) -> Validation:
    """Validate a `prices_daily` batch in one GX run.

    `sessions` are the NYSE sessions from the first history date (or the first
    batch date) to the last batch date; `history` is prior lake rows of the
    same schema, used for the jump and missing-session checks. A close change
    beyond `jump_threshold` is a warning; beyond `jump_factor` times, with no split
    (symbol, date) among `splits`, it is quarantined until the next bar confirms it.
    """
    batch = batch.reset_index(drop=True)
    helpers = _helper_columns(batch, history, sessions, jump_factor, splits)
    frame = pd.concat([batch, helpers], axis=1)
    gx_result = _validation_definition("prices_daily").run(
        batch_parameters={"dataframe": frame},
        expectation_parameters={
            "min_rows": 1 if expect_rows else 0,
            "jump_min": -jump_threshold,
            "jump_max": jump_threshold,
        },
        result_format=RESULT_FORMAT,
    )
    groups = _by_check(gx_result)
    return _validation(batch, groups, _check_results(groups, frame, sessions, dataset, run_id))


def _run_suite(name: str, batch: pd.DataFrame, frame: pd.DataFrame, dataset: str, run_id: str) -> Validation:
    """Run a suite over `frame` (the batch plus its helper columns) and split the batch."""
    gx_result = _validation_definition(name).run(batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT)
    groups = _by_check(gx_result, name)
    results = [
        _check_result(check, items[0].expectation_config.meta["severity"], items, frame, (), dataset, run_id)
        for check, items in groups.items()
    ]
    return _validation(batch, groups, results)


def _statement_suite():
    """The suite for `fomc_statements`: unique dates block; a row that fails is quarantined."""
    suite = gx.ExpectationSuite(name="fomc_statements")
    for expectation in [
        gxe.ExpectColumnValuesToNotBeNull(column="statement_date", meta=_meta("keys_not_null", BATCH)),
        gxe.ExpectColumnValuesToBeUnique(
            column="statement_date", meta=_meta("unique_statement_date", BATCH, "statement_date")
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="target_high",
            column_B="target_low",
            ignore_row_if="neither",
            meta=_meta("range_low_below_high", ROW, "statement_date", "target_low", "target_high"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="_change_mod_25",
            value_set=[0],
            meta=_meta("change_multiple_of_25bp", ROW, "statement_date", "change_bps"),
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="votes_against_count",
            column_B="_dissent_count",
            ignore_row_if="neither",
            meta=_meta("votes_against_match_dissents", ROW, "statement_date", "votes_against_count"),
        ),
    ]:
        suite.add_expectation(expectation)
    return suite


FACT_KEY = ("cik", "concept", "period_start", "period_end", "accession")
FACT_COLUMNS = (*FACT_KEY, "symbol", "metric", "unit", "value", "value_raw", "filed", "form")


def _facts_suite():
    """The suite for `earnings_facts`: a fact that is not a number, has the wrong unit or
    an impossible period, or conflicts with another fact of the same key is quarantined."""
    suite = gx.ExpectationSuite(name="earnings_facts")
    fact = ("cik", "concept", "period_start", "period_end", "accession")
    for expectation in [
        *(gxe.ExpectColumnToExist(column=c, meta=_meta("columns_present", BATCH, c)) for c in FACT_COLUMNS),
        gxe.ExpectColumnValuesToNotBeNull(column="cik", meta=_meta("keys_not_null", BATCH)),
        *(
            gxe.ExpectColumnValuesToNotBeNull(column=c, meta=_meta("fact_complete", ROW, *fact, "filed"))
            for c in ("period_end", "accession", "filed")
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="value", meta=_meta("value_numeric", ROW, *fact, "value_raw")),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="unit", column_B="_expected_unit", meta=_meta("unit_of_metric", ROW, *fact, "metric", "unit")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="_period_ok", value_set=[True], meta=_meta("period_valid", ROW, *fact, "metric")
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="filed", column_B="period_end", or_equal=True, ignore_row_if="either_value_is_missing",
            meta=_meta("filed_after_period", ROW, *fact, "filed"),
        ),
        # Share classes of one company report several share counts under one key (summed
        # later); any other repeated key with different values is a conflict.
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[*fact, "unit", "_class_slot"], meta=_meta("unique_fact", ROW, *fact, "unit", "value_raw")
        ),
    ]:
        suite.add_expectation(expectation)
    return suite


SUITES = {"prices_daily": _price_suite, "fomc_statements": _statement_suite, "earnings_facts": _facts_suite}


def validate_facts(batch: pd.DataFrame, *, run_id: str, dataset: str = "earnings_facts") -> Validation:
    """Validate raw XBRL facts (`earnings.raw_facts` rows of one or more companies, exact
    repeats already dropped) in one GX run: numeric value, the metric's unit, a period
    that fits the metric (flows from start to end within a year, share counts instants),
    filed on or after the period's end, and one value per fact."""
    from rotation_radar.earnings.fundamentals import FLOW_METRICS, UNITS

    batch = batch.reset_index(drop=True)
    days = (batch["period_end"] - batch["period_start"]).dt.days
    flow = batch["metric"].isin(FLOW_METRICS)
    period_ok = (flow & days.between(0, 380)) | (~flow & batch["period_start"].isna())
    shares = batch["concept"].eq("dei:EntityCommonStockSharesOutstanding")
    frame = batch.assign(
        _expected_unit=batch["metric"].map(UNITS).astype(object),
        _period_ok=period_ok & batch["period_end"].notna(),
        _class_slot=np.where(shares, np.arange(len(batch)), -1),
    )
    return _run_suite("earnings_facts", batch, frame, dataset, run_id)


def validate_statements(batch: pd.DataFrame, *, run_id: str, dataset: str = "fomc_statements") -> Validation:
    """Validate parsed FOMC statements in one GX run (unique dates, low < high,
    change a multiple of 25 bp, votes against == dissents)."""
    batch = batch.reset_index(drop=True)
    frame = batch.assign(
        _change_mod_25=batch["change_bps"].astype("Int64") % 25,
        _dissent_count=batch["dissents"].map(len).astype("Int64"),
    )
    frame["votes_against_count"] = frame["votes_against_count"].astype("Int64")
    return _run_suite("fomc_statements", batch, frame, dataset, run_id)


def results_frame(results: list[CheckResult]) -> pd.DataFrame:
    """CheckResults as rows of the `data_quality` table."""
    columns = ["dataset", "run_id", "check", "severity", "success", "unexpected_count", "detail"]
    return pd.DataFrame([[getattr(r, c) for c in columns] for r in results], columns=columns)


def write_results(results: list[CheckResult], dataset: str, session, run_id: str, stage: str = "") -> str:
    """Store a run's results in the lake's `data_quality` (a rerun replaces its own file;
    each stage of a run that writes results names its own)."""
    from rotation_radar.core import lake

    frame = results_frame(results).assign(session=session)
    return lake.write_run_file("data_quality", f"dataset={dataset}", run_id + (f".{stage}" if stage else ""), frame)
