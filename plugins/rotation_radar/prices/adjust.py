"""A symbol's stored history restated for splits and dividends new to the lake, as Yahoo
restates it, and checked against the rows Yahoo itself restated.

Yahoo's `close` is split-adjusted and its `adjclose` split- and dividend-adjusted, so a
new event changes every earlier bar. Yahoo's method: a split of ratio r (numerator /
denominator, 10 for 10-for-1) on D divides open, high, low, close and adjusted close of
every bar before D by r and multiplies its volume by r; a dividend of amount a going ex
on D multiplies the adjusted close of every bar before D by 1 - a / (close of the last
session before D). A night's answer covers a few stored sessions before the event (the
lookback window), already restated: a local restatement that agrees with them spares
refetching the whole history.

Agreement is |restated - answered| <= ABS_TOL + REL_TOL * |answered| for prices, and
within one share (plus REL_TOL) for volumes. Yahoo prints adjusted closes to at most
4 decimals (real answers are float32, about 7 significant digits), so the stored value
and the answered one each carry up to half a unit of the 4th decimal; a missed or wrong
dividend moves adjusted closes by its yield (0.05% and more), far beyond that. A split
of a non-integer ratio (3-for-2) rounds volumes to whole shares, on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

REL_TOL = 1e-6
ABS_TOL = 1e-4  # prices: two half-units of the 4th decimal
VOLUME_ABS_TOL = 1.0  # shares: a split ratio's rounding
PRICES = ["open", "high", "low", "close", "adj_close"]
FACTOR_COLUMNS = ["date", "kind", "value", "previous_close", "factor"]


@dataclass
class Comparison:
    """A restated history against the answer's rows of the same sessions.

    `changed`: stored bars the events restate (dated before the latest one); `rows`:
    those among the answer's sessions, compared; `worst`: the comparison furthest from
    agreement (date, column, restated, answered, rel_diff)."""

    agrees: bool
    changed: int
    rows: int
    worst: dict | None = None
    reason: str = ""
    columns: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """One line for a manifest note or a data-quality detail."""
        if self.reason:
            return self.reason
        w = self.worst
        figures = (
            f"{w['column']} on {w['date']}: restated {w['restated']:.10g}, "
            f"answered {w['answered']:.10g} ({w['rel_diff']:.2g} relative)"
        )
        if not self.agrees:
            return f"the local restatement disagrees with the answer: {figures}"
        return (
            f"{self.rows} sessions of the answer agree on {', '.join(self.columns)} "
            f"(furthest: {figures})"
        )


def events_frame(records: list[dict]) -> pd.DataFrame:
    """Events as stored in a manifest (ISO dates) as a frame of date, kind and value."""
    frame = pd.DataFrame(records, columns=["date", "kind", "value"])
    frame["date"] = [pd.Timestamp(d).date() for d in frame["date"]]
    return frame.astype({"value": float})


def factors(
    history: pd.DataFrame, events: pd.DataFrame, answer: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each event with what it multiplies the earlier bars by: a split its ratio's
    reciprocal (prices; volumes by the ratio), a dividend 1 - amount / previous close.

    The previous close is on the amount's basis, the latest one: the answer's close
    (Yahoo's own figure) of the last session before the ex-date when the answer holds
    it, else the stored close divided by every new split after it. No known session
    before the ex-date: factor NaN (there is no bar to restate)."""
    events = events.sort_values(["date", "kind"], ignore_index=True)
    splits = events[events["kind"] == "split"]
    rows = []
    closes = _closes(history, splits, answer)
    for event in events.itertuples():
        if event.kind == "split":
            previous, factor = np.nan, 1 / event.value
        else:
            earlier = closes[closes.index < event.date]
            previous = float(earlier.iloc[-1]) if len(earlier) else np.nan
            factor = 1 - event.value / previous if len(earlier) else np.nan
        rows.append((event.date, event.kind, float(event.value), previous, factor))
    return pd.DataFrame(rows, columns=FACTOR_COLUMNS)


def restate(
    history: pd.DataFrame, events: pd.DataFrame, answer: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The history's bars after the events (a frame like `history`, rows in its order;
    bars on or after every event unchanged, to the bit)."""
    out = history.copy()
    if out.empty or events.empty:
        return out
    dates = out["date"].to_numpy()
    ratio, dividend = np.ones(len(out)), np.ones(len(out))  # splits' ratios, dividends' factors
    for event in factors(history, events, answer).itertuples():
        before = dates < event.date
        if event.kind == "split":
            ratio[before] *= event.value
        elif event.kind == "dividend" and not np.isnan(event.factor):
            dividend[before] *= event.factor
    touched = (ratio != 1) | (dividend != 1)
    for column in PRICES:
        values = out.loc[touched, column].to_numpy(dtype=float, na_value=np.nan) / ratio[touched]
        out.loc[touched, column] = values * dividend[touched] if column == "adj_close" else values
    if (ratio != 1).any():
        shares = (out["volume"].astype("Float64") * ratio).round().astype("Int64")
        out["volume"] = out["volume"].where(ratio == 1, shares)
    return out


def compare(restated: pd.DataFrame, answer: pd.DataFrame, events: pd.DataFrame) -> Comparison:
    """Whether the restated bars agree with the answer's bars of the same sessions (those
    before the latest event): adjusted close, and with a split also close and volume.

    Nothing stored before the events: agreement (nothing to restate). Stored bars to
    restate but none among the answer's sessions: no agreement (nothing to check)."""
    columns = ["adj_close", *(["close", "volume"] if (events["kind"] == "split").any() else [])]
    mine = restated[restated["date"] < max(events["date"])] if len(events) else restated[:0]
    if mine.empty:
        return Comparison(True, 0, 0, reason="no stored bar before the events", columns=columns)
    theirs = answer.drop_duplicates("date", keep="last").set_index("date")
    shared = mine[mine["date"].isin(theirs.index)].set_index("date")
    worst, rows = None, 0
    for column in columns:
        ours = shared[column].to_numpy(dtype=float, na_value=np.nan)
        answered = theirs.loc[shared.index, column].to_numpy(dtype=float, na_value=np.nan)
        both = ~np.isnan(ours) & ~np.isnan(answered)
        rows = max(rows, int(both.sum()))
        if not both.any():
            continue
        atol = VOLUME_ABS_TOL if column == "volume" else ABS_TOL
        score = np.abs(ours - answered) / (atol + REL_TOL * np.abs(answered))
        score[~both] = -1
        i = int(np.argmax(score))
        if worst is None or score[i] > worst["score"]:
            worst = {
                "date": str(shared.index[i]),
                "column": column,
                "restated": float(ours[i]),
                "answered": float(answered[i]),
                "rel_diff": float(abs(ours[i] - answered[i]) / abs(answered[i] or np.nan)),
                "score": float(score[i]),
            }
    if worst is None:
        reason = "no stored bar before the events among the answer's sessions to check against"
        return Comparison(False, len(mine), 0, reason=reason, columns=columns)
    return Comparison(worst.pop("score") <= 1, len(mine), rows, worst, columns=columns)


def _closes(history: pd.DataFrame, splits: pd.DataFrame, answer: pd.DataFrame | None) -> pd.Series:
    """Positive closes by date on the latest basis: the stored ones divided by each new
    split after them, the answer's where it has the session."""
    dates = history["date"].to_numpy()
    scale = np.ones(len(history))
    for split in splits.itertuples():
        scale[dates < split.date] /= split.value
    stored = history["close"].to_numpy(dtype=float, na_value=np.nan) * scale
    closes = _by_date(pd.Series(stored, index=history["date"].to_numpy()))
    if answer is not None and len(answer):
        answered = answer["close"].to_numpy(dtype=float, na_value=np.nan)
        closes = _by_date(pd.Series(answered, index=answer["date"].to_numpy())).combine_first(
            closes
        )
    return closes[closes > 0].sort_index()


def _by_date(closes: pd.Series) -> pd.Series:
    return closes[~closes.index.duplicated(keep="last")].dropna()
