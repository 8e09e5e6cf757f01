"""The Federal Reserve and FRED clients: feed, calendars, statement pages, FRED CSV."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from devtools.replay.generate_fed import generate_fed, meetings, statement
from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable, UnknownSymbol
from rotation_radar.sources import Fetched, fed, fred

D = dt.date
SITE = "https://www.federalreserve.gov"


# ------------------------------------------------------------------ links


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        (
            f"{SITE}/newsevents/pressreleases/monetary20250917a.htm",
            None,
            "/newsevents/pressreleases/monetary20250917a.htm",
        ),
        (
            "http://federalreserve.gov/feeds/press_monetary.xml#top",
            None,
            "/feeds/press_monetary.xml",
        ),
        (
            "//www.federalreserve.gov/monetarypolicy/fomccalendars.htm",
            None,
            "/monetarypolicy/fomccalendars.htm",
        ),
        (
            "/monetarypolicy/fomcminutes20250730.htm",
            None,
            "/monetarypolicy/fomcminutes20250730.htm",
        ),
        (f"  {SITE}/search.htm?q=fomc&x=1  ", None, "/search.htm?q=fomc&x=1"),
        (
            "monetary20250917a1.htm",
            "/newsevents/pressreleases/monetary20250917a.htm",
            "/newsevents/pressreleases/monetary20250917a1.htm",
        ),
        ("../monetarypolicy/fomc.htm", "/newsevents/pressreleases.htm", "/monetarypolicy/fomc.htm"),
        (SITE, None, "/"),
    ],
)
def test_link_path(url, base, expected):
    assert fed.link_path(url, base) == expected


def test_statement_path_and_back():
    assert fed.statement_path(D(2025, 9, 17)) == "/newsevents/pressreleases/monetary20250917a.htm"
    assert fed.statement_date(f"{SITE}/newsevents/pressreleases/monetary20200315a.htm") == D(
        2020, 3, 15
    )
    assert fed.statement_date("/newsevents/pressreleases/monetary20250917a1.htm") is None
    assert fed.statement_date("/newsevents/pressreleases/monetary20251399a.htm") is None
    assert fed.historical_path(2019) == "/monetarypolicy/fomchistorical2019.htm"


# ------------------------------------------------------------------ feed


def rss(items: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>FRB: Press Release - Monetary Policy</title><link>{SITE}/feeds/press_monetary.htm</link>
{items}</channel></rss>""".encode()


def item(title: str, link: str, pub: str = "Wed, 17 Sep 2025 18:00:00 GMT") -> str:
    return f"<item><title>{title}</title><link>{link}</link><guid>{link}</guid><pubDate>{pub}</pubDate></item>\n"


def test_feed_items_statement_or_other():
    body = rss(
        item(
            "Federal Reserve issues FOMC statement",
            f"{SITE}/newsevents/pressreleases/monetary20250917a.htm",
        )
        + item(
            "Federal Reserve Board and Federal Open Market Committee release economic projections",
            f"{SITE}/newsevents/pressreleases/monetary20250917b.htm",
        )
        # A statement-shaped link whose title is not a statement: discount-rate minutes.
        + item(
            "Minutes of the Board&#8217;s discount rate meetings on July 21 and July 30, 2025",
            f"{SITE}/newsevents/pressreleases/monetary20250826a.htm",
            "Tue, 26 Aug 2025 16:30:00 -0400",
        )
        + item(
            "Minutes of the Federal Open Market Committee, July 29-30, 2025",
            "/monetarypolicy/fomcminutes20250730.htm",
            "Wed, 20 Aug 2025 14:00:00 EDT",
        )
        + item(
            "FOMC statement",
            f"{SITE}/newsevents/pressreleases/monetary20250730a.htm",
            "30 Jul 2025 18:00:00 -0000",
        )
        + item("Something new the Board publishes", f"{SITE}/newsevents/other/new.htm?id=3")
    )
    items = fed.parse_feed(body, fed.FEED_PATH)
    assert [(i.kind, i.path) for i in items] == [
        ("statement", "/newsevents/pressreleases/monetary20250917a.htm"),
        ("other", "/newsevents/pressreleases/monetary20250917b.htm"),
        ("other", "/newsevents/pressreleases/monetary20250826a.htm"),
        ("other", "/monetarypolicy/fomcminutes20250730.htm"),
        ("statement", "/newsevents/pressreleases/monetary20250730a.htm"),
        ("other", "/newsevents/other/new.htm?id=3"),
    ]
    assert items[0].published == dt.datetime(2025, 9, 17, 18, 0, tzinfo=dt.UTC)
    assert items[2].published == dt.datetime(2025, 8, 26, 20, 30, tzinfo=dt.UTC)
    assert items[3].published == dt.datetime(2025, 8, 20, 18, 0, tzinfo=dt.UTC)
    assert items[4].published.tzinfo == dt.UTC
    assert items[2].title.startswith("Minutes of the Board\u2019s")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<rss><channel><item><title>cut off", "malformed XML"),
        (b"<html><body>Maintenance</body></html>", "not an RSS 2.0 feed"),
        (
            rss(
                "<item><title>No link</title><pubDate>Wed, 17 Sep 2025 18:00:00 GMT</pubDate></item>"
            ),
            "has no link",
        ),
        (
            rss(item("Federal Reserve issues FOMC statement", "/x.htm", "yesterday")),
            "no readable pubDate",
        ),
    ],
)
def test_feed_errors_name_the_feed(body, message):
    with pytest.raises(SourceError) as err:
        fed.parse_feed(body, "/feeds/press_all.xml")
    assert "feed /feeds/press_all.xml:" in str(err.value) and message in str(err.value)


def test_empty_feed_is_no_error():
    assert fed.parse_feed(rss(""), fed.FEED_PATH) == []


# ------------------------------------------------------------------ calendars

CALENDAR = f"""<html><head><title>Federal Reserve Board - Meeting calendars</title></head><body>
<div id="article">
<div class="panel panel-default"><div class="panel-heading"><h4><a id="2025">2025 FOMC Meetings</a></h4></div>
<div class="row fomc-meeting">
<div class="fomc-meeting__month col-xs-5"><strong>September</strong></div>
<div class="fomc-meeting__date col-xs-4">16-17*</div>
<div class="col-xs-12"><strong>Statement:</strong><br><a href="/monetarypolicy/files/monetary20250917a1.pdf">PDF</a> |
<a href="{SITE}/newsevents/pressreleases/monetary20250917a.htm">HTML</a><br>
<a href="/newsevents/pressreleases/monetary20250917a1.htm">Implementation Note</a></div>
</div>
<div class="row fomc-meeting">
<div class="fomc-meeting__month col-xs-5"><strong>October</strong></div>
<div class="fomc-meeting__date col-xs-4">28-29</div>
<div class="col-xs-12"></div>
</div>
</div>
<div class="panel panel-default"><div class="panel-heading"><h4>2023 FOMC Meetings</h4></div>
<div class="row fomc-meeting">
<div class="fomc-meeting__month"><strong>Jan/Feb</strong></div>
<div class="fomc-meeting__date">31-1</div>
<div class="col-xs-12"><a href="/newsevents/pressreleases/monetary20230201a.htm">HTML</a></div>
</div>
<div class="row fomc-meeting">
<div class="fomc-meeting__month"><strong>March</strong></div>
<div class="fomc-meeting__date">10 (unscheduled)</div>
<div class="col-xs-12"></div>
</div>
</div>
<div class="panel panel-default"><div class="panel-heading"><h4>Related</h4></div><p>no meetings here</p></div>
</div></body></html>""".encode()

HISTORICAL = b"""<html><head><title>Federal Reserve Board - FOMC 2020</title></head><body>
<div id="article"><div class="page-header"><h3>2020 FOMC Meetings</h3></div>
<div class="panel panel-default"><div class="panel-heading"><h5>January 28-29 Meeting</h5></div>
<div class="panel-body"><p><a href="/newsevents/pressreleases/monetary20200129a.htm">HTML</a></p></div></div>
<div class="panel panel-default"><div class="panel-heading"><h5>March 15 Unscheduled Meeting</h5></div>
<div class="panel-body"><p><a href="https://www.federalreserve.gov/newsevents/pressreleases/monetary20200315a.htm">HTML</a></p></div></div>
<div class="panel panel-default"><div class="panel-heading"><h5>June 9-10 Meeting</h5></div>
<div class="panel-body"><p><a href="/newsevents/pressreleases/monetary20200610a.htm">HTML</a></p>
<p><a href="/monetarypolicy/fomcprojtabl20200610.htm">Projection Materials</a></p></div></div>
<div class="panel panel-default"><div class="panel-heading"><h5>Apr/May 30-1 Meeting</h5></div>
<div class="panel-body"></div></div>
<div class="panel panel-default"><div class="panel-heading"><h5>October 4 Conference Call</h5></div>
<div class="panel-body"><p>Minutes are in the next meeting's minutes.</p></div></div>
</div></body></html>"""


def test_calendar_page_meetings():
    got = fed.parse_calendar(CALENDAR, fed.CALENDAR_PATH)
    assert got == [
        fed.Meeting(
            2025,
            "September",
            "16-17",
            D(2025, 9, 17),
            True,
            "/newsevents/pressreleases/monetary20250917a.htm",
            starred=True,
        ),
        fed.Meeting(2025, "October", "28-29", D(2025, 10, 29), False, None),
        fed.Meeting(
            2023,
            "Jan/Feb",
            "31-1",
            D(2023, 2, 1),
            False,
            "/newsevents/pressreleases/monetary20230201a.htm",
        ),
        fed.Meeting(2023, "March", "10", D(2023, 3, 10), False, None, unscheduled=True),
    ]


def test_historical_page_meetings():
    got = fed.parse_calendar(HISTORICAL, fed.historical_path(2020))
    assert [(m.month, m.days, m.last_day, m.projections, m.unscheduled) for m in got] == [
        ("January", "28-29", D(2020, 1, 29), False, False),
        ("March", "15", D(2020, 3, 15), False, True),
        ("June", "9-10", D(2020, 6, 10), True, False),
        ("Apr/May", "30-1", D(2020, 5, 1), False, False),
        ("October", "4", D(2020, 10, 4), False, True),
    ]
    assert got[1].statement_path == "/newsevents/pressreleases/monetary20200315a.htm"
    assert got[3].statement_path is None and got[4].statement_path is None
    assert {m.year for m in got} == {2020}
    # year_hint wins over the page's own heading
    got = fed.parse_calendar(HISTORICAL, fed.historical_path(2020), year_hint=2021)
    assert {m.year for m in got} == {2021}


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><div id='article'><p>Redesigned page</p></div></body></html>",
        CALENDAR.replace(b"16-17*", b"sixteenth"),
        CALENDAR.replace(b"2025 FOMC Meetings", b"FOMC Meetings"),
    ],
)
def test_calendar_errors_name_the_page(body):
    with pytest.raises(SourceError, match="fomccalendars.htm"):
        fed.parse_calendar(body, fed.CALENDAR_PATH)


def test_historical_page_errors_name_that_page():
    empty = b"<html><body><h3>2019 FOMC Meetings</h3><p>Redesigned page</p></body></html>"
    with pytest.raises(SourceError) as err:
        fed.parse_calendar(empty, fed.historical_path(2019), 2019)
    page = "/monetarypolicy/fomchistorical2019.htm"
    assert str(err.value) == f"FOMC calendar {page}: no meetings found (page layout changed?)"
    assert "fomccalendars.htm" not in str(err.value)


# ------------------------------------------------------------------ statement pages

STATEMENT_PATH = "/newsevents/pressreleases/monetary20250917a.htm"


def statement_html(
    paragraphs: str, date: str = '<p class="article__time">September 17, 2025</p>'
) -> str:
    return f"""<!DOCTYPE html><html><head><title>Federal Reserve Board - Federal Reserve issues FOMC statement</title>
<script>var s = "<p>not text</p>";</script></head><body>
<div id="header"><p>The Federal Reserve, the central bank of the United States</p></div>
<nav><ul><li><a href="/monetarypolicy.htm">Monetary Policy</a></li></ul></nav>
<div id="content"><div id="article">
<div class="heading col-xs-12 col-sm-8 col-md-8">
{date}
<h3 class="title"><em>Federal Reserve issues FOMC statement</em></h3>
<p class="releaseTime">For release at 2:00 p.m. EDT</p>
<div class="shareDL"><p><a href="/x.pdf">PDF</a></p></div>
</div>
<div class="col-xs-12 col-sm-8 col-md-8">
{paragraphs}
</div>
<div class="col-xs-12 col-sm-4 col-md-4"><p>Related information</p></div>
</div></div>
<footer><p class="lastUpdate">Last Update: September 17, 2025</p></footer></body></html>"""


PARAGRAPHS = """<p>Recent indicators suggest that growth of economic activity
   moderated in the first half of the year. Inflation has moved up and remains somewhat elevated.</p>
<p>In support of its goals, the Committee decided to lower the target range for the federal funds rate by
1/4&nbsp;percentage point to 4 to 4&#8209;1/4 percent. The Committee&rsquo;s assessments continue.</p>
<p>Voting against this action was Stephen I. Miran, who preferred to lower the target range by 1/2 percentage point.</p>
<p><a href="/newsevents/pressreleases/monetary20250917a1.htm">Implementation Note issued September 17, 2025</a></p>
<p>For media inquiries, please email <a href="mailto:media@frb.gov">media@frb.gov</a> or call 202-452-2955.</p>
<p>A stray paragraph after the contact line.</p>"""


def test_statement_page_text_without_chrome():
    page = fed.parse_statement_page(statement_html(PARAGRAPHS).encode(), STATEMENT_PATH)
    assert page.release_date == D(2025, 9, 17)
    assert page.title == "Federal Reserve issues FOMC statement"
    assert page.text == (
        "Recent indicators suggest that growth of economic activity moderated in the first half of "
        "the year. Inflation has moved up and remains somewhat elevated.\n\n"
        "In support of its goals, the Committee decided to lower the target range for the federal "
        "funds rate by 1/4 percentage point to 4 to 4\u20111/4 percent. The Committee\u2019s "
        "assessments continue.\n\n"
        "Voting against this action was Stephen I. Miran, who preferred to lower the target range "
        "by 1/2 percentage point."
    )
    for chrome in (
        "media",
        "202-452",
        "Implementation Note",
        "For release",
        "Related",
        "not text",
        "Last Update",
    ):
        assert chrome not in page.text


def test_statement_page_note_link_written_differently():
    paragraphs = PARAGRAPHS.replace(
        "Implementation Note issued September 17, 2025",
        "Implementation&nbsp;Note issued September&nbsp;17",
    ).replace("For media inquiries, please email", "Media inquiries: email")
    page = fed.parse_statement_page(statement_html(paragraphs).encode(), STATEMENT_PATH)
    assert page.text.count("\n\n") == 2 and "Note" not in page.text and "media" not in page.text


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html><body><p>Page not found</p></body></html>", "no div#article"),
        (statement_html("").encode(), "no statement"),
        (statement_html("<p>For media inquiries, call.</p>").encode(), "no statement"),
        (statement_html(PARAGRAPHS, date="").encode(), "no release date"),
        (
            statement_html(PARAGRAPHS, date='<p class="article__time">Yesterday</p>').encode(),
            "unreadable release date",
        ),
        # Cut off inside the statement: the article and its paragraph are unterminated.
        (
            statement_html(PARAGRAPHS).encode()[
                : statement_html(PARAGRAPHS).encode().index(b"1/4&nbsp;")
            ],
            "truncated",
        ),
        # Cut off right after the last statement paragraph: still truncated.
        (statement_html(PARAGRAPHS).encode().split(b'<p><a href="/newsevents')[0], "truncated"),
    ],
)
def test_statement_page_errors_name_the_path(body, message):
    with pytest.raises(SourceError) as err:
        fed.parse_statement_page(body, STATEMENT_PATH)
    assert STATEMENT_PATH in str(err.value) and message in str(err.value)


# ------------------------------------------------------------------ generated pages


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("fed")
    generate_fed(out)
    return out / "fed"


def test_every_generated_statement_reads_back(site):
    for m in meetings():
        if not m.has_statement:
            continue
        page = fed.parse_statement_page(
            (site / m.statement_path.lstrip("/")).read_bytes(), m.statement_path
        )
        assert page.release_date == m.release
        assert page.text == "\n\n".join(statement(m))
        assert "\xa0" not in page.text and "Implementation Note" not in page.text


def test_generated_story_of_2025_09_17(site):
    def text(day: str) -> str:
        path = fed.statement_path(D.fromisoformat(day))
        return fed.parse_statement_page((site / path.lstrip("/")).read_bytes(), path).text

    before, after = text("2025-07-30"), text("2025-09-17")
    assert "labor market conditions remain solid" in before
    assert "labor market conditions remain solid" not in after
    assert "downside risks to employment have risen" in after
    assert (
        "lower the target range for the federal funds rate by 1/4 percentage point to 4 to 4\u20111/4 percent"
        in after
    )
    assert "Voting against this action was Stephen I. Miran" in after
    assert (
        "to 0 to 1/4 percent." in text("2020-03-15")
        and " by " not in text("2020-03-15").split("decided")[1][:60]
    )
    assert "were 11 members of the Committee." in text("2021-04-28")


def test_generated_calendars_link_every_statement(site):
    calendar = fed.parse_calendar(
        (site / "monetarypolicy/fomccalendars.htm").read_bytes(), fed.CALENDAR_PATH
    )
    historical = [
        m
        for year in (2019, 2020)
        for m in fed.parse_calendar(
            (site / f"monetarypolicy/fomchistorical{year}.htm").read_bytes(),
            fed.historical_path(year),
        )
    ]
    linked = sorted(m.statement_path for m in calendar + historical if m.statement_path)
    assert linked == sorted(m.statement_path for m in meetings() if m.has_statement)
    assert {m.year for m in calendar} == {2021, 2022, 2023, 2024, 2025}
    assert [m.statement_path for m in calendar if m.year == 2025][-2:] == [None, None]  # Oct, Dec
    sep = next(m for m in calendar if m.last_day == D(2025, 9, 17))
    assert sep.projections and sep.days == "16-17"
    march = [m for m in historical if m.month == "March" and m.year == 2020]
    assert [(m.days, m.unscheduled) for m in march] == [("3", True), ("15", True), ("23", True)]
    assert all(
        m.last_day == fed.statement_date(m.statement_path)
        for m in calendar + historical
        if m.statement_path
    )


def test_generated_feed(site):
    items = fed.parse_feed((site / "feeds/press_monetary.xml").read_bytes(), fed.FEED_PATH)
    assert 12 <= len(items) <= 20
    statements = [i for i in items if i.kind == "statement"]
    assert statements[0].path == fed.statement_path(D(2025, 9, 17))
    assert statements[0].published == dt.datetime(2025, 9, 17, 18, 0, tzinfo=dt.UTC)
    assert {i.kind for i in items} == {"statement", "other"}
    assert any("discount rate" in i.title for i in items if i.kind == "other")
    assert all(i.path.startswith("/") for i in items)
    assert items == sorted(items, key=lambda i: i.published, reverse=True)


# ------------------------------------------------------------------ HTTP status


def answer(
    status: int, symbol: str = "/feeds/press_monetary.xml", source: str = "federal_reserve"
) -> Fetched:
    return Fetched(source, symbol, f"http://replay{symbol}", status, {}, b"")


HTTP = HttpSource("federal_reserve", "http://127.0.0.1:9", retries=3)


@pytest.mark.parametrize("status", [200, 304])
def test_fed_status_ok(status):
    fed.check_status(answer(status), HTTP)


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (429, SourceUnavailable, "HTTP 429 after 3 retries"),
        (503, SourceUnavailable, "HTTP 503"),
        (404, SourceError, "HTTP 404"),
        (403, SourceError, "HTTP 403"),
    ],
)
def test_fed_status_errors_name_the_path(status, error, message):
    with pytest.raises(error) as err:
        fed.check_status(answer(status, STATEMENT_PATH), HTTP)
    assert STATEMENT_PATH in str(err.value) and message in str(err.value)


def test_fred_status():
    fred.check_status(answer(200, "DGS2", "fred"), HTTP)
    with pytest.raises(UnknownSymbol, match="NOPE"):
        fred.check_status(answer(404, "NOPE", "fred"), HTTP)
    with pytest.raises(SourceUnavailable, match="DGS2.*HTTP 500"):
        fred.check_status(answer(500, "DGS2", "fred"), HTTP)


# ------------------------------------------------------------------ FRED


@pytest.mark.parametrize(
    "body",
    [
        b"DATE,DFEDTARU\n2025-09-17,4.50\n2025-09-18,4.25\n2025-09-19,.\n",
        b"observation_date,DFEDTARU\r\n2025-09-17,4.50\r\n2025-09-18,4.25\r\n2025-09-19,.\r\n",
        "\ufeffobservation_date,DFEDTARU\n9/17/2025,4.5\n9/18/2025,4.25\n9/19/2025,\n".encode(),
    ],
)
def test_fred_both_headers_dates_and_missing(body):
    frame = fred.parse(body, "DFEDTARU")
    assert list(frame.columns) == ["date", "value"]
    assert list(frame["date"]) == [D(2025, 9, 17), D(2025, 9, 18), D(2025, 9, 19)]
    assert all(type(d) is dt.date for d in frame["date"])
    assert str(frame["value"].dtype) == "float64"
    assert frame["value"].iloc[:2].tolist() == [4.5, 4.25] and math.isnan(frame["value"].iloc[2])


def test_fred_header_only_is_empty():
    frame = fred.parse(b"observation_date,DGS10\n", "DGS10")
    assert frame.empty and list(frame.columns) == ["date", "value"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty answer"),
        (b"<!DOCTYPE html><html><title>Error - Series Not Found</title></html>", "unreadable CSV"),
        (b"DATE,DGS2\n2025-09-17,3.54\n", "value column is 'DGS2'"),
        (b"DATE\n2025-09-17\n", "unreadable CSV"),
        (b"DATE,DGS10\n17.09.2025,4.06\n", "unreadable date"),
        (b"DATE,DGS10\n2025-09-17,n/a\n", "unreadable value"),
        (b"DATE,DGS10\n2025-09-17\n", "has 1 field"),
    ],
)
def test_fred_bad_csv_names_the_series(body, message):
    with pytest.raises(SourceError) as err:
        fred.parse(body, "DGS10")
    assert "DGS10" in str(err.value) and message in str(err.value)
