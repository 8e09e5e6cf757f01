"""The data-quality runner: Great Expectations 1.x suites turned into `CheckResult`s and a
batch split into good and quarantined rows.

A domain declares its suite (prices.checks, fomc.checks, earnings.checks): each
expectation carries its check name and severity in `meta` (see `meta`), and the
expectations of one check are merged into one `CheckResult`. Three strengths (see
DESIGN.md, "Data contracts"):

- row checks quarantine the offending rows (taken from GX's unexpected index
  list) and let the rest of the batch through;
- batch checks block the whole batch, which is then quarantined whole, each row
  once with every reason;
- warnings are recorded and never block or quarantine.

This module imports great_expectations (about 3.5 s): import it inside tasks,
never at DAG-parse time.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

# Keep task logs readable: no usage analytics, no GX chatter at INFO (hundreds
# of lines at import), and no progress bars (set on the context below).
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
logging.getLogger("great_expectations").setLevel(logging.WARNING)

# The variable must be set before great_expectations is imported: hence E402 below.
import great_expectations as gx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402

# This GX module pins its own logger to INFO at import.
logging.getLogger("great_expectations.data_context.types.base").setLevel(logging.WARNING)

ROW, BATCH, WARNING = "row", "batch", "warning"
_SEVERITY_ORDER = {BATCH: 0, ROW: 1, WARNING: 2}
SAMPLE_SIZE = 20
# Columns that lead every sample of offending rows, when the batch has them.
SAMPLE_KEY = ("symbol", "date")

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


# --- suites -----------------------------------------------------------------


def meta(check: str, severity: str, *columns: str) -> dict:
    """An expectation's `meta`: its check, severity and the columns a sample shows."""
    return {"check": check, "severity": severity, "columns": list(columns)}


@lru_cache(maxsize=1)
def _context():
    """An ephemeral GX context, built once per process."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context.data_sources.add_pandas("rotation_radar"), context


@cache
def _validation_definition(name: str, suite_factory: Callable[[], gx.ExpectationSuite]):
    """The validation definition of one suite, built once per process."""
    source, context = _context()
    batch_definition = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(
        "whole_batch"
    )
    suite = context.suites.add(suite_factory())
    definition = gx.ValidationDefinition(name=name, data=batch_definition, suite=suite)
    return context.validation_definitions.add(definition)


# --- turning GX results into CheckResults ------------------------------------


def records_json(frame: pd.DataFrame) -> str:
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
    keep = [c for c in dict.fromkeys([*SAMPLE_KEY, *columns]) if c in frame.columns]
    return records_json(frame.iloc[sorted(positions)[:SAMPLE_SIZE]][keep])


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


def _check_result(check, severity, results, frame, details, dataset, run_id) -> CheckResult:
    """Merge the GX results of one check into a CheckResult (`details`: check -> a
    function of (frame, positions) giving the count and detail, for checks whose
    offenders are not simply rows)."""
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
    elif check in details and positions:
        count, detail = details[check](frame, positions)
    elif positions:
        columns = results[0].expectation_config.meta["columns"]
        detail = _sample(frame, positions, columns)
    return CheckResult(dataset, run_id, check, severity, success, count, detail)


def _by_check(gx_result, suite: gx.ExpectationSuite) -> dict[str, list]:
    """GX results grouped by check name, in suite order (GX reorders its results)."""
    order = [e.meta["check"] for e in suite.expectations]
    groups: dict[str, list] = {check: [] for check in dict.fromkeys(order)}
    for result in gx_result.results:
        groups[result.expectation_config.meta["check"]].append(result)
    return groups


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
        reasons = {
            p: [*reasons.get(p, []), f"batch blocked: {', '.join(blocking)}"]
            for p in range(len(batch))
        }
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


# --- running a suite, storing results ----------------------------------------


def run(
    name: str,
    suite_factory: Callable[[], gx.ExpectationSuite],
    batch: pd.DataFrame,
    frame: pd.DataFrame,
    *,
    dataset: str,
    run_id: str,
    parameters: dict | None = None,
    details: dict[str, Callable] | None = None,
) -> Validation:
    """Run a suite over `frame` (the batch, reset to a RangeIndex, plus its helper
    columns) in one GX run, and split the batch by the results."""
    definition = _validation_definition(name, suite_factory)
    extra = {"expectation_parameters": parameters} if parameters else {}
    gx_result = definition.run(
        batch_parameters={"dataframe": frame}, result_format=RESULT_FORMAT, **extra
    )
    groups = _by_check(gx_result, definition.suite)
    results = [
        _check_result(
            check,
            items[0].expectation_config.meta["severity"],
            items,
            frame,
            details or {},
            dataset,
            run_id,
        )
        for check, items in groups.items()
    ]
    return _validation(batch, groups, results)


def results_frame(results: list[CheckResult]) -> pd.DataFrame:
    """CheckResults as rows of the `data_quality` table."""
    columns = ["dataset", "run_id", "check", "severity", "success", "unexpected_count", "detail"]
    return pd.DataFrame([[getattr(r, c) for c in columns] for r in results], columns=columns)


def write_results(
    results: list[CheckResult], dataset: str, session, run_id: str, stage: str = ""
) -> str:
    """Store a run's results in the lake's `data_quality` (a rerun replaces its own file;
    each stage of a run that writes results names its own)."""
    from rotation_radar.core import lake

    frame = results_frame(results).assign(session=session)
    run = run_id + (f".{stage}" if stage else "")
    return lake.write_run_file("data_quality", run, frame, dataset=dataset)
