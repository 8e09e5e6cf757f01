"""The fomc_statements suite: unique dates block the batch; a statement whose range,
change or votes do not add up is quarantined. The SEP suites (fomc_projections,
fomc_dots): duplicate keys block the batch; a row that fails leaves its meeting out."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from rotation_radar.core import quality
from rotation_radar.core.quality import BATCH, ROW, Validation, meta


def _statement_suite():
    """The suite for `fomc_statements`: unique dates block; a row that fails is quarantined."""
    suite = gx.ExpectationSuite(name="fomc_statements")
    for expectation in [
        gxe.ExpectColumnValuesToNotBeNull(
            column="statement_date", meta=meta("keys_not_null", BATCH)
        ),
        gxe.ExpectColumnValuesToBeUnique(
            column="statement_date", meta=meta("unique_statement_date", BATCH, "statement_date")
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="target_high",
            column_B="target_low",
            ignore_row_if="neither",
            meta=meta("range_low_below_high", ROW, "statement_date", "target_low", "target_high"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="_change_mod_25",
            value_set=[0],
            meta=meta("change_multiple_of_25bp", ROW, "statement_date", "change_bps"),
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="votes_against_count",
            column_B="_dissent_count",
            ignore_row_if="neither",
            meta=meta("votes_against_match_dissents", ROW, "statement_date", "votes_against_count"),
        ),
    ]:
        suite.add_expectation(expectation)
    return suite


def validate_statements(
    batch: pd.DataFrame, *, run_id: str, dataset: str = "fomc_statements"
) -> Validation:
    """Validate parsed FOMC statements in one GX run (unique dates, low < high,
    change a multiple of 25 bp, votes against == dissents)."""
    batch = batch.reset_index(drop=True)
    frame = batch.assign(
        _change_mod_25=batch["change_bps"].astype("Int64") % 25,
        _dissent_count=batch["dissents"].map(len).astype("Int64"),
    )
    frame["votes_against_count"] = frame["votes_against_count"].astype("Int64")
    return quality.run(
        "fomc_statements", _statement_suite, batch, frame, dataset=dataset, run_id=run_id
    )


# ---------------------------------------------------------------- projections (SEP)


def _projections_suite():
    """The suite for `fomc_projections` (Table 1): unique keys block; a federal funds
    rate row without a median is a row failure (its meeting is left out)."""
    suite = gx.ExpectationSuite(name="fomc_projections")
    key = ["meeting_date", "variable", "target_year"]
    for expectation in [
        *(
            gxe.ExpectColumnValuesToNotBeNull(column=c, meta=meta("keys_not_null", BATCH))
            for c in key
        ),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=key, meta=meta("unique_projection_key", BATCH, *key)
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="_median_present",
            value_set=[True],
            meta=meta("fed_funds_median_not_null", ROW, *key, "median"),
        ),
    ]:
        suite.add_expectation(expectation)
    return suite


def _dots_suite():
    """The suite for `fomc_dots`: unique keys block; a cell without participants fails."""
    suite = gx.ExpectationSuite(name="fomc_dots")
    key = ["meeting_date", "target_year", "midpoint"]
    for expectation in [
        *(
            gxe.ExpectColumnValuesToNotBeNull(column=c, meta=meta("dots_keys_not_null", BATCH))
            for c in key
        ),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=key, meta=meta("unique_dots_key", BATCH, *key)
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="participants",
            min_value=1,
            meta=meta("dots_participants_positive", ROW, *key, "participants"),
        ),
    ]:
        suite.add_expectation(expectation)
    return suite


def validate_projections(
    batch: pd.DataFrame, *, run_id: str, dataset: str = "fomc_projections"
) -> Validation:
    """Validate Table 1 rows of SEP pages in one GX run (unique meeting, variable and
    horizon; a federal funds rate median on every horizon)."""
    batch = batch.reset_index(drop=True)
    frame = batch.assign(
        _median_present=batch["median"].notna() | batch["variable"].ne("federal_funds_rate")
    )
    return quality.run(
        "fomc_projections", _projections_suite, batch, frame, dataset=dataset, run_id=run_id
    )


def validate_dots(
    batch: pd.DataFrame, *, run_id: str, dataset: str = "fomc_projections"
) -> Validation:
    """Validate dot-plot rows in one GX run (unique meeting, horizon and midpoint;
    participants > 0); results are stored with the projections' (`dataset`)."""
    batch = batch.reset_index(drop=True)
    return quality.run("fomc_dots", _dots_suite, batch, batch, dataset=dataset, run_id=run_id)
