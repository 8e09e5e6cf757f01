"""Deterministic synthetic iShares holdings files (IWM and IVV) and their members' prices.

Usage: python -m devtools.replay.generate_ishares OUT_DIR   (generate.py calls it too)

Writes `ishares/<product id>/<YYYY-MM-DD>.csv`: one holdings file per fund for the last
NYSE session of each month from 2024-12-31 through 2025-08-29 and for the replay's last
day (2025-09-19), in the download's true format: UTF-8 BOM, preamble (fund name, "Fund
Holdings as of","May 30, 2025", share counts), a no-break-space line, the 15-column
table with quoted numbers ("1,532,594,919.50"), cash, money-market and futures lines,
an unlisted stub with ticker "-", and the legal footer (one quoted multi-line cell).

Members are invented (seeded by the CRC32 of each ticker): about 60 small caps in IWM,
the Magnificent Seven at the top of IVV with BRKB (Berkshire B, iShares spelling) and
about 40 others. A member or two joins and leaves each month. Invented tickers never
collide with the price replay's symbols.

Every member that is not a symbol of the price replay also gets `yahoo/<SYMBOL>.json`
(Yahoo spelling, sessions from MEMBERS_START): a small cap moves with ^RUT, a large cap
with ^GSPC (times its beta, plus a walk of its own), GOOG with GOOGL; IWM's invented
members also share IWM_SWING, a broad selloff and rally that makes a breadth thrust on
THRUST_DAY. A holdings file's Price is the member's Yahoo close that day (as Yahoo serves
it at the end, split-adjusted), except for SPLITTER before its 2-for-1 split, where
iShares shows the price as traded.
An invented member's Quantity is its shares outstanding (the figure its SEC filings
report), so Market Value is its market cap; the Magnificent Seven, GOOG and BRKB hold
the fund's position. UNKNOWN_TO_YAHOO has no recording: Yahoo answers 404 for it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from devtools.replay.generate_prices import (
    END,
    PAYS_IN,
    QUARTER_ENDS,
    SPECS,
    START,
    Dividends,
    History,
    Spec,
    add_split,
    simulate,
    simulate_listed,
    unsplit_before,
    write_json,
    yahoo_chart,
)
from rotation_radar.core import sessions
from rotation_radar.core.symbols import from_ishares

FIRST = dt.date(2024, 12, 31)
HEADER = (
    "Ticker,Name,Sector,Asset Class,Market Value,Weight (%),Notional Value,Quantity,Price,"
    "Location,Exchange,Currency,FX Rate,Market Currency,Accrual Date"
)
FOOTER = (
    '"The content contained herein is owned or licensed by BlackRock and/or its third-party '
    "information providers and is protected by applicable copyrights, trademarks, service marks, "
    "and/or other intellectual property rights.\n"
    "Holdings subject to change. See www.iShares.com for the most recent funds holdings.\n"
    "CAREFULLY CONSIDER THE FUNDS' INVESTMENT OBJECTIVES, RISK FACTORS, AND CHARGES AND "
    "EXPENSES BEFORE INVESTING.\n"
    "This material is strictly for illustrative, educational, or informational purposes and "
    'is subject to change."\n'
)
NBSP_LINE = "\u00a0\n"
SECTORS = (
    "Information Technology",
    "Health Care",
    "Financials",
    "Industrials",
    "Consumer Discretionary",
    "Energy",
    "Materials",
    "Real Estate",
    "Utilities",
    "Communication",
    "Consumer Staples",
)
# Symbols of the price replay that an invented ticker must never take.
RESERVED = {
    "AAPL",
    "AMZN",
    "GOOGL",
    "GOOG",
    "IWM",
    "META",
    "MSFT",
    "NVDA",
    "QQQ",
    "RSP",
    "SPY",
    "TSLA",
}
MAG7 = (  # ticker, name, market value ($bn) at the first file, price
    ("NVDA", "NVIDIA CORP", 460.0, 134.29, "Information Technology"),
    ("AAPL", "APPLE INC", 520.0, 250.42, "Information Technology"),
    ("MSFT", "MICROSOFT CORP", 440.0, 421.50, "Information Technology"),
    ("AMZN", "AMAZON COM INC", 280.0, 219.39, "Consumer Discretionary"),
    ("META", "META PLATFORMS INC CLASS A", 180.0, 585.51, "Communication"),
    ("GOOGL", "ALPHABET INC CLASS A", 140.0, 189.30, "Communication"),
    ("TSLA", "TESLA INC", 135.0, 403.84, "Consumer Discretionary"),
    ("GOOG", "ALPHABET INC CLASS C", 115.0, 190.44, "Communication"),
)
BERKSHIRE = ("BRKB", "BERKSHIRE HATHAWAY INC CLASS B", 95.0, 453.28, "Financials")
FUNDS = {
    # fund: product id, name, exchange of its futures hedge, futures ticker and name,
    # number of core members, rotating members (a window of 4 moves by one each month)
    "IWM": ("239710", "iShares Russell 2000 ETF", "RTYU5", "RUSSELL 2000 EMINI CME SEP 25", 56, 10),
    "IVV": ("239726", "iShares Core S&P 500 ETF", "ESU5", "S&P500 EMINI CME SEP 25", 36, 8),
}
SYLLABLES = (
    "KOR",
    "VEX",
    "TAL",
    "MIR",
    "ZEN",
    "PLO",
    "QUA",
    "RIV",
    "SOL",
    "BRA",
    "DEL",
    "NOX",
    "FYR",
    "GLA",
    "HUL",
    "JOV",
    "LUM",
    "WEX",
    "YOR",
    "CRE",
    "DRA",
    "OPT",
    "UMB",
    "XAN",
)
SUFFIXES = (
    "INC",
    "CORP",
    "HOLDINGS INC",
    "GROUP INC",
    "THERAPEUTICS INC",
    "BANCORP INC",
    "TECHNOLOGIES INC",
)


def as_of_dates() -> list[dt.date]:
    """The last session of each month from FIRST through August 2025, and END."""
    days, year, month = [], FIRST.year, FIRST.month
    while (year, month) <= (2025, 8):
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        days.append(sessions.session_on_or_before(following - dt.timedelta(days=1)))
        year, month = following.year, following.month
    return days + [END]


def invented_members(fund: str, count: int) -> list[tuple[str, str, str]]:
    """`count` (ticker, name, sector) that collide with nothing reserved or known."""
    from rotation_radar.core.symbols import _ISHARES_SHARE_CLASSES

    rng = random.Random(zlib.crc32(f"ishares-{fund}".encode()))
    taken = RESERVED | {"BRKB"} | set(_ISHARES_SHARE_CLASSES)
    members = []
    while len(members) < count:
        a, b = rng.choice(SYLLABLES), rng.choice(SYLLABLES)
        ticker = (a[:2] + b[: rng.choice((1, 2))]) if fund == "IWM" else (a[0] + b[:2])
        if ticker in taken:
            continue
        taken.add(ticker)
        name = f"{a}{b.lower()} {rng.choice(SUFFIXES)}".upper()
        members.append((ticker, name, rng.choice(SECTORS)))
    return members


# ---------------------------------------------------------------- members and their prices

MEMBERS_START = dt.date(2024, 1, 2)  # a member's Yahoo recording starts with this session
UNKNOWN_TO_YAHOO = "GLDE"  # an IWM member Yahoo has no data for (404, "may be delisted")
SPLITTER = "JOY"  # an IWM member that splits 2-for-1 ...
SPLIT = (dt.date(2025, 6, 2), 2, 1)  # ... ex-date, numerator, denominator
SPLITTER_RECORDED_BEFORE_SPLIT = dt.date(2025, 5, 30)  # yahoo/JOY@2025-05-30.json
YAHOO_EXCHANGES = {"NASDAQ": "NMS", "New York Stock Exchange Inc.": "NYQ"}
BASES = {"IWM": "^RUT", "IVV": "^GSPC"}  # the index a fund's invented members move with
# IWM's invented members share these extra daily log returns on top of ^RUT's pullback and
# rebound around the FOMC meeting (generate_prices.RUT_SEPTEMBER): most of them fall on four
# sessions in a row, then most rise on five, a breadth thrust on THRUST_DAY (the 10-session
# EMA of advances / (advances + declines) crosses above 0.615 after a value below 0.40).
# They add up to zero by END, so no holdings file's price moves.
IWM_SWING = {
    dt.date(2025, 9, 9): -0.012,
    dt.date(2025, 9, 10): -0.012,
    dt.date(2025, 9, 11): -0.012,
    dt.date(2025, 9, 12): -0.012,
    dt.date(2025, 9, 15): 0.0096,
    dt.date(2025, 9, 16): 0.0096,
    dt.date(2025, 9, 17): 0.0096,
    dt.date(2025, 9, 18): 0.0096,
    dt.date(2025, 9, 19): 0.0096,
}
THRUST_DAY = dt.date(2025, 9, 18)
# IVV's listed members without a recording of the universe: base, beta, own daily
# volatility and waypoints (closes near the public record).
OTHER_LISTED = {
    # GOOG trades a little above GOOGL: its waypoints are ratios to GOOGL's closes.
    "GOOG": (
        "GOOGL",
        1.0,
        0.0012,
        {"2024-01-02": 1.0055, "2024-12-31": 190.44 / 189.30, "2025-09-19": 1.0021},
    ),
    # Berkshire B: closes near the public record.
    "BRK-B": (
        "^GSPC",
        0.6,
        0.008,
        {
            "2024-01-02": 362.46,
            "2024-12-31": 453.28,
            "2025-05-02": 539.80,
            "2025-08-29": 474.61,
            "2025-09-19": 493.05,
        },
    ),
}


@dataclass(frozen=True)
class Member:
    """A holdings line's company: its Yahoo history and the share count the file shows.

    For an invented member `shares` is its shares outstanding on FIRST (on the basis of
    that day) growing by `growth` a year; for the Magnificent Seven, GOOG and Berkshire,
    the fund's position."""

    fund: str
    ticker: str  # iShares spelling (BRKB)
    symbol: str  # Yahoo spelling (BRK-B)
    name: str
    sector: str
    exchange: str  # as the holdings file writes it
    history: History  # Yahoo's final view: split-adjusted
    shares: float
    growth: float = 0.0
    invented: bool = True
    slot: int | None = None  # rotating members: the slot of the monthly window; None if core

    def close(self, day: dt.date) -> float:
        """The close as Yahoo serves it at the end (split-adjusted)."""
        return self.history.close[self.history.sessions.index(day)]

    def split_factor(self, day: dt.date) -> int:
        """How many of today's shares one share of `day` became (2 before SPLITTER's split)."""
        factor = 1
        for split_day, (numerator, denominator) in self.history.splits.items():
            if day < split_day:
                factor = factor * numerator // denominator
        return factor

    def price(self, day: dt.date) -> float:
        """The price as traded on `day` (iShares' Price): before a split, not adjusted."""
        return round(self.close(day) * self.split_factor(day), 2)

    def shares_on(self, day: dt.date) -> int:
        """Shares outstanding on `day`, on that day's basis (before a split, the old one)."""
        years = (day - FIRST).days / 365.25
        basis = self.split_factor(FIRST) / self.split_factor(day)
        return round(self.shares * math.exp(self.growth * years) * basis)

    def market_cap(self, day: dt.date) -> float:
        return self.shares_on(day) * self.price(day)


def universe_days() -> list[dt.date]:
    """The sessions of the price replay's universe recordings (so closes match them)."""
    return sessions.sessions_between(START, END)


def swing(days: list[dt.date]) -> np.ndarray:
    """IWM_SWING as a log offset per session (the sum of its moves up to that session)."""
    return np.cumsum([IWM_SWING.get(day, 0.0) for day in days])


def invented_member(
    fund: str, index: int, ticker: str, name: str, sector: str, base: History
) -> Member:
    """An invented member: market cap and price on FIRST as drawn since the first version
    of these files, then a beta to its fund's index, a share count trend and dividends."""
    rng = random.Random(zlib.crc32(ticker.encode()))
    size = (rng.uniform(0.3, 3.0) if fund == "IWM" else rng.uniform(8, 60)) * 1e9
    price = rng.uniform(8, 140) if fund == "IWM" else rng.uniform(40, 600)
    exchange = rng.choice(("NASDAQ", "New York Stock Exchange Inc."))
    small = fund == "IWM"
    beta = rng.uniform(0.8, 1.4) if small else rng.uniform(0.7, 1.3)
    sigma = rng.uniform(0.014, 0.026) if small else rng.uniform(0.008, 0.016)
    growth = rng.uniform(-0.02, 0.03) if small else rng.uniform(-0.03, 0.005)
    symbol = from_ishares(ticker)
    factor = SPLIT[1] // SPLIT[2] if symbol == SPLITTER else 1
    adjusted = round(price, 2) / factor  # the close on FIRST as Yahoo serves it at the end
    days = sessions.sessions_between(MEMBERS_START, END)
    close_on = dict(zip(base.sessions, base.close, strict=True))

    def level(day: dt.date, noise: float) -> float:
        move = (close_on[day] / close_on[FIRST]) ** beta
        return round(adjusted * move * math.exp(rng.gauss(0.0, noise)), 4)

    waypoints = {
        days[0].isoformat(): level(days[0], 0.15),
        FIRST.isoformat(): adjusted,
        END.isoformat(): level(END, 0.20),
    }
    pays = rng.random() < (
        0.5 if not small else 0.3 if sector in ("Financials", "Utilities") else 0.05
    )
    dividends = None
    if pays and symbol != SPLITTER:
        months = rng.choice((QUARTER_ENDS, PAYS_IN, (1, 4, 7, 10)))
        dividends = Dividends(
            months, rng.randint(5, 25), round(adjusted * rng.uniform(0.01, 0.035) / 4, 4)
        )
    shares = size / round(price, 2)
    volume = shares * factor * rng.uniform(0.004, 0.012)  # 0.4-1.2% of the shares a day
    spec = Spec("EQUITY", YAHOO_EXCHANGES[exchange], sigma, volume, waypoints, dividends=dividends)
    common = swing(days) if small else None
    history = simulate_listed(symbol, spec, days, base, beta, common)
    if symbol == SPLITTER:
        add_split(history, *SPLIT)
    core = FUNDS[fund][4]
    slot = index - core if index >= core else None
    return Member(fund, ticker, symbol, name, sector, exchange, history, shares, growth, True, slot)


@lru_cache(maxsize=1)
def members() -> dict[str, Member]:
    """Every company that appears in a holdings file, by Yahoo symbol (deterministic)."""
    days = universe_days()
    universe = ("^RUT", "^GSPC", *(ticker for ticker, *_ in MAG7 if ticker in SPECS))
    listed = {symbol: simulate(symbol, days, {}) for symbol in universe}  # as generate.py does
    out: dict[str, Member] = {}
    for ticker, name, billions, price, sector in (*MAG7, BERKSHIRE):
        symbol = from_ishares(ticker)
        if symbol in OTHER_LISTED:
            base_symbol, beta, sigma, closes = OTHER_LISTED[symbol]
            base = listed[base_symbol]
            member_days = sessions.sessions_between(MEMBERS_START, END)
            if base_symbol == "GOOGL":
                at = dict(zip(base.sessions, base.close, strict=True))
                closes = {d: round(at[dt.date.fromisoformat(d)] * r, 2) for d, r in closes.items()}
            exchange = "NYQ" if symbol == "BRK-B" else "NMS"
            spec = Spec(
                "EQUITY",
                exchange,
                sigma=sigma,
                volume=4e6 if symbol == "BRK-B" else 25e6,
                waypoints=closes,
            )
            history = simulate_listed(symbol, spec, member_days, base, beta)
        else:
            history = listed[symbol]
        exchange = "New York Stock Exchange Inc." if ticker == "BRKB" else "NASDAQ"
        out[symbol] = Member(
            "IVV",
            ticker,
            symbol,
            name,
            sector,
            exchange,
            history,
            billions * 1e9 / price,
            invented=False,
        )
    for fund, spec in FUNDS.items():
        base = listed[BASES[fund]]
        for index, (ticker, name, sector) in enumerate(invented_members(fund, spec[4] + spec[5])):
            member = invented_member(fund, index, ticker, name, sector, base)
            if member.symbol in out:
                raise ValueError(f"invented member {ticker} of {fund} is already a member")
            out[member.symbol] = member
    return out


def recorded_members() -> list[Member]:
    """Members that get a Yahoo recording of their own: not the price replay's symbols
    (their recordings come from generate.py), not UNKNOWN_TO_YAHOO."""
    return [m for m in members().values() if m.symbol not in SPECS and m.symbol != UNKNOWN_TO_YAHOO]


def write_member_recordings(out_dir: Path) -> list[Path]:
    """yahoo/<SYMBOL>.json for every recorded member, and SPLITTER as recorded before its split."""
    folder = Path(out_dir) / "yahoo"
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for member in recorded_members():
        path = folder / f"{member.symbol}.json"
        write_json(path, yahoo_chart(member.history))
        written.append(path)
        if member.symbol == SPLITTER:
            path = folder / f"{SPLITTER}@{SPLITTER_RECORDED_BEFORE_SPLIT}.json"
            write_json(
                path, yahoo_chart(unsplit_before(member.history, SPLITTER_RECORDED_BEFORE_SPLIT))
            )
            written.append(path)
    return written


# ---------------------------------------------------------------- holdings files


def money(value: float) -> str:
    return f"{value:,.2f}"


def row(cells: list[str]) -> str:
    return ",".join(f'"{c}"' for c in cells) + "\n"


def equity_row(
    ticker, name, sector, quantity, weight, price, exchange="NASDAQ", location="United States"
) -> str:
    value = quantity * price
    return row(
        [
            ticker,
            name,
            sector,
            "Equity",
            money(value),
            f"{weight:.2f}",
            money(value),
            money(quantity),
            money(price),
            location,
            exchange,
            "USD",
            "1.00",
            "USD",
            "-",
        ]
    )


def preamble(fund_name: str, as_of: dt.date, shares: float) -> str:
    return (
        f"\ufeff{fund_name}\n"
        f'Fund Holdings as of,"{as_of:%b %d, %Y}"\n'
        f'Inception Date,"May 22, 2000"\n'
        f'Shares Outstanding,"{money(shares)}"\n'
        'Stock,"-"\nBond,"-"\nCash,"-"\nOther,"-"\n' + NBSP_LINE + HEADER + "\n"
    )


def holdings_csv(fund: str, month: int, as_of: dt.date) -> str:
    """The fund's file for its `month`-th as-of date (0 = FIRST)."""
    rotating = FUNDS[fund][5]
    window = {(month + k) % rotating for k in range(4)}  # one leaves and one joins each month
    chosen = [
        m for m in members().values() if m.fund == fund and (m.slot is None or m.slot in window)
    ]
    holdings = []  # (ticker, name, sector, market value, price, exchange, quantity)
    for m in chosen:
        price, quantity = m.price(as_of), m.shares_on(as_of)
        holdings.append((m.ticker, m.name, m.sector, quantity * price, price, m.exchange, quantity))
    return holdings_table(fund, as_of, holdings)


def holdings_table(fund: str, as_of: dt.date, holdings: list[tuple]) -> str:
    """A fund's holdings file as of `as_of` for its equity `holdings`, each (ticker, name,
    sector, market value, price, exchange, quantity): largest first, then cash, money
    market, an unlisted stub, the futures hedge and the footer."""
    _product, fund_name, fut_ticker, fut_name, _core, _rotating = FUNDS[fund]
    holdings = sorted(holdings, key=lambda h: -h[3])
    cash = 0.004 * sum(h[3] for h in holdings)
    stub = 65_585.87
    total = sum(h[3] for h in holdings) + cash + stub
    lines = [preamble(fund_name, as_of, total / (220.0 if fund == "IWM" else 590.0))]
    for ticker, name, sector, value, price, exchange, quantity in holdings:
        lines.append(
            equity_row(ticker, name, sector, quantity, 100 * value / total, price, exchange)
        )
    mm = cash * 0.8
    lines.append(
        row(
            [
                "XTSLA",
                "BLK CSH FND TREASURY SL AGENCY",
                "Cash and/or Derivatives",
                "Money Market",
                money(mm),
                f"{100 * mm / total:.2f}",
                money(mm),
                money(round(mm)),
                "1.00",
                "United States",
                "-",
                "USD",
                "1.00",
                "USD",
                "-",
            ]
        )
    )
    usd = cash - mm
    lines.append(
        row(
            [
                "USD",
                "USD CASH",
                "Cash and/or Derivatives",
                "Cash",
                money(usd),
                f"{100 * usd / total:.2f}",
                money(usd),
                money(round(usd)),
                "100.00",
                "United States",
                "-",
                "USD",
                "1.00",
                "USD",
                "-",
            ]
        )
    )
    lines.append(
        row(
            [
                "-",
                "ARCELLX INC Prvt" if fund == "IWM" else "SPROUT ESCROW Prvt",
                "Health Care",
                "Equity",
                money(stub),
                "0.00",
                money(stub),
                "936,941.00",
                "0.07",
                "United States",
                "NO MARKET (E.G. UNLISTED)",
                "USD",
                "1.00",
                "USD",
                "-",
            ]
        )
    )
    notional = total * 0.003
    lines.append(
        row(
            [
                fut_ticker,
                fut_name,
                "Cash and/or Derivatives",
                "Futures",
                "0.00",
                "0.00",
                money(notional),
                "1,998.00",
                "2,852.90",
                "-",
                "Chicago Mercantile Exchange",
                "USD",
                "1.00",
                "USD",
                "-",
            ]
        )
    )
    lines.append(NBSP_LINE)
    lines.append(FOOTER)
    return "".join(lines)


def generate_ishares(out_dir: Path) -> list[Path]:
    """Write ishares/<product id>/<as-of>.csv and the members' yahoo/<SYMBOL>.json under
    out_dir; returns the files written."""
    written = write_member_recordings(out_dir)
    for fund, spec in FUNDS.items():
        folder = Path(out_dir) / "ishares" / spec[0]
        folder.mkdir(parents=True, exist_ok=True)
        for month, as_of in enumerate(as_of_dates()):
            path = folder / f"{as_of.isoformat()}.csv"
            path.write_bytes(holdings_csv(fund, month, as_of).encode("utf-8"))
            written.append(path)
    return written


README = """
## ishares/

`ishares/<product id>/<YYYY-MM-DD>.csv` (IWM 239710, IVV 239726): invented holdings files
in the iShares download format, one per month-end session from {first} through 2025-08-29
and {end}. Served for `/us/products/<id>/<slug>/<ajax>.ajax?fileType=csv&...[&asOfDate=YYYYMMDD]`:
the latest file dated on or before asOfDate (the latest when absent); before the first
file, a header without rows, as iShares answers.

Members: {iwm} invented small caps in IWM, and in IVV the Magnificent Seven, GOOG, BRKB
and {ivv} invented large caps ({rotating} of them rotate in and out, a window moving by one
each month). Every member that is not one of the price replay's symbols has its own
`yahoo/<SYMBOL>.json` (Yahoo spelling: BRKB is `BRK-B`), {recorded} in all, with sessions
from {members_start} to {end} (its first bar): small caps move with ^RUT and large caps
with ^GSPC (a beta and a walk of their own), GOOG a little above GOOGL; some pay quarterly
dividends. Most of IWM's members fall on each session from 2025-09-09 to 09-12 and rise
on each from 09-15 to 09-19: a breadth thrust (the 10-session EMA of advances /
(advances + declines) from below 0.40 to above 0.615) on {thrust}. The Magnificent
Seven's weight in IVV's last file is above every earlier file's (a record). A file's
Price is the member's Yahoo close on its date as Yahoo serves it at the end, Quantity an
invented member's shares outstanding (as its SEC filings report them, so Market Value is
its market cap; the Magnificent Seven, GOOG and BRKB show the fund's position), and
Market Value is Quantity times Price. Exceptions, on purpose:
`{unknown}` (IWM) has no recording, so Yahoo answers 404 "No data found, symbol may be
delisted" (it does have SEC files); `{splitter}` (IWM) splits {ratio} on {split_day}: its
recording carries the split event and split-adjusted prices before it, and
`yahoo/{splitter}@{recorded_day}.json` is the recording as Yahoo served it before the split;
files dated before the split show its price as traded (twice the adjusted close) and the
share count of the time.
"""


def readme() -> str:
    everyone = members().values()
    return README.format(
        first=FIRST,
        end=END,
        members_start=MEMBERS_START,
        iwm=sum(m.fund == "IWM" for m in everyone),
        ivv=sum(m.fund == "IVV" and m.invented for m in everyone),
        rotating=sum(spec[5] for spec in FUNDS.values()),
        recorded=len(recorded_members()),
        unknown=UNKNOWN_TO_YAHOO,
        splitter=SPLITTER,
        ratio=f"{SPLIT[1]}-for-{SPLIT[2]}",
        split_day=SPLIT[0],
        recorded_day=SPLITTER_RECORDED_BEFORE_SPLIT,
        thrust=THRUST_DAY,
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write (e.g. include/replay)")
    written = generate_ishares(parser.parse_args(argv).out_dir)
    print(f"wrote {len(written)} files")


if __name__ == "__main__":
    main()
