"""The SEC EDGAR client: tickers, daily form index, companyfacts, the
User-Agent rule, and the replay's SEC files served over real HTTP."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from devtools.replay import generate_sec as gen
from devtools.replay.server import ReplayServer
from rotation_radar.core.symbols import to_sec
from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable, UnknownSymbol
from rotation_radar.earnings import fundamentals
from rotation_radar.sources import Fetched, sec

D = dt.date
UA = "Rotation Radar Tests ops@rotation-radar.example"

# ------------------------------------------------------------------ parsing


def test_tickers_share_classes_and_brk_b():
    body = json.dumps(
        {
            "0": {"cik_str": 1652044, "ticker": "GOOGL", "title": "Alphabet Inc."},
            "1": {"cik_str": 1067983, "ticker": "BRK-B", "title": "BERKSHIRE HATHAWAY INC"},
            "2": {"cik_str": 1652044, "ticker": "GOOG", "title": "Alphabet Inc."},
            "3": {"cik_str": 320193, "ticker": "aapl", "title": "Apple Inc."},
        }
    ).encode()
    frame = sec.parse_tickers(body)
    assert list(frame.columns) == ["cik", "ticker", "title"]
    assert frame["cik"].dtype == "int64"
    by_ticker = frame.set_index("ticker")["cik"].to_dict()
    assert by_ticker == {"GOOGL": 1652044, "BRK-B": 1067983, "GOOG": 1652044, "AAPL": 320193}
    assert by_ticker[to_sec("BRK.B")] == 1067983  # one symbol map spells it as SEC does


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>blocked</html>", "not JSON"),
        (b"[1, 2]", "numbered entries"),
        (b'{"0": {"ticker": "AAPL"}}', "entry '0'"),
    ],
)
def test_tickers_errors_name_the_file(body, message):
    with pytest.raises(SourceError, match="company_tickers.json") as info:
        sec.parse_tickers(body)
    assert message in str(info.value)


# A fixed-width EDGAR daily index; each table line is split where the CIK column starts
INDEX = (
    "Description:           Daily Index of EDGAR Dissemination Feed by Form Type\n"
    "Last Data Received:    September 17, 2025\n"
    "Comments:              webmaster@sec.gov\n"
    "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n"
    " \n"
    " \n"
    " \n"
    "Form Type   Company Name                                                  "
    "CIK         Date Filed  File Name\n"
    f"{'-' * 141}\n"
    "10-K/A      SMALL CO INC                                                  "
    "1873501     20250917    edgar/data/1873501/0001193125-25-000101.txt\n"
    "10-Q        APPLE INC.                                                    "
    "320193      20250917    edgar/data/320193/0000320193-25-000073.txt\n"
    "8-K         ALPHABET INC.                                                 "
    "1652044     20250917    edgar/data/1652044/0001652044-25-000088.txt\n"
    "SC 13G/A    VANGUARD GROUP INC                                            "
    "102909      20250917    edgar/data/102909/0000102909-25-004211.txt\n"
    "4           A VERY LONG REPORTING OWNER NAME THAT RUNS PAST THE COLUMN WIDTH OF SIXTY TWO "
    "1790011     20250917    edgar/data/1790011/0001790011-25-000002.txt\n"
)


def test_daily_index_fixed_width():
    frame = sec.parse_daily_index(INDEX.encode(), D(2025, 9, 17))
    assert list(frame.columns) == ["form_type", "company", "cik", "date_filed", "file_name"]
    assert frame["form_type"].tolist() == ["10-K/A", "10-Q", "8-K", "SC 13G/A", "4"]
    assert frame.loc[1, "company"] == "APPLE INC."
    assert frame["cik"].tolist() == [1873501, 320193, 1652044, 102909, 1790011]
    assert set(frame["date_filed"]) == {D(2025, 9, 17)}
    assert frame.loc[4, "company"].startswith("A VERY LONG") and frame.loc[4, "company"].endswith(
        "TWO"
    )
    assert frame.loc[2, "file_name"] == "edgar/data/1652044/0001652044-25-000088.txt"


def test_daily_index_header_only_is_empty_and_garbage_names_the_day():
    header = INDEX.split("10-K/A")[0]
    assert sec.parse_daily_index(header.encode()).empty
    with pytest.raises(SourceError, match="daily index 2025-09-17"):
        sec.parse_daily_index(b"<html>not an index</html>", D(2025, 9, 17))
    with pytest.raises(SourceError, match="line 10"):
        sec.parse_daily_index((header + "10-Q   garbled line\n").encode(), D(2025, 9, 17))


def test_cik_key():
    assert sec.cik_key(320193) == "CIK0000320193"
    assert sec.cik_key("CIK0001652044") == "CIK0001652044"
    with pytest.raises(SourceError, match="not a CIK"):
        sec.cik_key("AAPL")


def test_daily_index_path_quarter():
    assert (
        sec.daily_index_path(D(2025, 9, 17))
        == "/Archives/edgar/daily-index/2025/QTR3/form.20250917.idx"
    )
    assert (
        sec.daily_index_path(D(2025, 1, 2))
        == "/Archives/edgar/daily-index/2025/QTR1/form.20250102.idx"
    )


# ------------------------------------------------------------------ User-Agent and status


@pytest.mark.parametrize(
    "agent", ["rotation-radar/0.1", "Mozilla/5.0", "Name at example dot com", ""]
)
def test_user_agent_without_contact_is_refused(agent):
    http = HttpSource("sec_edgar", "http://127.0.0.1:9", user_agent=agent, retries=0)
    with pytest.raises(SourceError, match="contact e-mail.*sec_edgar"):
        sec.fetch_companyfacts(http, 320193)


def fetched(status: int, symbol: str = "CIK0000320193") -> Fetched:
    return Fetched(sec.SOURCE, symbol, "http://x", status, {}, b"")


def test_check_status():
    http = HttpSource("sec_edgar", "http://x", user_agent=UA, retries=3)
    assert sec.check_status(fetched(200), http) is True
    assert sec.check_status(fetched(404, "daily-index 2025-09-06"), http) is False
    with pytest.raises(SourceError, match="User-Agent") as info:
        sec.check_status(fetched(403), http)
    assert not isinstance(info.value, SourceUnavailable)
    for status in (429, 503):
        with pytest.raises(SourceUnavailable, match=f"HTTP {status} after 3 retries"):
            sec.check_status(fetched(status), http)
    with pytest.raises(UnknownSymbol, match="CIK0000320193"):
        sec.check_status(fetched(404), http)


def test_sources_from_connection_cap_the_rate():
    data, www = sec.sources_from_connection(
        "https://data.sec.gov",
        {"user_agent": UA, "www_base_url": "https://www.sec.gov", "requests_per_second": 50},
    )
    assert (data.base_url, www.base_url) == ("https://data.sec.gov", "https://www.sec.gov")
    assert data.user_agent == www.user_agent == UA
    # one limiter for both hosts: together never more than SEC's 10 requests per second
    assert data.requests_per_second == www.requests_per_second == 10
    assert data._limiter is www._limiter and data._limiter.interval == pytest.approx(0.1)


# ------------------------------------------------------------------ replay files over HTTP


@pytest.fixture(scope="module")
def replay(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("replay")
    gen.generate_sec(root)
    return root


@pytest.fixture
def server(replay):
    with ReplayServer(replay) as running:
        yield running


def http_for(server, agent: str = UA) -> HttpSource:
    return HttpSource("sec_edgar", server.url, user_agent=agent, retries=3, backoff_factor=0)


def test_server_403_without_contact_gives_the_clear_error(server):
    http = http_for(server, "python-requests/2.32")
    answer = http.get("/api/xbrl/companyfacts/CIK0000320193.json")
    assert answer.status_code == 403 and b"Undeclared Automated Tool" in answer.content
    # The client refuses before asking; past the guard, the 403 reads as the User-Agent rule.
    with pytest.raises(SourceError, match="contact e-mail"):
        sec.fetch_companyfacts(http, 320193)
    blocked = Fetched.from_response(sec.SOURCE, "CIK0000320193", answer)
    with pytest.raises(SourceError, match="requires a User-Agent"):
        sec.check_status(blocked, http)


def test_tickers_and_companyfacts_through_the_server(server):
    http = http_for(server)
    got = sec.fetch_tickers(http)
    assert sec.check_status(got, http)
    tickers = sec.parse_tickers(got.body)
    ciks = tickers.set_index("ticker")["cik"]
    assert ciks["GOOG"] == ciks["GOOGL"] == 1652044
    assert ciks["BRK-B"] == 1067983 and ciks["AAPL"] == 320193
    facts = sec.fetch_companyfacts(http, ciks["AAPL"])
    assert sec.check_status(facts, http)
    doc = sec.parse_companyfacts(facts.body, 320193)
    assert doc["cik"] == 320193 and "NetIncomeLoss" in doc["facts"]["us-gaap"]
    assert server.requests[-1]["path"] == "/api/xbrl/companyfacts/CIK0000320193.json"


def test_429_then_success_through_retries(server):
    http = http_for(server)
    server.inject("/api/xbrl/companyfacts/", [429, 503], retry_after=0)
    got = sec.fetch_companyfacts(http, 320193)
    assert sec.check_status(got, http)
    assert [r["status"] for r in server.requests] == [429, 503, 200]
    assert sec.parse_companyfacts(got.body, 320193)["cik"] == 320193


def test_429_every_time_is_unavailable(server):
    http = http_for(server)
    server.inject("/api/xbrl/companyfacts/", [429] * 4, retry_after=0)
    got = sec.fetch_companyfacts(http, 320193)
    with pytest.raises(SourceUnavailable, match="CIK0000320193.*HTTP 429 after 3 retries"):
        sec.check_status(got, http)


def test_unknown_cik_is_404_naming_it(server):
    http = http_for(server)
    got = sec.fetch_companyfacts(http, 9999999)
    assert got.status == 404 and b"NoSuchKey" in got.body
    with pytest.raises(UnknownSymbol, match="CIK0009999999"):
        sec.check_status(got, http)


def test_daily_index_through_the_server(server):
    http = http_for(server)
    saturday = sec.fetch_daily_index(http, D(2025, 9, 13))
    assert saturday.status == 404 and sec.check_status(saturday, http) is False
    assert sec.check_status(sec.fetch_daily_index(http, D(2025, 9, 1)), http) is False  # Labor Day
    ours = {c.cik: c for c in gen.companies()}
    days = [D(2025, 9, d) for d in range(2, 20) if D(2025, 9, d).weekday() < 5]
    reports = []
    for day in days:
        got = sec.fetch_daily_index(http, day)
        assert sec.check_status(got, http), day
        frame = sec.parse_daily_index(got.body, day)
        assert set(frame["date_filed"]) == {day}
        reports.append(frame[frame["cik"].isin(set(ours))])
    found = pd.concat(reports)
    # The two October-year small caps file their 10-Qs for the quarter to July 31, and the
    # SEPTEMBER_FILERS their 10-Qs or 10-Ks for the quarter or year to June or July.
    tenq = found[found["form_type"] == "10-Q"]
    october = {c for c in tenq["cik"] if ours[c].fye_month == 10}
    assert len(october) == 2
    september = {c.cik for c in ours.values() if c.tickers[0] in gen.SEPTEMBER_FILERS}
    reports = found[found["form_type"].isin(["10-Q", "10-K"])]
    assert set(reports["cik"]) == october | september and len(reports) == 6


# ------------------------------------------------------------------ generated facts


def test_company_without_us_gaap_has_an_empty_facts_frame(replay):
    cik = gen.SMALL_CIKS[gen.NO_US_GAAP]
    doc = json.loads(
        (replay / "sec" / "api" / "xbrl" / "companyfacts" / f"CIK{cik:010d}.json").read_text()
    )
    assert "us-gaap" not in doc["facts"]
    facts = fundamentals.facts_frame(doc)
    assert facts[facts["metric"] != "shares_outstanding"].empty
    assert list(facts.columns) == fundamentals.COLUMNS
    result = fundamentals.ttm_fundamentals(doc, D(2025, 9, 19))
    assert result["net_income"] is None and result["shares_outstanding"] > 0


def test_generator_is_deterministic(replay, tmp_path):
    gen.generate_sec(tmp_path)

    def digests(root: Path) -> dict[str, str]:
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "sec").rglob("*"))
            if p.is_file()
        }

    first, second = digests(replay), digests(tmp_path)
    assert first == second and len(first) > 30


def test_companyfacts_true_shape(replay):
    doc = json.loads(
        (replay / "sec" / "api" / "xbrl" / "companyfacts" / "CIK0001652044.json").read_text()
    )
    assert doc["entityName"] == "Alphabet Inc."
    usd = doc["facts"]["us-gaap"]["NetIncomeLoss"]["units"]["USD"]
    assert set(usd[0]) >= {"start", "end", "val", "accn", "fy", "fp", "form", "filed"}
    forms = {f["form"] for f in usd}
    assert forms == {"10-Q", "10-K"}
    days = {(D.fromisoformat(f["end"]) - D.fromisoformat(f["start"])).days // 30 for f in usd}
    assert {3, 6, 9, 12} <= days  # quarters, year-to-date and years
    assert all(f["form"] != "10-K" or f["fp"] == "FY" for f in usd)
    shares = doc["facts"]["dei"]["EntityCommonStockSharesOutstanding"]["units"]["shares"]
    assert len([f for f in shares if f["accn"] == shares[-1]["accn"]]) == 3  # three share classes
    assert "USD/shares" in doc["facts"]["us-gaap"]["EarningsPerShareDiluted"]["units"]


COMPANIES = {c.tickers[0]: c for c in gen.companies()}


@pytest.mark.parametrize("ticker", sorted(COMPANIES))
@pytest.mark.parametrize("as_of", [D(2024, 6, 28), D(2025, 1, 15), D(2025, 3, 14), D(2025, 9, 19)])
def test_ttm_of_generated_companyfacts(replay, ticker, as_of):
    company = COMPANIES[ticker]
    doc = json.loads(
        (
            replay / "sec" / "api" / "xbrl" / "companyfacts" / f"CIK{company.cik:010d}.json"
        ).read_text()
    )
    got = fundamentals.ttm_fundamentals(doc, as_of)
    expected = gen.expected_ttm(company, as_of)
    assert got.keys() == expected.keys()
    for metric, value in expected.items():
        assert got[metric] == (pytest.approx(value) if value is not None else None), metric


def test_restatement_counts_from_its_filing(replay):
    company = COMPANIES[
        next(t for t, c in COMPANIES.items() if c.cik == gen.SMALL_CIKS[gen.RESTATER])
    ]
    doc = json.loads(
        (
            replay / "sec" / "api" / "xbrl" / "companyfacts" / f"CIK{company.cik:010d}.json"
        ).read_text()
    )
    forms = {f["form"] for f in doc["facts"]["us-gaap"]["NetIncomeLoss"]["units"]["USD"]}
    assert "10-Q/A" in forms
    before = fundamentals.ttm_fundamentals(doc, gen.RESTATED_FILED - dt.timedelta(days=1))[
        "net_income"
    ]
    after = fundamentals.ttm_fundamentals(doc, gen.RESTATED_FILED)["net_income"]
    quarter = next(q for q in company.quarters if q.restated)
    assert after - before == pytest.approx(
        quarter.restated["net_income"] - quarter.values["net_income"]
    )
    assert after != before


def test_loss_makers_have_negative_ttm():
    losers = [
        c
        for c in COMPANIES.values()
        if c.cik in gen.SMALL_CIKS[gen.LOSS_MAKERS : gen.LOSS_MAKERS + 2]
    ]
    assert len(losers) == 2
    for company in losers:
        ttm = gen.expected_ttm(company, D(2025, 9, 19))
        assert ttm["net_income"] < 0 and ttm["eps_diluted"] < 0
