"""Parsing the sources' true formats, and every malformed shape we reject."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from rotation_radar.core.transport import SourceError
from rotation_radar.sources import stooq, yahoo

D = dt.date
OPEN_0917 = 1758115800  # 2025-09-17 09:30 New York
OPEN_0918 = OPEN_0917 + 86400


def chart(stamps, quote, adjclose=None, events=None, market_time=OPEN_0918 + 23400):
    result = {
        "meta": {
            "currency": "USD",
            "symbol": "^RUT",
            "exchangeTimezoneName": "America/New_York",
            "regularMarketTime": market_time,
        },
        "timestamp": stamps,
        "indicators": {"quote": [quote], "adjclose": [{"adjclose": adjclose or quote["close"]}]},
    }
    if events:
        result["events"] = events
    return json.dumps({"chart": {"result": [result], "error": None}}).encode()


QUOTE = {
    "open": [2430.0, 2410.0],
    "high": [2453.36, 2470.0],
    "low": [2400.0, 2405.0],
    "close": [2407.34, 2467.7],
    "volume": [1000, 1200],
}


def test_yahoo_bars_dated_in_new_york_time():
    parsed = yahoo.parse(chart([OPEN_0917, OPEN_0918], QUOTE), "^RUT")
    bars = parsed.bars
    assert list(bars["date"]) == [D(2025, 9, 17), D(2025, 9, 18)]
    assert bars.loc[0, "high"] == 2453.36 and bars.loc[0, "close"] == 2407.34
    assert str(bars["volume"].dtype) == "Int64"
    assert parsed.adjustment == "split"
    assert parsed.as_of == dt.datetime.fromtimestamp(OPEN_0918 + 23400, dt.UTC)


def test_yahoo_null_bar_is_kept_as_nan_for_validation():
    quote = {k: [v[0], None] for k, v in QUOTE.items()}
    bars = yahoo.parse(chart([OPEN_0917, OPEN_0918], quote), "META").bars
    assert bars.loc[1, ["open", "high", "low", "close", "adj_close"]].isna().all()
    assert pd.isna(bars.loc[1, "volume"])


def test_yahoo_events():
    events = {
        "splits": {
            str(OPEN_0917): {
                "date": OPEN_0917,
                "numerator": 10,
                "denominator": 1,
                "splitRatio": "10:1",
            }
        },
        "dividends": {str(OPEN_0918): {"amount": 1.76, "date": OPEN_0918}},
    }
    parsed = yahoo.parse(chart([OPEN_0917, OPEN_0918], QUOTE, events=events), "NVDA")
    assert parsed.events.to_dict("records") == [
        {"symbol": "NVDA", "date": D(2025, 9, 17), "kind": "split", "value": 10.0},
        {"symbol": "NVDA", "date": D(2025, 9, 18), "kind": "dividend", "value": 1.76},
    ]


def test_yahoo_empty_window():
    body = json.dumps(
        {
            "chart": {
                "result": [
                    {"meta": {"currency": "USD"}, "indicators": {"quote": [{}], "adjclose": [{}]}}
                ],
                "error": None,
            }
        }
    ).encode()
    parsed = yahoo.parse(body, "IWM")
    assert parsed.bars.empty and parsed.events.empty


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"chart": {"result": [', "malformed JSON"),
        (b"<html>Will be right back</html>", "malformed JSON"),
        (
            b'{"chart": {"result": null, "error": {"code": "Not Found", "description": "x"}}}',
            "source error",
        ),
        (b'{"chart": {}}', "unexpected shape"),
        (b"[]", "unexpected shape"),
        (
            chart([OPEN_0917, OPEN_0918], {**QUOTE, "close": [1.0]}),
            "close has 1 values for 2 timestamps",
        ),
        (
            chart([OPEN_0917, OPEN_0918], {**QUOTE, "high": [2453.36, "n/a"]}),
            "high has a value that is not a number: 'n/a'",
        ),
    ],
)
def test_yahoo_malformed_names_the_symbol(body, message):
    with pytest.raises(SourceError) as err:
        yahoo.parse(body, "IWM")
    assert "IWM" in str(err.value) and message in str(err.value)


def test_stooq_csv_and_polish_header_with_bom():
    english = (
        b"Date,Open,High,Low,Close,Volume\n"
        b"2025-09-17,10,12,9,11,100\n2025-09-18,11,13,10,12.5,200\n"
    )
    polish = (
        "\ufeffData,Otwarcie,Najwyzszy,Najnizszy,Zamkniecie,Wolumen\n2025-09-17,10,12,9,11,100\n"
    ).encode()
    for body in (english, polish):
        parsed = stooq.parse(body, "SPY", None)
        assert parsed.bars.loc[0, "date"] == D(2025, 9, 17)
        assert parsed.bars.loc[0, "close"] == parsed.bars.loc[0, "adj_close"] == 11
        assert parsed.adjustment == "split_dividend"


@pytest.mark.parametrize(
    "body",
    [b"Date,Open\n2025-09-17,1\n", b"Date,Open,High,Low,Close,Volume\n17/09/2025,1,1,1,1,1\n"],
)
def test_stooq_malformed(body):
    with pytest.raises(SourceError, match="SPY"):
        stooq.parse(body, "SPY", None)
