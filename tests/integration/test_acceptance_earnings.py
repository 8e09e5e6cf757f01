"""Acceptance on real SEC companyfacts (Snowflake, Tesla) from ../shared/realdata.

For several as-of dates, `ttm_fundamentals` must equal the sum of the four quarters
ending on the listed dates, worked out here by a separate, plain route over the raw
JSON: the latest filing on or before as-of for each exact (start, end), and a missing
Q4 as the annual figure minus the 9-month year-to-date (the module prefers the three
quarters, so the two routes also cross-check each other). A few public figures
(10-K totals) are asserted as well. `ttm_history` must equal `fundamentals` on every
filing date, and serve those as-of dates as a point-in-time join does.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest

from rotation_radar.earnings.fundamentals import (
    METRICS,
    facts_frame,
    fundamentals,
    ttm_fundamentals,
    ttm_history,
)
from tests.conftest import REALDATA

BASE = REALDATA / "dgunning_edgartools"
SNOW = BASE / "snow_companyfacts.json"
TSLA = BASE / "tsla_companyfacts.converted.json"
pytestmark = pytest.mark.skipif(
    not (SNOW.exists() and TSLA.exists()),
    reason=f"real data not present: need {SNOW} and {TSLA}",
)
D = dt.date.fromisoformat

CONCEPT = {
    "TSLA": {
        "net_income": "NetIncomeLoss",
        "revenue": "Revenues",
        "operating_income": "OperatingIncomeLoss",
        "interest_expense": "InterestExpense",
    },
    "SNOW": {
        "net_income": "NetIncomeLoss",
        "revenue": "RevenueFromContractWithCustomerExcludingAssessedTax",
        "operating_income": "OperatingIncomeLoss",
    },
}
# as-of date -> the ends of the four quarters that make its TTM
CASES = {
    "TSLA": {
        "2019-06-01": ("2018-06-30", "2018-09-30", "2018-12-31", "2019-03-31"),
        "2021-02-15": ("2020-03-31", "2020-06-30", "2020-09-30", "2020-12-31"),
        "2022-02-15": ("2021-03-31", "2021-06-30", "2021-09-30", "2021-12-31"),
        "2022-08-01": ("2021-09-30", "2021-12-31", "2022-03-31", "2022-06-30"),
        "2022-11-01": ("2021-12-31", "2022-03-31", "2022-06-30", "2022-09-30"),
    },
    # fiscal years end 31 January
    "SNOW": {
        "2022-04-15": ("2021-04-30", "2021-07-31", "2021-10-31", "2022-01-31"),
        "2023-06-30": ("2022-07-31", "2022-10-31", "2023-01-31", "2023-04-30"),
        # the FY2024 10-K is filed 2024-03-26
        "2024-03-01": ("2023-01-31", "2023-04-30", "2023-07-31", "2023-10-31"),
        "2024-04-01": ("2023-04-30", "2023-07-31", "2023-10-31", "2024-01-31"),
        "2025-06-30": ("2024-07-31", "2024-10-31", "2025-01-31", "2025-04-30"),
    },
}
FILES = {"TSLA": TSLA, "SNOW": SNOW}


def load(ticker: str) -> dict:
    return json.loads(FILES[ticker].read_text())


def latest_values(entries: list[dict], as_of: dt.date) -> dict[tuple[str, str], float]:
    """(start, end) -> value of the latest filing on or before as_of."""
    best: dict[tuple[str, str], dict] = {}
    for e in entries:
        if "start" not in e or D(e["filed"]) > as_of:
            continue
        key = (e["start"], e["end"])
        if key not in best or (e["filed"], e["accn"]) >= (best[key]["filed"], best[key]["accn"]):
            best[key] = e
    return {k: e["val"] for k, e in best.items()}


def expected_quarter(values: dict, end: str) -> float:
    """The quarter ending `end`: reported directly, else annual minus 9-month YTD."""
    days = {k: (D(k[1]) - D(k[0])).days for k in values}
    direct = [v for k, v in values.items() if k[1] == end and 80 <= days[k] <= 100]
    if direct:
        assert len(direct) == 1, f"several quarters end {end}"
        return direct[0]
    ((year_start, annual),) = [
        (k[0], v) for k, v in values.items() if k[1] == end and 350 <= days[k] <= 380
    ]
    (ytd,) = [v for k, v in values.items() if k[0] == year_start and 250 <= days[k] <= 290]
    return annual - ytd


def expected_ttm(facts: dict, concept: str, as_of: dt.date, ends: tuple[str, ...]) -> float:
    entries = facts["facts"]["us-gaap"][concept]["units"]["USD"]
    values = latest_values(entries, as_of)
    return float(sum(expected_quarter(values, end) for end in ends))


@pytest.mark.parametrize(("ticker", "as_of"), [(t, a) for t, cases in CASES.items() for a in cases])
def test_ttm_equals_the_sum_of_the_raw_quarterly_facts(ticker, as_of):
    facts = load(ticker)
    got = ttm_fundamentals(facts, D(as_of))
    for metric, concept in CONCEPT[ticker].items():
        expected = expected_ttm(facts, concept, D(as_of), CASES[ticker][as_of])
        assert got[metric] == expected, f"{ticker} {metric} as of {as_of}"


def test_tesla_public_figures():
    tsla = load("TSLA")
    fy2020 = ttm_fundamentals(tsla, D("2021-02-15"))  # FY2020 10-K filed 2021-02-08
    assert fy2020["net_income"] == 721_000_000
    assert fy2020["revenue"] == 31_536_000_000
    fy2021 = ttm_fundamentals(tsla, D("2022-02-15"))  # FY2021 10-K filed 2022-02-07
    assert fy2021["net_income"] == 5_519_000_000
    assert fy2021["revenue"] == 53_823_000_000
    assert fy2021["operating_income"] == 6_523_000_000
    assert fy2021["eps_diluted"] == pytest.approx(4.90)
    mid2022 = ttm_fundamentals(tsla, D("2022-08-01"))
    # Q3 2021 1,618 + Q4 2021 2,321 + Q1 2022 3,318 + Q2 2022 2,259 ($m)
    assert mid2022["net_income"] == 9_516_000_000
    assert mid2022["eps_diluted"] == pytest.approx(1.44 + 2.05 + 2.86 + 1.95)
    assert mid2022["shares_outstanding"] == 1_044_490_015  # 10-Q cover, 2022-07-19


def test_tesla_eps_and_shares_after_the_2022_split():
    # The Q3 2022 10-Q (filed 2022-10-24) is the first on the 3-for-1 basis: it restates
    # Q3 2021 from 1.44 to 0.48, while Q4 2021, Q1 and Q2 2022 were filed pre-split.
    before = ttm_fundamentals(load("TSLA"), D("2022-10-23"))
    after = ttm_fundamentals(load("TSLA"), D("2022-10-24"))
    assert before["eps_diluted"] == pytest.approx(8.30)
    assert after["eps_diluted"] == pytest.approx((2.05 + 2.86 + 1.95) / 3 + 0.95, abs=0.005)
    assert after["shares_outstanding"] == 3_157_752_449


def test_snowflake_public_figures():
    snow = load("SNOW")
    # fiscal 2024 (to 2024-01-31): 10-K filed 2024-03-26
    assert ttm_fundamentals(snow, D("2024-03-25"))["revenue"] != 2_806_489_000
    fy2024 = ttm_fundamentals(snow, D("2024-03-26"))
    assert fy2024["revenue"] == 2_806_489_000
    # interest expense is tagged only from fiscal 2025, and no fiscal-2025 Q2 quarter
    # fact exists: no four contiguous quarters, so None rather than a partial sum.
    assert ttm_fundamentals(snow, D("2025-06-30"))["interest_expense"] is None
    # The file holds Q1 FY2022 diluted EPS only as the comparative filed 2022-06-03, not
    # from the original 10-Q of 2021-06-04: as of 2022-04-15 that quarter is unknown.
    fy2022 = ttm_fundamentals(snow, D("2022-04-15"))
    assert fy2022["eps_diluted"] is None and fy2022["revenue"] == 1_219_327_000


def test_snowflake_before_four_quarters_were_public():
    # IPO in September 2020: by 2021-03-01 only the Q3 FY2021 10-Q (filed 2020-12-03) is
    # public, with one prior-year comparative quarter.
    got = ttm_fundamentals(load("SNOW"), D("2021-03-01"))
    assert got["net_income"] is None and got["revenue"] is None


def as_fundamentals(row: dict) -> dict:
    """A `ttm_history` row in `fundamentals` form: None where unknown, an int share count."""
    values = {m: None if math.isnan(row[m]) else row[m] for m in METRICS}
    shares = values["shares_outstanding"]
    return {**values, "shares_outstanding": int(shares) if shares is not None else None}


@pytest.mark.parametrize("ticker", sorted(FILES))
def test_ttm_history_equals_fundamentals_on_every_filing_date(ticker):
    facts = facts_frame(load(ticker))
    history = ttm_history(facts)
    assert list(history["known_from"]) == sorted(set(facts["filed"].dt.date))
    assert len(history) > 15 and history["net_income"].notna().sum() > len(history) / 2
    for row in history.to_dict("records"):
        assert as_fundamentals(row) == fundamentals(facts, row["known_from"]), row["known_from"]


@pytest.mark.parametrize("ticker", sorted(FILES))
def test_ttm_history_as_a_point_in_time_join(ticker):
    # Every fact is filed on or after its period's end, so fundamentals change only on
    # filing dates: the history row in force on a date gives that date's figures.
    doc = load(ticker)
    history = ttm_history(facts_frame(doc))
    for as_of in [*CASES[ticker], "2022-10-23", "2022-10-24"]:
        in_force = history[history["known_from"] <= D(as_of)].iloc[-1]
        assert as_fundamentals(in_force) == ttm_fundamentals(doc, D(as_of)), as_of
