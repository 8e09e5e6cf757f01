"""Stooq daily CSV: the fallback for symbols Yahoo cannot serve.

Stooq's prices are split- and dividend-adjusted (so close == adj_close here,
marked `split_dividend`), its header may be Polish, and the last row of a
download made during a session is a partial bar.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd

from rotation_radar.core.symbols import to_stooq
from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable, UnknownSymbol
from rotation_radar.sources import Fetched
from rotation_radar.sources.yahoo import Chart

SOURCE = "stooq"
COLUMNS = ["date", "open", "high", "low", "close", "volume"]  # by position: header may be Polish


def fetch(http: HttpSource, symbol: str, start: dt.date, session: dt.date) -> Fetched:
    params = {"s": to_stooq(symbol), "i": "d", "d1": f"{start:%Y%m%d}", "d2": f"{session:%Y%m%d}"}
    response = http.get("/q/d/l/", params, what=f"prices for {symbol}")
    return Fetched.from_response(SOURCE, symbol, response)


def check_status(fetched: Fetched, http: HttpSource) -> None:
    what = f"prices for {fetched.symbol} from {SOURCE}"
    if fetched.status == 429 or fetched.status >= 500:
        raise SourceUnavailable(f"{what}: HTTP {fetched.status} after {http.retries} retries")
    if fetched.status != 200:
        raise SourceError(f"{what}: HTTP {fetched.status}")
    if fetched.body.strip().lower() in (b"no data", b"brak danych"):
        raise UnknownSymbol(f"{what}: unknown symbol (Stooq answered 'No data')")


def parse(body: bytes, symbol: str, served_at: dt.datetime | None) -> Chart:
    what = f"stooq csv for {symbol}"
    text = body.decode("utf-8-sig", "replace")
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str)
    except (ValueError, pd.errors.ParserError) as exc:
        raise SourceError(f"{what}: unreadable CSV ({exc})") from None
    if raw.shape[1] < len(COLUMNS):
        raise SourceError(
            f"{what}: expected {len(COLUMNS)} columns, got header {list(raw.columns)}"
        )
    raw = raw.iloc[:, : len(COLUMNS)]
    raw.columns = COLUMNS
    try:
        dates = pd.to_datetime(raw["date"], format="%Y-%m-%d").dt.date
    except ValueError as exc:
        raise SourceError(f"{what}: bad date ({exc})") from None
    prices = {
        c: pd.to_numeric(raw[c], errors="coerce").astype("float64").tolist() for c in COLUMNS[1:5]
    }
    columns = {
        "symbol": [symbol] * len(raw),
        "date": dates.tolist(),
        **prices,
        "adj_close": list(prices["close"]),
        "volume": pd.to_numeric(raw["volume"], errors="coerce").round().astype("Int64").tolist(),
        "currency": ["USD"] * len(raw),
    }
    return Chart(columns, [], served_at, "split_dividend")
