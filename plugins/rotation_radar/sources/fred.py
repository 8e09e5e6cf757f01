"""FRED's graph CSV (`/graph/fredgraph.csv?id=SERIES`): the Fed's target range
(DFEDTARL, DFEDTARU) and Treasury yields (DGS2, DGS10).

FRED has written two headers over the years (`DATE,<ID>` and `observation_date,<ID>`),
older downloads carry M/D/YYYY dates, and "." marks a day without a value (a bond-market
holiday for the yields).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd

from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable, UnknownSymbol
from rotation_radar.sources import Fetched

SOURCE = "fred"
PATH = "/graph/fredgraph.csv"
DATE_HEADERS = ("date", "observation_date")
MISSING = {"", "."}


def fetch(
    http: HttpSource, series_id: str, start: dt.date | None = None, end: dt.date | None = None
) -> Fetched:
    """The series' CSV; `start`/`end` (FRED's cosd/coed) narrow it to those dates."""
    params = {"id": series_id}
    if start:
        params["cosd"] = start.isoformat()
    if end:
        params["coed"] = end.isoformat()
    response = http.get(PATH, params, what=f"series {series_id}")
    return Fetched.from_response(SOURCE, series_id, response)


def check_status(fetched: Fetched, http: HttpSource) -> None:
    what = f"series {fetched.symbol} from {SOURCE}"
    if fetched.status == 200:
        return
    if fetched.status == 429 or fetched.status >= 500:
        raise SourceUnavailable(f"{what}: HTTP {fetched.status} after {http.retries} retries")
    if fetched.status == 404:
        raise UnknownSymbol(f"{what}: unknown series (HTTP 404)")
    raise SourceError(f"{what}: HTTP {fetched.status}")


def parse(body: bytes, series_id: str) -> pd.DataFrame:
    """date (datetime.date) and value (float64, NaN where FRED writes ".") of one series."""
    what = f"fred csv for {series_id}"
    text = body.decode("utf-8-sig", "replace")
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise SourceError(f"{what}: unreadable CSV ({exc})") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise SourceError(f"{what}: empty answer")
    header = [cell.strip() for cell in rows[0]]
    if len(header) < 2 or header[0].lower() not in DATE_HEADERS:
        raise SourceError(
            f"{what}: unreadable CSV, header {header[:3]} (first bytes {body[:60]!r})"
        )
    if header[1].upper() != series_id.upper():
        raise SourceError(f"{what}: value column is {header[1]!r}, expected {series_id!r}")
    dates, values = [], []
    for number, row in enumerate(rows[1:], 2):
        if len(row) < 2:
            raise SourceError(f"{what}: line {number} has {len(row)} field(s): {row}")
        day = _date(row[0].strip())
        if day is None:
            raise SourceError(f"{what}: line {number}: unreadable date {row[0]!r}")
        cell = row[1].strip()
        try:
            value = float("nan") if cell in MISSING else float(cell)
        except ValueError:
            raise SourceError(f"{what}: line {number}: unreadable value {cell!r}") from None
        dates.append(day)
        values.append(value)
    frame = pd.DataFrame(
        {"date": pd.Series(dates, dtype=object), "value": pd.Series(values, dtype="float64")}
    )
    frame.attrs["series_id"] = series_id
    return frame


def _date(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None
