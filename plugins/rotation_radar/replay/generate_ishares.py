"""Deterministic synthetic iShares holdings files (IWM and IVV) for the replay server.

Usage: python -m rotation_radar.replay.generate_ishares OUT_DIR   (generate.py calls it too)

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
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import zlib
from pathlib import Path

from rotation_radar import sessions
from rotation_radar.replay.generate import END

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
    "Information Technology", "Health Care", "Financials", "Industrials", "Consumer Discretionary",
    "Energy", "Materials", "Real Estate", "Utilities", "Communication", "Consumer Staples",
)  # fmt: skip
# Symbols of the price replay that an invented ticker must never take.
RESERVED = {"AAPL", "AMZN", "GOOGL", "GOOG", "IWM", "META", "MSFT", "NVDA", "QQQ", "RSP", "SPY", "TSLA"}
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
SYLLABLES = ("KOR", "VEX", "TAL", "MIR", "ZEN", "PLO", "QUA", "RIV", "SOL", "BRA", "DEL", "NOX",
             "FYR", "GLA", "HUL", "JOV", "LUM", "WEX", "YOR", "CRE", "DRA", "OPT", "UMB", "XAN")  # fmt: skip
SUFFIXES = ("INC", "CORP", "HOLDINGS INC", "GROUP INC", "THERAPEUTICS INC", "BANCORP INC", "TECHNOLOGIES INC")


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
    from rotation_radar.symbols import _ISHARES_SHARE_CLASSES

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


def money(value: float) -> str:
    return f"{value:,.2f}"


def row(cells: list[str]) -> str:
    return ",".join(f'"{c}"' for c in cells) + "\n"


def equity_row(ticker, name, sector, value, weight, price, exchange="NASDAQ", location="United States") -> str:
    quantity = round(value / price)
    return row([ticker, name, sector, "Equity", money(value), f"{weight:.2f}", money(value), money(quantity),
                money(price), location, exchange, "USD", "1.00", "USD", "-"])  # fmt: skip


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
    product, fund_name, fut_ticker, fut_name, core, rotating = FUNDS[fund]
    invented = invented_members(fund, core + rotating)
    window = {(month + k) % rotating for k in range(4)}  # one leaves and one joins each month
    chosen = invented[:core] + [m for i, m in enumerate(invented[core:]) if i in window]
    holdings = []  # (ticker, name, sector, market value, price, exchange)
    for ticker, name, sector in chosen:
        rng = random.Random(zlib.crc32(ticker.encode()))
        size = (rng.uniform(0.3, 3.0) if fund == "IWM" else rng.uniform(8, 60)) * 1e9
        price = rng.uniform(8, 140) if fund == "IWM" else rng.uniform(40, 600)
        drift = 1 + 0.04 * (random.Random(zlib.crc32(f"{ticker}{month}".encode())).random() - 0.5) + 0.01 * month
        holdings.append((ticker, name, sector, size * drift, price * drift, rng.choice(("NASDAQ", "New York Stock Exchange Inc."))))
    if fund == "IVV":
        for ticker, name, billions, price, sector in (*MAG7, BERKSHIRE):
            drift = 1 + 0.015 * month
            exchange = "New York Stock Exchange Inc." if ticker == "BRKB" else "NASDAQ"
            holdings.append((ticker, name, sector, billions * 1e9 * drift, price * drift, exchange))
    holdings.sort(key=lambda h: -h[3])
    cash = 0.004 * sum(h[3] for h in holdings)
    stub = 65_585.87
    total = sum(h[3] for h in holdings) + cash + stub
    lines = [preamble(fund_name, as_of, total / (220.0 if fund == "IWM" else 590.0))]
    for ticker, name, sector, value, price, exchange in holdings:
        lines.append(equity_row(ticker, name, sector, value, 100 * value / total, price, exchange))
    mm = cash * 0.8
    lines.append(row(["XTSLA", "BLK CSH FND TREASURY SL AGENCY", "Cash and/or Derivatives", "Money Market",
                      money(mm), f"{100 * mm / total:.2f}", money(mm), money(round(mm)), "1.00",
                      "United States", "-", "USD", "1.00", "USD", "-"]))  # fmt: skip
    usd = cash - mm
    lines.append(row(["USD", "USD CASH", "Cash and/or Derivatives", "Cash", money(usd), f"{100 * usd / total:.2f}",
                      money(usd), money(round(usd)), "100.00", "United States", "-", "USD", "1.00", "USD", "-"]))  # fmt: skip
    lines.append(row(["-", "ARCELLX INC Prvt" if fund == "IWM" else "SPROUT ESCROW Prvt", "Health Care", "Equity",
                      money(stub), "0.00", money(stub), "936,941.00", "0.07", "United States",
                      "NO MARKET (E.G. UNLISTED)", "USD", "1.00", "USD", "-"]))  # fmt: skip
    notional = total * 0.003
    lines.append(row([fut_ticker, fut_name, "Cash and/or Derivatives", "Futures", "0.00", "0.00", money(notional),
                      "1,998.00", "2,852.90", "-", "Chicago Mercantile Exchange", "USD", "1.00", "USD", "-"]))  # fmt: skip
    lines.append(NBSP_LINE)
    lines.append(FOOTER)
    return "".join(lines)


def generate_ishares(out_dir: Path) -> list[Path]:
    """Write ishares/<product id>/<as-of>.csv under out_dir; returns the files written."""
    written = []
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
"""


def readme() -> str:
    return README.format(first=FIRST, end=END)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write (e.g. include/replay)")
    written = generate_ishares(parser.parse_args(argv).out_dir)
    print(f"wrote {len(written)} files")


if __name__ == "__main__":
    main()
