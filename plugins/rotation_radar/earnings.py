"""Company earnings from SEC XBRL companyfacts: lake rows, quarters and point-in-time TTM.

Pure functions over the `companyfacts` JSON (`data.sec.gov/api/xbrl/companyfacts/`):

- `facts_frame(companyfacts)` -> the `earnings_facts` lake rows of the concepts in
  `CONCEPTS` (one row per fact and accession, so restatements are separate rows);
- `quarterly(facts, as_of)` -> the quarters of one metric known on `as_of`, with Q4
  derived from the annual figure when the filer reports no Q4 of its own;
- `ttm_fundamentals(companyfacts, as_of)` -> trailing-twelve-month figures and the
  latest share count, using only facts *filed* on or before `as_of`.

A fact's `fy`/`fp` describe the filing that carries it, not the period of the fact (a
10-K for fy 2024 also carries 2023 and 2022 comparatives tagged fy=2024, fp=FY), so
periods come from the `start`/`end` dates only.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

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
QUARTER_COLUMNS = ["period_start", "period_end", "value", "filed", "derived"]
_PRIORITY = {c: i for concepts in CONCEPTS.values() for i, c in enumerate(concepts)}


def facts_frame(companyfacts: dict) -> pd.DataFrame:
    """The `earnings_facts` rows: every fact of a concept in `CONCEPTS`, in its metric's unit.

    Key: cik, concept, period_start, period_end, accession (period_start is NaT for
    instants such as share counts). companyfacts carries no dimensions, so a filer with
    several share classes reports several `EntityCommonStockSharesOutstanding` values for
    one date and accession: those are summed into one row (the total share count)."""
    cik = companyfacts.get("cik")
    cik = int(cik) if cik is not None else None
    facts = companyfacts.get("facts") or {}
    rows = []
    for metric, concepts in CONCEPTS.items():
        unit = UNITS[metric]
        for concept in concepts:
            taxonomy, name = concept.split(":")
            entries = ((facts.get(taxonomy) or {}).get(name) or {}).get("units", {}).get(unit, [])
            for f in entries:
                rows.append(
                    {
                        "cik": cik,
                        "concept": concept,
                        "metric": metric,
                        "unit": unit,
                        "period_start": f.get("start"),
                        "period_end": f.get("end"),
                        "value": f.get("val"),
                        "accession": f.get("accn"),
                        "fiscal_year": f.get("fy"),
                        "fiscal_period": f.get("fp"),
                        "form": f.get("form"),
                        "filed": f.get("filed"),
                        "frame": f.get("frame"),
                    }
                )
    df = pd.DataFrame(rows, columns=COLUMNS)
    df = df.astype({"cik": "Int64", "value": "float64", "fiscal_year": "Int64"})
    df = df.astype({c: "object" for c in ("concept", "metric", "unit", "accession")})
    for col in ("period_start", "period_end", "filed"):
        df[col] = pd.to_datetime(df[col])
    df = df.dropna(subset=["period_end", "value", "accession", "filed"])
    key = ["cik", "concept", "period_start", "period_end", "accession"]
    shares = df["concept"].eq("dei:EntityCommonStockSharesOutstanding")
    classes = (
        df[shares]
        .drop_duplicates()
        .groupby(key, dropna=False, as_index=False, sort=False)
        .agg({**{c: "first" for c in COLUMNS if c not in key}, "value": "sum"})
    )
    df = pd.concat([df[~shares], classes[COLUMNS]], ignore_index=True)
    df = df.drop_duplicates(subset=key, keep="last")
    return df.sort_values(["metric", "concept", "period_end", "filed"]).reset_index(drop=True)


def _as_of(facts: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Facts filed on or before `as_of`, one per period: the latest filing of the
    highest-priority concept (a restatement wins from the day it is filed)."""
    cutoff = pd.Timestamp(as_of)
    known = facts[(facts["filed"] <= cutoff) & (facts["period_end"] <= cutoff)].copy()
    known["priority"] = known["concept"].map(_PRIORITY).fillna(len(_PRIORITY))
    known = known.sort_values(["priority", "filed", "accession"], ascending=[True, False, False])
    return known.drop_duplicates(subset=["period_start", "period_end"], keep="first")


def _days(df: pd.DataFrame) -> pd.Series:
    return (df["period_end"] - df["period_start"]).dt.days


def _next_after(periods: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Periods that start within a few days after `end`."""
    gap = (periods["period_start"] - end).dt.days
    return periods[(gap >= 0) & (gap <= MAX_GAP_DAYS)]


def _near(series: pd.Series, day: pd.Timestamp) -> pd.Series:
    return (series - day).dt.days.abs() <= ALIGN_DAYS


def quarterly(facts: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The quarters of one metric known on `as_of` (columns period_start, period_end,
    value, filed, derived), ordered by period_end.

    `facts` are `facts_frame` rows of one metric; when they hold several concepts, a
    period takes its value from the first concept in `CONCEPTS` that reports it. A
    period of 80-100 days is a quarter; 6- and 9-month year-to-date and annual values
    are not. A fiscal year without a Q4 fact gets Q4 = annual minus its three quarters
    (or minus its 9-month YTD), filed when the last of those was filed."""
    known = _as_of(facts.dropna(subset=["period_start"]), as_of)
    days = _days(known)
    quarters = known[days.between(*QUARTER_DAYS)]
    out = quarters.assign(derived=False)[QUARTER_COLUMNS]
    derived = []
    for year in known[days.between(*ANNUAL_DAYS)].itertuples(index=False):
        if _near(quarters["period_end"], year.period_end).any():
            continue
        q4 = _fourth_quarter(year, quarters, known[days.between(*NINE_MONTH_DAYS)])
        if q4 is not None:
            derived.append(q4)
    if derived:
        out = pd.concat([out, pd.DataFrame(derived, columns=QUARTER_COLUMNS)], ignore_index=True)
    out = out.astype({"value": "float64", "derived": "bool"})
    return out.sort_values(["period_end", "period_start"]).reset_index(drop=True)


def _fourth_quarter(year, quarters: pd.DataFrame, nine_months: pd.DataFrame) -> dict | None:
    """Q4 of a fiscal year from its three quarters, else from its 9-month YTD."""
    parts = []
    candidates = quarters[_near(quarters["period_start"], year.period_start)]
    while len(candidates) and len(parts) < 3:
        part = candidates.sort_values("period_end").iloc[-1]
        parts.append(part)
        candidates = _next_after(quarters, part["period_end"])
    if len(parts) < 3:
        ytd = nine_months[_near(nine_months["period_start"], year.period_start)]
        if ytd.empty:
            return None
        parts = [ytd.sort_values("filed").iloc[-1]]
    last_end = parts[-1]["period_end"]
    start = last_end + pd.Timedelta(days=1)
    if not QUARTER_DAYS[0] <= (year.period_end - start).days <= QUARTER_DAYS[1]:
        return None
    return {
        "period_start": start,
        "period_end": year.period_end,
        "value": year.value - sum(p["value"] for p in parts),
        "filed": max([year.filed, *(p["filed"] for p in parts)]),
        "derived": True,
    }


def _last_four(quarters: pd.DataFrame) -> pd.DataFrame | None:
    """The four most recent contiguous quarters, or None when the chain breaks."""
    if quarters.empty:
        return None
    chain = [quarters.iloc[-1]]
    while len(chain) < 4:
        start = chain[-1]["period_start"]
        gap = (start - quarters["period_end"]).dt.days
        previous = quarters[(gap >= 0) & (gap <= MAX_GAP_DAYS)]
        if previous.empty:
            return None
        chain.append(previous.iloc[-1])
    return pd.DataFrame(chain[::-1])


def ttm(facts: pd.DataFrame, as_of: dt.date) -> float | None:
    """Sum of the four most recent contiguous quarters known on `as_of`, or None.

    Each concept of the metric is tried alone, then all of them merged period by
    period (for a filer that switched concepts); the most recent complete TTM wins, the
    earlier concept on a tie. Never a partial sum."""
    best = None
    concepts = sorted(facts["concept"].unique(), key=lambda c: _PRIORITY.get(c, len(_PRIORITY)))
    subsets = [facts[facts["concept"] == c] for c in concepts]
    if len(concepts) > 1:
        subsets.append(facts)
    for subset in subsets:
        four = _last_four(quarterly(subset, as_of))
        if four is None:
            continue
        end = four["period_end"].iloc[-1]
        if best is None or end > best[0]:
            best = (end, float(four["value"].sum()))
    return best[1] if best else None


def latest_instant(facts: pd.DataFrame, as_of: dt.date) -> float | None:
    """The value with the latest period end filed on or before `as_of` (latest filing on
    a tie), from the first concept in `CONCEPTS` order that has one."""
    cutoff = pd.Timestamp(as_of)
    known = facts[(facts["filed"] <= cutoff) & (facts["period_end"] <= cutoff)]
    for concept in sorted(known["concept"].unique(), key=lambda c: _PRIORITY.get(c, 99)):
        rows = known[known["concept"] == concept].sort_values(["period_end", "filed", "accession"])
        return float(rows["value"].iloc[-1])
    return None


def split_adjusted(eps: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per-share facts filed on or before `as_of`, restated to the latest share basis.

    After a stock split, filings restate the comparatives they carry (Tesla's 3-for-1
    of 2022: Q3 2021 diluted EPS 1.44, then 0.48) but earlier quarters stay on the old
    basis. A filing whose restated values are a whole multiple n (or 1/n) of the values
    filed before it (median over at least two periods, EPS being rounded to cents) marks a
    split; every fact filed before it is divided by n. Only filings known on `as_of`
    count, so the basis is the one a reader had that day."""
    cutoff = pd.Timestamp(as_of)
    known = eps[eps["filed"] <= cutoff].sort_values(["filed", "accession"])
    for _, filing in known.groupby("accession", sort=False):
        filed = filing["filed"].iloc[0]
        earlier = known[known["filed"] < filed].drop_duplicates(
            subset=["period_start", "period_end"], keep="last"
        )
        pairs = filing.merge(earlier, on=["period_start", "period_end"], suffixes=("", "_old"))
        pairs = pairs[(pairs["value"] != 0) & (pairs["value_old"] != 0)]
        if len(pairs) < 2:  # one restated comparative is a correction, not a split
            continue
        ratio = float((pairs["value_old"] / pairs["value"]).median())
        factor = _split_factor(ratio)
        if factor is not None:
            later = known["filed"] >= filed
            known.loc[~later, "value"] = known.loc[~later, "value"] / factor
    return known


def _split_factor(ratio: float) -> float | None:
    """n for a ratio close to a whole n >= 2 (a split), 1/n for a reverse split."""
    for candidate in (ratio, 1 / ratio if ratio else 0):
        n = round(candidate)
        if n >= 2 and abs(candidate - n) <= 0.1 * n:
            return float(n) if candidate is ratio else 1 / n
    return None


def ttm_fundamentals(companyfacts: dict, as_of: dt.date) -> dict:
    """Point-in-time TTM net_income, eps_diluted (sum of four quarterly diluted EPS),
    revenue, operating_income, interest_expense and the latest shares_outstanding, using
    only facts filed on or before `as_of`; None where unknown."""
    facts = facts_frame(companyfacts)
    result: dict = {}
    for metric in FLOW_METRICS:
        rows = facts[facts["metric"] == metric]
        if metric == "eps_diluted":
            rows = split_adjusted(rows, as_of)
        value = ttm(rows, as_of)
        if value is not None and metric == "eps_diluted":
            value = round(value, 6)  # float noise from summing cents
        result[metric] = value
    shares = latest_instant(facts[facts["metric"] == "shares_outstanding"], as_of)
    result["shares_outstanding"] = int(shares) if shares is not None else None
    return result
