"""The earnings_facts suite: a fact that is not a number, has the wrong unit or an
impossible period, or conflicts with another fact of the same key is quarantined."""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
import numpy as np
import pandas as pd

from rotation_radar.core import quality
from rotation_radar.core.datasets import DATASETS
from rotation_radar.core.quality import BATCH, ROW, Validation, meta
from rotation_radar.earnings.fundamentals import FLOW_METRICS, UNITS

FACT_KEY = DATASETS["earnings_facts"].key
FACT_COLUMNS = (*FACT_KEY, "symbol", "metric", "unit", "value", "value_raw", "filed", "form")


def _facts_suite():
    """The suite for `earnings_facts`: a fact that is not a number, has the wrong unit or
    an impossible period, or conflicts with another fact of the same key is quarantined."""
    suite = gx.ExpectationSuite(name="earnings_facts")
    fact = FACT_KEY
    for expectation in [
        *(
            gxe.ExpectColumnToExist(column=c, meta=meta("columns_present", BATCH, c))
            for c in FACT_COLUMNS
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="cik", meta=meta("keys_not_null", BATCH)),
        *(
            gxe.ExpectColumnValuesToNotBeNull(
                column=c, meta=meta("fact_complete", ROW, *fact, "filed")
            )
            for c in ("period_end", "accession", "filed")
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="value", meta=meta("value_numeric", ROW, *fact, "value_raw")
        ),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="unit",
            column_B="_expected_unit",
            meta=meta("unit_of_metric", ROW, *fact, "metric", "unit"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="_period_ok", value_set=[True], meta=meta("period_valid", ROW, *fact, "metric")
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="filed",
            column_B="period_end",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=meta("filed_after_period", ROW, *fact, "filed"),
        ),
        # Share classes of one company report several share counts under one key (summed
        # later); any other repeated key with different values is a conflict.
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=[*fact, "unit", "_class_slot"],
            meta=meta("unique_fact", ROW, *fact, "unit", "value_raw"),
        ),
    ]:
        suite.add_expectation(expectation)
    return suite


def validate_facts(
    batch: pd.DataFrame, *, run_id: str, dataset: str = "earnings_facts"
) -> Validation:
    """Validate raw XBRL facts (`earnings.raw_facts` rows of one or more companies, exact
    repeats already dropped) in one GX run: numeric value, the metric's unit, a period
    that fits the metric (flows from start to end within a year, share counts instants),
    filed on or after the period's end, and one value per fact."""
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
    return quality.run("earnings_facts", _facts_suite, batch, frame, dataset=dataset, run_id=run_id)
