"""Deterministic synthetic SEC EDGAR files for the replay server.

Usage: python -m rotation_radar.replay.generate_sec OUT_DIR   (generate.py calls it too)

Writes, under `sec/`, the paths of www.sec.gov and data.sec.gov in their true formats:
`files/company_tickers.json`, `api/xbrl/companyfacts/CIK##########.json`,
`submissions/CIK##########.json` and `Archives/edgar/daily-index/2025/QTR3/form.YYYYMMDD.idx`
(each business day of 2025-09-02..2025-09-19; none for Labor Day or weekends).

Companies: the Magnificent Seven under their real CIKs and fiscal year ends (GOOG and
GOOGL share Alphabet's CIK, whose share count is reported per class), Berkshire (BRK-A,
BRK-B), and the first ten invented IWM members of `generate_ishares`. Figures are invented
(seeded by the CRC32 of each ticker): quarterly values, 10-Qs with 3-month and
year-to-date facts and prior-year comparatives, 10-Ks with three annual figures and no
Q4 of their own. Two small caps lose money, one files only dei facts (no us-gaap), one
restates a quarter with a 10-Q/A filed months later, and two with October fiscal years
file 10-Qs in September 2025, so the daily indexes list them. `expected_ttm` gives the
TTM each company's facts imply on a date, for tests.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import json
import random
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from rotation_radar.replay.generate import END

D = dt.date.fromisoformat
FIRST_FY = 2021  # values from here; filings from FIRST_FILED on
FIRST_FILED = D("2022-01-01")
INDEX_DAYS = (D("2025-09-02"), END)
HOLIDAYS = {D("2025-09-01"), D("2025-07-04"), D("2025-05-26"), D("2025-01-01"), D("2024-12-25"),
            D("2024-11-28"), D("2023-12-25"), D("2022-12-26")}  # fmt: skip
BIG_CAPS = (  # cik, tickers, title, fiscal year end month, revenue per quarter ($bn), margin
    (320193, ("AAPL",), "Apple Inc.", 9, 95.0, 0.30),
    (789019, ("MSFT",), "MICROSOFT CORP", 6, 60.0, 0.44),
    (1045810, ("NVDA",), "NVIDIA CORP", 1, 25.0, 0.55),
    (1652044, ("GOOGL", "GOOG"), "Alphabet Inc.", 12, 80.0, 0.31),
    (1018724, ("AMZN",), "AMAZON COM INC", 12, 150.0, 0.09),
    (1326801, ("META",), "Meta Platforms, Inc.", 12, 40.0, 0.38),
    (1318605, ("TSLA",), "Tesla, Inc.", 12, 24.0, 0.09),
    (1067983, ("BRK-B", "BRK-A"), "BERKSHIRE HATHAWAY INC", 12, 90.0, 0.12),
)  # fmt: skip
SMALL_CIKS = (
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
OTHER_FILERS = (  # unrelated filers that fill the daily indexes
    ("4", "DOE JOHN Q", 1790011), ("SC 13G/A", "VANGUARD GROUP INC", 102909),
    ("424B2", "JPMORGAN CHASE FINANCIAL CO. LLC", 1665650), ("8-K", "ACME WIDGET HOLDINGS CORP", 1799904),
    ("S-8", "NORTHWIND TRADERS INC", 1822417), ("D", "Sunrise Ventures Fund II, L.P.", 1931122),
    ("13F-HR", "BLUE HARBOR CAPITAL MANAGEMENT LLC", 1740233), ("10-Q", "CONTOSO PHARMA INC", 1855061),
)  # fmt: skip
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
    shares: int
    filed: dt.date | None = None  # when its own 3-month value appeared (10-K for Q4)
    restated: dict[str, float] | None = None


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
    quarters: list[Quarter] = field(default_factory=list)
    filings: list[Filing] = field(default_factory=list)
    us_gaap: bool = True
    exchange: str = "Nasdaq"


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


def companies() -> list[Company]:
    """Every company of the replay, its quarters and filings (deterministic)."""
    from rotation_radar.replay.generate_ishares import invented_members

    specs = [(*spec, False) for spec in BIG_CAPS]
    for i, (ticker, name, _sector) in enumerate(invented_members("IWM", 56)[: len(SMALL_CIKS)]):
        fye = 10 if i in OCTOBER_YEAR else 12
        margin = -0.18 if i in (LOSS_MAKERS, LOSS_MAKERS + 1) else 0.06 + 0.01 * i
        specs.append((SMALL_CIKS[i], (ticker,), name.title(), fye, 0.15 + 0.07 * i, margin, True))
    out = []
    for number, (cik, tickers, title, fye, revenue, margin, small) in enumerate(specs):
        rng = random.Random(zlib.crc32(f"sec-{tickers[0]}".encode()))
        concept = (
            "Revenues"
            if rng.random() < 0.4
            else "RevenueFromContractWithCustomerExcludingAssessedTax"
        )
        company = Company(
            cik, tickers, title, fye, concept, exchange="NYSE" if number % 3 == 0 else "Nasdaq"
        )
        company.us_gaap = not (small and cik == SMALL_CIKS[NO_US_GAAP])
        company.quarters = simulate_quarters(rng, fye, revenue * 1e9, margin, small)
        if small and cik == SMALL_CIKS[RESTATER]:
            restate(company.quarters)
        company.filings = file_reports(rng, company, small)
        out.append(company)
    return out


def simulate_quarters(
    rng: random.Random, fye: int, revenue: float, margin: float, small: bool
) -> list[Quarter]:
    shares = round(rng.uniform(0.05, 0.2) * 1e9 if small else rng.uniform(2.5, 16) * 1e9, -3)
    scale = 1e3 if small else 1e6  # small filers round to thousands, large to millions
    quarters, end = [], month_end(FIRST_FY - 1, fye)
    fy = FIRST_FY
    while True:
        for number in range(1, 5):
            start, end = end + dt.timedelta(days=1), add_months(end, 3)
            if end > END:
                return quarters
            revenue *= 1 + rng.gauss(0.02, 0.03)
            sales = round(revenue / scale) * scale
            operating = round(sales * (margin + rng.gauss(0, 0.02)) / scale) * scale
            interest = round(sales * rng.uniform(0.002, 0.01) / scale) * scale
            net = (
                round((operating - interest) * (0.8 if operating > interest else 1.0) / scale)
                * scale
            )
            shares = round(shares * (1 - rng.uniform(0, 0.006)), -3)
            values = {"revenue": sales, "operating_income": operating, "interest_expense": interest,
                      "net_income": net, "eps_diluted": round(net / shares, 2)}  # fmt: skip
            quarters.append(Quarter(fy, number, start, end, values, int(shares)))
        fy += 1


def restate(quarters: list[Quarter]) -> None:
    """Q3 of fiscal 2024 restated (net income and EPS 8% lower) by a 10-Q/A."""
    quarter = next(q for q in quarters if q.fy == 2024 and q.number == 3)
    net = round(quarter.values["net_income"] * 0.92, -3)
    quarter.restated = {
        **quarter.values,
        "net_income": net,
        "eps_diluted": round(net / quarter.shares, 2),
    }


def annual(quarters: list[Quarter], restated_by: dt.date | None = None) -> dict[str, float]:
    """Sums of a fiscal year's quarters (EPS as the sum of the rounded quarters)."""
    total = {}
    for q in quarters:
        values = (
            q.restated
            if q.restated and (restated_by is None or restated_by >= RESTATED_FILED)
            else q.values
        )
        for key, value in values.items():
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


def file_reports(rng: random.Random, company: Company, small: bool) -> list[Filing]:
    """10-Qs, 10-Ks, the earnings 8-Ks and (for the restater) a 10-Q/A, oldest first."""
    agent = rng.choice((1193125, 1628280, 950170)) if small else company.cik
    sequence: dict[int, int] = {}

    def accession(filed: dt.date) -> str:
        yy = filed.year % 100
        sequence[yy] = sequence.get(yy, rng.randint(100, 900)) + rng.randint(1, 40)
        return f"{agent:010d}-{yy:02d}-{sequence[yy]:06d}"

    by_key = {(q.fy, q.number): q for q in company.quarters}
    filings: list[Filing] = []
    for q in company.quarters:
        lag = rng.randint(38, 44) if small else rng.randint(26, 34)
        if q.number == 4:
            lag += 25 if small else 5
        filed = business_day(q.end + dt.timedelta(days=lag))
        if filed < FIRST_FILED or filed > END:
            continue
        release = business_day(filed - dt.timedelta(days=rng.randint(0, 6)))
        filings.append(
            Filing(accession(release), "8-K", release, release, q.fy, "", items="2.02,9.01")
        )
        if q.number < 4:
            q.filed = filed
            filings.append(quarterly_report(company, q, by_key, accession(filed), filed))
        else:
            q.filed = filed
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


def _values(q: Quarter, filed: dt.date) -> dict[str, float]:
    return q.restated if q.restated and filed >= RESTATED_FILED else q.values


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


def _cover(filing: Filing, company: Company, shares: int) -> None:
    """dei shares outstanding on the cover page date (a few days before filing), per class."""
    cover = filing.filed - dt.timedelta(days=5)
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
        _cover(filing, company, q.shares)
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
    _cover(filing, company, year[-1].shares)
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
            entry = dict(fact, accn=filing.accession, fy=filing.fy, fp=filing.fp, form=filing.form,
                         filed=filing.filed.isoformat())  # fmt: skip
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
            "description": "The aggregate market value of the common equity held by non-affiliates.",
            "units": {"USD": [{"end": month_end(report.fy - 1, 6).isoformat(), "val": 412000000,
                               "accn": report.accession, "fy": report.fy, "fp": "FY",
                               "form": "10-K", "filed": report.filed.isoformat()}]},
        }  # fmt: skip
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
    recent: dict[str, list] = {k: [] for k in (
        "accessionNumber", "filingDate", "reportDate", "acceptanceDateTime", "act", "form", "fileNumber",
        "filmNumber", "items", "size", "isXBRL", "isInlineXBRL", "primaryDocument", "primaryDocDescription")}  # fmt: skip
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
        "cik": str(company.cik), "entityType": "operating", "sic": "7372", "sicDescription": "Services-Prepackaged Software",
        "insiderTransactionForOwnerExists": 0, "insiderTransactionForIssuerExists": 1, "name": company.title,
        "tickers": list(company.tickers), "exchanges": [company.exchange] * len(company.tickers), "ein": "",
        "description": "", "website": "", "investorWebsite": "", "category": "Large accelerated filer",
        "fiscalYearEnd": f"{month_end(2025, company.fye_month):%m%d}", "stateOfIncorporation": "DE",
        "stateOfIncorporationDescription": "DE", "addresses": {}, "phone": "", "flags": "", "formerNames": [],
        "filings": {"recent": recent, "files": []},
    }  # fmt: skip


def tickers_json(all_companies: list[Company]) -> dict:
    """company_tickers.json: {"0": {"cik_str", "ticker", "title"}, ...} in the given order."""
    rows = [(c.cik, t, c.title) for c in all_companies for t in c.tickers]
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
        " ", " ", " ",
        f"{'Form Type':<12}{'Company Name':<62}{'CIK':<12}{'Date Filed':<12}File Name",
        "-" * 141,
    ]  # fmt: skip
    for form, name, cik, accn in sorted(rows):
        lines.append(f"{form:<12}{name:<62}{cik:<12}{day:%Y%m%d}    edgar/data/{cik}/{accn}.txt")
    return "\n".join(lines) + "\n"


def expected_ttm(company: Company, as_of: dt.date) -> dict:
    """The TTM figures and share count the company's filings imply on `as_of` (the four
    latest quarters known then, a restatement counted from its filing)."""
    known = [q for q in company.quarters if q.filed and q.filed <= as_of]
    last = known[-4:]
    if not company.us_gaap or len(last) < 4:
        result = dict.fromkeys(
            ("net_income", "eps_diluted", "revenue", "operating_income", "interest_expense")
        )
    else:
        result = {}
        for key in last[0].values:
            total = sum(_values(q, as_of)[key] for q in last)
            result[key] = round(total, 6) if key == "eps_diluted" else float(total)
    reports = [f for f in company.filings if f.filed <= as_of and f.form in ("10-Q", "10-K")]
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
fiscal year ends; ten IWM members of `ishares/` are added. All figures are invented:
10-Qs carry 3-month and year-to-date facts, 10-Ks annual ones; two companies lose money, one
has no us-gaap facts, one restates fiscal 2024 Q3 by a 10-Q/A filed {restated}. The server
answers 403 to a User-Agent without an e-mail contact, as SEC does.
"""


def readme() -> str:
    return README.format(first=INDEX_DAYS[0], end=INDEX_DAYS[1], restated=RESTATED_FILED)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write (e.g. include/replay)")
    written = generate_sec(parser.parse_args(argv).out_dir)
    print(f"wrote {len(written)} files")


if __name__ == "__main__":
    main()
