"""The fomc_statements suite: unique dates block the batch; a statement whose range,
change or votes do not add up is quarantined."""

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
