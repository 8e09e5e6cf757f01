"""SEC EDGAR: `company_tickers.json` and the daily form index (www.sec.gov), XBRL
`companyfacts` (data.sec.gov).

SEC answers 403 to any client whose User-Agent does not name it with a contact e-mail
("Sample Company Name AdminContact@sample.com") and allows at most 10 requests per
second, so every fetch checks the User-Agent first. One connection, `sec_edgar`, serves
both hosts: its host is data.sec.gov and its extra's `www_base_url` is www.sec.gov.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd

from rotation_radar.core import connections
from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable, UnknownSymbol
from rotation_radar.sources import Fetched

SOURCE = "sec_edgar"
DATA_BASE_URL = "https://data.sec.gov"
WWW_BASE_URL = "https://www.sec.gov"
MAX_REQUESTS_PER_SECOND = 10.0
TICKERS_PATH = "/files/company_tickers.json"
CONTACT = re.compile(r"[^@\s<>()]+@[^@\s<>()]+\.[A-Za-z]{2,}")
TICKER_COLUMNS = ["cik", "ticker", "title"]
INDEX_COLUMNS = ["form_type", "company", "cik", "date_filed", "file_name"]
# The right end of a daily index line: CIK, date filed (YYYYMMDD; YYYY-MM-DD in the
# quarterly full index) and file name. Read from the right, since a long company name
# can push them past the header's positions.
_INDEX_TAIL = re.compile(r"\s(\d{1,10})\s+(\d{8}|\d{4}-\d{2}-\d{2})\s+(\S+)\s*$")


def sources_from_connection(host: str, extra: dict) -> tuple[HttpSource, HttpSource]:
    """(data.sec.gov, www.sec.gov) HttpSources of the `sec_edgar` connection. They share
    one limiter, capped at SEC's 10 requests per second across both hosts."""
    rate = min(
        float(extra.get("requests_per_second") or MAX_REQUESTS_PER_SECOND), MAX_REQUESTS_PER_SECOND
    )
    options = {**extra, "requests_per_second": rate}
    data = HttpSource.from_connection(SOURCE, host or DATA_BASE_URL, options)
    www = HttpSource.from_connection(SOURCE, extra.get("www_base_url") or WWW_BASE_URL, options)
    www.share_limiter(data)
    return data, www


def cik_key(cik: int | str) -> str:
    """`CIK0000320193`: the ten-digit, zero-padded form of SEC's file names."""
    text = str(cik).strip().upper().removeprefix("CIK")
    if not text.isdigit() or len(text) > 10:
        raise SourceError(f"{SOURCE}: {cik!r} is not a CIK (up to ten digits)")
    return f"CIK{int(text):010d}"


def require_contact(http: HttpSource) -> None:
    """Refuse to fetch without a User-Agent carrying a contact e-mail: SEC blocks such
    clients (HTTP 403) and may block the address for a while."""
    if not CONTACT.search(http.user_agent or ""):
        raise SourceError(
            f"{SOURCE}: User-Agent {http.user_agent!r} has no contact e-mail; SEC requires one "
            "(e.g. 'Rotation Radar ops@example.com'): set extra user_agent on connection sec_edgar"
        )


def _fetch(http: HttpSource, path: str, symbol: str, what: str) -> Fetched:
    require_contact(http)
    response = http.get(path, what=f"{what} from {SOURCE}")
    return Fetched.from_response(SOURCE, symbol, response)


def fetch_tickers(http_www: HttpSource) -> Fetched:
    """www.sec.gov's `company_tickers.json` (every ticker with its CIK and title)."""
    return _fetch(http_www, TICKERS_PATH, "company_tickers", "company_tickers.json")


def fetch_companyfacts(http: HttpSource, cik: int | str) -> Fetched:
    """Every XBRL fact a company filed, in one JSON."""
    key = cik_key(cik)
    return _fetch(http, f"/api/xbrl/companyfacts/{key}.json", key, f"companyfacts {key}")


def daily_index_path(day: dt.date) -> str:
    quarter = (day.month - 1) // 3 + 1
    return f"/Archives/edgar/daily-index/{day.year}/QTR{quarter}/form.{day:%Y%m%d}.idx"


def fetch_daily_index(http_www: HttpSource, day: dt.date) -> Fetched:
    """The form index of the filings accepted on `day`; 404 on weekends and holidays."""
    return _fetch(
        http_www, daily_index_path(day), f"daily-index {day.isoformat()}", f"daily index {day}"
    )


def check_status(fetched: Fetched, http: HttpSource) -> bool:
    """True when the answer is there to parse; False for a day without a daily index
    (SEC answers 404 on weekends and holidays). Raises on anything else."""
    what = f"{fetched.symbol} from {SOURCE}"
    if fetched.status == 200:
        return True
    if fetched.status == 404 and fetched.symbol.startswith("daily-index"):
        return False
    if fetched.status == 403:
        raise SourceError(
            f"{what}: HTTP 403, SEC refused the request; it requires a User-Agent naming you "
            f"with a contact e-mail (sent {http.user_agent!r}) and at most 10 requests per second"
        )
    if fetched.status == 429 or fetched.status >= 500:
        raise SourceUnavailable(f"{what}: HTTP {fetched.status} after {http.retries} retries")
    if fetched.status == 404:
        raise UnknownSymbol(f"{what}: SEC has no such file for {fetched.symbol} (HTTP 404)")
    raise SourceError(f"{what}: HTTP {fetched.status}")


def _json(body: bytes, what: str):
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SourceError(f"{what}: not JSON ({exc}; first bytes {body[:60]!r})") from None


def parse_companyfacts(body: bytes, cik: int | str = "") -> dict:
    """The companyfacts JSON as a dict (for `earnings.facts_frame`)."""
    doc = _json(body, f"companyfacts {cik} from {SOURCE}")
    if not isinstance(doc, dict) or "cik" not in doc:
        raise SourceError(f"companyfacts {cik} from {SOURCE}: no cik in the answer")
    return doc


def parse_tickers(body: bytes) -> pd.DataFrame:
    """cik (int64), ticker (SEC spelling, `BRK-B`), title; one row per ticker, so share
    classes (GOOGL and GOOG) share one CIK."""
    what = f"company_tickers.json from {SOURCE}"
    doc = _json(body, what)
    if not isinstance(doc, dict):
        raise SourceError(
            f"{what}: expected an object of numbered entries, got {type(doc).__name__}"
        )
    rows = []
    for key, entry in doc.items():
        try:
            rows.append(
                (int(entry["cik_str"]), str(entry["ticker"]).strip().upper(), str(entry["title"]))
            )
        except (KeyError, TypeError, ValueError):
            raise SourceError(
                f"{what}: entry {key!r} lacks cik_str/ticker/title: {entry!r}"
            ) from None
    frame = pd.DataFrame(rows, columns=TICKER_COLUMNS).astype({"cik": "int64"})
    return frame.drop_duplicates(subset=["ticker"], keep="first").reset_index(drop=True)


def parse_daily_index(body: bytes, day: dt.date | None = None) -> pd.DataFrame:
    """form_type, company, cik (int64), date_filed (date), file_name of a fixed-width form
    index: a few header lines, the column titles, a dashed line, then one filing a line."""
    what = f"daily index {day or ''} from {SOURCE}".replace("  ", " ")
    lines = body.decode("latin-1").splitlines()
    dashes = next((i for i, line in enumerate(lines) if line.startswith("---")), None)
    if dashes is None or dashes == 0 or "Company Name" not in lines[dashes - 1]:
        raise SourceError(f"{what}: no 'Form Type  Company Name ...' header over a dashed line")
    header = lines[dashes - 1]
    company_at = header.index("Company Name")
    rows = []
    for number, line in enumerate(lines[dashes + 1 :], dashes + 2):
        if not line.strip():
            continue
        match = _INDEX_TAIL.search(line)
        if match is None or match.start() < company_at:
            raise SourceError(f"{what}: line {number} unreadable: {line.strip()[:80]!r}")
        filed = match[2].replace("-", "")
        rows.append(
            (
                line[:company_at].strip(),
                line[company_at : match.start()].strip(),
                int(match[1]),
                dt.date(int(filed[:4]), int(filed[4:6]), int(filed[6:])),
                match[3],
            )
        )
    frame = pd.DataFrame(rows, columns=INDEX_COLUMNS).astype({"cik": "int64"})
    frame["date_filed"] = frame["date_filed"].astype(object)
    return frame


def connection_sources() -> tuple[HttpSource, HttpSource]:
    """(data.sec.gov, www.sec.gov) sources of the `sec_edgar` Airflow connection, sharing
    one rate limit."""
    found = connections.endpoint("sec_edgar")
    if found is None:
        raise RuntimeError("connection 'sec_edgar' is not defined (AIRFLOW_CONN_SEC_EDGAR)")
    return sources_from_connection(*found)
