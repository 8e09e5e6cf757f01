"""The one symbol map (rotation_radar.core.symbols): iShares, Yahoo, SEC and Stooq spellings."""

from __future__ import annotations

import pytest

from rotation_radar.core.symbols import from_ishares, to_sec, to_stooq, to_yahoo


@pytest.mark.parametrize(
    ("ishares", "yahoo"),
    [
        ("AAPL", "AAPL"),
        ("BRKB", "BRK-B"),  # iShares drops the class separator of NYSE share classes
        ("BFB", "BF-B"),
        ("LENB", "LEN-B"),
        ("MOGA", "MOG-A"),
        ("GEFB", "GEF-B"),
        ("CRDA", "CRD-A"),
        ("BELFB", "BELFB"),  # Nasdaq symbols carry the class letter everywhere
        ("RUSHA", "RUSHA"),
        ("LILAK", "LILAK"),
        ("BRK.B", "BRK-B"),
        ("BRK B", "BRK-B"),
        ("BRK/A", "BRK-A"),
        (" brkb ", "BRK-B"),
        ("CASH", "CASH"),  # Pathward Financial (Nasdaq: CASH), an IWM member
        ("SEVNR", "SEVNR"),
    ],
)
def test_from_ishares_gives_yahoo_spelling(ishares, yahoo):
    assert from_ishares(ishares) == yahoo


@pytest.mark.parametrize(
    "junk", ["-", "--", "", "   ", None, "P5N994", "RTYM6", "123456", "US0378331005", "ABCDEFG"]
)
def test_from_ishares_rejects_placeholders_and_codes(junk):
    assert from_ishares(junk) is None


@pytest.mark.parametrize(
    ("given", "yahoo"),
    [
        ("BRK-B", "BRK-B"),
        ("brk.b", "BRK-B"),
        ("BRK/B", "BRK-B"),
        ("brk-b.us", "BRK-B"),
        ("spy", "SPY"),
        ("^RUT", "^RUT"),
        ("^gspc", "^GSPC"),
    ],
)
def test_to_yahoo(given, yahoo):
    assert to_yahoo(given) == yahoo


@pytest.mark.parametrize(
    ("symbol", "sec"),
    [("BRK-B", "BRK-B"), ("BRK.B", "BRK-B"), ("AAPL", "AAPL"), ("^RUT", None), ("^GSPC", None)],
)
def test_to_sec(symbol, sec):
    assert to_sec(symbol) == sec


@pytest.mark.parametrize(
    ("symbol", "stooq"),
    [
        ("^GSPC", "^spx"),
        ("^RUT", "^rut"),
        ("^DJI", "^dji"),
        ("SPY", "spy.us"),
        ("BRK-B", "brk-b.us"),
        ("BRK.B", "brk-b.us"),
    ],
)
def test_to_stooq(symbol, stooq):
    assert to_stooq(symbol) == stooq


def test_ishares_to_every_source():
    yahoo = from_ishares("BRKB")
    assert (yahoo, to_sec(yahoo), to_stooq(yahoo)) == ("BRK-B", "BRK-B", "brk-b.us")
