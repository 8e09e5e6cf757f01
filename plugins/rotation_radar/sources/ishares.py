"""iShares fund holdings CSV (the "Detailed Holdings and Analytics" download):
`/us/products/<id>/<slug>/<ajax>.ajax?fileType=csv&fileName=<FUND>_holdings&dataType=fund`,
with `asOfDate=YYYYMMDD` for a past date. Parsing is `rotation_radar.universe.parse_holdings`.

iShares answers an asOfDate before the fund's first file with the preamble and header
and no rows (HTTP 200), and a bad product path with an HTML page, also HTTP 200.
"""

from __future__ import annotations

import datetime as dt

from rotation_radar.sources import Fetched
from rotation_radar.transport import HttpSource, SourceError, SourceUnavailable

SOURCE = "ishares"
# fund: (product id, slug, ajax id) of the fund's page on ishares.com
PRODUCTS = {
    "IWM": ("239710", "ishares-russell-2000-etf", "1467271812596"),
    "IVV": ("239726", "ishares-core-sp-500-etf", "1467271812596"),
}


def holdings_path(fund: str) -> str:
    """The holdings download's path for a fund of PRODUCTS."""
    try:
        product, slug, ajax = PRODUCTS[fund]
    except KeyError:
        raise SourceError(f"holdings for {fund} from {SOURCE}: unknown fund (known: {sorted(PRODUCTS)})") from None
    return f"/us/products/{product}/{slug}/{ajax}.ajax"


def params(fund: str, as_of: dt.date | None = None) -> dict:
    query = {"fileType": "csv", "fileName": f"{fund}_holdings", "dataType": "fund"}
    if as_of is not None:
        query["asOfDate"] = f"{as_of:%Y%m%d}"
    return query


def fetch(http: HttpSource, fund: str, as_of: dt.date | None = None) -> Fetched:
    """The fund's holdings CSV as of `as_of` (the latest file when None)."""
    what = f"holdings for {fund}" + (f" as of {as_of}" if as_of else "")
    response = http.get(holdings_path(fund), params(fund, as_of), what=what)
    return Fetched.from_response(SOURCE, fund, response)


def check_status(fetched: Fetched, http: HttpSource, as_of: dt.date | None = None) -> None:
    """Raise for anything but a CSV answered with 200."""
    what = f"holdings for {fetched.symbol} as of {as_of or 'latest'} from {SOURCE}"
    if fetched.status == 429 or fetched.status >= 500:
        raise SourceUnavailable(f"{what}: HTTP {fetched.status} after {http.retries} retries")
    if fetched.status != 200:
        raise SourceError(f"{what}: HTTP {fetched.status}")
    head = fetched.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    content_type = str(fetched.headers.get("Content-Type", "")).lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml")) or "html" in content_type:
        raise SourceError(f"{what}: an HTML page instead of the CSV (product path changed?)")
