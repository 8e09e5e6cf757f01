"""Federal Reserve website: the monetary press-release RSS feed, the FOMC calendars, the
statement pages and the links to the projections (SEP) pages.

Every link found in a page or the feed is reduced to its path (`link_path`) and fetched
through the `federal_reserve` connection, so a replay server can stand in for the site.
Pages are parsed with the standard library's html.parser into a small tree; the
statement is the paragraphs of `div#article div.col-xs-12.col-sm-8.col-md-8`, without the
page chrome, the media-contact line and the link to the implementation note (a separate
page, `...a1.htm`).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable
from rotation_radar.sources import Fetched

SOURCE = "federal_reserve"
FEED_PATH = "/feeds/press_monetary.xml"
CALENDAR_PATH = "/monetarypolicy/fomccalendars.htm"
STATEMENT_PATH = re.compile(r"^/newsevents/pressreleases/monetary(\d{8})a\.htm$")
# The accessible Summary of Economic Projections page of a meeting; some older pages are
# spelled "fomcprojtable" (2022-03-16 on the real site).
PROJECTIONS_PATH = re.compile(r"^/monetarypolicy/fomcprojtable?(\d{8})\.htm$")
STATEMENT_TITLE = re.compile(r"\bFOMC statement\b", re.IGNORECASE)
STATEMENT_COLUMN = {"col-xs-12", "col-sm-8", "col-md-8"}
MONTHS = {
    name[:3].lower(): number
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        1,
    )
}


def historical_path(year: int) -> str:
    """The FOMC page of a year that has left the calendar page."""
    return f"/monetarypolicy/fomchistorical{year}.htm"


def statement_path(day: dt.date) -> str:
    """The path of the FOMC statement released on `day`."""
    return f"/newsevents/pressreleases/monetary{day:%Y%m%d}a.htm"


def statement_date(path: str) -> dt.date | None:
    """The release date in a statement path (`statement_path`'s inverse); None for other paths."""
    match = STATEMENT_PATH.match(link_path(path))
    if not match:
        return None
    try:
        return dt.datetime.strptime(match[1], "%Y%m%d").date()
    except ValueError:
        return None


def projections_path(day: dt.date, spelling: str = "fomcprojtabl") -> str:
    """The path of the accessible projections page of the meeting decided on `day`."""
    return f"/monetarypolicy/{spelling}{day:%Y%m%d}.htm"


def projections_date(path: str) -> dt.date | None:
    """The meeting date in a projections path (either spelling); None for other paths."""
    match = PROJECTIONS_PATH.match(link_path(path))
    if not match:
        return None
    try:
        return dt.datetime.strptime(match[1], "%Y%m%d").date()
    except ValueError:
        return None


def link_path(url: str, base: str | None = None) -> str:
    """An absolute or relative link reduced to path (+ query), resolved against `base`
    (the path of the page it was found on) when relative."""
    url = (url or "").strip()
    if base is not None:
        url = urljoin(base, url)
    parts = urlsplit(url)
    path = parts.path or "/"
    if not path.startswith("/"):
        path = "/" + path
    return f"{path}?{parts.query}" if parts.query else path


# ---------------------------------------------------------------- HTTP


def fetch(
    http: HttpSource, path: str, etag: str | None = None, last_modified: str | None = None
) -> Fetched:
    """GET a page or the feed through the connection; a 304 (unchanged since the ETag or
    Last-Modified given) is a normal answer."""
    path = link_path(path)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    response = http.get(path, what=path, headers=headers or None)
    return Fetched.from_response(SOURCE, path, response)


def check_status(fetched: Fetched, http: HttpSource) -> None:
    """Raise the error a final answer other than 200 or 304 means."""
    if fetched.status in (200, 304):
        return
    what = f"{fetched.symbol} from {SOURCE}"
    if fetched.status == 429 or fetched.status >= 500:
        raise SourceUnavailable(f"{what}: HTTP {fetched.status} after {http.retries} retries")
    if fetched.status == 404:
        raise SourceError(f"{what}: HTTP 404, no such page (a link reduced to a wrong path?)")
    raise SourceError(f"{what}: HTTP {fetched.status}")


# ---------------------------------------------------------------- RSS feed


@dataclass(frozen=True)
class FeedItem:
    """One press release in the monetary feed; kind is "statement" or "other"."""

    title: str
    path: str
    published: dt.datetime  # aware, UTC
    kind: str


def parse_feed(body: bytes, path: str) -> list[FeedItem]:
    """The items of the RSS 2.0 feed read from `path`, in feed order. Items other than FOMC
    statements (minutes, projections, discount rate, anything new) are kept as kind "other"."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise SourceError(
            f"feed {path}: malformed XML ({exc}); first bytes {body[:60]!r}"
        ) from None
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise SourceError(f"feed {path}: not an RSS 2.0 feed (root <{root.tag}>)")
    items = []
    for number, item in enumerate(channel.iter("item"), 1):
        title = " ".join((item.findtext("title") or "").split())
        link = (item.findtext("link") or item.findtext("guid") or "").strip()
        if not link:
            raise SourceError(f"feed {path}: item {number} ({title!r}) has no link")
        published = _rfc822(item.findtext("pubDate"))
        if published is None:
            raise SourceError(
                f"feed {path}: item {number} ({title!r}) has no readable pubDate "
                f"({item.findtext('pubDate')!r})"
            )
        linked = link_path(link)
        statement = STATEMENT_PATH.match(linked) and STATEMENT_TITLE.search(title)
        items.append(FeedItem(title, linked, published, "statement" if statement else "other"))
    return items


def _rfc822(value: str | None) -> dt.datetime | None:
    if not value or not value.strip():
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:  # "-0000": UTC, origin unknown
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


# ---------------------------------------------------------------- HTML tree

VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
CLOSES_P = {
    "address",
    "article",
    "aside",
    "blockquote",
    "div",
    "dl",
    "fieldset",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
}
NOT_TEXT = {"script", "style", "template"}


class Node:
    """An element: tag, attributes, children (Nodes and strings), and whether it ended
    (an end tag or an implied one) before the document did."""

    __slots__ = ("tag", "attrs", "children", "parent", "closed")

    def __init__(self, tag: str, attrs: dict, parent: Node | None = None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []
        self.closed = False

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def iter(self):
        """Descendant elements, in document order."""
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.iter()

    def find_all(
        self, tag: str | None = None, classes: set[str] = frozenset(), id: str | None = None
    ):  # noqa: A002
        return [
            n
            for n in self.iter()
            if (tag is None or n.tag == tag)
            and classes <= n.classes
            and (id is None or n.attrs.get("id") == id)
        ]

    def find(self, tag: str | None = None, classes: set[str] = frozenset(), id: str | None = None):  # noqa: A002
        return next(iter(self.find_all(tag, classes, id)), None)

    def text(self) -> str:
        """The text, whitespace (no-break spaces included) collapsed to single spaces."""
        parts: list[str] = []
        self._text(parts)
        return " ".join("".join(parts).split())

    def _text(self, parts: list[str]) -> None:
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append(" ")
            elif child.tag not in NOT_TEXT:
                child._text(parts)

    def complete(self) -> bool:
        """Ended, and so did everything in it."""
        return self.closed and all(n.closed for n in self.iter())


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.root.closed = True
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        if tag in CLOSES_P and self.stack[-1].tag == "p":
            self.stack.pop().closed = True
        node = Node(tag, {k: v or "" for k, v in attrs}, self.stack[-1])
        self.stack[-1].children.append(node)
        if tag in VOID:
            node.closed = True
        else:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.stack[-1].tag == tag and tag not in VOID:
            self.stack.pop().closed = True

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                for node in self.stack[depth:]:
                    node.closed = True  # an end tag also ends what is still open inside
                del self.stack[depth:]
                return  # a stray end tag is ignored, as browsers do

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def html_tree(body: bytes | str) -> Node:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def _long_date(text: str) -> dt.date | None:
    """ "September 17, 2025" (also abbreviated months and stray spaces) as a date."""
    match = re.search(r"([A-Z][a-z]+)\.?\s+(\d{1,2}),\s*(\d{4})", text)
    if not match or match[1][:3].lower() not in MONTHS:
        return None
    try:
        return dt.date(int(match[3]), MONTHS[match[1][:3].lower()], int(match[2]))
    except ValueError:
        return None


# ---------------------------------------------------------------- FOMC calendars


@dataclass(frozen=True)
class Meeting:
    """One FOMC meeting of a calendar page; days like "16-17" (no asterisk), last_day the
    day its statement comes out, statement_path None when the page links none (yet).
    projections: starred or linking projection materials; starred: the "*" the calendar
    puts on meetings with a Summary of Economic Projections (known before the meeting);
    projections_path: the accessible projections page (`PROJECTIONS_PATH`), once linked."""

    year: int
    month: str
    days: str
    last_day: dt.date
    projections: bool
    statement_path: str | None
    unscheduled: bool = False
    starred: bool = False
    projections_path: str | None = None


MEETING_DAYS = re.compile(r"^(?P<first>\d{1,2})(?:\s*[-\u2010-\u2015]\s*(?P<last>\d{1,2}))?$")
HISTORICAL_HEADING = re.compile(
    r"^(?P<month>[A-Za-z]+(?:/[A-Za-z]+)?)\s+(?P<days>\d{1,2}(?:\s*-\s*\d{1,2})?)(?P<star>\*)?\s+"
    r"(?P<kind>Unscheduled Meeting|Meeting|Conference Call)\b",
    re.IGNORECASE,
)


def parse_calendar(body: bytes | str, path: str, year_hint: int | None = None) -> list[Meeting]:
    """Meetings of the calendar page (one panel per year, one div.fomc-meeting per meeting)
    or of a historical year's page (one panel per meeting, headed "January 28-29 Meeting");
    `path` is the page read: errors name it and relative links resolve against it."""
    root = html_tree(body)
    meetings = []
    for panel in root.find_all("div", {"panel-default"}):
        rows = panel.find_all("div", {"fomc-meeting"})
        if not rows:
            continue
        heading = panel.find(classes={"panel-heading"})
        found = re.search(r"\b(\d{4})\b", heading.text()) if heading else None
        if not found:
            raise SourceError(
                f"FOMC calendar {path}: a panel of meetings has no year in its heading"
            )
        year = int(found[1])
        for row in rows:
            meetings.append(_calendar_meeting(row, year, path))
    if meetings:
        return meetings
    return _historical_meetings(root, year_hint, path)


def _calendar_meeting(row: Node, year: int, path: str) -> Meeting:
    month_node = row.find(classes={"fomc-meeting__month"})
    date_node = row.find(classes={"fomc-meeting__date"})
    if month_node is None or date_node is None:
        raise SourceError(f"FOMC calendar {path}: a {year} meeting has no month or date")
    month, days = month_node.text(), date_node.text()
    return _meeting(year, month, days, row, path)


def _historical_meetings(root: Node, year_hint: int | None, path: str) -> list[Meeting]:
    year = year_hint
    if year is None:
        headings = [n.text() for n in root.iter() if n.tag in ("title", "h1", "h2", "h3")]
        found = next(
            (m for m in (re.search(r"\b(\d{4}) FOMC Meetings\b", h) for h in headings) if m), None
        )
        found = found or re.search(r"fomchistorical(\d{4})", path)
        if not found:
            raise SourceError(f"FOMC calendar {path}: no year on the page; pass year_hint")
        year = int(found[1])
    meetings = []
    for panel in root.find_all("div", {"panel-default"}):
        heading = panel.find(classes={"panel-heading"})
        match = HISTORICAL_HEADING.match(heading.text()) if heading else None
        if not match:
            continue
        days = match["days"] + ("*" if match["star"] else "")
        unscheduled = match["kind"].lower() != "meeting"
        meetings.append(_meeting(year, match["month"], days, panel, path, unscheduled))
    if not meetings:
        raise SourceError(f"FOMC calendar {path}: no meetings found (page layout changed?)")
    return meetings


def _meeting(
    year: int, month: str, days: str, node: Node, path: str, unscheduled: bool = False
) -> Meeting:
    what = f"FOMC calendar {path}: {year} {month} {days!r}"
    starred = projections = "*" in days
    if "unscheduled" in days.lower():
        unscheduled = True
    clean = re.sub(r"\(.*?\)|\*", "", days).strip()
    match = MEETING_DAYS.match(clean)
    names = [m.strip().lower()[:3] for m in month.replace("*", "").split("/")]
    if not match or not names or any(n not in MONTHS for n in names):
        raise SourceError(f"{what}: unreadable meeting date")
    first, last = int(match["first"]), int(match["last"] or match["first"])
    last_month = MONTHS[names[-1]]
    if len(names) == 1 and last < first:  # "Jan 31-1" written under one month
        last_month += 1
    last_year = year + (last_month > 12)
    try:
        last_day = dt.date(last_year, (last_month - 1) % 12 + 1, last)
    except ValueError:
        raise SourceError(f"{what}: no such day") from None
    links = [
        link_path(a.attrs.get("href", ""), base=path)
        for a in node.find_all("a")
        if a.attrs.get("href")
    ]
    statements = [p for p in links if STATEMENT_PATH.match(p)]
    tables = [p for p in links if PROJECTIONS_PATH.match(p)]
    if tables or any(("projection" in a.text().lower()) for a in node.find_all("a")):
        projections = True
    days = "-".join(filter(None, (match["first"], match["last"])))
    statement = statements[0] if statements else None
    return Meeting(
        year,
        month.strip(),
        days,
        last_day,
        projections,
        statement,
        unscheduled,
        starred,
        tables[0] if tables else None,
    )


@dataclass(frozen=True)
class ProjectionsLink:
    """A meeting with projections: its decision date (the meeting's last day), the path of
    its accessible projections page (None while the page links none, e.g. before the
    meeting) and whether the calendar stars it."""

    meeting_date: dt.date
    path: str | None
    starred: bool


def projection_links(
    body: bytes | str, path: str, year_hint: int | None = None
) -> list[ProjectionsLink]:
    """The meetings of a calendar page (or a historical year's page) that are starred or
    link an accessible projections page (`fomcprojtablYYYYMMDD.htm`, older pages
    `fomcprojtable...`), in page order; links reduced to their path. A starred meeting
    without a link is kept with path None: projections are due but not (yet) published."""
    return [
        ProjectionsLink(m.last_day, m.projections_path, m.starred)
        for m in parse_calendar(body, path, year_hint)
        if m.starred or m.projections_path
    ]


# ---------------------------------------------------------------- statement pages


@dataclass(frozen=True)
class StatementPage:
    release_date: dt.date
    title: str
    text: str  # paragraphs joined by blank lines


MEDIA_LINE = re.compile(
    r"^(for media inquiries|media inquiries|for media|media contact)", re.IGNORECASE
)
NOTE_LINE = re.compile(r"^implementation note issued\b", re.IGNORECASE)
CHROME_CLASSES = {"article__time", "releaseTime", "lastUpdate"}


def parse_statement_page(body: bytes, path: str) -> StatementPage:
    """The statement of a press-release page; SourceError names the path and what is
    missing (no article, no statement, a truncated page, no release date)."""
    what = f"statement page {path}"
    root = html_tree(body)
    article = root.find("div", id="article")
    if article is None:
        raise SourceError(f"{what}: no div#article (not a press-release page?)")
    columns = [
        div for div in article.find_all("div", STATEMENT_COLUMN) if "heading" not in div.classes
    ]
    columns = [div for div in columns if not any(_inside(div, top, set()) for top in columns)]
    time = article.find("p", {"article__time"})
    if not article.complete():
        raise SourceError(f"{what}: page truncated (div#article or its paragraphs unterminated)")
    if time is None:
        raise SourceError(f"{what}: no release date (p.article__time)")
    release_date = _long_date(time.text())
    if release_date is None:
        raise SourceError(f"{what}: unreadable release date {time.text()!r} in p.article__time")
    paragraphs = []
    for column in columns:
        for p in column.find_all("p"):
            if p.classes & CHROME_CLASSES or _inside(p, column, {"shareDL", "heading"}):
                continue
            line = p.text()
            if MEDIA_LINE.match(line):
                break  # contact lines close the release; nothing after them is statement
            if not line or NOTE_LINE.match(line) or _only_note_link(p):
                continue
            paragraphs.append(line)
    if not paragraphs:
        raise SourceError(
            f"{what}: no statement (no paragraphs in div#article div.col-xs-12.col-sm-8.col-md-8)"
        )
    heading = article.find(classes={"title"}) or article.find("h3")
    title = heading.text() if heading else ""
    if not title:
        page_title = root.find("title")
        title = (
            re.sub(r"^Federal Reserve Board\s*-\s*", "", page_title.text()) if page_title else ""
        )
    return StatementPage(release_date, title, "\n\n".join(paragraphs))


def _inside(node: Node, top: Node, classes: set[str]) -> bool:
    """Whether `node` lies under `top`: with `classes`, under an element of those classes
    between them."""
    node = node.parent
    while node is not None:
        if node is top:
            return not classes
        if node.classes & classes:
            return True
        node = node.parent
    return False


def _only_note_link(p: Node) -> bool:
    """A paragraph that is just a link to the implementation note (`...a1.htm`)."""
    links = p.find_all("a")
    notes = [a for a in links if re.search(r"a1\.htm$", link_path(a.attrs.get("href", "")))]
    return bool(links) and notes == links and " ".join(a.text() for a in links) == p.text()
