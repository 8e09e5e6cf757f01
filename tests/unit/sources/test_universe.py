"""iShares holdings CSVs (rotation_radar.sources.ishares.parse_holdings) on small files
built here."""

from __future__ import annotations

import datetime as dt
import math
import re

import pytest

from rotation_radar.sources.ishares import MEMBER_COLUMNS, parse_holdings

HEADER = [
    "Ticker",
    "Name",
    "Sector",
    "Asset Class",
    "Market Value",
    "Weight (%)",
    "Notional Value",
    "Quantity",
    "Price",
    "Location",
    "Exchange",
    "Currency",
    "FX Rate",
    "Market Currency",
    "Accrual Date",
]

# ticker, name, sector, asset class, market value, weight, quantity, exchange
ROWS = [
    (
        "BE",
        "BLOOM ENERGY CLASS A CORP",
        "Industrials",
        "Equity",
        "1,532,594,919.50",
        "1.93",
        "5,190,838.00",
        "NYSE",
    ),
    (
        "BRKB",
        "BERKSHIRE HATHAWAY INC CLASS B",
        "Financials",
        "Equity",
        "741,955,358.56",
        "0.94",
        "1,500,000.00",
        "NYSE",
    ),
    (
        "XTSLA",
        "BLK CSH FND TREASURY SL AGENCY",
        "Cash and/or Derivatives",
        "Money Market",
        "312,034,567.32",
        "0.39",
        "312,034,567.00",
        "-",
    ),
    (
        "USD",
        "USD CASH",
        "Cash and/or Derivatives",
        "Cash",
        "68,187,634.10",
        "0.09",
        "68,187,634.00",
        "-",
    ),
    (
        "CASH",
        "PATHWARD FINANCIAL INC",
        "Financials",
        "Equity",
        "46,447,590.00",
        "0.06",
        "600,000.00",
        "NASDAQ",
    ),
    (
        "-",
        "ARCELLX INC Prvt",
        "Health Care",
        "Equity",
        "65,585.87",
        "0.00",
        "10,000.00",
        "NO MARKET (E.G. UNLISTED)",
    ),
    (
        "RTYM6",
        "RUSSELL 2000 EMINI CME JUN 26",
        "Cash and/or Derivatives",
        "Futures",
        "0.00",
        "0.00",
        "1,998.00",
        "Chicago Mercantile Exchange",
    ),
    ("ZSPC", "ZSPACE", "Consumer Discretionary", "Equity", "-", "-", "59,972.00", "NASDAQ"),
]

PREAMBLE = (
    """iShares Russell 2000 ETF
Fund Holdings as of,"May 05, 2026"
Inception Date,"May 22, 2000"
Shares Outstanding,"278,750,000.00"
Stock,"-"
Bond,"-"
Cash,"-"
Other,"-"
"""
    " \n"  # a line of one space: part of the fixture's bytes
)
FOOTER = (
    " \n"  # a line of one space: part of the fixture's bytes
    '''"The content contained herein is owned or licensed by BlackRock.
Holdings subject to change, 1,2,3.
©2023 BlackRock, Inc or its affiliates. All rights reserved."'''
)


def row_cells(row) -> dict[str, str]:
    ticker, name, sector, asset_class, value, weight, qty, exchange = row
    return {
        "Ticker": ticker,
        "Name": name,
        "Sector": sector,
        "Asset Class": asset_class,
        "Market Value": value,
        "Weight (%)": weight,
        "Notional Value": value,
        "Quantity": qty,
        "Price": "10.00",
        "Location": "United States",
        "Exchange": exchange,
        "Currency": "USD",
        "FX Rate": "1.00",
        "Market Currency": "USD",
        "Accrual Date": "-",
    }


def holdings_csv(
    rows=ROWS, header=HEADER, preamble=PREAMBLE, footer=FOOTER, bom=True, newline="\n"
) -> bytes:
    """An iShares holdings download: BOM, preamble, every cell quoted, a legal footer."""
    lines = [",".join(header)]
    for row in rows:
        cells = row_cells(row)
        lines.append(",".join(f'"{cells.get(h, "-")}"' for h in header))
    text = preamble + "\n".join(lines) + ("\n" + footer if footer else "")
    return (b"\xef\xbb\xbf" if bom else b"") + text.replace("\n", newline).encode()


@pytest.fixture(scope="module")
def parsed():
    return parse_holdings(holdings_csv())


def test_one_row_per_equity_member(parsed):
    assert list(parsed.columns) == list(MEMBER_COLUMNS)
    assert parsed["symbol"].tolist() == ["BE", "BRK-B", "CASH", "ZSPC"]
    be = parsed.iloc[0]
    assert be["name"] == "BLOOM ENERGY CLASS A CORP"
    assert be["sector"] == "Industrials"
    assert be["weight"] == pytest.approx(1.93)
    assert be["shares_held"] == pytest.approx(5_190_838.0)
    assert be["market_value"] == pytest.approx(1_532_594_919.50)
    assert be["ticker_raw"] == "BE" and be["asset_class"] == "Equity"
    assert parsed.attrs["fund"] == "iShares Russell 2000 ETF"


def test_share_class_ticker_keeps_raw_spelling(parsed):
    brk = parsed.set_index("symbol").loc["BRK-B"]
    assert brk["ticker_raw"] == "BRKB"


def test_dash_means_empty(parsed):
    zspc = parsed.set_index("symbol").loc["ZSPC"]
    assert math.isnan(zspc["weight"]) and math.isnan(zspc["market_value"])


def test_as_of_from_preamble(parsed):
    assert parsed.attrs["as_of"] == dt.date(2026, 5, 5)


def test_non_members_are_reported(parsed):
    excluded = parsed.attrs["excluded"]
    assert {"ticker_raw", "name", "asset_class", "reason"} <= set(excluded.columns)
    reasons = dict(zip(excluded["ticker_raw"], excluded["reason"], strict=True))
    assert reasons == {
        "XTSLA": "not an equity (Money Market)",
        "USD": "not an equity (Cash)",
        "-": "no usable ticker",
        "RTYM6": "not an equity (Futures)",
    }
    assert len(parsed) + len(excluded) == len(ROWS)


def test_footer_with_numbers_and_commas_is_not_a_row():
    df = parse_holdings(holdings_csv(footer=FOOTER + '\n\n"1,2,3","4"'))
    assert len(df) == 4


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_without_bom_and_with_crlf(newline):
    df = parse_holdings(holdings_csv(bom=False, newline=newline))
    assert df["symbol"].tolist() == ["BE", "BRK-B", "CASH", "ZSPC"]
    assert df.attrs["as_of"] == dt.date(2026, 5, 5)


def test_changed_column_order_parses_by_header_name(parsed):
    shuffled = list(reversed(HEADER))
    df = parse_holdings(holdings_csv(header=shuffled))
    assert df.equals(parsed)
    assert (
        df.attrs["excluded"]["ticker_raw"].tolist()
        == parsed.attrs["excluded"]["ticker_raw"].tolist()
    )


def test_shares_header_spelling_is_accepted():
    raw = holdings_csv().replace(b",Quantity,", b",Shares,")
    df = parse_holdings(raw)
    assert df.iloc[0]["shares_held"] == pytest.approx(5_190_838.0)


@pytest.mark.parametrize("column", ["Ticker", "Weight (%)", "Asset Class", "Quantity", "Sector"])
def test_missing_required_column_is_named(column):
    header = [h for h in HEADER if h != column]
    with pytest.raises(ValueError, match=re.escape(f"required column missing: '{column}'")):
        parse_holdings(holdings_csv(header=header))


def test_no_preamble_snapshot_takes_as_of_from_caller():
    raw = holdings_csv(preamble="", footer="")
    assert parse_holdings(raw).attrs["as_of"] is None
    df = parse_holdings(raw, as_of=dt.date(2025, 11, 28))
    assert df.attrs["as_of"] == dt.date(2025, 11, 28)
    assert df["symbol"].tolist() == ["BE", "BRK-B", "CASH", "ZSPC"]
    assert df.attrs["fund"] is None


def test_caller_as_of_must_agree_with_the_file():
    assert parse_holdings(holdings_csv(), as_of=dt.date(2026, 5, 5)).attrs["as_of"] == dt.date(
        2026, 5, 5
    )
    with pytest.raises(ValueError, match="2026-05-05.*as_of=2026-05-04"):
        parse_holdings(holdings_csv(), as_of=dt.date(2026, 5, 4))


def test_unreadable_preamble_date():
    raw = holdings_csv(preamble=PREAMBLE.replace("May 05, 2026", "sometime"))
    with pytest.raises(ValueError, match="'sometime' not understood"):
        parse_holdings(raw)


def test_duplicate_symbol_keeps_the_larger_holding():
    rows = [
        (
            "ADRO",
            "CHINOOK THERAPEUTICS INC",
            "Health Care",
            "Equity",
            "223,817.75",
            "0.00",
            "1,316,575.00",
            "X",
        ),
        (
            "ADRO",
            "CHINOOK THERAPEUTICS INC CVR",
            "Health Care",
            "Equity",
            "136,169.50",
            "0.00",
            "272,339.00",
            "X",
        ),
    ]
    df = parse_holdings(holdings_csv(rows=list(reversed(rows))))
    assert df["name"].tolist() == ["CHINOOK THERAPEUTICS INC"]
    excluded = df.attrs["excluded"]
    assert excluded["name"].tolist() == ["CHINOOK THERAPEUTICS INC CVR"]
    assert excluded["reason"].iloc[0].startswith("duplicate symbol ADRO")


def test_header_only_gives_empty_frame():
    df = parse_holdings(holdings_csv(rows=[]))
    assert df.empty and list(df.columns) == list(MEMBER_COLUMNS)
    assert df.attrs["excluded"].empty
    assert df.attrs["as_of"] == dt.date(2026, 5, 5)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "no header row"),
        (b"<!DOCTYPE html><html><body>Access denied</body></html>", "no header row.*DOCTYPE"),
        (b'{"ticker": "BE", "name": "Bloom"}', "no header row"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b'Fund Holdings as of,"May 05, 2026"\nfoo,bar\n1,2\n', "no header row"),
    ],
)
def test_malformed_input(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_holdings(raw)


def test_garbled_number_names_row_and_column():
    rows = [ROWS[0][:5] + ("1.9x3",) + ROWS[0][6:]]
    with pytest.raises(ValueError, match=r"row 11: weight '1.9x3' is not a number"):
        parse_holdings(holdings_csv(rows=rows))


def test_truncated_row_is_an_error():
    text = (
        holdings_csv()
        .decode("utf-8-sig")
        .replace('"BRKB","BERKSHIRE HATHAWAY INC CLASS B","Financials",', '"BRKB","BERKSHIRE",')
    )
    with pytest.raises(ValueError, match="row 12: 14 fields where the header has 15"):
        parse_holdings(text.encode())
