"""iShares fund holdings CSV (the "Detailed Holdings and Analytics" download):
`/us/products/<id>/<slug>/<ajax>.ajax?fileType=csv&fileName=<FUND>_holdings&dataType=fund`,
with `asOfDate=YYYYMMDD` for a past date. iShares answers an asOfDate before the fund's
first file with the preamble and header and no rows (HTTP 200), and a bad product path
with an HTML page, also HTTP 200.

`parse_holdings(raw)` reads a file into one row per equity member (the `universe_members`
rows of a basket): symbol (Yahoo spelling), name, sector, weight (percent), shares_held,
market_value, plus ticker_raw and asset_class. The download is a spreadsheet export
rather than a plain CSV: a UTF-8 BOM, a short preamble (fund name, "Fund Holdings as
of","May 05, 2026", share counts), a blank line, the table with quoted numbers
("1,532,594,919.50") and "-" for empty, a blank line and a legal footer (one quoted cell
spanning several lines). Older or re-saved snapshots lack the preamble, so the as-of
date may have to come from the caller.

Rows that are not members are reported, never silently dropped: cash, futures, money
market funds and collateral, equities without a usable ticker (unlisted stubs have
"-") and a second holding mapping to the same symbol go to `df.attrs["excluded"]`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from typing import TYPE_CHECKING

from rotation_radar.core.symbols import from_ishares
from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable
from rotation_radar.sources import Fetched

if TYPE_CHECKING:
    import pandas as pd

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
        raise SourceError(
            f"holdings for {fund} from {SOURCE}: unknown fund (known: {sorted(PRODUCTS)})"
        ) from None
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


MEMBER_COLUMNS = (
    "symbol",
    "name",
    "sector",
    "weight",
    "shares_held",
    "market_value",
    "ticker_raw",
    "asset_class",
)
EXCLUDED_COLUMNS = ("ticker_raw", "name", "asset_class", "reason", "weight", "market_value")

# Output field -> header spellings seen in iShares files (matched case-insensitively,
# whitespace collapsed). Equity funds say "Quantity"; some fund families say "Shares".
_HEADERS = {
    "ticker": ("ticker",),
    "name": ("name",),
    "sector": ("sector",),
    "asset_class": ("asset class",),
    "market_value": ("market value",),
    "weight": ("weight (%)", "weight"),
    "shares_held": ("quantity", "shares"),
}
_KNOWN_HEADERS = {s for spellings in _HEADERS.values() for s in spellings}
_AS_OF_LABEL = "fund holdings as of"
_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%m/%d/%Y", "%Y-%m-%d", "%d-%b-%Y")
_EMPTY = {"", "-", "--"}
# How far into the file the header row may be; the real preamble is nine lines.
_MAX_PREAMBLE_ROWS = 50


def parse_holdings(raw: bytes, *, as_of: dt.date | None = None) -> pd.DataFrame:
    """One row per equity member of an iShares holdings CSV; exclusions and the
    as-of date in `df.attrs["excluded"]` and `df.attrs["as_of"]`.

    `as_of` fills in the date for snapshots without a preamble; when the file states a
    date too, the two must agree. Raises ValueError for input that is not a holdings
    table (no header row, binary data, a required column missing).
    """
    import pandas as pd

    rows = _csv_rows(_decode(raw))
    header_at = _find_header(rows)
    preamble, header = rows[:header_at], rows[header_at]
    columns = _locate_columns(header)

    file_as_of = _preamble_as_of(preamble)
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if file_as_of and as_of and file_as_of != as_of:
        raise ValueError(
            f"holdings file says 'Fund Holdings as of' {file_as_of}, caller passed "
            f"as_of={as_of}: check that this is the intended snapshot"
        )

    members, excluded = [], []
    for line_no, cells in _table_rows(rows, header_at, len(header)):
        field = {key: cells[i].strip() for key, i in columns.items()}
        record = {
            "ticker_raw": field["ticker"],
            "name": field["name"],
            "sector": field["sector"],
            "asset_class": field["asset_class"],
            "weight": _number(field["weight"], "weight", line_no),
            "shares_held": _number(field["shares_held"], "shares_held", line_no),
            "market_value": _number(field["market_value"], "market_value", line_no),
        }
        if record["asset_class"].lower() != "equity":
            excluded.append({**record, "reason": f"not an equity ({record['asset_class']})"})
            continue
        symbol = from_ishares(record["ticker_raw"])
        if symbol is None:
            excluded.append({**record, "reason": "no usable ticker"})
            continue
        members.append({**record, "symbol": symbol})

    members, duplicates = _one_row_per_symbol(members)
    excluded.extend(duplicates)

    df = pd.DataFrame(members, columns=list(MEMBER_COLUMNS))
    df.attrs["as_of"] = file_as_of or as_of
    df.attrs["fund"] = _preamble_fund(preamble)
    df.attrs["excluded"] = pd.DataFrame(excluded, columns=list(EXCLUDED_COLUMNS))
    return df


def _decode(raw: bytes) -> str:
    if not isinstance(raw, (bytes, bytearray)):
        raise ValueError(f"holdings file: expected bytes, got {type(raw).__name__}")
    if b"\x00" in raw[:4096]:
        raise ValueError("holdings file: binary data (NUL bytes), not a CSV download")
    try:
        return bytes(raw).decode("utf-8-sig")
    except UnicodeDecodeError:
        # Re-saved by a spreadsheet on Windows; the table itself is ASCII.
        return bytes(raw).decode("cp1252", errors="replace")


def _csv_rows(text: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise ValueError(f"holdings file is not readable as CSV: {exc}") from exc


def _norm(cell: str) -> str:
    return " ".join(cell.replace("\ufeff", "").split()).lower()


def _find_header(rows: list[list[str]]) -> int:
    for i, cells in enumerate(rows[:_MAX_PREAMBLE_ROWS]):
        names = {_norm(c) for c in cells}
        if len(names & _KNOWN_HEADERS) >= 3:
            return i
    first = next((",".join(r)[:80] for r in rows if any(c.strip() for c in r)), "")
    raise ValueError(
        "holdings file: no header row (Ticker, Name, Asset Class, ...) in the first "
        f"{_MAX_PREAMBLE_ROWS} lines (first line: {first!r}); is this an iShares holdings CSV?"
    )


def _locate_columns(header: list[str]) -> dict[str, int]:
    names = [_norm(c) for c in header]
    columns, missing = {}, []
    for key, spellings in _HEADERS.items():
        found = next((names.index(s) for s in spellings if s in names), None)
        if found is None:
            missing.append(" or ".join(f"'{s.title()}'" for s in spellings))
        else:
            columns[key] = found
    if missing:
        raise ValueError(
            f"holdings file: required column missing: {', '.join(missing)}; "
            f"header was {[c.strip() for c in header]}"
        )
    return columns


def _table_rows(rows: list[list[str]], header_at: int, width: int):
    """(CSV record number, cells) of the table body: from the header to the first blank row
    or the one-cell legal footer."""
    for offset, cells in enumerate(rows[header_at + 1 :], start=header_at + 2):
        filled = [c for c in cells if c.strip()]
        if len(filled) <= 1 and len(cells) < width:
            return  # blank separator line, or the footer's single quoted cell
        if len(cells) != width:
            raise ValueError(
                f"holdings file, row {offset}: {len(cells)} fields where the header has "
                f"{width} ({','.join(cells)[:80]!r})"
            )
        yield offset, cells


def _number(text: str, column: str, line_no: int) -> float:
    if text in _EMPTY:
        return math.nan
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise ValueError(
            f"holdings file, row {line_no}: {column} {text!r} is not a number"
        ) from None


def _one_row_per_symbol(members: list[dict]) -> tuple[list[dict], list[dict]]:
    """Keep the largest holding of each symbol (universe_members is keyed by symbol);
    the others, such as a CVR listed under its parent's ticker, are excluded."""
    best: dict[str, dict] = {}
    for row in members:
        kept = best.get(row["symbol"])
        if kept is None or _size(row) > _size(kept):
            best[row["symbol"]] = row
    kept_ids = {id(r) for r in best.values()}
    unique = [r for r in members if id(r) in kept_ids]
    duplicates = [
        {
            **{k: v for k, v in r.items() if k != "symbol"},
            "reason": f"duplicate symbol {r['symbol']} (kept the larger holding "
            f"{best[r['symbol']]['name']!r})",
        }
        for r in members
        if id(r) not in kept_ids
    ]
    return unique, duplicates


def _size(row: dict) -> float:
    value = row["market_value"]
    return -math.inf if math.isnan(value) else value


def _preamble_as_of(preamble: list[list[str]]) -> dt.date | None:
    for cells in preamble:
        if cells and _norm(cells[0]) == _AS_OF_LABEL:
            text = cells[1].strip() if len(cells) > 1 else ""
            for fmt in _DATE_FORMATS:
                try:
                    return dt.datetime.strptime(text, fmt).date()
                except ValueError:
                    continue
            raise ValueError(f"holdings file: 'Fund Holdings as of' date {text!r} not understood")
    return None


def _preamble_fund(preamble: list[list[str]]) -> str | None:
    for cells in preamble:
        if cells and cells[0].strip():
            return cells[0].replace("\ufeff", "").strip()
    return None
