"""A synthetic production-size universe in the replay formats, for `make bench`.

Usage: python -m devtools.replay.generate_scale OUT [--symbols 2500] [--years 25]
       [--end 2025-09-19] [--workers 2]

Writes into OUT the folder layout `devtools.replay.server` serves, with the
formats of the demo replay (its writers are reused, not copied):

- `yahoo/<SYMBOL>.json`: Yahoo chart v8 for every symbol over the NYSE sessions of the
  last `years` years through `end`: the universe's indices, ETFs and Magnificent Seven
  (`generate_prices.simulate`, the demo's ^RUT story included, extended back in time through
  rough public-record levels; GOOGL, META and TSLA from their listing dates) and
  `symbols - 6` equities: invented members (`generate_prices.simulate_listed`: a beta to
  ^RUT or ^GSPC plus a bridged walk of their own), about one in five in IVV, the rest in
  IWM. Some pay quarterly dividends, about 1.5% split (2:1 or 3:1), about 0.5% have one
  all-null bar, as Yahoo's data sometimes does.
- The last two sessions are the benchmark's two nights: the session before `end` brings
  no split or dividend (an ex-date drawn on it goes ex the session before instead), and
  `end` brings the dividends drawn on it (at 2,500 symbols, eight: SPY's and seven
  members') and one 3:1 split, of the first member in subset order that pays no dividend
  and had no split or null bar drawn. That member's history as Yahoo served it before
  the split is `yahoo/<SYMBOL>@<session before end>.json` (the replay server answers
  with it for any period2 up to that day).
- `ishares/<product id>/<YYYY-MM-DD>.csv`: IWM and IVV holdings files for every
  month-end session of the span and `end` (`generate_ishares.holdings_table`; the
  universe file's holdings_start stays the project's default, 2024-12-31); Price is
  the price as traded that day, Quantity an invented member's shares outstanding (the
  Magnificent Seven: the fund's position).
- `sec/files/company_tickers.json`, `sec/api/xbrl/companyfacts/CIK##########.json` for
  every member (quarterly 10-Q/10-K facts over the span, from the first fiscal year
  starting in it, so a span under two years has no TTM at its end: NetIncomeLoss, EPS diluted,
  Revenues or RevenueFromContract..., OperatingIncomeLoss, InterestExpense and dei
  shares outstanding, from `generate_sec`'s simulation and writers) and the daily form
  indexes of the last 30 days before `end` (what the earnings DAG reads).
- `universe.yaml` (for RADAR_UNIVERSE) and `universe.json`: the parameters, counts,
  the symbols with a dividend or a split on each of the last two sessions
  (`last_sessions`), every member in subset order (the first k members keep IVV's
  share: smaller universes for growth figures are prefixes), generation time and size
  on disk. It is written last: a folder whose universe.json matches the parameters is
  complete and reused.

Deterministic: every random draw is seeded by the CRC32 of a name, so a symbol's data
does not depend on the universe's size or on the number of worker processes.
Not written: stooq/, fed/, fred/ and SEC submissions (no DAG task reads them here).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import math
import multiprocessing
import os
import random
import shutil
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from devtools.replay import generate_ishares as ishares_gen
from devtools.replay import generate_prices as prices_gen
from devtools.replay import generate_sec as sec_gen
from rotation_radar.core import sessions, settings

VERSION = 3  # bump when the output changes: a cached folder of another version is rebuilt
INDICES = ("^RUT", "^GSPC")
ETFS = ("IWM", "SPY", "RSP", "QQQ")
MAG7 = ("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "META", "TSLA")
UNIVERSE = (*INDICES, *ETFS, *MAG7)
LISTED = {"GOOGL": dt.date(2004, 8, 19), "TSLA": dt.date(2010, 6, 29), "META": dt.date(2012, 5, 18)}
# Levels before the demo's waypoints (which start in 2019), roughly the public record
# (split-adjusted closes). A history starting between two waypoints starts at their
# log-linear interpolation.
# fmt: off
EARLY = {
    "^RUT": prices_gen.points(
        "1999-09-20 430.0, 2000-03-09 606.1, 2002-10-09 327.0, 2007-07-13 855.8,"
        "2009-03-09 343.3, 2011-04-29 865.3, 2014-03-04 1208.7, 2016-02-11 953.7,"
        "2018-08-31 1740.8, 2018-12-24 1266.9"),
    "^GSPC": prices_gen.points(
        "1999-09-20 1335.4, 2000-03-24 1527.5, 2002-10-09 776.8, 2007-10-09 1565.2,"
        "2009-03-09 676.5, 2011-04-29 1363.6, 2015-05-21 2130.8, 2016-02-11 1829.1,"
        "2018-09-20 2930.8, 2018-12-24 2351.1"),
    "AAPL": prices_gen.points("1999-09-20 0.55, 2000-03-22 1.05, 2003-04-17 0.23, 2007-12-27 7.10,"
                              "2009-01-20 2.65, 2012-09-19 25.0, 2016-05-12 21.5"),
    "MSFT": prices_gen.points("1999-09-20 46.0, 2002-07-23 21.0, 2009-03-09 15.2, 2013-01-02 27.6,"
                              "2016-01-04 54.8"),
    "GOOGL": prices_gen.points("2004-08-19 2.51, 2007-11-06 18.65, 2008-11-21 6.60,"
                               "2015-01-02 26.5"),
    "AMZN": prices_gen.points("1999-09-20 3.40, 2001-09-28 0.28, 2007-12-26 4.80, 2008-11-20 2.10,"
                              "2015-01-02 15.4"),
    "NVDA": prices_gen.points("1999-09-20 0.035, 2002-10-09 0.017, 2007-10-31 0.920,"
                              "2008-11-20 0.140, 2016-01-04 0.800, 2018-10-01 7.000"),
    "META": prices_gen.points("2012-05-18 38.23, 2012-09-04 17.73, 2015-01-02 78.45"),
    "TSLA": prices_gen.points("2010-06-29 1.59, 2013-09-30 12.9, 2016-01-04 14.9"),
}
# fmt: on
FUNDS = ("IWM", "IVV")
BASES = {"IWM": "^RUT", "IVV": "^GSPC"}
# Tickers an invented member must never take: the demo's symbols and the tickers that
# generate_sec treats specially (pinned filings, September filers, the restater's CIKs).
RESERVED = (
    set(UNIVERSE)
    | ishares_gen.RESERVED
    | set(sec_gen.SEPTEMBER_FILERS)
    | set(sec_gen.PINNED_FILINGS)
    | set(sec_gen.MORE_LOSS_MAKERS)
    | {sec_gen.NOT_AT_SEC, "BRKB", "BRK", "GOOG", "XTSLA", "USD"}
)
BIG_CAPS = {spec[1][0]: spec for spec in sec_gen.BIG_CAPS}
INDEX_DAYS = 30  # calendar days before `end` with a daily form index
MAG7_FUND_SHARE = 0.006  # IVV's position in a Magnificent Seven stock: its share of the stock
END_SPLIT_RATIO = 3  # the split on `end` (a 3:1 forward split)


# ---------------------------------------------------------------- the universe


@dataclass(frozen=True)
class Member:
    """An invented member: what its prices, holdings lines and SEC files are drawn from."""

    ticker: str  # Yahoo = iShares = SEC spelling (plain letters)
    fund: str
    name: str
    sector: str
    exchange: str  # as the holdings file writes it
    beta: float
    sigma: float
    price_end: float  # close on `end` (a waypoint: exact)
    start_level: float  # close on the first session, before the market's move
    shares_end: float  # shares outstanding on `end`
    growth: float  # yearly growth of the share count
    dividends: prices_gen.Dividends | None
    split: tuple[dt.date, int] | None  # ex-date and ratio of a forward split
    null_day: dt.date | None  # a bar Yahoo serves as nulls
    volume: float

    @property
    def small(self) -> bool:
        return self.fund == "IWM"

    def shares_at(self, day: dt.date, end: dt.date) -> int:
        """Shares outstanding on `day` on the latest basis (after any split)."""
        return round(self.shares_end * math.exp(-self.growth * (end - day).days / 365.25))

    def split_factor(self, day: dt.date) -> int:
        """How many of today's shares one share of `day` became."""
        return self.split[1] if self.split and day < self.split[0] else 1


def tickers(count: int) -> list[str]:
    """`count` invented tickers (3 or 4 letters), the same first ones whatever `count`."""
    rng = random.Random(zlib.crc32(b"scale-tickers"))
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    found, seen = [], set(RESERVED)
    while len(found) < count:
        ticker = "".join(rng.choice(letters) for _ in range(rng.choice((3, 4, 4))))
        if ticker not in seen:
            seen.add(ticker)
            found.append(ticker)
    return found


def fund_sizes(symbols: int) -> tuple[int, int]:
    """(invented IVV members, IWM members) of a universe of `symbols` symbols: the six
    indices and ETFs, the Magnificent Seven (IVV members) and the invented members."""
    equities = symbols - len(INDICES) - len(ETFS)
    if equities < len(MAG7) + 2:
        raise ValueError(f"--symbols {symbols}: at least {len(UNIVERSE) + 2} symbols")
    ivv = max(len(MAG7) + 1, round(equities / 5))
    return ivv - len(MAG7), equities - ivv


def plan_members(symbols: int, days: list[dt.date], holdings_days: list[dt.date]) -> list[Member]:
    """The invented members in subset order: every fifth an IVV member while IVV has room."""
    ivv_count, iwm_count = fund_sizes(symbols)
    members, counts = [], {"IVV": 0, "IWM": 0}
    avoid_null = set(holdings_days) | set(days[-12:])
    for index, ticker in enumerate(tickers(ivv_count + iwm_count)):
        fund = (
            "IVV"
            if (index % 5 == 0 and counts["IVV"] < ivv_count) or counts["IWM"] >= iwm_count
            else "IWM"
        )
        counts[fund] += 1
        members.append(draw_member(ticker, fund, days, avoid_null))
    return split_on_end(members, days)


def split_on_end(members: list[Member], days: list[dt.date]) -> list[Member]:
    """The members with one split on the last session: the first member in subset order
    that pays no dividend and had no split or null bar drawn (the same one whatever the
    universe's size, as the members are prefixes)."""
    for i, m in enumerate(members):
        if m.dividends is None and m.split is None and m.null_day is None:
            members[i] = dataclasses.replace(m, split=(days[-1], END_SPLIT_RATIO))
            break
    return members


def quiet_before_end(history: prices_gen.History, days: list[dt.date]) -> prices_gen.History:
    """No new event on the session before the last (the benchmark's plain night): a
    dividend drawn on it goes ex the session before instead."""
    if len(days) > 2 and days[-2] in history.dividends:
        history.dividends[days[-3]] = history.dividends.pop(days[-2])
        history.dividends = dict(sorted(history.dividends.items()))
    return history


def draw_member(ticker: str, fund: str, days: list[dt.date], avoid_null: set[dt.date]) -> Member:
    rng = random.Random(zlib.crc32(f"scale-{ticker}".encode()))
    small = fund == "IWM"
    a, b = rng.choice(ishares_gen.SYLLABLES), rng.choice(ishares_gen.SYLLABLES)
    name = f"{a}{b.lower()} {rng.choice(ishares_gen.SUFFIXES)}".upper()
    sector = rng.choice(ishares_gen.SECTORS)
    exchange = rng.choice(("NASDAQ", "New York Stock Exchange Inc."))
    cap = math.exp(
        rng.uniform(math.log(0.3e9), math.log(8e9))
        if small
        else rng.uniform(math.log(10e9), math.log(300e9))
    )
    price = round(rng.uniform(5, 150) if small else rng.uniform(30, 600), 2)
    beta = rng.uniform(0.8, 1.4) if small else rng.uniform(0.7, 1.3)
    sigma = rng.uniform(0.014, 0.026) if small else rng.uniform(0.008, 0.016)
    growth = rng.uniform(-0.02, 0.04) if small else rng.uniform(-0.03, 0.01)
    start_level = price * math.exp(rng.gauss(0.0, 0.6))
    split = None
    if rng.random() < 0.015 and len(days) > 60:
        split = (days[rng.randrange(20, len(days) - 20)], rng.choice((2, 3)))
    null_day = None
    if rng.random() < 0.005:
        candidates = [d for d in days[1:] if d not in avoid_null]
        null_day = candidates[rng.randrange(len(candidates))] if candidates else None
    dividends = None
    if rng.random() < (
        0.5 if not small else 0.35 if sector in ("Financials", "Utilities") else 0.1
    ):
        months = rng.choice((prices_gen.QUARTER_ENDS, prices_gen.PAYS_IN, (1, 4, 7, 10)))
        amount = round(min(start_level, price) * rng.uniform(0.01, 0.03) / 4, 4)
        dividends = prices_gen.Dividends(
            months, rng.randint(5, 25), max(amount, 0.01), rng.uniform(0.0, 0.03)
        )
    shares = cap / price
    volume = shares * rng.uniform(0.004, 0.012)
    return Member(
        ticker,
        fund,
        name,
        sector,
        exchange,
        beta,
        sigma,
        price,
        start_level,
        shares,
        growth,
        dividends,
        split,
        null_day,
        volume,
    )


# ---------------------------------------------------------------- prices


def pinned(waypoints: dict[str, float], first: dt.date) -> dict[str, float]:
    """Waypoints from `first` on, with one on `first` (log-linear between its neighbours;
    the nearest one's value outside them)."""
    ordered = sorted((dt.date.fromisoformat(d), v) for d, v in waypoints.items())
    before = [(d, v) for d, v in ordered if d <= first]
    after = [(d, v) for d, v in ordered if d > first]
    if before and after:
        (d0, v0), (d1, v1) = before[-1], after[0]
        frac = (first - d0).days / (d1 - d0).days
        value = math.exp(math.log(v0) + frac * (math.log(v1) - math.log(v0)))
    else:
        value = (before[-1] if before else after[0])[1]
    out = {first.isoformat(): round(value, 6)}
    out.update({d.isoformat(): v for d, v in after})
    return out


def universe_specs(days: list[dt.date]) -> dict[str, prices_gen.Spec]:
    """The demo's specs of the universe's symbols, with a waypoint on each one's first session."""
    specs = {}
    for symbol in UNIVERSE:
        spec = prices_gen.SPECS[symbol]
        first = first_day(symbol, days)
        waypoints = {**EARLY.get(symbol, {}), **spec.waypoints}
        if spec.base and first.isoformat() < min(spec.waypoints):
            # an ETF's ratio to its index: held at its first value before the demo's span
            waypoints[first.isoformat()] = spec.waypoints[min(spec.waypoints)]
        specs[symbol] = dataclasses.replace(spec, waypoints=pinned(waypoints, first))
    return specs


def first_day(symbol: str, days: list[dt.date]) -> dt.date:
    listed = LISTED.get(symbol)
    return next(d for d in days if d >= listed) if listed and listed > days[0] else days[0]


def simulate_universe(days: list[dt.date]) -> dict[str, prices_gen.History]:
    """Histories of the indices, ETFs and Magnificent Seven (bases first)."""
    specs = universe_specs(days)
    done: dict[str, prices_gen.History] = {}
    for symbol in sorted(UNIVERSE, key=lambda s: specs[s].base is not None):
        own_days = [d for d in days if d >= first_day(symbol, days)]
        done[symbol] = quiet_before_end(
            prices_gen.simulate(symbol, own_days, done, specs[symbol]), days
        )
    return done


def member_history(
    member: Member, days: list[dt.date], base: prices_gen.History
) -> prices_gen.History:
    """A member's final Yahoo view: split-adjusted closes through its waypoints."""
    spec = prices_gen.Spec(
        "EQUITY",
        ishares_gen.YAHOO_EXCHANGES[member.exchange],
        member.sigma,
        member.volume,
        {days[0].isoformat(): round(member.start_level, 4), days[-1].isoformat(): member.price_end},
        dividends=member.dividends,
    )
    history = quiet_before_end(
        prices_gen.simulate_listed(member.ticker, spec, days, base, member.beta), days
    )
    if member.split:
        prices_gen.add_split(history, member.split[0], member.split[1], 1)
    if member.null_day:
        i = history.sessions.index(member.null_day)
        for column in (history.open, history.high, history.low, history.close, history.volume):
            column[i] = None
    return history


def traded_closes(history: prices_gen.History, wanted: list[dt.date]) -> dict[str, float]:
    """Closes as traded (before a split, not adjusted) on the wanted days it has a bar for."""
    at = {d: c for d, c in zip(history.sessions, history.close, strict=True) if c is not None}
    return {
        day.isoformat(): round(at[day] / split_factor(history, day), 2)
        for day in wanted
        if day in at
    }


# Set in the parent before the worker pool forks (so not pickled per task).
_STATE: dict = {}


def _write_chunk(chunk: list[Member]) -> tuple[dict[str, dict[str, float]], dict]:
    """Worker: write the members' Yahoo recordings; returns their traded closes on the
    holdings dates and their events on the last two sessions (last_events)."""
    days, bases, out, wanted = (
        _STATE["days"],
        _STATE["bases"],
        _STATE["out"],
        _STATE["holdings_days"],
    )
    closes, events = {}, {}
    for member in chunk:
        history = member_history(member, days, bases[BASES[member.fund]])
        events[member.ticker] = last_events(history, days)
        prices_gen.write_json(
            out / "yahoo" / f"{member.ticker}.json", prices_gen.yahoo_chart(history)
        )
        if member.split and member.split[0] == days[-1]:  # as served the session before
            prices_gen.write_json(
                out / "yahoo" / f"{member.ticker}@{days[-2]}.json",
                prices_gen.yahoo_chart(prices_gen.unsplit_before(history, days[-2])),
            )
        closes[member.ticker] = traded_closes(history, wanted)
    return closes, events


def last_events(history: prices_gen.History, days: list[dt.date]) -> dict[str, list[str]]:
    """A history's splits and dividends on the last two sessions: {"<day>": [kinds]}."""
    found: dict[str, list[str]] = {}
    for day in days[-2:]:
        kinds = ["dividend"] * (day in history.dividends) + ["split"] * (day in history.splits)
        if kinds:
            found[day.isoformat()] = kinds
    return found


def events_by_session(events: dict[str, dict], days: list[dt.date]) -> dict[str, dict]:
    """The symbols with a dividend or a split on each of the last two sessions."""
    return {
        day.isoformat(): {
            kind: sorted(s for s, found in events.items() if kind in found.get(day.isoformat(), []))
            for kind in ("dividend", "split")
        }
        for day in days[-2:]
    }


# ---------------------------------------------------------------- holdings


def month_end_sessions(first: dt.date, end: dt.date) -> list[dt.date]:
    """The last session of each month from `first`'s month through the month before
    `end`'s (those on or after `first`), and `end`."""
    found, year, month = [], first.year, first.month
    while (year, month) < (end.year, end.month):
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        last = sessions.session_on_or_before(following - dt.timedelta(days=1))
        if last >= first:
            found.append(last)
        year, month = following.year, following.month
    return [*found, end]


def write_holdings(
    out: Path, members: list[Member], universe: dict, closes: dict, holdings_days, end
) -> int:
    """ishares/<product>/<as-of>.csv of both funds for every holdings date; returns files."""
    written = 0
    mag7_shares = {s: BIG_CAPS[s][4] * 1e9 * MAG7_FUND_SHARE for s in MAG7}
    mag7_names = {t: (n, sector) for t, n, _b, _p, sector in ishares_gen.MAG7}
    for fund in FUNDS:
        folder = out / "ishares" / ishares_gen.FUNDS[fund][0]
        folder.mkdir(parents=True, exist_ok=True)
        for as_of in holdings_days:
            key = as_of.isoformat()
            holdings = []
            if fund == "IVV":
                for symbol in MAG7:
                    price = closes[symbol].get(key)
                    if price is None:  # not listed yet
                        continue
                    quantity = round(mag7_shares[symbol] * split_factor(universe[symbol], as_of))
                    name, sector = mag7_names[symbol]
                    holdings.append(
                        (symbol, name, sector, quantity * price, price, "NASDAQ", quantity)
                    )
            for m in members:
                if m.fund != fund or key not in closes[m.ticker]:
                    continue
                price = closes[m.ticker][key]
                quantity = round(m.shares_at(as_of, end) / m.split_factor(as_of))
                holdings.append(
                    (m.ticker, m.name, m.sector, quantity * price, price, m.exchange, quantity)
                )
            text = ishares_gen.holdings_table(fund, as_of, holdings)
            (folder / f"{key}.csv").write_bytes(text.encode("utf-8"))
            written += 1
    return written


def split_factor(history: prices_gen.History, day: dt.date) -> float:
    """Shares of `day` per share of today (1/ratio before a forward split)."""
    factor = 1.0
    for split_day, (numerator, denominator) in history.splits.items():
        if day < split_day:
            factor *= denominator / numerator
    return factor


# ---------------------------------------------------------------- SEC


class _Close:
    """What generate_sec.big_cap needs of a listed member: its close on a day."""

    def __init__(self, history: prices_gen.History):
        self.history = history

    def close(self, day: dt.date) -> float:
        """The close of the last session on or before `day` (or the first one)."""
        known = [
            c
            for d, c in zip(self.history.sessions, self.history.close, strict=True)
            if d <= day and c is not None
        ]
        return known[-1] if known else self.history.close[0]


def sec_companies(
    members: list[Member], universe: dict, days: list[dt.date]
) -> list[sec_gen.Company]:
    """The Magnificent Seven (real CIKs, generate_sec's share counts) and every invented
    member, with their quarters and filings over the span."""
    end = days[-1]
    first_fy = days[0].year + 1
    first_filed = days[0]
    calibrated_to = sec_gen.add_months(end, -2)
    taken = (
        {spec[0] for spec in sec_gen.BIG_CAPS}
        | set(sec_gen.SMALL_CIKS)
        | {f[2] for f in sec_gen.OTHER_FILERS}
    )
    used: set[str] = set()
    planned = []
    for symbol in MAG7:
        spec = BIG_CAPS[symbol]
        company = sec_gen.big_cap(spec, {symbol: _Close(universe[symbol])})
        company.market_cap = company.shares_at(end) * universe[symbol].close[-1]
        start = max(first_fy, first_day(symbol, days).year + 1)
        planned.append((company, sec_gen.Plan(spec[5], pe=spec[6]), start))
    for m in members:
        rng = random.Random(zlib.crc32(f"scale-sec-plan-{m.ticker}".encode()))
        cik = sec_gen._new_cik(m.ticker, m.small, taken)
        draw = rng.random()
        fye = 12 if draw < 0.75 else 3 if draw < 0.85 else 6 if draw < 0.92 else 9
        if rng.random() < (0.12 if m.small else 0.02):  # a loss maker: priced on its sales
            plan = sec_gen.Plan(-rng.uniform(0.05, 0.3), ps=rng.uniform(1.0, 4.0))
        else:
            margin = rng.uniform(0.05, 0.2) if m.small else rng.uniform(0.1, 0.35)
            plan = sec_gen.Plan(margin, pe=rng.uniform(10, 30) if m.small else rng.uniform(14, 32))

        def shares_at(day: dt.date, m: Member = m) -> int:
            return m.shares_at(day, end)

        company = sec_gen.Company(
            cik,
            (m.ticker,),
            m.name.title(),
            fye,
            "",
            shares_at,
            shares_at(end) * m.price_end,
            m.split,
            exchange="NYSE" if m.exchange.startswith("New York") else "Nasdaq",
            sic=sec_gen.SECTOR_SIC[m.sector],
            small=m.small,
        )
        planned.append((company, plan, first_fy))
    for company, plan, start in planned:
        rng = random.Random(zlib.crc32(f"scale-sec-{company.tickers[0]}".encode()))
        company.revenue_concept = (
            "Revenues"
            if rng.random() < 0.4
            else "RevenueFromContractWithCustomerExcludingAssessedTax"
        )
        company.quarters = sec_gen.simulate_quarters(
            rng, company, plan, first_fy=start, end=end, calibrated_to=calibrated_to
        )
        company.filings = sec_gen.file_reports(rng, company, used, first_filed=first_filed, end=end)
    return [company for company, _plan, _start in planned]


def write_sec(out: Path, companies: list[sec_gen.Company], end: dt.date) -> int:
    """company_tickers.json, each company's companyfacts and the recent daily indexes."""
    root = out / "sec"
    sec_gen.write_json(root / "files" / "company_tickers.json", sec_gen.tickers_json(companies))
    folder = root / "api" / "xbrl" / "companyfacts"
    folder.mkdir(parents=True, exist_ok=True)
    for company in companies:
        sec_gen.write_json(folder / f"CIK{company.cik:010d}.json", sec_gen.companyfacts(company))
    written = 1 + len(companies)
    first = end - dt.timedelta(days=INDEX_DAYS)
    filers: dict[dt.date, list] = {}
    for company in companies:
        for day in sorted({f.filed for f in company.filings if first <= f.filed <= end}):
            filers.setdefault(day, []).append(company)
    day = first
    while day <= end:
        if sec_gen.business_day(day) == day:
            path = (
                root
                / "Archives"
                / "edgar"
                / "daily-index"
                / str(day.year)
                / f"QTR{(day.month - 1) // 3 + 1}"
            )
            path.mkdir(parents=True, exist_ok=True)
            (path / f"form.{day:%Y%m%d}.idx").write_text(
                sec_gen.daily_index(day, filers.get(day, []))
            )
            written += 1
        day += dt.timedelta(days=1)
    return written


# ---------------------------------------------------------------- universe file


UNIVERSE_YAML = """\
# Synthetic production-size universe ({symbols} symbols x {years} years), written by
# devtools.replay.generate_scale: the demo's symbols, baskets and pairs; IWM and
# IVV members come from the holdings files (ishares/) from holdings_start on (the
# project's default; the replay has files over the whole span, for a backfill).
history_start: {history_start}
holdings_start: {holdings_start}
lookback_sessions: 5

symbols:
  indices: ["^RUT", "^GSPC"]
  etfs: [IWM, SPY, RSP, QQQ]
  stocks: [AAPL, MSFT, GOOGL, AMZN, NVDA, META, TSLA]

baskets:
  MAG7: [AAPL, MSFT, GOOGL, AMZN, NVDA, META, TSLA]

pairs:
  - {{numerator: "^RUT", denominator: "^GSPC", price: close}}
  - {{numerator: IWM, denominator: SPY, price: adj_close}}
  - {{numerator: RSP, denominator: SPY, price: adj_close}}
  - {{numerator: IWM, denominator: MAG7, price: adj_close}}

valuation:
  pairs:
    - {{small: IWM, large: IVV}}
    - {{small: IWM, large: MAG7}}
  min_coverage: 0.8
  zscore_min_history: 20
  zscore_threshold: 2.0
"""


def holdings_start(first_file: dt.date) -> dt.date:
    """The universe file's holdings_start: the project's default (as in production, where
    the holdings DAG starts there), or the first file when that is later. The replay
    serves files over the whole span, for a backfill of holdings."""
    return max(settings.DEFAULT_HOLDINGS_START, first_file)


def write_universe_yaml(
    out: Path, symbols: int, years: int, first: dt.date, first_file: dt.date
) -> Path:
    path = Path(out) / "universe.yaml"
    path.write_text(
        UNIVERSE_YAML.format(
            symbols=symbols,
            years=years,
            history_start=first,
            holdings_start=holdings_start(first_file),
        )
    )
    return path


def parameters(symbols: int, years: int, end: dt.date) -> dict:
    return {"version": VERSION, "symbols": symbols, "years": years, "end": end.isoformat()}


def span(years: int, end: dt.date) -> list[dt.date]:
    """The NYSE sessions of the last `years` years through `end`."""
    try:
        first = end.replace(year=end.year - years)
    except ValueError:  # 29 February
        first = end.replace(year=end.year - years, day=28)
    return sessions.sessions_between(first + dt.timedelta(days=1), end)


def manifest(out: Path) -> dict | None:
    path = Path(out) / "universe.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def is_current(out: Path, symbols: int, years: int, end: dt.date) -> bool:
    found = manifest(out)
    return bool(found) and found.get("parameters") == parameters(symbols, years, end)


def disk_usage(folder: Path) -> tuple[int, int]:
    """(files, bytes) under a folder."""
    files = size = 0
    for root, _dirs, names in os.walk(folder):
        for name in names:
            files += 1
            size += os.stat(os.path.join(root, name)).st_size
    return files, size


def generate(
    out: Path,
    symbols: int = 2500,
    years: int = 25,
    end: dt.date = prices_gen.END,
    workers: int = 2,
    force: bool = False,
    log=print,
) -> dict:
    """Write the universe into `out` (reused when its universe.json matches).

    Returns the manifest.
    """
    out = Path(out)
    if not force and is_current(out, symbols, years, end):
        log(f"{out}: universe of these parameters already there, reused")
        return manifest(out)
    started = time.perf_counter()
    timings = {}
    for sub in ("yahoo", "ishares", "sec", "universe.json", "universe.yaml"):
        target = out / sub
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    (out / "yahoo").mkdir(parents=True)
    days = span(years, end)
    if days[-1] != end:
        raise ValueError(f"--end {end} is not an NYSE session")
    holdings_days = month_end_sessions(days[0], end)
    for day in days:  # fill generate's cache of session times once, before the workers fork
        prices_gen.session_times(day)

    mark = time.perf_counter()
    universe = simulate_universe(days)
    for symbol, history in universe.items():
        prices_gen.write_json(out / "yahoo" / f"{symbol}.json", prices_gen.yahoo_chart(history))
    members = plan_members(symbols, days, holdings_days)
    timings["universe_symbols_s"] = time.perf_counter() - mark

    mark = time.perf_counter()
    _STATE.update(days=days, bases=universe, out=out, holdings_days=holdings_days)
    chunks = [members[i : i + 25] for i in range(0, len(members), 25)]
    closes = {s: traded_closes(universe[s], holdings_days) for s in MAG7}
    events = {s: last_events(h, days) for s, h in universe.items()}
    context = multiprocessing.get_context("fork")
    with context.Pool(max(1, workers)) as pool:
        pending = pool.map_async(_write_chunk, chunks)
        sec_mark = time.perf_counter()  # SEC files in this process while the workers write prices
        companies = sec_companies(members, universe, days)
        sec_files = write_sec(out, companies, end)
        timings["sec_s"] = time.perf_counter() - sec_mark
        for part, found in pending.get():
            closes.update(part)
            events.update(found)
    timings["prices_and_sec_s"] = time.perf_counter() - mark
    _STATE.clear()

    mark = time.perf_counter()
    holdings_files = write_holdings(out, members, universe, closes, holdings_days, end)
    timings["holdings_s"] = time.perf_counter() - mark

    write_universe_yaml(out, symbols, years, days[0], holdings_days[0])
    first, last = days[0], days[-1]
    rows = sum(sum(c is not None for c in h.close) for h in universe.values())
    universe_splits = sum(first <= d <= last for h in universe.values() for d in h.splits)
    universe_nulls = sum(c is None for h in universe.values() for c in h.close)
    rows += sum(len(days) - (m.null_day is not None) for m in members)
    files, size = disk_usage(out)
    doc = {
        "parameters": parameters(symbols, years, end),
        "history_start": days[0].isoformat(),
        "holdings_start": holdings_start(holdings_days[0]).isoformat(),
        "holdings_files_start": holdings_days[0].isoformat(),
        "sessions": len(days),
        "counts": {
            "symbols": len(UNIVERSE) + len(members),
            "members": {
                "IWM": sum(m.fund == "IWM" for m in members),
                "IVV": sum(m.fund == "IVV" for m in members) + len(MAG7),
            },
            "price_rows": rows,
            "holdings_files": holdings_files,
            "companies": len(companies),
            "sec_files": sec_files,
            "splits": sum(m.split is not None for m in members) + universe_splits,
            "dividend_payers": sum(m.dividends is not None for m in members),
            "null_bars": sum(m.null_day is not None for m in members) + universe_nulls,
            "files": files + 2,
        },
        "last_sessions": events_by_session(events, days),
        "universe": list(UNIVERSE),
        "members": [[m.ticker, m.fund] for m in members],
        "generation_s": round(time.perf_counter() - started, 1),
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
        "workers": workers,
        "size_mb": round(size / 1e6, 1),
    }
    (out / "universe.json").write_text(json.dumps(doc, indent=1) + "\n")
    log(
        f"wrote {files + 1:,} files ({size / 1e6:,.0f} MB) under {out} "
        f"in {doc['generation_s']:.0f}s: "
        f"{doc['counts']['symbols']:,} symbols x {len(days):,} sessions ({rows:,} price rows), "
        f"{holdings_files} holdings files, {len(companies):,} companies"
    )
    return doc


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write (e.g. bench/universe-2500x25)")
    parser.add_argument("--symbols", type=int, default=2500)
    parser.add_argument("--years", type=int, default=25)
    parser.add_argument("--end", type=dt.date.fromisoformat, default=prices_gen.END)
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument(
        "--force", action="store_true", help="regenerate even when the folder matches"
    )
    args = parser.parse_args(argv)
    generate(args.out, args.symbols, args.years, args.end, args.workers, args.force)


if __name__ == "__main__":
    main()
