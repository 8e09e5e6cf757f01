"""Deterministic synthetic SEC EDGAR files for the replay server.

Usage: python -m devtools.replay.generate_sec OUT_DIR   (generate.py calls it too)

Writes, under `sec/`, the paths of www.sec.gov and data.sec.gov in their true formats:
`files/company_tickers.json`, `api/xbrl/companyfacts/CIK##########.json`,
`submissions/CIK##########.json` and `Archives/edgar/daily-index/2025/QTR3/form.YYYYMMDD.idx`
(each business day of 2025-09-02..2025-09-19; none for Labor Day or weekends).

Companies: the Magnificent Seven under their real CIKs and fiscal year ends (GOOG and
GOOGL share Alphabet's CIK, whose share count is reported per class), Berkshire (BRK-A,
BRK-B), and every invented member of `generate_ishares` (IWM and IVV) but NOT_AT_SEC.
Figures are invented (seeded by the CRC32 of each ticker) and calibrated to the members'
replayed prices: an invented member's share count is the one its holdings lines show, and
its earnings give a P/E on 2025-09-19 of about 11-28 (IWM) or 16-30 (IVV); the Magnificent
Seven and Berkshire keep near-real share counts. Quarterly values, 10-Qs with 3-month and
year-to-date facts and prior-year comparatives, 10-Ks with three annual figures and no Q4
of their own. Six small caps lose money, one files only dei facts (no us-gaap), one
restates a quarter with a 10-Q/A filed months later, two with October fiscal years and
the SEPTEMBER_FILERS file 10-Qs or 10-Ks in September 2025, so the daily indexes list
them. SPLITTER (and NVDA) report share counts and per-share figures on the old basis until
their split, and restate the comparatives after it. `expected_ttm` gives the TTM each
company's facts imply on a date, for tests.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import math
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devtools.replay.generate_prices import END, NVDA_SPLIT

D = dt.date.fromisoformat
FIRST_FY = 2021  # values from here; filings from FIRST_FILED on
FIRST_FILED = D("2022-01-01")
INDEX_DAYS = (D("2025-09-02"), END)
HOLIDAYS = {
    D("2025-09-01"),
    D("2025-07-04"),
    D("2025-05-26"),
    D("2025-01-01"),
    D("2024-12-25"),
    D("2024-11-28"),
    D("2023-12-25"),
    D("2022-12-26"),
}
# cik, tickers, title, fiscal year end month, shares outstanding in mid-2025 (bn),
# operating margin, P/E on END (shares times close over TTM net income), SIC code
BIG_CAPS = (
    (320193, ("AAPL",), "Apple Inc.", 9, 14.84, 0.30, 36, "3571"),
    (789019, ("MSFT",), "MICROSOFT CORP", 6, 7.43, 0.44, 37, "7372"),
    (1045810, ("NVDA",), "NVIDIA CORP", 1, 24.35, 0.55, 48, "3674"),
    (1652044, ("GOOGL", "GOOG"), "Alphabet Inc.", 12, 12.10, 0.31, 26, "7370"),
    (1018724, ("AMZN",), "AMAZON COM INC", 12, 10.68, 0.11, 35, "5961"),
    (1326801, ("META",), "Meta Platforms, Inc.", 12, 2.51, 0.40, 28, "7370"),
    (1318605, ("TSLA",), "Tesla, Inc.", 12, 3.22, 0.12, 110, "3711"),
    (1067983, ("BRK-B", "BRK-A"), "BERKSHIRE HATHAWAY INC", 12, 2.16, 0.12, 21, "6331"),
)
SECTOR_SIC = {
    "Information Technology": "7372",
    "Health Care": "2834",
    "Financials": "6022",
    "Industrials": "3560",
    "Consumer Discretionary": "5900",
    "Energy": "1311",
    "Materials": "2800",
    "Real Estate": "6798",
    "Utilities": "4911",
    "Communication": "4899",
    "Consumer Staples": "2000",
}
SIC_DESCRIPTIONS = {
    "3571": "Electronic Computers",
    "7372": "Services-Prepackaged Software",
    "3674": "Semiconductors & Related Devices",
    "7370": "Services-Computer Programming, Data Processing, Etc.",
    "5961": "Retail-Catalog & Mail-Order Houses",
    "3711": "Motor Vehicles & Passenger Car Bodies",
    "6331": "Fire, Marine & Casualty Insurance",
    "2834": "Pharmaceutical Preparations",
    "6022": "State Commercial Banks",
    "3560": "General Industrial Machinery & Equipment",
    "5900": "Retail-Miscellaneous Retail",
    "1311": "Crude Petroleum & Natural Gas",
    "2800": "Chemicals & Allied Products",
    "6798": "Real Estate Investment Trusts",
    "4911": "Electric Services",
    "4899": "Communications Services, NEC",
    "2000": "Food and Kindred Products",
}
SMALL_CIKS = (  # the first ten invented IWM members (since the first version of these files)
    1873501,
    1873544,
    1880118,
    1884730,
    1889213,
    1891476,
    1902268,
    1907735,
    1911049,
    1915382,
)
LOSS_MAKERS = 2  # the 3rd and 4th small caps
NO_US_GAAP = 9  # the 10th small cap files only dei facts
RESTATER = 0  # the 1st small cap restates Q3 of fiscal 2024
OCTOBER_YEAR = (5, 6)  # small caps with fiscal years ending in October
RESTATED_FILED = D("2025-02-10")
MORE_LOSS_MAKERS = ("NOY", "KOHU", "DRJ", "QUJO")  # IWM members that lose money too
NOT_AT_SEC = "FYYO"  # an IWM member absent from company_tickers.json (no CIK to map it to)
# Members whose report for the quarter or year to June/July 2025 is filed in September
# 2025 (besides the two October years): ticker -> fiscal year end month, filing date.
SEPTEMBER_FILERS = {
    "STA": (1, D("2025-09-05")),  # IVV: 10-Q, quarter to 2025-07-31 (a retailer's year to January)
    "ZHU": (7, D("2025-09-16")),  # IVV: 10-K, fiscal year to 2025-07-31
    "TAL": (6, D("2025-09-11")),  # IWM: 10-K, fiscal year to 2025-06-30
    "DEZE": (4, D("2025-09-09")),  # IWM: 10-Q, first quarter to 2025-07-31
}
# NVDA's 10-Q for its quarter to July 2025, on its public filing date (so in August).
PINNED_FILINGS = {"NVDA": D("2025-08-27")}
CALIBRATED_TO = D("2025-07-31")  # TTM of the quarters to here: all are filed by END
OTHER_FILERS = (  # unrelated filers that fill the daily indexes
    ("4", "DOE JOHN Q", 1790011),
    ("SC 13G/A", "VANGUARD GROUP INC", 102909),
    ("424B2", "JPMORGAN CHASE FINANCIAL CO. LLC", 1665650),
    ("8-K", "ACME WIDGET HOLDINGS CORP", 1799904),
    ("S-8", "NORTHWIND TRADERS INC", 1822417),
    ("D", "Sunrise Ventures Fund II, L.P.", 1931122),
    ("13F-HR", "BLUE HARBOR CAPITAL MANAGEMENT LLC", 1740233),
    ("10-Q", "CONTOSO PHARMA INC", 1855061),
)
FILING_AGENTS = (1193125, 1628280, 950170)  # small filers file through an agent's accession numbers
SHARE_CLASSES = {1652044: (0.48, 0.07, 0.45), 1067983: (0.0003, 0.9997)}  # fractions of shares
CONCEPT_LABELS = {
    "NetIncomeLoss": "Net Income (Loss) Attributable to Parent",
    "EarningsPerShareDiluted": "Earnings Per Share, Diluted",
    "Revenues": "Revenues",
    "RevenueFromContractWithCustomerExcludingAssessedTax": (
        "Revenue from Contract with Customer, Excluding Assessed Tax"
    ),
    "OperatingIncomeLoss": "Operating Income (Loss)",
    "InterestExpense": "Interest Expense",
    "EntityCommonStockSharesOutstanding": "Entity Common Stock, Shares Outstanding",
    "EntityPublicFloat": "Entity Public Float",
}


@dataclass
class Quarter:
    fy: int
    number: int  # 1..4 within the fiscal year
    start: dt.date
    end: dt.date
    values: dict[str, float]  # revenue, operating_income, interest_expense, net_income, eps_diluted
    shares: int  # on the latest basis (after any split)
    filed: dt.date | None = None  # when its own 3-month value appeared (10-K for Q4)
    restated: dict[str, float] | None = None
    split: tuple[dt.date, int] | None = None  # the company's split: ex-date, ratio


@dataclass
class Filing:
    accession: str
    form: str
    filed: dt.date
    report: dt.date | None
    fy: int
    fp: str
    facts: list[tuple[str, str, dict]] = field(default_factory=list)  # concept, unit, fact
    items: str = ""


@dataclass
class Company:
    cik: int
    tickers: tuple[str, ...]
    title: str
    fye_month: int
    revenue_concept: str
    shares_at: Callable[[dt.date], int]  # shares outstanding on a day, latest basis
    market_cap: float = 0.0  # shares times close on END
    split: tuple[dt.date, int] | None = None  # ex-date and ratio of a forward split
    quarters: list[Quarter] = field(default_factory=list)
    filings: list[Filing] = field(default_factory=list)
    us_gaap: bool = True
    exchange: str = "Nasdaq"
    sic: str = "7372"
    small: bool = False
    public_float: float = 412000000

    def cover_shares(self, day: dt.date) -> int:
        """Shares outstanding on a cover page dated `day`, on that day's basis."""
        shares = self.shares_at(day)
        if self.split and day < self.split[0]:
            shares = round(shares / self.split[1])
        return shares


@dataclass(frozen=True)
class Plan:
    """What a company's figures are calibrated to: P/E on END, or for a loss maker its
    price-to-sales (TTM revenue = market cap / ps)."""

    margin: float
    pe: float | None = None
    ps: float | None = None


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The month end `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return month_end(index // 12, index % 12 + 1)


def business_day(day: dt.date) -> dt.date:
    """`day`, or the next day EDGAR accepts filings on."""
    while day.weekday() >= 5 or day in HOLIDAYS:
        day += dt.timedelta(days=1)
    return day


def _new_cik(ticker: str, small: bool, taken: set[int]) -> int:
    """A CIK for an invented member: recent registrants for small caps, older for large."""
    crc = zlib.crc32(f"cik-{ticker}".encode())
    cik = 1_100_000 + crc % 850_000 if small else 20_000 + crc % 1_000_000
    while cik in taken:
        cik += 1
    taken.add(cik)
    return cik


def big_cap(spec: tuple, listed: dict) -> Company:
    """A Magnificent Seven company or Berkshire: near-real share counts, slowly bought back."""
    cik, tickers, title, fye, billions, _margin, _pe, sic = spec
    buyback = random.Random(zlib.crc32(f"sec-buyback-{tickers[0]}".encode())).uniform(0.005, 0.025)
    reference = D("2025-06-30")

    def shares_at(day: dt.date) -> int:
        return int(round(billions * 1e9 * math.exp(buyback * (reference - day).days / 365.25), -3))

    split = (NVDA_SPLIT[0], NVDA_SPLIT[1] // NVDA_SPLIT[2]) if tickers[0] == "NVDA" else None
    member = listed[tickers[0]]
    return Company(
        cik, tickers, title, fye, "", shares_at, shares_at(END) * member.close(END), split, sic=sic
    )


def invented(member, index: int, taken: set[int]) -> tuple[Company, Plan]:
    """An invented member's company: its holdings share count, fiscal year and plan."""
    from devtools.replay.generate_ishares import SPLIT, SPLITTER

    small = member.fund == "IWM"
    first_ten = small and index < len(SMALL_CIKS)
    cik = SMALL_CIKS[index] if first_ten else _new_cik(member.symbol, small, taken)
    rng = random.Random(zlib.crc32(f"sec-plan-{member.symbol}".encode()))
    if member.symbol in SEPTEMBER_FILERS:
        fye = SEPTEMBER_FILERS[member.symbol][0]
    elif first_ten and index in OCTOBER_YEAR:
        fye = 10
    else:
        draw = rng.random()
        fye = 12 if first_ten or draw < 0.8 else 3 if draw < 0.9 else 9
    first_losers = (LOSS_MAKERS, LOSS_MAKERS + 1)
    if member.symbol in MORE_LOSS_MAKERS or (first_ten and index in first_losers):
        margin = -0.18 if first_ten else -rng.uniform(0.1, 0.3)
        plan = Plan(margin, ps=rng.uniform(1.5, 4.0))
    else:
        if first_ten:
            margin = 0.06 + 0.01 * index
        else:
            margin = rng.uniform(0.05, 0.2) if small else rng.uniform(0.1, 0.35)
        plan = Plan(margin, pe=rng.uniform(11, 28) if small else rng.uniform(16, 30))

    def shares_at(day: dt.date) -> int:
        return member.shares_on(day) * member.split_factor(day)

    split = (SPLIT[0], SPLIT[1] // SPLIT[2]) if member.symbol == SPLITTER else None
    company = Company(
        cik,
        (member.symbol,),
        member.name.title(),
        fye,
        "",
        shares_at,
        member.market_cap(END),
        split,
        exchange="NYSE" if member.exchange.startswith("New York") else "Nasdaq",
        sic=SECTOR_SIC[member.sector],
        small=small,
    )
    public_float_day = min(member.history.sessions, key=lambda d: abs((d - D("2024-06-28")).days))
    company.public_float = round(0.85 * member.market_cap(public_float_day), -5)
    return company, plan


def companies() -> list[Company]:
    """Every company of the replay, its quarters and filings (deterministic)."""
    from devtools.replay.generate_ishares import members

    listed = members()
    taken = {spec[0] for spec in BIG_CAPS} | set(SMALL_CIKS) | {f[2] for f in OTHER_FILERS}
    planned = [(big_cap(spec, listed), Plan(spec[5], pe=spec[6])) for spec in BIG_CAPS]
    for fund in ("IWM", "IVV"):
        fund_members = [m for m in listed.values() if m.invented and m.fund == fund]
        for index, member in enumerate(fund_members):
            if member.symbol != NOT_AT_SEC:
                planned.append(invented(member, index, taken))
    used: set[str] = set()
    for company, plan in planned:
        rng = random.Random(zlib.crc32(f"sec-{company.tickers[0]}".encode()))
        company.revenue_concept = (
            "Revenues"
            if rng.random() < 0.4
            else "RevenueFromContractWithCustomerExcludingAssessedTax"
        )
        company.us_gaap = not (company.small and company.cik == SMALL_CIKS[NO_US_GAAP])
        company.quarters = simulate_quarters(rng, company, plan)
        if company.small and company.cik == SMALL_CIKS[RESTATER]:
            restate(company.quarters)
        company.filings = file_reports(rng, company, used)
    return [company for company, _plan in planned]


def simulate_quarters(
    rng: random.Random,
    company: Company,
    plan: Plan,
    *,
    first_fy: int = FIRST_FY,
    end: dt.date = END,
    calibrated_to: dt.date = CALIBRATED_TO,
) -> list[Quarter]:
    """Quarterly figures from FIRST_FY on: revenue growing about 2% a quarter, operating
    margin around the plan's, interest, net income after 20% tax (none on a loss), diluted
    EPS on the latest share basis. The revenue level is set so that the TTM of the
    quarters to CALIBRATED_TO meets the plan (P/E, or price-to-sales for a loss maker)."""
    scale = 1e3 if company.small else 1e6  # small filers round to thousands, large to millions
    last, periods, end, fy = end, [], month_end(first_fy - 1, company.fye_month), first_fy
    while True:
        start, end = end + dt.timedelta(days=1), add_months(end, 3)
        if end > last:
            break
        periods.append((fy, len(periods) % 4 + 1, start, end))
        fy += len(periods) % 4 == 0
    shape = [
        (1 + rng.gauss(0.02, 0.03), plan.margin + rng.gauss(0, 0.02), rng.uniform(0.002, 0.01))
        for _ in periods
    ]

    def build(level: float) -> list[Quarter]:
        quarters, revenue = [], level
        for (fy, number, start, end), (growth, margin, rate) in zip(periods, shape, strict=True):
            revenue *= growth
            sales = round(revenue / scale) * scale
            operating = round(sales * margin / scale) * scale
            interest = round(sales * rate / scale) * scale
            taxed = 0.8 if operating > interest else 1.0
            net = round((operating - interest) * taxed / scale) * scale
            shares = company.shares_at(end)
            values = {
                "revenue": sales,
                "operating_income": operating,
                "interest_expense": interest,
                "net_income": net,
                "eps_diluted": round(net / shares, 2),
            }
            quarters.append(Quarter(fy, number, start, end, values, shares, split=company.split))
        return quarters

    def ttm(quarters: list[Quarter], metric: str) -> float:
        return sum(q.values[metric] for q in [q for q in quarters if q.end <= calibrated_to][-4:])

    probe = build(1e9)
    metric, wanted = (
        ("net_income", company.market_cap / plan.pe)
        if plan.pe
        else ("revenue", company.market_cap / plan.ps)
    )
    got = ttm(probe, metric)
    if got <= 0:
        raise ValueError(f"{company.tickers[0]}: TTM {metric} of the probe is {got}, not > 0")
    return build(1e9 * wanted / got)


def restate(quarters: list[Quarter]) -> None:
    """Q3 of fiscal 2024 restated (net income and EPS 8% lower) by a 10-Q/A."""
    quarter = next(q for q in quarters if q.fy == 2024 and q.number == 3)
    net = round(quarter.values["net_income"] * 0.92, -3)
    quarter.restated = {
        **quarter.values,
        "net_income": net,
        "eps_diluted": round(net / quarter.shares, 2),
    }


def _values(q: Quarter, filed: dt.date) -> dict[str, float]:
    """A quarter's figures as a filing of `filed` reports them: restated from the 10-Q/A
    on, per-share on the old basis before a split (a whole multiple of the new one)."""
    values = q.restated if q.restated and filed >= RESTATED_FILED else q.values
    if q.split and filed < q.split[0]:
        values = {**values, "eps_diluted": round(values["eps_diluted"] * q.split[1], 2)}
    return values


def annual(quarters: list[Quarter], filed: dt.date) -> dict[str, float]:
    """Sums of a fiscal year's quarters as reported on `filed` (EPS as the sum of the
    rounded quarters)."""
    total = {}
    for q in quarters:
        for key, value in _values(q, filed).items():
            total[key] = total.get(key, 0) + value
    total["eps_diluted"] = round(total["eps_diluted"], 2)
    return total


METRIC_CONCEPTS = {  # metric -> (us-gaap concept, unit); revenue's concept is the company's
    "net_income": ("NetIncomeLoss", "USD"),
    "eps_diluted": ("EarningsPerShareDiluted", "USD/shares"),
    "operating_income": ("OperatingIncomeLoss", "USD"),
    "interest_expense": ("InterestExpense", "USD"),
}


def _frame(start: dt.date | None, end: dt.date) -> str:
    """SEC's frame name: CY2024Q3 (a quarter), CY2024 (a year), CY2024Q3I (an instant)."""
    if start is None:
        return f"CY{end.year}Q{(end.month - 1) // 3 + 1}I"
    days = (end - start).days
    middle = start + (end - start) / 2
    if days > 300:
        return f"CY{middle.year}"
    return f"CY{middle.year}Q{(middle.month - 1) // 3 + 1}"


def file_reports(
    rng: random.Random,
    company: Company,
    used: set[str],
    *,
    first_filed: dt.date = FIRST_FILED,
    end: dt.date = END,
) -> list[Filing]:
    """10-Qs, 10-Ks, the earnings 8-Ks and (for the restater) a 10-Q/A, oldest first.

    Large companies file under their own CIK's accession numbers, small ones through a
    filing agent's, numbered by day of the year as busy agents' are; `used` keeps every
    accession number unique across companies."""
    agent = rng.choice(FILING_AGENTS) if company.small else company.cik
    sequence: dict[int, int] = {}

    def accession(filed: dt.date) -> str:
        yy = filed.year % 100
        sequence[yy] = sequence.get(yy, rng.randint(100, 900)) + rng.randint(1, 40)
        number = sequence[yy]
        if agent != company.cik:
            number = filed.timetuple().tm_yday * 1000 + number % 1000
        while f"{agent:010d}-{yy:02d}-{number:06d}" in used:
            number += 1
        used.add(f"{agent:010d}-{yy:02d}-{number:06d}")
        return f"{agent:010d}-{yy:02d}-{number:06d}"

    by_key = {(q.fy, q.number): q for q in company.quarters}
    ticker = company.tickers[0]
    pinned = PINNED_FILINGS.get(ticker)
    if ticker in SEPTEMBER_FILERS:
        pinned = SEPTEMBER_FILERS[ticker][1]
    filings: list[Filing] = []
    for q in company.quarters:
        lag = rng.randint(38, 44) if company.small else rng.randint(26, 34)
        if q.number == 4:
            lag += 25 if company.small else 5
        filed = business_day(q.end + dt.timedelta(days=lag))
        if pinned and D("2025-06-30") <= q.end <= D("2025-07-31"):
            filed = pinned
        if filed < first_filed or filed > end:
            continue
        release = business_day(filed - dt.timedelta(days=rng.randint(0, 6)))
        filings.append(
            Filing(accession(release), "8-K", release, release, q.fy, "", items="2.02,9.01")
        )
        q.filed = filed
        if q.number < 4:
            filings.append(quarterly_report(company, q, by_key, accession(filed), filed))
        else:
            filings.append(annual_report(company, q.fy, accession(filed), filed))
    restated = next((q for q in company.quarters if q.restated), None)
    if restated is not None:
        filings.append(
            quarterly_report(
                company, restated, by_key, accession(RESTATED_FILED), RESTATED_FILED, "10-Q/A"
            )
        )
    filings.sort(key=lambda f: (f.filed, f.accession))
    return filings


def _add_period(
    filing: Filing, company: Company, start: dt.date, end: dt.date, values: dict
) -> None:
    concepts = {**METRIC_CONCEPTS, "revenue": (company.revenue_concept, "USD")}
    for metric, (concept, unit) in concepts.items():
        fact = {"start": start.isoformat(), "end": end.isoformat(), "val": _number(values[metric])}
        filing.facts.append((concept, unit, fact))


def _number(value: float) -> int | float:
    return (
        int(value) if float(value).is_integer() and abs(value) >= 1000 else round(float(value), 2)
    )


def _cover(filing: Filing, company: Company) -> None:
    """dei shares outstanding on the cover page date (a few days before filing), per class,
    on that date's basis (before a split, the old one)."""
    cover = filing.filed - dt.timedelta(days=5)
    shares = company.cover_shares(cover)
    parts = SHARE_CLASSES.get(company.cik, (1.0,))
    values = [round(shares * p) for p in parts[:-1]]
    values.append(shares - sum(values))
    for value in values:
        filing.facts.append(
            (
                "dei:EntityCommonStockSharesOutstanding",
                "shares",
                {"end": cover.isoformat(), "val": value},
            )
        )


def quarterly_report(
    company, q: Quarter, by_key, accn: str, filed: dt.date, form: str = "10-Q"
) -> Filing:
    """A 10-Q: the quarter and its year-to-date, each with the prior year's comparative."""
    filing = Filing(accn, form, filed, q.end, q.fy, f"Q{q.number}")
    for fy in (q.fy, q.fy - 1):
        if (fy, q.number) not in by_key:
            continue
        quarter = by_key[(fy, q.number)]
        _add_period(filing, company, quarter.start, quarter.end, _values(quarter, filed))
        if q.number > 1:
            parts = [by_key[(fy, n)] for n in range(1, q.number + 1)]
            ytd = {k: sum(_values(p, filed)[k] for p in parts) for k in q.values}
            ytd["eps_diluted"] = round(ytd["eps_diluted"], 2)
            _add_period(filing, company, parts[0].start, quarter.end, ytd)
    if form == "10-Q":
        _cover(filing, company)
    return filing


def annual_report(company: Company, fy: int, accn: str, filed: dt.date) -> Filing:
    """A 10-K: three fiscal years' totals, no Q4 of its own."""
    year = [q for q in company.quarters if q.fy == fy]
    filing = Filing(accn, "10-K", filed, year[-1].end, fy, "FY")
    for back in range(3):
        quarters = [q for q in company.quarters if q.fy == fy - back]
        if len(quarters) == 4:
            _add_period(
                filing, company, quarters[0].start, quarters[-1].end, annual(quarters, filed)
            )
    _cover(filing, company)
    return filing


def companyfacts(company: Company) -> dict:
    """The companyfacts JSON: concept -> units -> facts, each tagged with its filing."""
    taxonomies: dict[str, dict] = {"dei": {}, "us-gaap": {}}
    latest: dict[tuple, dict] = {}
    for filing in company.filings:
        for concept, unit, fact in filing.facts:
            taxonomy, name = concept.split(":") if ":" in concept else ("us-gaap", concept)
            if taxonomy == "us-gaap" and not company.us_gaap:
                continue
            entry = dict(
                fact,
                accn=filing.accession,
                fy=filing.fy,
                fp=filing.fp,
                form=filing.form,
                filed=filing.filed.isoformat(),
            )
            node = taxonomies[taxonomy].setdefault(
                name,
                {
                    "label": CONCEPT_LABELS.get(name, name),
                    "description": f"{CONCEPT_LABELS.get(name, name)}.",
                    "units": {},
                },
            )
            node["units"].setdefault(unit, []).append(entry)
            start = D(fact["start"]) if "start" in fact else None
            days = (D(fact["end"]) - start).days if start else 0
            if (
                start is None or days < 100 or days > 300
            ):  # quarters, years and instants get a frame
                latest[(taxonomy, name, unit, fact.get("start"), fact["end"])] = entry
    for (_t, _n, _u, start, end), entry in latest.items():
        entry["frame"] = _frame(D(start) if start else None, D(end))
    if not company.us_gaap:
        del taxonomies["us-gaap"]
        report = [f for f in company.filings if f.form == "10-K"][-1]
        taxonomies["dei"]["EntityPublicFloat"] = {
            "label": CONCEPT_LABELS["EntityPublicFloat"],
            "description": (
                "The aggregate market value of the common equity held by non-affiliates."
            ),
            "units": {
                "USD": [
                    {
                        "end": month_end(report.fy, 6).isoformat(),
                        "val": int(company.public_float),
                        "accn": report.accession,
                        "fy": report.fy,
                        "fp": "FY",
                        "form": "10-K",
                        "filed": report.filed.isoformat(),
                    }
                ]
            },
        }
    for taxonomy in taxonomies.values():
        for node in taxonomy.values():
            for unit, facts in node["units"].items():
                node["units"][unit] = sorted(
                    facts, key=lambda f: (f["end"], f.get("start", ""), f["filed"])
                )
    return {"cik": company.cik, "entityName": company.title, "facts": taxonomies}


def submissions(company: Company) -> dict:
    """The submissions JSON: company details, filings.recent as parallel columns (newest first)."""
    filings = sorted(company.filings, key=lambda f: (f.filed, f.accession), reverse=True)
    recent: dict[str, list] = {
        k: []
        for k in (
            "accessionNumber",
            "filingDate",
            "reportDate",
            "acceptanceDateTime",
            "act",
            "form",
            "fileNumber",
            "filmNumber",
            "items",
            "size",
            "isXBRL",
            "isInlineXBRL",
            "primaryDocument",
            "primaryDocDescription",
        )
    }
    stem = company.tickers[0].lower().replace("-", "")
    for f in filings:
        xbrl = int(f.form != "8-K" or bool(f.items))
        recent["accessionNumber"].append(f.accession)
        recent["filingDate"].append(f.filed.isoformat())
        recent["reportDate"].append(f.report.isoformat() if f.report else "")
        recent["acceptanceDateTime"].append(
            f"{f.filed.isoformat()}T16:{zlib.crc32(f.accession.encode()) % 60:02d}:12.000Z"
        )
        recent["act"].append("34")
        recent["form"].append(f.form)
        recent["fileNumber"].append(f"001-{30000 + company.cik % 9973:05d}")
        recent["filmNumber"].append(str(25000000 + zlib.crc32(f.accession.encode()) % 999999))
        recent["items"].append(f.items)
        recent["size"].append(200000 + zlib.crc32(f.accession.encode()) % 9000000)
        recent["isXBRL"].append(xbrl)
        recent["isInlineXBRL"].append(xbrl)
        recent["primaryDocument"].append(f"{stem}-{f.report or f.filed:%Y%m%d}.htm")
        recent["primaryDocDescription"].append(f.form)
    return {
        "cik": str(company.cik),
        "entityType": "operating",
        "sic": company.sic,
        "sicDescription": SIC_DESCRIPTIONS[company.sic],
        "insiderTransactionForOwnerExists": 0,
        "insiderTransactionForIssuerExists": 1,
        "name": company.title,
        "tickers": list(company.tickers),
        "exchanges": [company.exchange] * len(company.tickers),
        "ein": "",
        "description": "",
        "website": "",
        "investorWebsite": "",
        "category": "Accelerated filer" if company.small else "Large accelerated filer",
        "fiscalYearEnd": f"{month_end(2025, company.fye_month):%m%d}",
        "stateOfIncorporation": "DE",
        "stateOfIncorporationDescription": "DE",
        "addresses": {},
        "phone": "",
        "flags": "",
        "formerNames": [],
        "filings": {"recent": recent, "files": []},
    }


def tickers_json(all_companies: list[Company]) -> dict:
    """company_tickers.json: {"0": {"cik_str", "ticker", "title"}, ...}, the largest
    companies first, as SEC orders it."""
    ranked = sorted(all_companies, key=lambda c: -c.market_cap)
    rows = [(c.cik, t, c.title) for c in ranked for t in c.tickers]
    return {
        str(i): {"cik_str": cik, "ticker": t, "title": title}
        for i, (cik, t, title) in enumerate(rows)
    }


def daily_index(day: dt.date, all_companies: list[Company]) -> str:
    """form.YYYYMMDD.idx: the filings of `day` (ours and a few other filers'), by form type."""
    rng = random.Random(zlib.crc32(f"sec-index-{day}".encode()))
    rows = [
        (f.form, c.title.upper(), c.cik, f.accession)
        for c in all_companies
        for f in c.filings
        if f.filed == day
    ]
    for form, name, cik in rng.sample(OTHER_FILERS, 5):
        rows.append(
            (
                form,
                name,
                cik,
                f"{rng.choice((1193125, 1628280, cik)):010d}-{day:%y}-{rng.randint(1, 99999):06d}",
            )
        )
    lines = [
        "Description:           Daily Index of EDGAR Dissemination Feed by Form Type",
        f"Last Data Received:    {day:%B} {day.day}, {day.year}",
        "Comments:              webmaster@sec.gov",
        "Anonymous FTP:         ftp://ftp.sec.gov/edgar/",
        " ",
        " ",
        " ",
        f"{'Form Type':<12}{'Company Name':<62}{'CIK':<12}{'Date Filed':<12}File Name",
        "-" * 141,
    ]
    for form, name, cik, accn in sorted(rows):
        lines.append(f"{form:<12}{name:<62}{cik:<12}{day:%Y%m%d}    edgar/data/{cik}/{accn}.txt")
    return "\n".join(lines) + "\n"


def expected_ttm(company: Company, as_of: dt.date) -> dict:
    """The TTM figures and share count the company's filings imply on `as_of` (the four
    latest quarters known then, a restatement counted from its filing, per-share figures
    on the new basis once a report filed after the split restates them)."""
    known = [q for q in company.quarters if q.filed and q.filed <= as_of]
    last = known[-4:]
    reports = [f for f in company.filings if f.filed <= as_of and f.form in ("10-Q", "10-K")]
    basis = as_of
    if company.split and not any(f.filed >= company.split[0] for f in reports):
        basis = min(as_of, company.split[0] - dt.timedelta(days=1))
    if not company.us_gaap or len(last) < 4:
        result = dict.fromkeys(
            ("net_income", "eps_diluted", "revenue", "operating_income", "interest_expense")
        )
    else:
        result = {}
        for key in last[0].values:
            if key == "eps_diluted":
                result[key] = round(sum(_values(q, basis)[key] for q in last), 6)
            else:
                result[key] = float(sum(_values(q, as_of)[key] for q in last))
    shares = (
        [fact["val"] for c, _u, fact in reports[-1].facts if c.startswith("dei:")]
        if reports
        else []
    )
    result["shares_outstanding"] = sum(shares) if shares else None
    return result


def write_json(path: Path, doc: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, separators=(",", ":")))
    return path


def generate_sec(out_dir: Path) -> list[Path]:
    """Write sec/ under out_dir; returns the files written."""
    root = Path(out_dir) / "sec"
    everyone = companies()
    written = [write_json(root / "files" / "company_tickers.json", tickers_json(everyone))]
    for company in everyone:
        key = f"CIK{company.cik:010d}.json"
        written.append(
            write_json(root / "api" / "xbrl" / "companyfacts" / key, companyfacts(company))
        )
        written.append(write_json(root / "submissions" / key, submissions(company)))
    day = INDEX_DAYS[0]
    while day <= INDEX_DAYS[1]:
        if business_day(day) == day:
            quarter = (day.month - 1) // 3 + 1
            path = (
                root
                / "Archives"
                / "edgar"
                / "daily-index"
                / str(day.year)
                / f"QTR{quarter}"
                / f"form.{day:%Y%m%d}.idx"
            )
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(daily_index(day, everyone))
            written.append(path)
        day += dt.timedelta(days=1)
    return written


README = """
## sec/

`sec/` mirrors www.sec.gov and data.sec.gov: `files/company_tickers.json`,
`api/xbrl/companyfacts/CIK##########.json`, `submissions/CIK##########.json` and
`Archives/edgar/daily-index/2025/QTR3/form.YYYYMMDD.idx` (business days {first}..{end}).
The Magnificent Seven (GOOG and GOOGL under one CIK) and Berkshire keep their real CIKs and
fiscal year ends; every invented member of `ishares/` is added ({companies} companies,
{tickers} tickers in `company_tickers.json`) except `{not_at_sec}` (IWM), which SEC does not
list, so no CIK maps to it. All figures are invented but calibrated to the replayed prices:
an invented member's `dei:EntityCommonStockSharesOutstanding` is the Quantity of its
holdings lines, and on {end} market cap over TTM net income is about {pe_iwm:.0f} for
IWM's members, {pe_ivv:.0f} for IVV's invented ones and {pe_mag7:.0f} for the Magnificent
Seven (each within 11-28, 16-30 and 26-48 but Tesla at 110). 10-Qs carry 3-month and
year-to-date facts with prior-year comparatives, 10-Ks three annual figures and no Q4 of
their own. Six small caps lose money ({losers}), one has no us-gaap facts ({no_us_gaap}),
one restates fiscal 2024 Q3 by a 10-Q/A filed {restated} ({restater}). `{splitter}` reports
its shares and EPS on the pre-split basis until its split of {split_day}, then restates
the comparatives (as NVDA does around its split of 2024-06-10). No fact is filed after
{end}. The server answers 403 to a User-Agent without an e-mail contact, as SEC does.

Reports filed in September 2025, so listed in the daily indexes (File Name
`edgar/data/<cik>/<accession>.txt`) and carried by the filers' companyfacts:

{september}
"""


def readme() -> str:
    from devtools.replay.generate_ishares import SPLIT, SPLITTER, members

    everyone = companies()
    listed = members()

    def pe(group: list[Company]) -> float:
        known = [(c, expected_ttm(c, END)) for c in group]
        known = [(c, t) for c, t in known if t["net_income"] is not None]
        cap = sum(t["shares_outstanding"] * listed[c.tickers[0]].close(END) for c, t in known)
        return cap / sum(t["net_income"] for _c, t in known)

    big = {spec[0] for spec in BIG_CAPS}
    september = sorted(
        (f.filed, c.tickers[0], c.cik, f.form, f.accession, f.report)
        for c in everyone
        for f in c.filings
        if f.filed >= INDEX_DAYS[0] and f.form in ("10-Q", "10-K")
    )
    by_cik = {c.cik: c.tickers[0] for c in everyone}
    return README.format(
        first=INDEX_DAYS[0],
        end=INDEX_DAYS[1],
        restated=RESTATED_FILED,
        companies=len(everyone),
        tickers=sum(len(c.tickers) for c in everyone),
        not_at_sec=NOT_AT_SEC,
        splitter=SPLITTER,
        split_day=SPLIT[0],
        pe_iwm=pe([c for c in everyone if c.small]),
        pe_ivv=pe([c for c in everyone if not c.small and c.cik not in big]),
        pe_mag7=pe([c for c in everyone if c.cik in big and c.cik != 1067983]),
        losers=", ".join(
            [
                by_cik[SMALL_CIKS[LOSS_MAKERS]],
                by_cik[SMALL_CIKS[LOSS_MAKERS + 1]],
                *MORE_LOSS_MAKERS,
            ]
        ),
        no_us_gaap=by_cik[SMALL_CIKS[NO_US_GAAP]],
        restater=by_cik[SMALL_CIKS[RESTATER]],
        september="\n".join(
            f"- {filed}: {ticker} (CIK {cik}) {form} for the period to {report}, {accession}"
            for filed, ticker, cik, form, accession, report in september
        ),
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write (e.g. include/replay)")
    written = generate_sec(parser.parse_args(argv).out_dir)
    print(f"wrote {len(written)} files")


if __name__ == "__main__":
    main()
