"""Company earnings from SEC XBRL companyfacts: lake rows, quarters and point-in-time TTM.

Pure functions over the `companyfacts` JSON (`data.sec.gov/api/xbrl/companyfacts/`):

- `raw_facts(companyfacts)` -> every fact of the concepts in `CONCEPTS` exactly as SEC
  lists it (any unit, value as given in `value_raw`), for validation;
- `consolidate(raw)` -> the `earnings_facts` lake rows: valid facts in their metric's
  unit, share classes summed, one row per fact and accession (restatements are separate
  rows); `facts_frame(companyfacts)` is `consolidate(raw_facts(companyfacts))`;
- `quarterly(facts, as_of)` -> the quarters of one metric known on `as_of`, with Q4
  derived from the annual figure when the filer reports no Q4 of its own;
- `fundamentals(facts, as_of)` -> trailing-twelve-month figures and the latest share
  count, using only facts *filed* on or before `as_of`; `ttm_fundamentals(companyfacts,
  as_of)` does the same from the JSON;
- `ttm_history(facts)` -> those fundamentals as of every filing date of the company.

A fact's `fy`/`fp` describe the filing that carries it, not the period of the fact (a
10-K for fy 2024 also carries 2023 and 2022 comparatives tagged fy=2024, fp=FY), so
periods come from the `start`/`end` dates only.

The frames are read once per company into plain tuples with dates as day numbers
(`_Fact`); the point-in-time rules run on those, because a company is evaluated as of
each of its ~60 filing dates and per-date pandas operations would dominate.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from typing import NamedTuple

import numpy as np
import pandas as pd

from rotation_radar.core.datasets import DATASETS

# Concepts per metric in fallback order, as "taxonomy:Concept".
CONCEPTS: dict[str, tuple[str, ...]] = {
    "net_income": (
        "us-gaap:NetIncomeLoss",
        "us-gaap:ProfitLoss",
        "us-gaap:NetIncomeLossAvailableToCommonStockholdersBasic",
    ),
    "eps_diluted": ("us-gaap:EarningsPerShareDiluted",),
    "revenue": (
        "us-gaap:Revenues",
        "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax",
        "us-gaap:RevenueFromContractWithCustomerIncludingAssessedTax",
        "us-gaap:SalesRevenueNet",
    ),
    "operating_income": ("us-gaap:OperatingIncomeLoss",),
    "interest_expense": (
        "us-gaap:InterestExpense",
        "us-gaap:InterestExpenseNonoperating",
        "us-gaap:InterestExpenseDebt",
        "us-gaap:InterestAndDebtExpense",
    ),
    "shares_outstanding": (
        "dei:EntityCommonStockSharesOutstanding",
        "us-gaap:CommonStockSharesOutstanding",
        "us-gaap:WeightedAverageNumberOfDilutedSharesOutstanding",
    ),
}
UNITS = {
    "net_income": "USD",
    "eps_diluted": "USD/shares",
    "revenue": "USD",
    "operating_income": "USD",
    "interest_expense": "USD",
    "shares_outstanding": "shares",
}
FLOW_METRICS = ("net_income", "eps_diluted", "revenue", "operating_income", "interest_expense")
METRICS = (*FLOW_METRICS, "shares_outstanding")

# Durations in days (end - start). 13-week quarters of 52/53-week years are 90 days,
# 14-week quarters 97; 53-week years are 370.
QUARTER_DAYS = (80, 100)
NINE_MONTH_DAYS = (250, 290)
ANNUAL_DAYS = (350, 380)
# The next period starts within this many days after the previous one ends (1 normally).
MAX_GAP_DAYS = 7
# A fiscal year's Q1 starts, and its Q4 ends, within this many days of the year's own.
ALIGN_DAYS = 3

COLUMNS = [
    "cik",
    "concept",
    "metric",
    "unit",
    "period_start",
    "period_end",
    "value",
    "accession",
    "fiscal_year",
    "fiscal_period",
    "form",
    "filed",
    "frame",
]
KEY = list(DATASETS["earnings_facts"].key)
QUARTER_COLUMNS = ["period_start", "period_end", "value", "filed", "derived"]
HISTORY_COLUMNS = ["known_from", *METRICS, "shares_as_of"]
_PRIORITY = {c: i for concepts in CONCEPTS.values() for i, c in enumerate(concepts)}
_SHARE_CLASSES = "dei:EntityCommonStockSharesOutstanding"
_EPOCH = dt.date(1970, 1, 1)


# --- reading companyfacts ----------------------------------------------------------


def raw_facts(companyfacts: dict) -> pd.DataFrame:
    """Every fact of a concept in `CONCEPTS`, in any unit, one row per entry as SEC lists it.

    Columns `COLUMNS` + `value_raw` (the `val` as given, as text; None when absent).
    `value` is NaN unless `val` is a JSON number, and unparseable dates are NaT; rows
    with missing parts or another unit than the metric's are kept for validation to
    report (`consolidate` drops them)."""
    cik = companyfacts.get("cik")
    cik = int(cik) if cik is not None else None
    facts = companyfacts.get("facts") or {}
    rows = []
    for metric, concepts in CONCEPTS.items():
        for concept in concepts:
            taxonomy, name = concept.split(":")
            units = ((facts.get(taxonomy) or {}).get(name) or {}).get("units") or {}
            for unit, entries in units.items():
                for f in entries:
                    val = f.get("val")
                    rows.append(
                        (
                            cik,
                            concept,
                            metric,
                            unit,
                            f.get("start"),
                            f.get("end"),
                            _number(val),
                            f.get("accn"),
                            f.get("fy"),
                            f.get("fp"),
                            f.get("form"),
                            f.get("filed"),
                            f.get("frame"),
                            None if val is None else str(val),
                        )
                    )
    df = pd.DataFrame(rows, columns=[*COLUMNS, "value_raw"])
    df = df.astype({"cik": "Int64", "value": "float64", "fiscal_year": "Int64"})
    for col in ("concept", "metric", "unit", "accession", "value_raw"):  # text, None when absent
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    for col in ("period_start", "period_end", "filed"):
        df[col] = pd.to_datetime(df[col], format="ISO8601", errors="coerce")
    return df


def _number(val) -> float:
    """A JSON number as float; NaN for anything else (text such as "1,234", a bool)."""
    if isinstance(val, (int, float)) and not isinstance(val, bool):
        return float(val)
    return math.nan


def consolidate(raw: pd.DataFrame) -> pd.DataFrame:
    """The `earnings_facts` rows (`COLUMNS`) of `raw_facts` rows: complete, numeric facts
    in their metric's unit, one per key.

    Key: cik, concept, period_start, period_end, accession (period_start is NaT for
    instants such as share counts). companyfacts carries no dimensions, so a filer with
    several share classes reports several `EntityCommonStockSharesOutstanding` values for
    one date and accession: those are summed into one row (the total share count)."""
    df = raw[raw["unit"].eq(raw["metric"].map(UNITS))][COLUMNS]
    df = df.dropna(subset=["period_end", "value", "accession", "filed"])
    shares = df["concept"].eq(_SHARE_CLASSES)
    classes = (
        df[shares]
        .drop_duplicates()
        .groupby(KEY, dropna=False, as_index=False, sort=False)
        .agg({**{c: "first" for c in COLUMNS if c not in KEY}, "value": "sum"})
    )
    df = pd.concat([df[~shares], classes[COLUMNS]], ignore_index=True)
    df = df.drop_duplicates(subset=KEY, keep="last")
    return df.sort_values(["metric", "concept", "period_end", "filed"]).reset_index(drop=True)


def facts_frame(companyfacts: dict) -> pd.DataFrame:
    """The `earnings_facts` rows of a companyfacts JSON: `consolidate(raw_facts(...))`."""
    return consolidate(raw_facts(companyfacts))


# --- facts as plain tuples ---------------------------------------------------------


class _Fact(NamedTuple):
    start: int | None  # day number (days since 1970-01-01); None for an instant
    end: int
    value: float
    filed: int
    accession: str
    concept: str
    priority: int  # position of the concept in its metric's CONCEPTS
    pos: int  # row in the frame: the last tie-breaker, as pandas' stable sorts have it


class _Quarter(NamedTuple):
    start: int
    end: int
    value: float
    filed: int
    derived: bool


def _day(when) -> int:
    """A date (or anything pd.Timestamp reads) as a day number; a time of day is dropped."""
    return (pd.Timestamp(when).normalize() - pd.Timestamp(_EPOCH)).days


def _days(dates: pd.Series) -> list[int | None]:
    days = dates.to_numpy(dtype="datetime64[D]")
    numbers = days.astype("int64").tolist()
    for i in np.flatnonzero(np.isnat(days)):
        numbers[i] = None
    return numbers


def _priority(concept: str) -> int:
    return _PRIORITY.get(concept, len(_PRIORITY))


def _facts(frame: pd.DataFrame) -> list[_Fact]:
    """Rows of a facts frame (`consolidate` output) as `_Fact`s, in frame order."""
    columns = zip(
        _days(frame["period_start"]),
        _days(frame["period_end"]),
        frame["value"].astype("float64").tolist(),
        _days(frame["filed"]),
        frame["accession"].tolist(),
        frame["concept"].tolist(),
        strict=True,
    )
    return [
        _Fact(start, end, value, filed, accession, concept, _priority(concept), pos)
        for pos, (start, end, value, filed, accession, concept) in enumerate(columns)
    ]


def _preferred(facts: list[_Fact]) -> list[_Fact]:
    """Facts (in frame order) in the order a period takes its value from: the first
    concept in `CONCEPTS`, then the latest filing (accession descending on a tie)."""
    facts = sorted(facts, key=lambda f: f.accession, reverse=True)  # stable: ties keep order
    return sorted(facts, key=lambda f: (f.priority, -f.filed))


def _subsets(facts: list[_Fact]) -> list[list[_Fact]]:
    """What `ttm` tries, each in `_preferred` order: every concept alone (in `CONCEPTS`
    order), then all of them merged when there are several."""
    concepts = sorted(dict.fromkeys(f.concept for f in facts), key=_priority)
    subsets = [_preferred([f for f in facts if f.concept == c]) for c in concepts]
    if len(concepts) > 1:
        subsets.append(_preferred(facts))
    return subsets


# --- quarters and TTM --------------------------------------------------------------


def _as_of(preferred: list[_Fact], cutoff: int) -> list[_Fact]:
    """Duration facts filed on or before `cutoff`, one per period: the first in
    `_preferred` order (a restatement wins from the day it is filed)."""
    known, seen = [], set()
    for f in preferred:
        if f.start is None or f.filed > cutoff or f.end > cutoff:
            continue
        period = (f.start, f.end)
        if period not in seen:
            seen.add(period)
            known.append(f)
    return known


def _lasting(facts: list[_Fact], days: tuple[int, int]) -> list[_Fact]:
    return [f for f in facts if days[0] <= f.end - f.start <= days[1]]


def _quarters(preferred: list[_Fact], cutoff: int) -> list[_Quarter]:
    """`quarterly` on facts in `_preferred` order, ordered by (end, start)."""
    known = _as_of(preferred, cutoff)
    quarters = _lasting(known, QUARTER_DAYS)
    nine_months = _lasting(known, NINE_MONTH_DAYS)
    quarter_ends = sorted(q.end for q in quarters)
    out = [_Quarter(q.start, q.end, q.value, q.filed, False) for q in quarters]
    for year in _lasting(known, ANNUAL_DAYS):
        i = bisect.bisect_left(quarter_ends, year.end - ALIGN_DAYS)
        if i < len(quarter_ends) and quarter_ends[i] <= year.end + ALIGN_DAYS:
            continue  # the filer reports this Q4 itself
        q4 = _fourth_quarter(year, quarters, nine_months)
        if q4 is not None:
            out.append(q4)
    out.sort(key=lambda q: (q.end, q.start))  # stable: derived after direct on a tie
    return out


def _fourth_quarter(
    year: _Fact, quarters: list[_Fact], nine_months: list[_Fact]
) -> _Quarter | None:
    """Q4 of a fiscal year from its three quarters, else from its 9-month YTD."""
    parts = []
    candidates = [q for q in quarters if abs(q.start - year.start) <= ALIGN_DAYS]
    while candidates and len(parts) < 3:
        part = _last_max(candidates, lambda q: q.end)
        parts.append(part)
        candidates = [q for q in quarters if 0 <= q.start - part.end <= MAX_GAP_DAYS]
    if len(parts) < 3:
        ytd = [n for n in nine_months if abs(n.start - year.start) <= ALIGN_DAYS]
        if not ytd:
            return None
        parts = [_last_max(ytd, lambda n: n.filed)]
    start = parts[-1].end + 1
    if not QUARTER_DAYS[0] <= year.end - start <= QUARTER_DAYS[1]:
        return None
    value = year.value - sum(p.value for p in parts)
    return _Quarter(start, year.end, value, max(year.filed, *(p.filed for p in parts)), True)


def _last_max(items: list, key):
    """The item with the largest key, the last one on a tie (a stable sort's last)."""
    return max(reversed(items), key=key)


def _last_four(quarters: list[_Quarter]) -> list[_Quarter] | None:
    """The four most recent contiguous quarters (oldest first), or None when the chain
    breaks. `quarters` are ordered by (end, start)."""
    if not quarters:
        return None
    ends = [q.end for q in quarters]
    chain = [quarters[-1]]
    while len(chain) < 4:
        start = chain[-1].start
        # the last quarter ending 0..MAX_GAP_DAYS days before `start`
        i = bisect.bisect_right(ends, start)
        if i == 0 or ends[i - 1] < start - MAX_GAP_DAYS:
            return None
        chain.append(quarters[i - 1])
    return chain[::-1]


def _ttm(subsets: list[list[_Fact]], cutoff: int) -> float | None:
    """`ttm` over `_subsets`: the most recent complete TTM, the earlier subset on a tie."""
    best = None
    for subset in subsets:
        four = _last_four(_quarters(subset, cutoff))
        if four is None:
            continue
        end = four[-1].end
        if best is None or end > best[0]:
            best = (end, float(np.sum([q.value for q in four])))
    return best[1] if best else None


def quarterly(facts: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The quarters of one metric known on `as_of` (columns period_start, period_end,
    value, filed, derived), ordered by period_end.

    `facts` are `facts_frame` rows of one metric; when they hold several concepts, a
    period takes its value from the first concept in `CONCEPTS` that reports it. A
    period of 80-100 days is a quarter; 6- and 9-month year-to-date and annual values
    are not. A fiscal year without a Q4 fact gets Q4 = annual minus its three quarters
    (or minus its 9-month YTD), filed when the last of those was filed."""
    quarters = _quarters(_preferred(_facts(facts)), _day(as_of))
    out = pd.DataFrame(quarters, columns=QUARTER_COLUMNS)
    for col in ("period_start", "period_end", "filed"):
        days = np.array(out[col].tolist(), dtype="int64").astype("datetime64[D]")
        out[col] = pd.Series(days).astype(facts[col].dtype)
    return out.astype({"value": "float64", "derived": "bool"})


def ttm(facts: pd.DataFrame, as_of: dt.date) -> float | None:
    """Sum of the four most recent contiguous quarters known on `as_of`, or None.

    Each concept of the metric is tried alone, then all of them merged period by
    period (for a filer that switched concepts); the most recent complete TTM wins, the
    earlier concept on a tie. Never a partial sum."""
    return _ttm(_subsets(_facts(facts)), _day(as_of))


# --- share counts ------------------------------------------------------------------


def _by_concept(facts: list[_Fact]) -> list[list[_Fact]]:
    """Facts per concept in `CONCEPTS` order, each ordered by (end, filed, accession)."""
    concepts = sorted(dict.fromkeys(f.concept for f in facts), key=_priority)
    by_concept = [[f for f in facts if f.concept == c] for c in concepts]
    return [sorted(fs, key=lambda f: (f.end, f.filed, f.accession)) for fs in by_concept]


def _latest_instant(by_concept: list[list[_Fact]], cutoff: int) -> _Fact | None:
    for facts in by_concept:
        for f in reversed(facts):
            if f.end <= cutoff and f.filed <= cutoff:
                return f
    return None


# --- stock splits ------------------------------------------------------------------


def _splits(eps: list[_Fact]) -> list[tuple[int, float]]:
    """(filed, n) of each filing that marks a split, in filing order: every per-share
    fact filed before it is to be divided by n.

    A filing's factor depends only on the facts filed before it (an accession has one
    filing date), so it is found once per company, whatever the as-of date."""
    rows = sorted(eps, key=lambda f: (f.filed, f.accession, f.pos))
    values = [f.value for f in rows]  # divided as splits are found
    filings: dict[str, list[int]] = {}
    for i, f in enumerate(rows):
        filings.setdefault(f.accession, []).append(i)
    splits = []
    latest: dict[tuple, int] = {}  # period -> row of its latest earlier filing
    seen = 0
    for members in filings.values():
        filed = rows[members[0]].filed
        while seen < len(rows) and rows[seen].filed < filed:
            latest[(rows[seen].start, rows[seen].end)] = seen
            seen += 1
        ratios = []
        for i in members:
            j = latest.get((rows[i].start, rows[i].end))
            if j is not None and rows[i].value != 0 and values[j] != 0:
                ratios.append(values[j] / rows[i].value)
        if len(ratios) < 2:  # one restated comparative is a correction, not a split
            continue
        factor = _split_factor(float(np.median(ratios)))
        if factor is not None:
            splits.append((filed, factor))
            for j in range(len(rows)):
                if rows[j].filed < filed:
                    values[j] = values[j] / factor
    return splits


def _adjusted(facts: list[_Fact], splits: list[tuple[int, float]], cutoff: int) -> list[_Fact]:
    """`facts` with values on the share basis of the splits filed by `cutoff`."""
    known = [(filed, n) for filed, n in splits if filed <= cutoff]
    if not known:
        return facts
    out = []
    for f in facts:
        value = f.value
        for filed, n in known:
            if f.filed < filed:
                value = value / n
        out.append(f._replace(value=value))
    return out


def split_adjusted(eps: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per-share facts filed on or before `as_of`, restated to the latest share basis.

    After a stock split, filings restate the comparatives they carry (Tesla's 3-for-1
    of 2022: Q3 2021 diluted EPS 1.44, then 0.48) but earlier quarters stay on the old
    basis. A filing whose restated values are a whole multiple n (or 1/n) of the values
    filed before it (median over at least two periods, EPS being rounded to cents) marks a
    split; every fact filed before it is divided by n. Only filings known on `as_of`
    count, so the basis is the one a reader had that day."""
    known = eps[eps["filed"] <= pd.Timestamp(as_of)].sort_values(["filed", "accession"])
    facts = _facts(known)
    adjusted = _adjusted(facts, _splits(facts), _day(as_of))
    return known.assign(value=[f.value for f in adjusted])


def _split_factor(ratio: float) -> float | None:
    """n for a ratio close to a whole n >= 2 (a split), 1/n for a reverse split."""
    for candidate in (ratio, 1 / ratio if ratio else 0):
        n = round(candidate)
        if n >= 2 and abs(candidate - n) <= 0.1 * n:
            return float(n) if candidate is ratio else 1 / n
    return None


# --- point-in-time fundamentals ----------------------------------------------------


class _Company:
    """One company's facts by metric, prepared once for any number of as-of dates."""

    def __init__(self, facts: pd.DataFrame):
        by_metric: dict[str, list[_Fact]] = {m: [] for m in METRICS}
        for f, metric in zip(_facts(facts), facts["metric"].tolist(), strict=True):
            if metric in by_metric:
                by_metric[metric].append(f)
        self.flows = {m: _subsets(by_metric[m]) for m in FLOW_METRICS}
        self.splits = _splits(by_metric["eps_diluted"])
        self.shares = _by_concept(by_metric["shares_outstanding"])
        # per metric: the days its facts are filed, and known (filed and ended), sorted
        self.dates = {
            m: (sorted(f.filed for f in fs), sorted(max(f.filed, f.end) for f in fs))
            for m, fs in by_metric.items()
        }

    def metric(self, metric: str, cutoff: int) -> float | _Fact | None:
        """A flow metric's TTM, or the fact of the latest share count, as of `cutoff`."""
        if metric == "shares_outstanding":
            return _latest_instant(self.shares, cutoff)
        subsets = self.flows[metric]
        if metric == "eps_diluted":
            subsets = [_adjusted(s, self.splits, cutoff) for s in subsets]
        value = _ttm(subsets, cutoff)
        if value is not None and metric == "eps_diluted":
            value = round(value, 6)  # float noise from summing cents
        return value

    def version(self, metric: str, cutoff: int) -> tuple[int, int]:
        """Counts of the metric's facts filed, and known (filed and ended), by `cutoff`:
        the metric's figures change only when one of them does."""
        filed, known = self.dates[metric]
        return bisect.bisect_right(filed, cutoff), bisect.bisect_right(known, cutoff)


def _as_fundamentals(values: dict) -> dict:
    """`_Company.metric` values as `fundamentals` gives them (the share count an int)."""
    shares = values["shares_outstanding"]
    return {**values, "shares_outstanding": int(shares.value) if shares is not None else None}


def fundamentals(facts: pd.DataFrame, as_of: dt.date) -> dict:
    """Point-in-time TTM net_income, eps_diluted (sum of four quarterly diluted EPS),
    revenue, operating_income, interest_expense and the latest shares_outstanding of one
    company's `facts_frame` rows, using only facts filed on or before `as_of`; None where
    unknown."""
    company, cutoff = _Company(facts), _day(as_of)
    return _as_fundamentals({m: company.metric(m, cutoff) for m in METRICS})


def ttm_fundamentals(companyfacts: dict, as_of: dt.date) -> dict:
    """`fundamentals` of a companyfacts JSON as of `as_of`."""
    return fundamentals(facts_frame(companyfacts), as_of)


def ttm_history(facts: pd.DataFrame) -> pd.DataFrame:
    """`fundamentals` of one company's `facts_frame` rows as of each of its filing dates.

    One row per distinct `filed` date, ascending: known_from (that date), the six
    metrics as float (NaN where unknown) and shares_as_of (the period end of the share
    count, None when there is none). A metric is recomputed only on the dates its own
    facts change."""
    company = _Company(facts)
    current: dict[str, tuple] = {}  # metric -> (version, value)
    rows = []
    for day in sorted(set(_days(facts["filed"])) - {None}):
        values = {}
        for metric in METRICS:
            version = company.version(metric, day)
            if metric not in current or current[metric][0] != version:
                current[metric] = (version, company.metric(metric, day))
            values[metric] = current[metric][1]
        share = values["shares_outstanding"]
        result = _as_fundamentals(values)
        rows.append(
            (
                _EPOCH + dt.timedelta(days=day),
                *(math.nan if result[m] is None else float(result[m]) for m in METRICS),
                None if share is None else _EPOCH + dt.timedelta(days=share.end),
            )
        )
    out = pd.DataFrame(rows, columns=HISTORY_COLUMNS)
    return out.astype(
        dict.fromkeys(METRICS, "float64") | {"known_from": object, "shares_as_of": object}
    )
