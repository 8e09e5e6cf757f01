"""Yahoo Finance chart API v8: daily bars, splits and dividends.

`close` is split-adjusted and `adjclose` split- and dividend-adjusted; bars are
stamped at the session's open in exchange time.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass
from functools import cached_property
from zoneinfo import ZoneInfo

import pandas as pd

from rotation_radar.core import sessions
from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable, UnknownSymbol
from rotation_radar.sources import Fetched

SOURCE = "yahoo_finance"
BAR_COLUMNS = ["symbol", "date", "open", "high", "low", "close", "adj_close", "volume", "currency"]
EVENT_COLUMNS = ["symbol", "date", "kind", "value"]


@dataclass
class Chart:
    """Parsed daily history: bars, corporate actions and when the data was current.
    The bars are kept as columns of plain values (BAR_COLUMNS -> one value per bar),
    the frames made when asked for: a nightly load parses thousands of small responses
    into one frame, and a frame per response costs more than its parse."""

    columns: dict[str, list]
    event_rows: list[tuple]  # EVENT_COLUMNS
    as_of: dt.datetime | None  # bars of sessions closing after this are not final
    adjustment: str

    @cached_property
    def bars(self) -> pd.DataFrame:
        return bars_frame(self.columns)

    @cached_property
    def events(self) -> pd.DataFrame:
        events = pd.DataFrame(self.event_rows, columns=EVENT_COLUMNS)
        return (
            events.sort_values(["date", "kind"], ignore_index=True) if self.event_rows else events
        )


def bars_frame(columns: dict[str, list]) -> pd.DataFrame:
    """Bars as a typed frame: prices float64 (NaN where missing), volume Int64."""
    return pd.DataFrame(
        {
            "symbol": columns["symbol"],
            "date": columns["date"],
            **{
                c: pd.array(columns[c], dtype="float64")
                for c in ("open", "high", "low", "close", "adj_close")
            },
            "volume": pd.array(columns["volume"], dtype="Int64"),
            "currency": columns["currency"],
        },
        columns=BAR_COLUMNS,
    )


def epoch(moment: dt.datetime) -> int:
    return calendar.timegm(moment.utctimetuple())


def fetch(http: HttpSource, symbol: str, start: dt.date, session: dt.date) -> Fetched:
    """Daily bars from `start` through `session` (period2 is the session's close)."""
    period1 = epoch(dt.datetime.combine(start, dt.time(), dt.UTC))
    period2 = epoch(sessions.open_close(session)[1])
    params = {"period1": period1, "period2": period2, "interval": "1d", "events": "div,splits"}
    response = http.get(f"/v8/finance/chart/{symbol}", params, what=f"prices for {symbol}")
    return Fetched.from_response(SOURCE, symbol, response)


def check_status(fetched: Fetched, http: HttpSource) -> None:
    """Raise the error a non-200 answer means (after the transport's retries)."""
    if fetched.status == 200:
        return
    what = f"prices for {fetched.symbol} from {SOURCE}"
    if fetched.status == 404:
        raise UnknownSymbol(f"{what}: unknown symbol ({_error_description(fetched.body)})")
    if fetched.status == 429 or fetched.status >= 500:
        raise SourceUnavailable(f"{what}: HTTP {fetched.status} after {http.retries} retries")
    raise SourceError(f"{what}: HTTP {fetched.status}: {_error_description(fetched.body)}")


def _error_description(body: bytes) -> str:
    try:
        error = json.loads(body)["chart"]["error"]
        return f"{error['code']}: {error['description']}"
    except (ValueError, KeyError, TypeError):
        return body[:120].decode("utf-8", "replace")


def parse(body: bytes, symbol: str) -> Chart:
    """Parse a chart response; SourceError names the symbol and what is wrong."""
    what = f"yahoo chart for {symbol}"
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise SourceError(f"{what}: malformed JSON ({exc}); first bytes {body[:60]!r}") from None
    try:
        chart = doc["chart"]
        if chart.get("error"):
            raise SourceError(f"{what}: source error {chart['error']}")
        result = chart["result"][0]
        meta = result["meta"]
    except (KeyError, IndexError, TypeError) as exc:
        raise SourceError(f"{what}: unexpected shape, missing {exc}") from None

    zone = ZoneInfo(meta.get("exchangeTimezoneName") or "America/New_York")
    stamps = result.get("timestamp") or []
    indicators = result.get("indicators") or {}
    quote = (indicators.get("quote") or [{}])[0]
    adjclose = (indicators.get("adjclose") or [{}])[0].get("adjclose")
    columns = {
        name: quote.get(name) or [None] * len(stamps)
        for name in ("open", "high", "low", "close", "volume")
    }
    columns["adj_close"] = adjclose if adjclose is not None else columns["close"]
    for name, values in columns.items():
        if len(values) != len(stamps):
            raise SourceError(
                f"{what}: {name} has {len(values)} values for {len(stamps)} timestamps"
            )
        garbled = next(
            (v for v in values if v is not None and not isinstance(v, (int, float))), None
        )
        if garbled is not None:
            raise SourceError(f"{what}: {name} has a value that is not a number: {garbled!r}")

    columns["symbol"] = [symbol] * len(stamps)
    columns["date"] = [dt.datetime.fromtimestamp(t, zone).date() for t in stamps]
    columns["currency"] = [meta.get("currency") or "USD"] * len(stamps)
    market_time = meta.get("regularMarketTime")
    as_of = dt.datetime.fromtimestamp(market_time, dt.UTC) if market_time else None
    return Chart(columns, _events(result.get("events") or {}, symbol, zone), as_of, "split")


def _events(events: dict, symbol: str, zone: ZoneInfo) -> list[tuple]:
    rows = []
    for item in (events.get("splits") or {}).values():
        ratio = float(item["numerator"]) / float(item["denominator"])
        rows.append((symbol, dt.datetime.fromtimestamp(item["date"], zone).date(), "split", ratio))
    for item in (events.get("dividends") or {}).values():
        rows.append(
            (
                symbol,
                dt.datetime.fromtimestamp(item["date"], zone).date(),
                "dividend",
                float(item["amount"]),
            )
        )
    return rows
