"""A local stand-in for Yahoo's chart API, Stooq's CSV download, the Federal Reserve's
website and FRED's graph CSV, serving a replay folder.

CLI: python -m devtools.replay.server --root include/replay --port 8765 [--host 127.0.0.1]

The folder holds `yahoo/<SYMBOL>.json` (full chart v8 responses; `<SYMBOL>@<YYYY-MM-DD>.json`
is the symbol as recorded on that date), `stooq/<stooq symbol>.csv`, `fed/<site path>`
(served by path, with ETag and Last-Modified, answering conditional GETs with 304) and
`fred/<SERIES>.csv` (served for `/graph/fredgraph.csv?id=SERIES`) and
`ishares/<product id>/<YYYY-MM-DD>.csv` (iShares holdings, served for
`/us/products/<id>/<slug>/<ajax>.ajax?fileType=csv&...&asOfDate=YYYYMMDD`) and `sec/<path>`
(SEC EDGAR, served by path; 403 without an e-mail in the User-Agent). Tests can make
the next requests fail (`inject`) and read what was asked (`requests`), in process or
over HTTP under `/_replay/` (admin requests are not logged).
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import hashlib
import json
import re
import signal
import threading
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

YAHOO_PREFIX = "/v8/finance/chart/"
STOOQ_PATHS = ("/q/d/l/", "/q/d/l")
FRED_PATH = "/graph/fredgraph.csv"
ADMIN_PREFIX = "/_replay/"
JSON = "application/json;charset=utf-8"
CSV = "text/csv"
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml"
FED_TYPES = {".htm": HTML, ".html": HTML, ".xml": RSS, ".pdf": "application/pdf"}
# When a page says nothing of its date: the replay's last day, at the end of its session.
FALLBACK_MODIFIED = dt.datetime(2025, 9, 19, 20, 0, tzinfo=dt.UTC)
LAST_UPDATE = re.compile(rb"Last Update:\s*([A-Z][a-z]+ \d{1,2}, \d{4})")
LAST_BUILD = re.compile(rb"<lastBuildDate>([^<]+)</lastBuildDate>")
ISHARES_PATH = re.compile(r"^/us/products/(?P<product>\d+)/[a-z0-9-]+/\d+\.ajax$")
RECORDING = re.compile(r"^(?P<symbol>.+)@(?P<date>\d{4}-\d{2}-\d{2})\.json$")
# SEC EDGAR (www.sec.gov and data.sec.gov paths), served from sec/<path>.
SEC_PREFIXES = (
    "/files/company_tickers.json",
    "/api/xbrl/companyfacts/",
    "/submissions/",
    "/Archives/edgar/daily-index/",
)
SEC_CONTACT = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Fault:
    """Statuses to answer, in order, to the next requests under path_prefix."""

    path_prefix: str
    statuses: deque[int]
    body: bytes | None = None
    retry_after: int | None = None


def yahoo_error(status: int, code: str, description: str) -> Response:
    doc = {"chart": {"result": None, "error": {"code": code, "description": description}}}
    return Response(status, json.dumps(doc, separators=(",", ":")).encode(), JSON)


def adjclose_as_of(result: dict, period2: int, keep: Sequence[int] | None = None) -> list:
    """Yahoo's adjclose as it read at period2 (of the bars at positions `keep`, or all):
    the recording is adjusted for every dividend it holds, so undo the factor
    (1 - amount / previous close) of each dividend that goes ex after period2. A new
    dividend thus restates history, as it does at Yahoo."""
    stamps = result.get("timestamp") or []
    adjclose = result["indicators"]["adjclose"][0].get("adjclose") or []
    closes = result["indicators"]["quote"][0].get("close") or []
    undone = []  # (ex position, factor) in the recording's order of dividends
    for item in (result.get("events") or {}).get("dividends", {}).values():
        if item["date"] < period2 or item["date"] not in stamps:
            continue
        ex = stamps.index(item["date"])
        previous = next((c for c in reversed(closes[:ex]) if c), None)
        if previous:
            undone.append((ex, 1 - item["amount"] / previous))

    def value(i: int) -> float | None:
        v = adjclose[i]
        if v is None:
            return None
        for ex, factor in undone:
            if i < ex:
                v = v / factor
        return round(v, 4)

    return [value(i) for i in (range(len(adjclose)) if keep is None else keep)]


def chart_window(doc: dict, period1: int, period2: int) -> dict:
    """A full chart response cut to bars (and events) with period1 <= timestamp < period2,
    with adjclose as it read at period2."""
    result = doc["chart"]["result"][0]
    stamps = result.get("timestamp") or []
    keep = [i for i, t in enumerate(stamps) if period1 <= t < period2]
    out = {"meta": result["meta"]}
    if not keep:  # Yahoo's answer for an empty range
        out["indicators"] = {"quote": [{}], "adjclose": [{}]}
        return {"chart": {"result": [out], "error": None}}
    out["timestamp"] = [stamps[i] for i in keep]
    events = {}
    for kind, items in (result.get("events") or {}).items():
        inside = {key: item for key, item in items.items() if period1 <= item["date"] < period2}
        if inside:
            events[kind] = inside
    if events:
        out["events"] = events

    def cut(series: dict) -> dict:
        return {name: [values[i] for i in keep] for name, values in series.items()}

    indicators = result["indicators"]
    out["indicators"] = {
        "quote": [cut(indicators["quote"][0])],
        "adjclose": [{"adjclose": adjclose_as_of(result, period2, keep)}],
    }
    return {"chart": {"result": [out], "error": None}}


def stooq_rows(text: str, first: str | None, last: str | None) -> str | None:
    """The CSV with only rows dated first..last (ISO dates, inclusive); None if no row is left."""
    header, *rows = text.splitlines()
    rows = [r for r in rows if (not first or r[:10] >= first) and (not last or r[:10] <= last)]
    return "\n".join([header, *rows]) + "\n" if rows else None


def _iso(yyyymmdd: str | None) -> str | None:
    """Stooq's d1/d2 (YYYYMMDD) as an ISO date; an unreadable value means no bound."""
    try:
        return dt.datetime.strptime(yyyymmdd, "%Y%m%d").date().isoformat() if yyyymmdd else None
    except ValueError:
        return None


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _plain_name(name: str) -> bool:
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".")


def last_modified(body: bytes) -> dt.datetime:
    """A page's date from its own content: the feed's lastBuildDate, or a page's
    "Last Update: September 17, 2025" (taken at 2 p.m. in Washington), else a fixed date."""
    match = LAST_BUILD.search(body)
    if match:
        try:
            return email.utils.parsedate_to_datetime(match[1].decode().strip()).astimezone(dt.UTC)
        except (TypeError, ValueError):
            pass
    match = LAST_UPDATE.search(body)
    if match:
        day = dt.datetime.strptime(match[1].decode(), "%B %d, %Y")
        local = day.replace(hour=14, tzinfo=ZoneInfo("America/New_York"))
        return local.astimezone(dt.UTC)
    return FALLBACK_MODIFIED


def not_modified(headers: dict[str, str], etag: str, modified: dt.datetime) -> bool:
    """Whether a conditional GET may be answered 304 (If-None-Match wins over If-Modified-Since)."""
    if_none_match = headers.get("if-none-match")
    if if_none_match is not None:
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag in tags
    since = headers.get("if-modified-since")
    if since:
        try:
            moment = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return modified.replace(microsecond=0) <= moment
    return False


def fred_rows(text: str, first: str | None, last: str | None) -> str:
    """The CSV with only rows dated first..last (ISO, inclusive): FRED's cosd and coed."""
    header, *rows = text.splitlines()
    rows = [r for r in rows if (not first or r[:10] >= first) and (not last or r[:10] <= last)]
    return "\n".join([header, *rows]) + "\n"


def _iso_day(value: str | None) -> str | None:
    try:
        return dt.date.fromisoformat(value).isoformat() if value else None
    except ValueError:
        return None


FRED_NOT_FOUND = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    "<title>Error - Series Not Found | FRED | St. Louis Fed</title></head>\n"
    '<body><div class="container"><h1>Error</h1><p>The series does not exist.</p>'
    '<p><a href="/">Return to FRED home</a></p></div></body></html>\n'
)
FED_NOT_FOUND = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    "<title>Federal Reserve Board - Page Not Found</title></head>\n"
    '<body><div id="content"><h3>Page Not Found</h3><p>The page you requested could not be '
    "found.</p></div></body></html>\n"
)


SEC_UNDECLARED = (
    "<!DOCTYPE html>\n<html><head><title>SEC.gov | Request Rate Threshold Exceeded</title></head>\n"
    "<body><h1>Your Request Originates from an Undeclared Automated Tool</h1>"
    "<p>To allow for equitable access to all users, SEC reserves the right to limit requests "
    "originating from undeclared automated tools. Your request has been identified as part of a "
    "network of automated tools outside of the acceptable policy and will be managed until "
    "action is taken to declare your traffic.</p><p>Please declare your traffic by updating your "
    "user agent to include company specific information.</p></body></html>\n"
)
SEC_NO_SUCH_KEY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code>'
    "<Message>The specified key does not exist.</Message></Error>"
)


class ReplayServer:
    """A threaded HTTP server over a replay folder; `start()` runs it in the background."""

    def __init__(self, root: Path | str, host: str = "127.0.0.1", port: int = 0):
        self.root = Path(root)
        self._lock = threading.Lock()
        self._log: list[dict] = []
        self._faults: list[Fault] = []
        self._documents: dict[Path, dict] = {}
        self._listings: dict[Path, tuple[int, dict]] = {}
        self._httpd = ThreadingHTTPServer((host, port), _Handler)
        # Clients keep connections alive: never wait for their handler threads on stop.
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._httpd.replay = self
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> ReplayServer:
        if self._thread:  # already serving (e.g. `with ReplayServer(...).start()`)
            return self
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="replay-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # ------------------------------------------------------------ test controls

    @property
    def requests(self) -> list[dict]:
        """Every source request so far, in arrival order: method, path, query, status."""
        with self._lock:
            return [dict(entry, query=dict(entry["query"])) for entry in self._log]

    def clear_requests(self) -> int:
        with self._lock:
            count = len(self._log)
            self._log.clear()
            return count

    def inject(
        self,
        path_prefix: str,
        statuses: list[int],
        body: bytes | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next len(statuses) requests under path_prefix with these statuses.

        A status of 200 serves `body` if given, else the normal answer. Other statuses
        serve `body` or a short HTML error page; a 429 carries Retry-After if given.
        """
        fault = Fault(path_prefix, deque(int(s) for s in statuses), body, retry_after)
        with self._lock:
            self._faults.append(fault)

    # ------------------------------------------------------------ request handling

    def handle(
        self, method: str, raw_path: str, body: bytes, headers: dict[str, str] | None = None
    ) -> Response:
        """Answer one request; `headers` (any case) matter for conditional GETs."""
        headers = {k.lower(): v for k, v in (headers or {}).items()}
        split = urlsplit(raw_path)
        path = unquote(split.path)
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        if path.startswith(ADMIN_PREFIX):
            return self._admin(method, path, body)
        entry = {"method": method, "path": path, "query": query, "status": None}
        with self._lock:
            self._log.append(entry)
        response = self._injected(path, split.path) or self._route(method, path, query, headers)
        with self._lock:
            entry["status"] = response.status
        return response

    def _injected(self, path: str, raw_path: str) -> Response | None:
        with self._lock:
            fault = next(
                (
                    f
                    for f in self._faults
                    if path.startswith(f.path_prefix) or raw_path.startswith(f.path_prefix)
                ),
                None,
            )
            if fault is None:
                return None
            status = fault.statuses.popleft()
            if not fault.statuses:
                self._faults.remove(fault)
        if status == 200 and fault.body is None:
            return None  # a pass-through slot
        if fault.body is not None:
            response = Response(status, fault.body, self._content_type(path))
        else:
            title = f"{status} {_phrase(status)}"
            page = (
                f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>\n"
            )
            response = Response(status, page.encode(), HTML)
        if status == 429 and fault.retry_after is not None:
            response.headers["Retry-After"] = str(fault.retry_after)
        return response

    @staticmethod
    def _content_type(path: str) -> str:
        if path.startswith(YAHOO_PREFIX):
            return JSON
        if path in STOOQ_PATHS or path == FRED_PATH or ISHARES_PATH.match(path):
            return CSV
        return FED_TYPES.get(Path(path).suffix.lower(), TEXT)

    def _route(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str] | None = None
    ) -> Response:
        if method == "GET" and path.startswith(YAHOO_PREFIX):
            return self._yahoo(path[len(YAHOO_PREFIX) :], query)
        if method == "GET" and path in STOOQ_PATHS:
            return self._stooq(query)
        if method == "GET" and path == FRED_PATH:
            return self._fred(query)
        if method == "GET" and ISHARES_PATH.match(path):
            return self._ishares(ISHARES_PATH.match(path)["product"], query)
        if method == "GET" and path.startswith(SEC_PREFIXES):
            return self._sec(path, headers or {})
        if method == "GET":
            page = self._fed_file(path)
            if page is not None:
                return self._fed(page, path, headers or {})
            if Path(path).suffix.lower() in FED_TYPES:
                return Response(404, FED_NOT_FOUND.encode(), HTML)
        return Response(404, b"Not Found\n", TEXT)

    def _fed_file(self, path: str) -> Path | None:
        """The file under fed/ for a site path; None for anything else (no '..', no dotfiles)."""
        parts = [p for p in path.split("/") if p]
        if not parts or not all(_plain_name(p) for p in parts):
            return None
        candidate = self.root / "fed" / Path(*parts)
        return candidate if candidate.is_file() else None

    def _fed(self, page: Path, path: str, headers: dict[str, str]) -> Response:
        """A site page with its validators; 304 when the client's copy is current."""
        body = page.read_bytes()
        etag = f'"{hashlib.sha256(body).hexdigest()}"'
        modified = last_modified(body)
        validators = {
            "ETag": etag,
            "Last-Modified": email.utils.format_datetime(modified, usegmt=True),
            "Cache-Control": "max-age=0, public",
        }
        if not_modified(headers, etag, modified):
            return Response(304, b"", self._content_type(path), validators)
        return Response(200, body, self._content_type(path), validators)

    def _fred(self, query: dict[str, str]) -> Response:
        series = query.get("id", "").strip().upper()
        path = self.root / "fred" / f"{series}.csv"
        if not _plain_name(series) or not path.is_file():
            return Response(404, FRED_NOT_FOUND.encode(), HTML)
        first, last = _iso_day(query.get("cosd")), _iso_day(query.get("coed"))
        text = fred_rows(path.read_text(), first, last)
        return Response(200, text.encode(), CSV)

    def _ishares(self, product: str, query: dict[str, str]) -> Response:
        """The fund's holdings file with the latest as-of on or before asOfDate (the latest
        without one); before the first file, the preamble and header with no rows."""
        folder = self.root / "ishares" / product
        files = sorted(folder.glob("*.csv")) if folder.is_dir() else []
        if not files or query.get("fileType") != "csv":
            return Response(404, FED_NOT_FOUND.encode(), HTML)
        wanted = _iso(query.get("asOfDate")) if query.get("asOfDate") else files[-1].stem
        if wanted is None:
            return Response(400, FED_NOT_FOUND.encode(), HTML)
        chosen = [f for f in files if f.stem <= wanted]
        if chosen:
            return Response(200, chosen[-1].read_bytes(), CSV)
        text = files[0].read_text(encoding="utf-8")
        head = text[: text.index("Ticker,Name,")]
        header = text[len(head) :].split("\n", 1)[0]
        day = dt.date.fromisoformat(wanted)
        head = re.sub(
            r'Fund Holdings as of,"[^"]*"', f'Fund Holdings as of,"{day:%b %d, %Y}"', head
        )
        return Response(200, (head + header + "\n").encode(), CSV)

    def _sec(self, path: str, headers: dict[str, str]) -> Response:
        """A file under sec/ by path; 403 to a User-Agent without an e-mail contact, as SEC
        answers undeclared automated tools; 404 (S3's NoSuchKey on data.sec.gov) otherwise."""
        if not SEC_CONTACT.search(headers.get("user-agent", "")):
            return Response(403, SEC_UNDECLARED.encode(), HTML)
        parts = [p for p in path.split("/") if p]
        if parts and all(_plain_name(p) for p in parts):
            candidate = self.root / "sec" / Path(*parts)
            if candidate.is_file():
                kind = JSON if path.endswith(".json") else TEXT
                return Response(200, candidate.read_bytes(), kind)
        if path.startswith("/Archives/") or path.startswith("/files/"):
            page = FED_NOT_FOUND.replace("Federal Reserve Board", "SEC.gov")
            return Response(404, page.encode(), HTML)
        return Response(404, SEC_NO_SUCH_KEY.encode(), "application/xml")

    def _yahoo(self, symbol: str, query: dict[str, str]) -> Response:
        try:
            period1, period2 = int(query["period1"]), int(query["period2"])
        except (KeyError, ValueError):
            return yahoo_error(
                400,
                "Bad Request",
                "Invalid input - period1 and period2 (epoch seconds) are required",
            )
        if period1 > period2:
            return yahoo_error(
                400, "Bad Request", "Invalid input - start date cannot be after end date"
            )
        path = self._recording(symbol, dt.datetime.fromtimestamp(period2, dt.UTC).date())
        if path is None:
            return yahoo_error(404, "Not Found", "No data found, symbol may be delisted")
        doc = chart_window(self._document(path), period1, period2)
        return Response(200, json.dumps(doc, separators=(",", ":")).encode(), JSON)

    def _recording(self, symbol: str, day: dt.date) -> Path | None:
        """The earliest recording dated on or after `day`, else the undated (latest) one."""
        if not _plain_name(symbol) or "@" in symbol:
            return None
        folder = self.root / "yahoo"
        dated = [
            (date, path)
            for date, path in self._dated_recordings(folder).get(symbol, ())
            if date >= day
        ]
        if dated:
            return min(dated)[1]
        path = folder / f"{symbol}.json"
        return path if path.is_file() else None

    def _dated_recordings(self, folder: Path) -> dict[str, list[tuple[dt.date, Path]]]:
        """The folder's dated recordings by symbol, listed again only when the folder
        changes (its mtime): a glob per request cost milliseconds over thousands of files."""
        try:
            stamp = folder.stat().st_mtime_ns
        except FileNotFoundError:
            return {}
        with self._lock:
            cached = self._listings.get(folder)
        if cached and cached[0] == stamp:
            return cached[1]
        listing: dict[str, list[tuple[dt.date, Path]]] = {}
        for path in folder.glob("*@*.json"):
            match = RECORDING.match(path.name)
            if match:
                listing.setdefault(match["symbol"], []).append(
                    (dt.date.fromisoformat(match["date"]), path)
                )
        with self._lock:
            self._listings[folder] = (stamp, listing)
        return listing

    def _document(self, path: Path) -> dict:
        with self._lock:
            doc = self._documents.get(path)
        if doc is None:
            doc = json.loads(path.read_text())
            with self._lock:
                self._documents[path] = doc
        return doc

    def _stooq(self, query: dict[str, str]) -> Response:
        name = query.get("s", "").lower()
        path = self.root / "stooq" / f"{name}.csv"
        if not _plain_name(name) or not path.is_file():
            return Response(200, b"No data", CSV)
        text = stooq_rows(path.read_text(), _iso(query.get("d1")), _iso(query.get("d2")))
        return Response(200, (text or "No data").encode(), CSV)

    def _admin(self, method: str, path: str, body: bytes) -> Response:
        def answer(doc, status: int = 200) -> Response:
            return Response(status, json.dumps(doc).encode(), JSON)

        if path == ADMIN_PREFIX + "requests" and method == "GET":
            return answer(self.requests)
        if path == ADMIN_PREFIX + "requests" and method == "DELETE":
            return answer({"cleared": self.clear_requests()})
        if path == ADMIN_PREFIX + "inject" and method == "POST":
            try:
                doc = json.loads(body or b"{}")
                statuses = [int(s) for s in doc["statuses"]]
                prefix = str(doc["path_prefix"])
                text = doc.get("body")
                retry_after = doc.get("retry_after")
                retry_after = None if retry_after is None else int(retry_after)
            except (ValueError, KeyError, TypeError) as exc:
                return answer({"error": f"expected JSON with path_prefix and statuses: {exc}"}, 400)
            self.inject(prefix, statuses, None if text is None else str(text).encode(), retry_after)
            return answer({"injected": len(statuses)})
        return answer({"error": f"no admin endpoint {method} {path}"}, 404)


class _Handler(BaseHTTPRequestHandler):
    server_version = "RotationRadarReplay/1.0"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        response = self.server.replay.handle(self.command, self.path, body, dict(self.headers))
        self.send_response(response.status)  # also sends Date and Server
        if response.status != 304:  # a 304 has no body: nothing to describe
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(response.body)

    do_GET = do_POST = do_DELETE = do_PUT = _serve

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's signature
        pass  # quiet: the request log is server.requests


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("include/replay"), help="replay folder")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    args = parser.parse_args(argv)
    if not (args.root / "yahoo").is_dir():
        parser.error(f"{args.root}: no yahoo/ folder; run `make replay` first")

    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    server = ReplayServer(args.root, args.host, args.port).start()
    print(server.url, flush=True)
    while not stopping.wait(0.5):
        pass
    server.stop()


if __name__ == "__main__":
    main()
