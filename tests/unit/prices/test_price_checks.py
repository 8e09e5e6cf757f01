"""Batch validation of daily prices (rotation_radar.prices.checks) on small frames built here."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from rotation_radar.core.quality import results_frame
from rotation_radar.core.sessions import sessions_between
from rotation_radar.prices.checks import PRICE_SCHEMA, validate_prices

# NYSE sessions of early January 2025: markets closed on Thursday 2025-01-09
# (national day of mourning for President Carter) and on the weekend.
SESSIONS = sessions_between(dt.date(2024, 12, 2), dt.date(2025, 1, 31))
JAN = [d for d in SESSIONS if d >= dt.date(2025, 1, 2)]
DAYS = JAN[:6]  # 2025-01-02, 03, 06, 07, 08, 10
PRICES = ["open", "high", "low", "close", "adj_close"]


def prices(rows: list[tuple[str, dt.date, float]]) -> pd.DataFrame:
    """A batch in the curated schema; each bar opens at its close, high +10 %, low -10 %."""
    frame = pd.DataFrame(rows, columns=["symbol", "date", "close"])
    return pd.DataFrame(
        {
            "symbol": frame["symbol"].astype("str"),
            "date": frame["date"].astype(object),
            "open": frame["close"].astype("float64"),
            "high": frame["close"].astype("float64") * 1.1,
            "low": frame["close"].astype("float64") * 0.9,
            "close": frame["close"].astype("float64"),
            "adj_close": frame["close"].astype("float64"),
            "volume": pd.array([1_000_000] * len(frame), dtype="Int64"),
            "currency": pd.Series(["USD"] * len(frame), dtype="str"),
            "adjustment": pd.Series(["split"] * len(frame), dtype="str"),
            "source": pd.Series(["yahoo_finance"] * len(frame), dtype="str"),
            "ingested_at": pd.Series(
                [pd.Timestamp("2025-01-11 02:00", tz="UTC")] * len(frame),
                dtype="datetime64[us, UTC]",
            ),
            "run_id": pd.Series(["run-1"] * len(frame), dtype="str"),
        }
    )


def clean_batch() -> pd.DataFrame:
    return prices([(symbol, day, 100.0) for symbol in ("^RUT", "IWM") for day in DAYS])


def validate(batch: pd.DataFrame, **kwargs):
    kwargs.setdefault("sessions", SESSIONS)
    return validate_prices(batch, run_id="run-1", **kwargs)


def result(validation, check: str):
    (found,) = [r for r in validation.results if r.check == check]
    return found


def failed_checks(validation) -> set[str]:
    return {r.check for r in validation.failures()}


def reasons(validation) -> list[set[str]]:
    return [set(reason.split("; ")) for reason in validation.quarantined["reason"]]


def test_clean_batch_passes_with_nothing_quarantined():
    batch = clean_batch()
    validation = validate(batch)
    assert not validation.blocked
    assert validation.failures() == []
    assert validation.quarantined.empty
    pd.testing.assert_frame_equal(validation.good, batch)
    assert all(r.success and r.unexpected_count == 0 for r in validation.results)


def test_null_bar_is_quarantined_once_with_all_its_reasons():
    batch = clean_batch()
    batch.loc[2, PRICES] = np.nan
    batch.loc[2, "volume"] = pd.NA
    validation = validate(batch)

    assert not validation.blocked
    assert len(validation.quarantined) == 1
    row = validation.quarantined.iloc[0]
    assert (row["symbol"], row["date"]) == ("^RUT", DAYS[2])
    # Comparisons with a null fail rather than pass silently.
    assert reasons(validation) == [
        {"prices_not_null", "low_le_open", "low_le_close", "open_le_high", "close_le_high"}
    ]
    assert list(validation.quarantined.columns) == [*batch.columns, "reason"]
    assert len(validation.good) == len(batch) - 1
    assert DAYS[2] not in set(validation.good.loc[validation.good["symbol"] == "^RUT", "date"])
    not_null = result(validation, "prices_not_null")
    assert not not_null.success and not_null.unexpected_count == 1
    assert json.loads(not_null.detail)[0]["date"] == DAYS[2].isoformat()


def test_null_close_only_fails_the_checks_involving_close():
    batch = clean_batch()
    batch.loc[0, "close"] = np.nan
    validation = validate(batch)
    assert reasons(validation) == [{"prices_not_null", "low_le_close", "close_le_high"}]
    assert len(validation.good) == len(batch) - 1


@pytest.mark.parametrize(
    ("column", "value", "check"),
    [
        ("close", 85.0, "low_le_close"),  # low 90 above close
        ("open", 85.0, "low_le_open"),
        ("open", 120.0, "open_le_high"),  # above high 110
        ("close", 120.0, "close_le_high"),
        ("low", 105.0, "low_le_close"),  # low above close 100 and open 100
    ],
)
def test_bar_out_of_its_range_is_quarantined(column, value, check):
    batch = clean_batch()
    batch.loc[3, column] = value
    validation = validate(batch)
    assert not validation.blocked
    assert len(validation.quarantined) == 1
    assert check in reasons(validation)[0]
    assert validation.quarantined.iloc[0]["date"] == DAYS[3]
    assert len(validation.good) == len(batch) - 1
    failed = result(validation, check)
    assert failed.severity == "row" and failed.unexpected_count == 1
    assert json.loads(failed.detail)[0][column] == value


@pytest.mark.parametrize(("column", "value"), [("close", 0.0), ("adj_close", -1.5), ("low", 0.0)])
def test_non_positive_price_is_quarantined(column, value):
    batch = clean_batch()
    batch.loc[4, column] = value
    validation = validate(batch)
    assert not validation.blocked
    assert len(validation.quarantined) == 1
    assert "prices_positive" in reasons(validation)[0]
    assert result(validation, "prices_positive").unexpected_count == 1


def test_duplicate_symbol_date_blocks_the_batch():
    batch = clean_batch()
    batch = pd.concat([batch, batch.iloc[[1]]], ignore_index=True)
    validation = validate(batch)
    assert validation.blocked
    duplicates = result(validation, "unique_symbol_date")
    assert not duplicates.success and duplicates.severity == "batch"
    assert duplicates.unexpected_count == 2
    assert {(r["symbol"], r["date"]) for r in json.loads(duplicates.detail)} == {
        ("^RUT", DAYS[1].isoformat())
    }
    assert validation.failures()[0].check == "unique_symbol_date"


@pytest.mark.parametrize(
    "day",
    [dt.date(2025, 1, 9), dt.date(2025, 1, 4)],
    ids=["closed-for-national-mourning", "saturday"],
)
def test_date_that_is_not_a_session_quarantines_that_bar_only(day):
    batch = clean_batch()
    batch = pd.concat([batch, prices([("IWM", day, 100.0)])], ignore_index=True)
    validation = validate(batch)
    assert not validation.blocked
    check = result(validation, "dates_are_sessions")
    assert not check.success and check.severity == "row"
    assert json.loads(check.detail) == [{"symbol": "IWM", "date": day.isoformat()}]
    assert validation.quarantined[["symbol", "date", "reason"]].to_dict("records") == [
        {"symbol": "IWM", "date": day, "reason": "dates_are_sessions"}
    ]
    assert len(validation.good) == len(batch) - 1 and day not in set(validation.good["date"])


def test_blocked_batch_quarantines_each_row_once_with_all_its_reasons():
    batch = clean_batch()
    batch.loc[2, ["close", "adj_close"]] = None  # a row check fails on ^RUT's third bar
    batch = pd.concat([batch, batch.iloc[[7]]], ignore_index=True)  # and a duplicate key
    validation = validate(batch)
    assert validation.blocked and validation.good.empty
    assert len(validation.quarantined) == len(batch)
    bad = reasons(validation)[2]
    assert {"prices_not_null", "batch blocked: unique_symbol_date"} <= bad
    assert sum(reason.startswith("batch blocked") for reason in bad) == 1
    assert reasons(validation)[0] == {"batch blocked: unique_symbol_date"}


def glitch(closes: list[float], symbol: str = "IWM") -> pd.DataFrame:
    frame = prices([(symbol, day, close) for day, close in zip(JAN, closes, strict=False)])
    frame["high"] = frame[["high", "close"]].max(axis=1)
    return frame


@pytest.mark.parametrize(
    ("closes", "history_closes", "quarantined"),
    [
        ([100, 100, 100_000], [], [2]),  # tonight's bar at 1000x: nothing confirms it yet
        ([100, 100, 100_000, 101, 102], [], [2]),  # a one-bar spike, the next bar back
        ([100, 100, 0.1, 99], [], [2]),  # a spike down
        ([100_000, 100], [100, 100], [0]),  # the stored history is the reference
        ([100, 100, 500, 510], [], []),  # a new level the next bar confirms
        ([100, 100, 300, 100], [], []),  # +200 %, within the factor
    ],
    ids=["tonight", "spike", "spike-down", "against-history", "confirmed", "within-factor"],
)
def test_unexplained_jump_is_quarantined_until_confirmed(closes, history_closes, quarantined):
    december = [d for d in SESSIONS if d < JAN[0]][-len(history_closes) :] if history_closes else []
    history = prices(
        [("IWM", day, close) for day, close in zip(december, history_closes, strict=True)]
    )
    validation = validate(glitch(closes), history=history)
    assert not validation.blocked
    check = result(validation, "unconfirmed_jump")
    assert check.severity == "row" and check.unexpected_count == len(quarantined)
    assert list(validation.quarantined["date"]) == [JAN[i] for i in quarantined]
    assert set(validation.quarantined["reason"]) <= {"unconfirmed_jump"}


def test_jump_on_a_split_day_is_explained():
    batch = glitch([100, 100, 10])  # a 10:1 split in an unadjusted history
    assert validate(batch, splits=[("IWM", JAN[2])]).quarantined.empty
    assert len(validate(batch).quarantined) == 1
    assert len(validate(batch, jump_factor=20).quarantined) == 0


def test_null_key_blocks_the_batch():
    batch = clean_batch()
    batch.loc[0, "date"] = None
    validation = validate(batch)
    assert validation.blocked
    assert "keys_not_null" in failed_checks(validation)


def _drop_volume(batch):
    return batch.drop(columns=["volume"])


def _float_volume(batch):
    return batch.assign(volume=batch["volume"].astype("float64"))


def _naive_ingested_at(batch):
    return batch.assign(ingested_at=batch["ingested_at"].dt.tz_localize(None))


def _dates_as_timestamps(batch):
    return batch.assign(date=pd.to_datetime(batch["date"]))


def _extra_column(batch):
    return batch.assign(note="x")


@pytest.mark.parametrize(
    ("change", "column"),
    [
        (_drop_volume, "volume"),
        (_float_volume, "volume"),
        (_naive_ingested_at, "ingested_at"),
        (_dates_as_timestamps, "date"),
        (_extra_column, "note"),
    ],
)
def test_schema_mismatch_blocks_the_batch(change, column):
    validation = validate(change(clean_batch()))
    assert validation.blocked
    schema = result(validation, "schema")
    assert not schema.success and schema.severity == "batch"
    assert schema.unexpected_count == 1
    assert column in schema.detail
    assert validation.failures()[0].severity == "batch"


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
def test_ingested_at_in_any_unit_matches_the_schema(unit):
    batch = clean_batch()
    batch["ingested_at"] = batch["ingested_at"].dt.as_unit(unit)
    assert result(validate(batch), "schema").success


def test_empty_batch_blocks_when_rows_were_expected():
    validation = validate(clean_batch().iloc[0:0])
    assert validation.blocked
    assert failed_checks(validation) == {"rows_present"}


def test_empty_batch_passes_when_no_rows_were_expected():
    empty = clean_batch().iloc[0:0]
    validation = validate(empty, expect_rows=False, history=clean_batch())
    assert not validation.blocked
    assert validation.failures() == []
    assert validation.good.empty and validation.quarantined.empty


@pytest.mark.parametrize("with_history", [False, True])
def test_implausible_jump_is_a_warning_not_a_quarantine(with_history):
    if with_history:
        history = prices([("IWM", day, 200.0) for day in DAYS[:3]])
        batch = prices([("IWM", DAYS[3], 300.0), ("IWM", DAYS[4], 300.0)])
    else:
        history = None
        batch = clean_batch()
        batch.loc[len(DAYS) + 3, ["close", "adj_close", "high"]] = 150.0  # IWM +50 %
    validation = validate(batch, history=history)

    assert not validation.blocked
    assert validation.quarantined.empty
    jump = result(validation, "implausible_jump")
    assert not jump.success and jump.severity == "warning"
    detail = json.loads(jump.detail)
    assert detail[0]["symbol"] == "IWM" and detail[0]["date"] == DAYS[3].isoformat()
    assert detail[0]["_prev_close"] in (100.0, 200.0)
    assert [r.check for r in validation.failures()] == ["implausible_jump"]


def test_move_below_the_jump_threshold_passes():
    batch = clean_batch()
    batch.loc[3, "close"] = 105.0
    assert result(validate(batch, jump_threshold=0.10), "implausible_jump").success
    assert not result(validate(batch, jump_threshold=0.04), "implausible_jump").success


@pytest.mark.parametrize("with_history", [False, True])
def test_missing_session_is_a_warning_naming_the_date(with_history):
    missing = DAYS[2]
    if with_history:
        history = prices([("^RUT", day, 100.0) for day in DAYS[:2]])
        batch = prices([("^RUT", day, 100.0) for day in DAYS[3:]])
    else:
        history = None
        batch = clean_batch()
        batch = batch[~((batch["symbol"] == "^RUT") & (batch["date"] == missing))]
    validation = validate(batch, history=history)

    assert not validation.blocked
    assert validation.quarantined.empty
    gaps = result(validation, "missing_sessions")
    assert not gaps.success and gaps.severity == "warning"
    assert gaps.unexpected_count == 1
    assert json.loads(gaps.detail) == [{"symbol": "^RUT", "date": missing.isoformat()}]


def test_results_frame_has_one_row_per_check():
    validation = validate(clean_batch())
    frame = results_frame(validation.results)
    assert list(frame.columns) == [
        "dataset",
        "run_id",
        "check",
        "severity",
        "success",
        "unexpected_count",
        "detail",
    ]
    assert frame["check"].is_unique
    assert set(frame["check"]) == {
        "schema",
        "keys_not_null",
        "unique_symbol_date",
        "dates_are_sessions",
        "rows_present",
        "prices_not_null",
        "prices_positive",
        "low_le_open",
        "low_le_close",
        "open_le_high",
        "close_le_high",
        "unconfirmed_jump",
        "implausible_jump",
        "missing_sessions",
    }
    assert set(frame["severity"]) == {"batch", "row", "warning"}
    assert (frame["dataset"] == "prices_daily").all() and (frame["run_id"] == "run-1").all()


def test_schema_constant_is_the_contract():
    assert list(PRICE_SCHEMA) == [
        "symbol",
        "date",
        *PRICES,
        "volume",
        "currency",
        "adjustment",
        "source",
        "ingested_at",
        "run_id",
    ]
    assert list(prices([]).columns) == list(PRICE_SCHEMA)
