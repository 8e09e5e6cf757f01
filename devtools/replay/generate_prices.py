"""Deterministic synthetic price histories in Yahoo chart v8 and Stooq CSV formats.

Every symbol of the universe gets NYSE-session bars from START through END (the replay's
Yahoo serves that as each symbol's whole history): a random walk (numpy seeded by the
CRC32 of the symbol) bridged through waypoints, so the levels are plausible and the
story the tests rely on is exact: ^RUT's record close 2442.74 on 2021-11-08, its record
intraday high with a failed close on 2024-11-25, the tested-and-failed 2025-09-17 and
the record close of 2025-09-18, after a scripted pullback and rebound in September 2025
that turns ^RUT/^GSPC and IWM/SPY `leading` on 2025-09-17. `generate.py` writes them
with the other sources' files.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import zlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from rotation_radar.core import sessions

START = dt.date(2019, 1, 2)
END = dt.date(2025, 9, 19)
NEW_YORK = ZoneInfo("America/New_York")
D = dt.date.fromisoformat

# ^RUT story (see DESIGN.md): full bars on the days that matter.
RUT_RECORD_CLOSE = 2442.74
RUT_BARS = {  # date: (open, high, low, close)
    D("2021-11-08"): (2429.40, 2458.86, 2428.07, 2442.74),  # record close and high
    D("2024-11-25"): (2438.15, 2466.49, 2431.60, 2442.03),  # record high, close below record
    D("2025-09-17"): (2414.80, 2453.36, 2396.62, 2407.34),  # tested and failed (FOMC cut)
    D("2025-09-18"): (2431.50, 2472.39, 2428.10, 2467.70),  # new record close
    D("2025-09-19"): (2468.50, 2479.41, 2459.87, 2474.66),  # a bit higher still
}
RUT_NEW_RECORD = D("2025-09-18")
RUT_CEILING = 2440.00  # other closes stay below this; other highs below RUT_HIGH_CEILING
RUT_HIGH_CEILING = 2441.00

NULL_BARS = {("META", D("2023-03-15"))}  # Yahoo sometimes serves a bar of nulls
NVDA_SPLIT = (D("2024-06-10"), 10, 1)
NVDA_RECORDED_BEFORE_SPLIT = D("2024-06-07")


@dataclass(frozen=True)
class Dividends:
    """Quarterly dividends: ex-date rule, amount in the first year and yearly growth."""

    months: tuple[int, ...]
    rule: str | int  # "third_friday", "monday_after_third_friday" or a day of the month
    amount: float
    growth: float = 0.04


@dataclass(frozen=True)
class Spec:
    """How to simulate one symbol: Yahoo metadata, volatility, waypoints and dividends.

    With `base`, the waypoints are ratios to the base symbol's prices (an ETF tracking
    its index); otherwise they are closes. The first and last waypoints set the
    path's ends; a waypoint date that is not a session moves to the session before.
    """

    kind: str  # Yahoo instrumentType
    exchange: str  # Yahoo exchangeName
    sigma: float  # daily log-return volatility (of the ratio, with a base)
    volume: float  # typical daily volume
    waypoints: dict[str, float]
    base: str | None = None
    dividends: Dividends | None = None
    decimals: int = 2


def points(text: str) -> dict[str, float]:
    """Waypoints from "YYYY-MM-DD value, ..." (compact enough to read as a table)."""
    pairs = (item.split() for item in text.split(",") if item.strip())
    return {day: float(value) for day, value in pairs}


# The sessions before the FOMC meeting, scripted closes: a pullback from 2,391.81 to
# 2,287.97 (09-09..09-12) and a rebound into the meeting (09-15, 09-16). With the story's
# days it makes ^RUT/^GSPC and IWM/SPY turn `leading` on 2025-09-17 (marts.rotation);
# IWM's members sell off and rally with it (generate_ishares.IWM_SWING).
RUT_SEPTEMBER = points(
    "2025-09-02 2371.54, 2025-09-03 2314.81, 2025-09-04 2353.96, 2025-09-05 2391.81,"
    "2025-09-08 2382.65, 2025-09-09 2367.72, 2025-09-10 2313.63, 2025-09-11 2299.03,"
    "2025-09-12 2287.97, 2025-09-15 2339.30, 2025-09-16 2378.31"
)


QUARTER_ENDS = (3, 6, 9, 12)
PAYS_IN = (2, 5, 8, 11)

# Waypoints are "date value" pairs: closes, or for an ETF its ratio to the base's prices.
# fmt: off
SPECS: dict[str, Spec] = {
    "^RUT": Spec("INDEX", "WCB", sigma=0.015, volume=1.1e9, waypoints=points(
        "2019-01-02 1364.20, 2019-04-30 1591.21, 2019-08-05 1463.52, 2019-12-31 1668.47,"
        "2020-01-16 1705.22, 2020-03-18 991.16, 2020-06-08 1535.00, 2020-10-30 1538.48,"
        "2020-12-31 1974.86, 2021-03-15 2360.17, 2021-05-12 2166.00, 2021-06-08 2330.00,"
        "2021-07-19 2130.00, 2021-08-19 2130.00, 2021-10-04 2180.00, 2022-01-27 1931.29,"
        "2022-06-16 1649.84, 2022-08-16 2021.35, 2022-10-13 1682.00, 2022-12-30 1761.25,"
        "2023-02-02 1985.00, 2023-05-04 1718.80, 2023-07-31 2003.00, 2023-10-27 1636.94,"
        "2023-12-29 2027.07, 2024-04-19 1942.96, 2024-07-16 2263.67, 2024-08-07 2034.00,"
        "2024-12-31 2230.16, 2025-01-10 2190.00, 2025-04-08 1760.71, 2025-06-30 2175.04,"
        "2025-08-29 2366.42",
    ) | RUT_SEPTEMBER | {day.isoformat(): bar[3] for day, bar in RUT_BARS.items()}),
    "^GSPC": Spec("INDEX", "SNP", sigma=0.011, volume=4.2e9, waypoints=points(
        "2019-01-02 2510.03, 2019-07-26 3025.86, 2019-08-05 2844.74, 2019-12-31 3230.78,"
        "2020-02-19 3386.15, 2020-03-23 2237.40, 2020-06-08 3232.39, 2020-09-23 3236.92,"
        "2020-12-31 3756.07, 2021-06-30 4297.50, 2021-12-31 4766.18, 2022-06-16 3666.77,"
        "2022-08-16 4305.20, 2022-10-12 3577.03, 2022-12-30 3839.50, 2023-07-31 4588.96,"
        "2023-10-27 4117.37, 2023-12-29 4769.83, 2024-07-16 5667.20, 2024-08-05 5186.33,"
        "2024-12-31 5881.63, 2025-02-19 6144.15, 2025-04-08 4982.77, 2025-06-30 6204.95,"
        "2025-07-31 6339.39, 2025-08-29 6460.26, 2025-09-10 6532.04, 2025-09-17 6600.35,"
        "2025-09-18 6631.96, 2025-09-19 6664.36",
    )),
    "IWM": Spec("ETF", "PCX", sigma=0.0004, volume=28e6, base="^RUT",
                waypoints=points("2019-01-02 0.0991, 2025-09-19 0.0992"),
                dividends=Dividends(QUARTER_ENDS, "monday_after_third_friday", 0.70)),
    "SPY": Spec("ETF", "PCX", sigma=0.0003, volume=75e6, base="^GSPC",
                waypoints=points("2019-01-02 0.0997, 2025-09-19 0.0996"),
                dividends=Dividends(QUARTER_ENDS, "third_friday", 1.45, 0.03)),
    "RSP": Spec("ETF", "PCX", sigma=0.003, volume=6e6, base="^GSPC",
                waypoints=points("2019-01-02 0.0367, 2021-12-31 0.0340, 2025-09-19 0.0285"),
                dividends=Dividends(QUARTER_ENDS, "monday_after_third_friday", 0.60)),
    "QQQ": Spec("ETF", "NMS", sigma=0.005, volume=45e6, base="^GSPC",
                waypoints=points("2019-01-02 0.0598, 2021-12-31 0.0838, 2022-12-30 0.0693,"
                                 "2025-09-19 0.0899"),
                dividends=Dividends(QUARTER_ENDS, "monday_after_third_friday", 0.45, 0.08)),
    "AAPL": Spec("EQUITY", "NMS", sigma=0.018, volume=65e6, waypoints=points(
        "2019-01-02 39.48, 2020-03-23 56.09, 2020-12-31 132.69, 2021-12-31 177.57,"
        "2022-12-30 129.93, 2023-12-29 192.53, 2024-12-31 250.42, 2025-04-08 172.42,"
        "2025-09-19 245.50",
    ), dividends=Dividends(PAYS_IN, 9, 0.1925, 0.05)),
    "MSFT": Spec("EQUITY", "NMS", sigma=0.017, volume=25e6, waypoints=points(
        "2019-01-02 101.12, 2020-03-23 135.98, 2020-12-31 222.42, 2021-12-31 336.32,"
        "2022-12-30 239.82, 2023-12-29 376.04, 2024-12-31 421.50, 2025-04-08 354.56,"
        "2025-09-19 517.93",
    ), dividends=Dividends(PAYS_IN, 15, 0.46, 0.10)),
    "GOOGL": Spec("EQUITY", "NMS", sigma=0.019, volume=35e6, waypoints=points(
        "2019-01-02 52.73, 2020-03-23 52.90, 2020-12-31 87.63, 2021-12-31 144.85,"
        "2022-12-30 88.23, 2023-12-29 139.69, 2024-12-31 189.30, 2025-04-08 144.70,"
        "2025-09-19 254.72",
    )),
    "AMZN": Spec("EQUITY", "NMS", sigma=0.021, volume=60e6, waypoints=points(
        "2019-01-02 76.96, 2020-03-16 84.46, 2020-12-31 162.85, 2021-12-31 166.72,"
        "2022-12-30 84.00, 2023-12-29 151.94, 2024-12-31 219.39, 2025-04-08 170.66,"
        "2025-09-19 231.48",
    )),
    # Split-adjusted: NVDA's pre-split cents are thousandths of a dollar here.
    "NVDA": Spec("EQUITY", "NMS", sigma=0.032, volume=420e6, decimals=3, waypoints=points(
        "2019-01-02 3.406, 2020-03-18 4.930, 2020-12-31 13.050, 2021-12-31 29.410,"
        "2022-10-13 11.230, 2022-12-30 14.610, 2023-12-29 49.520, 2024-06-07 120.888,"
        "2024-12-31 134.290, 2025-04-04 94.310, 2025-09-19 176.670",
    )),
    "META": Spec("EQUITY", "NMS", sigma=0.026, volume=18e6, waypoints=points(
        "2019-01-02 135.68, 2020-03-16 146.01, 2020-12-31 273.16, 2021-09-07 382.18,"
        "2022-11-03 88.91, 2022-12-30 120.34, 2023-12-29 353.96, 2024-12-31 585.51,"
        "2025-04-21 484.66, 2025-09-19 778.38",
    )),
    "TSLA": Spec("EQUITY", "NMS", sigma=0.040, volume=110e6, waypoints=points(
        "2019-01-02 20.67, 2020-03-18 24.08, 2020-12-31 235.22, 2021-11-04 409.97,"
        "2022-12-30 123.18, 2023-12-29 248.48, 2024-04-22 142.05, 2024-12-31 403.84,"
        "2025-04-08 221.86, 2025-09-19 426.07",
    )),
}
# fmt: on
# A symbol added to the universe later (a basket constituent) still gets a plausible path.
DEFAULT_SPEC = Spec(
    "EQUITY", "NYQ", sigma=0.02, volume=5e6, waypoints=points("2019-01-02 50.0, 2025-09-19 80.0")
)


@dataclass
class History:
    """One symbol's bars as Yahoo would serve them (close split-adjusted), with its events."""

    symbol: str
    spec: Spec
    sessions: list[dt.date]
    open: list[float | None]
    high: list[float | None]
    low: list[float | None]
    close: list[float | None]
    volume: list[int | None]
    dividends: dict[dt.date, float] = field(default_factory=dict)
    splits: dict[dt.date, tuple[int, int]] = field(default_factory=dict)


# ---------------------------------------------------------------- simulation


def rng_for(symbol: str) -> np.random.Generator:
    """A generator seeded by the symbol's CRC32 (stable across runs, unlike hash())."""
    return np.random.default_rng(zlib.crc32(symbol.encode()))


def bridge(rng: np.random.Generator, n: int, pins: dict[int, float], sigma: float) -> np.ndarray:
    """A Gaussian random walk of n steps pinned to `pins` (index -> value) by Brownian bridges."""
    path = np.empty(n)
    marks = sorted(pins)
    if marks[0] != 0 or marks[-1] != n - 1:
        raise ValueError("bridge needs points at both ends")
    path[0] = pins[0]
    for a, b in zip(marks, marks[1:], strict=False):
        steps = b - a
        walk = np.cumsum(rng.normal(0.0, sigma, steps))
        frac = np.arange(1, steps + 1) / steps
        path[a + 1 : b + 1] = pins[a] + (pins[b] - pins[a]) * frac + walk - frac * walk[-1]
    return path


def waypoint_index(spec: Spec, days: list[dt.date]) -> dict[int, float]:
    """Waypoints as session index -> log value, clipped to the simulated range."""
    position = {day: i for i, day in enumerate(days)}
    pins = {}
    for iso, value in spec.waypoints.items():
        day = sessions.session_on_or_before(D(iso))
        if day in position:
            pins[position[day]] = float(np.log(value))
    return pins


def bars_from_closes(rng: np.random.Generator, close: np.ndarray, sigma: float):
    """Open, high and low around given closes: an overnight gap, then an intraday range."""
    previous = np.concatenate([[close[0]], close[:-1]])
    open_ = previous * np.exp(rng.normal(0.0, 0.35 * sigma, len(close)))
    high = np.maximum(open_, close) * np.exp(np.abs(rng.normal(0.0, 0.6 * sigma, len(close))))
    low = np.minimum(open_, close) * np.exp(-np.abs(rng.normal(0.0, 0.6 * sigma, len(close))))
    return open_, high, low


def simulate_prices(symbol: str, spec: Spec, days: list[dt.date], rng, done: dict[str, History]):
    """(open, high, low, close) arrays, split-adjusted, unrounded."""
    path = bridge(rng, len(days), waypoint_index(spec, days), spec.sigma)
    if spec.base:  # an ETF: its index's bar scaled by a slowly wandering ratio
        base = done[spec.base]
        ratio = np.exp(path)
        return tuple(
            np.array(getattr(base, k), dtype=float) * ratio
            for k in ("open", "high", "low", "close")
        )
    if symbol == "^RUT":
        return rut_prices(rng, spec, days, path)
    close = np.exp(path)
    return (*bars_from_closes(rng, close, spec.sigma), close)


def rut_prices(rng, spec: Spec, days: list[dt.date], path: np.ndarray):
    """^RUT: the random walk held below its record except on the story's days."""
    free = np.array([day < RUT_NEW_RECORD and day not in RUT_BARS for day in days])
    ceiling = np.log(RUT_CEILING)
    path = np.where(free & (path > ceiling), 2 * ceiling - path, path)  # reflect at the ceiling
    close = np.round(np.exp(path), 2)
    open_, high, low = bars_from_closes(rng, close, spec.sigma)
    prior_record = np.maximum.accumulate(np.concatenate([[0.0], close[:-1]]))
    for i, day in enumerate(days):
        if day in RUT_BARS:
            open_[i], high[i], low[i], close[i] = RUT_BARS[day]
            continue
        if not free[i]:
            continue
        # No accidental tests of the record: a high above the prior record close only
        # on a day that closes above it, and never above the story's highs.
        cap = (
            RUT_HIGH_CEILING
            if close[i] > prior_record[i]
            else min(prior_record[i] - 0.05, RUT_HIGH_CEILING)
        )
        cap = max(cap, close[i])
        open_[i] = min(open_[i], cap)
        high[i] = max(min(high[i], cap), open_[i], close[i])
        low[i] = min(low[i], open_[i], close[i])
    return open_, high, low, close


def simulate_volume(rng, spec: Spec, n: int) -> np.ndarray:
    return np.round(spec.volume * np.exp(rng.normal(0.0, 0.35, n))).astype(np.int64)


def ex_date(year: int, month: int, rule: str | int) -> dt.date:
    """The ex-dividend session of a quarter under the given rule."""
    if isinstance(rule, int):
        return sessions.session_on_or_after(dt.date(year, month, rule))
    fridays = [
        w[calendar.FRIDAY] for w in calendar.monthcalendar(year, month) if w[calendar.FRIDAY]
    ]
    third_friday = dt.date(year, month, fridays[2])
    if rule == "third_friday":
        return sessions.session_on_or_before(third_friday)
    return sessions.session_on_or_after(third_friday + dt.timedelta(days=3))


def simulate_dividends(rng, plan: Dividends, days: list[dt.date]) -> dict[dt.date, float]:
    first, last = days[0], days[-1]
    found = {}
    for year in range(first.year, last.year + 1):
        for month in plan.months:
            day = ex_date(year, month, plan.rule)
            if first < day <= last:
                years = (day - first).days / 365.25
                amount = plan.amount * (1 + plan.growth) ** years * np.exp(rng.normal(0.0, 0.04))
                found[day] = round(float(amount), 4)
    return found


def simulate(
    symbol: str, days: list[dt.date], done: dict[str, History], spec: Spec | None = None
) -> History:
    """The final (latest) Yahoo view of one symbol's history (`spec`: SPECS' by default)."""
    spec = spec or SPECS.get(symbol, DEFAULT_SPEC)
    rng = rng_for(symbol)
    prices = simulate_prices(symbol, spec, days, rng, done)
    open_, high, low, close = ([round(float(x), spec.decimals) for x in p] for p in prices)
    volume = [int(v) for v in simulate_volume(rng, spec, len(days))]
    dividends = simulate_dividends(rng, spec.dividends, days) if spec.dividends else {}
    history = History(symbol, spec, days, open_, high, low, close, volume, dividends)
    if symbol == "NVDA":
        add_split(history, *NVDA_SPLIT)
    for i, day in enumerate(days):
        if (symbol, day) in NULL_BARS:
            for column in (history.open, history.high, history.low, history.close, history.volume):
                column[i] = None
    return history


def add_split(history: History, day: dt.date, numerator: int, denominator: int) -> None:
    """Record a split in a split-adjusted history: the event, and volumes before it as
    whole multiples of the ratio (they were share counts on the old basis)."""
    history.splits[day] = (numerator, denominator)
    history.volume = [
        v // numerator * numerator if v is not None and d < day else v
        for d, v in zip(history.sessions, history.volume, strict=True)
    ]


def simulate_listed(
    symbol: str,
    spec: Spec,
    days: list[dt.date],
    base: History | None = None,
    beta: float = 1.0,
    common: np.ndarray | None = None,
) -> History:
    """A listed stock's final Yahoo view over `days` (a basket member, from its first bar).

    Its closes pass through the spec's waypoints (closes, split-adjusted); between them
    they move with `beta` times the base's log returns (a small cap with ^RUT, a large cap
    with ^GSPC), plus `common` (a log offset per session that a group of stocks shares,
    zero on the waypoints' sessions so as not to move the walk), plus a bridged walk of
    daily volatility spec.sigma of its own."""
    rng = rng_for(symbol)
    market, bar_sigma = np.zeros(len(days)), spec.sigma
    if base is not None:
        close_on = dict(zip(base.sessions, base.close, strict=True))
        level = np.log(np.array([close_on[d] for d in days], dtype=float))
        market = beta * (level - level[0])
        bar_sigma = float(np.hypot(spec.sigma, beta * base.spec.sigma))
    if common is not None:
        market = market + common
    pins = {i: value - market[i] for i, value in waypoint_index(spec, days).items()}
    close = np.exp(bridge(rng, len(days), pins, spec.sigma) + market)
    prices = (*bars_from_closes(rng, close, bar_sigma), close)
    open_, high, low, close = ([round(float(x), spec.decimals) for x in p] for p in prices)
    volume = [int(v) for v in simulate_volume(rng, spec, len(days))]
    dividends = simulate_dividends(rng, spec.dividends, days) if spec.dividends else {}
    return History(symbol, spec, days, open_, high, low, close, volume, dividends)


def unsplit_before(history: History, day: dt.date) -> History:
    """The history as recorded on `day`: later bars unknown, later splits not yet applied."""
    keep = [i for i, d in enumerate(history.sessions) if d <= day]
    factor = 1.0
    for split_day, (numerator, denominator) in history.splits.items():
        if split_day > day:
            factor *= numerator / denominator

    def price(column):
        return [None if column[i] is None else round(column[i] * factor, 2) for i in keep]

    return History(
        history.symbol,
        history.spec,
        [history.sessions[i] for i in keep],
        price(history.open),
        price(history.high),
        price(history.low),
        price(history.close),
        [None if history.volume[i] is None else round(history.volume[i] / factor) for i in keep],
        {d: round(a * factor, 4) for d, a in history.dividends.items() if d <= day},
        {d: r for d, r in history.splits.items() if d <= day},
    )


# ---------------------------------------------------------------- formats


@cache
def session_times(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A session's open and close in UTC (cached: every recording stamps the same days)."""
    return sessions.open_close(day)


def epoch(moment: dt.datetime) -> int:
    return calendar.timegm(moment.utctimetuple())


def dividend_factors(history: History) -> list[float]:
    """Yahoo's back-adjustment: closes before an ex-date times (1 - dividend / previous close)."""
    n = len(history.sessions)
    factor_at = [1.0] * n
    position = {d: i for i, d in enumerate(history.sessions)}
    for day, amount in history.dividends.items():
        k = position[day]
        previous = next(c for c in reversed(history.close[:k]) if c is not None)
        factor_at[k - 1] *= 1 - amount / previous
    factors, running = [1.0] * n, 1.0
    for i in range(n - 1, -1, -1):
        running *= factor_at[i]
        factors[i] = running
    return factors


def adjusted_close(history: History) -> list[float | None]:
    factors = dividend_factors(history)
    return [
        None if c is None else round(c * f, 4) for c, f in zip(history.close, factors, strict=True)
    ]


def trading_period(day: dt.date) -> dict:
    open_utc, close_utc = session_times(day)
    local = open_utc.astimezone(NEW_YORK)
    offset = int(local.utcoffset().total_seconds())
    zone = local.tzname()
    pre_start = dt.datetime.combine(day, dt.time(4, 0), NEW_YORK)

    def period(start: dt.datetime, end: dt.datetime) -> dict:
        return {"timezone": zone, "start": epoch(start), "end": epoch(end), "gmtoffset": offset}

    return {
        "pre": period(pre_start, open_utc),
        "regular": period(open_utc, close_utc),
        "post": period(close_utc, close_utc + dt.timedelta(hours=4)),
    }


def yahoo_chart(history: History) -> dict:
    """The chart v8 response for the whole history (bars stamped at each session's open)."""
    stamps = [epoch(session_times(d)[0]) for d in history.sessions]
    last_day = history.sessions[-1]
    last_open, last_close = session_times(last_day)
    local = last_open.astimezone(NEW_YORK)
    closes = [c for c in history.close if c is not None]
    meta = {
        "currency": "USD",
        "symbol": history.symbol,
        "exchangeName": history.spec.exchange,
        "instrumentType": history.spec.kind,
        "firstTradeDate": stamps[0],
        "regularMarketTime": epoch(last_close),
        "gmtoffset": int(local.utcoffset().total_seconds()),
        "timezone": local.tzname(),
        "exchangeTimezoneName": "America/New_York",
        "regularMarketPrice": closes[-1],
        "chartPreviousClose": closes[0],
        "priceHint": history.spec.decimals,
        "currentTradingPeriod": trading_period(last_day),
        "dataGranularity": "1d",
        "range": "",
        "validRanges": ["1d", "5d", "1mo", "3mo", "6mo", "1y", "2y", "5y", "10y", "ytd", "max"],
    }
    result = {"meta": meta, "timestamp": stamps}
    events = {}
    if history.dividends:
        events["dividends"] = {}
        for day, amount in history.dividends.items():
            ts = epoch(session_times(day)[0])
            events["dividends"][str(ts)] = {"amount": amount, "date": ts}
    if history.splits:
        events["splits"] = {}
        for day, (numerator, denominator) in history.splits.items():
            ts = epoch(session_times(day)[0])
            events["splits"][str(ts)] = {
                "date": ts,
                "numerator": numerator,
                "denominator": denominator,
                "splitRatio": f"{numerator}:{denominator}",
            }
    if events:
        result["events"] = events
    quote = {
        "open": history.open,
        "high": history.high,
        "low": history.low,
        "close": history.close,
        "volume": history.volume,
    }
    result["indicators"] = {"quote": [quote], "adjclose": [{"adjclose": adjusted_close(history)}]}
    return {"chart": {"result": [result], "error": None}}


def number(value: float) -> str:
    """Stooq-style number: up to 4 decimals, no trailing zeros."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def stooq_csv(history: History) -> str:
    """Stooq's daily CSV: prices split- and dividend-adjusted; null bars are simply absent."""
    lines = ["Date,Open,High,Low,Close,Volume"]
    factors = dividend_factors(history)
    for i, day in enumerate(history.sessions):
        if history.close[i] is None:
            continue
        f = factors[i]
        prices = (history.open[i], history.high[i], history.low[i], history.close[i])
        lines.append(
            ",".join([day.isoformat(), *(number(p * f) for p in prices), str(history.volume[i])])
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- output


def write_json(path: Path, doc: dict) -> None:
    path.write_text(json.dumps(doc, sort_keys=True, separators=(",", ":")) + "\n")
