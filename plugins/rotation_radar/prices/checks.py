"""The prices_daily suite: the curated contract and the checks of a batch of bars.

The jump and missing-session checks need the symbol's previous row, which
may sit in the lake: the batch is validated with helper columns
(`_prev_date`, `_prev_close`, `_close_change`, `_missing_sessions`,
`_unconfirmed_jump`) computed from history + batch, and GX checks those.

A close more than `jump_factor` times the previous one (or below its reciprocal)
with no split that day is quarantined (`unconfirmed_jump`) until the symbol's
next bar confirms the level (stays within the factor of it): a one-bar spike
from the source never reaches the lake, a real move is loaded a night later.
Missing sessions are counted between each batch row and its symbol's previous
row (in history or the batch): a gap wholly inside history was reported when
that history was validated, and is not reported again every night.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Collection
from functools import partial

import great_expectations as gx
import great_expectations.expectations as gxe
import numpy as np
import pandas as pd
import pyarrow as pa

from rotation_radar.core import quality
from rotation_radar.core.datasets import DATASETS
from rotation_radar.core.quality import (
    BATCH,
    ROW,
    SAMPLE_SIZE,
    WARNING,
    Validation,
    meta,
    records_json,
)
from rotation_radar.core.settings import DEFAULT_JUMP_FACTOR

# The curated `prices_daily` contract (its declared schema): column -> kind.
_KINDS = {
    pa.string(): "string",
    pa.date32(): "date",
    pa.float64(): "float",
    pa.int64(): "int",
    pa.timestamp("us", tz="UTC"): "timestamp",
}
PRICE_SCHEMA: dict[str, str] = {f.name: _KINDS[f.type] for f in DATASETS["prices_daily"].schema}

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
KEY = DATASETS["prices_daily"].key
HELPER_COLUMNS = (
    "_prev_date",
    "_prev_close",
    "_close_change",
    "_missing_sessions",
    "_is_session",
    "_unconfirmed_jump",
)

# Row checks "a <= b": check name -> (a, b).
ORDER_CHECKS = {
    "low_le_open": ("low", "open"),
    "low_le_close": ("low", "close"),
    "open_le_high": ("open", "high"),
    "close_le_high": ("close", "high"),
}


def _row_expectations() -> list:
    expectations = []
    for column in PRICE_COLUMNS:
        expectations.append(
            gxe.ExpectColumnValuesToNotBeNull(
                column=column, meta=meta("prices_not_null", ROW, *PRICE_COLUMNS)
            )
        )
    for column in PRICE_COLUMNS:
        expectations.append(
            gxe.ExpectColumnValuesToBeBetween(
                column=column,
                min_value=0,
                strict_min=True,
                meta=meta("prices_positive", ROW, *PRICE_COLUMNS),
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
                meta=meta(check, ROW, smaller, larger),
            )
        )
    expectations += [
        # A bar dated a day that is not a session concerns its symbol, not the batch.
        gxe.ExpectColumnValuesToBeInSet(
            column="_is_session", value_set=[True], meta=meta("dates_are_sessions", ROW, "date")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="_unconfirmed_jump",
            value_set=[False],
            meta=meta("unconfirmed_jump", ROW, "close", "_prev_date", "_prev_close"),
        ),
    ]
    return expectations


def _batch_expectations() -> list:
    expectations = [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=[*PRICE_SCHEMA, *HELPER_COLUMNS],
            exact_match=True,
            meta=meta("schema", BATCH),
        )
    ]
    for column, kind in PRICE_SCHEMA.items():
        for dtype in KIND_DTYPES[kind]:
            expectations.append(
                gxe.ExpectColumnTypeToBe(column=column, type_=dtype, meta=meta("schema", BATCH))
            )
    for column in KEY:
        expectations.append(
            gxe.ExpectColumnValuesToNotBeNull(column=column, meta=meta("keys_not_null", BATCH))
        )
    expectations += [
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=list(KEY), meta=meta("unique_symbol_date", BATCH)
        ),
        gxe.ExpectTableRowCountToBeBetween(
            min_value={"$PARAMETER": "min_rows"}, meta=meta("rows_present", BATCH)
        ),
    ]
    return expectations


def _warning_expectations() -> list:
    return [
        gxe.ExpectColumnValuesToBeBetween(
            column="_close_change",
            min_value={"$PARAMETER": "jump_min"},
            max_value={"$PARAMETER": "jump_max"},
            meta=meta("implausible_jump", WARNING, "close", "_prev_date", "_prev_close"),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="_missing_sessions",
            max_value=0,
            meta=meta("missing_sessions", WARNING),
        ),
    ]


def _price_suite():
    """The suite for `prices_daily`; run-specific values are suite parameters."""
    suite = gx.ExpectationSuite(name="prices_daily")
    for expectation in _batch_expectations() + _row_expectations() + _warning_expectations():
        suite.add_expectation(expectation)
    return suite


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
    return int(rows["_missing_sessions"].sum()), records_json(pd.DataFrame(sample[:SAMPLE_SIZE]))


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
    parameters = {
        "min_rows": 1 if expect_rows else 0,
        "jump_min": -jump_threshold,
        "jump_max": jump_threshold,
    }
    details = {"missing_sessions": partial(_missing_sessions_detail, sessions=sessions)}
    return quality.run(
        "prices_daily",
        _price_suite,
        batch,
        frame,
        dataset=dataset,
        run_id=run_id,
        parameters=parameters,
        details=details,
    )
