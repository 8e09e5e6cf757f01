"""iShares client (path, parameters, statuses) and the holdings month-end calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable
from rotation_radar.sources import Fetched, ishares
from rotation_radar.universe import ingest

HTTP = HttpSource("ishares", "http://127.0.0.1:9", retries=0)


def test_holdings_path_and_params():
    assert (
        ishares.holdings_path("IWM")
        == "/us/products/239710/ishares-russell-2000-etf/1467271812596.ajax"
    )
    assert (
        ishares.holdings_path("IVV")
        == "/us/products/239726/ishares-core-sp-500-etf/1467271812596.ajax"
    )
    assert ishares.params("IWM") == {
        "fileType": "csv",
        "fileName": "IWM_holdings",
        "dataType": "fund",
    }
    assert ishares.params("IVV", dt.date(2025, 5, 30))["asOfDate"] == "20250530"
    with pytest.raises(SourceError, match="SPY"):
        ishares.holdings_path("SPY")


def answer(status, body=b"\xef\xbb\xbfiShares Russell 2000 ETF\n", content_type="text/csv"):
    return Fetched("ishares", "IWM", "http://x", status, {"Content-Type": content_type}, body)


@pytest.mark.parametrize("status", [429, 500, 503])
def test_unavailable_statuses(status):
    with pytest.raises(SourceUnavailable, match=f"IWM as of 2025-05-30.*HTTP {status}"):
        ishares.check_status(answer(status), HTTP, dt.date(2025, 5, 30))


def test_other_status_names_fund_and_date():
    with pytest.raises(SourceError, match="IWM as of 2025-05-30.*HTTP 404") as err:
        ishares.check_status(answer(404), HTTP, dt.date(2025, 5, 30))
    assert not isinstance(err.value, SourceUnavailable)


def test_html_instead_of_csv():
    with pytest.raises(SourceError, match="HTML page instead of the CSV"):
        ishares.check_status(answer(200, b"<!DOCTYPE html><html></html>", "text/html"), HTTP)
    ishares.check_status(answer(200), HTTP)  # a CSV is fine


@pytest.mark.parametrize(
    ("start", "day", "expected"),
    [
        ("2024-12-31", "2025-01-15", ["2024-12-31", "2025-01-15"]),
        ("2024-12-31", "2025-03-31", ["2024-12-31", "2025-01-31", "2025-02-28", "2025-03-31"]),
        # Good Friday 2025-04-18 is no session; May 31 a Saturday
        ("2025-04-01", "2025-06-02", ["2025-04-30", "2025-05-30", "2025-06-02"]),
        (
            "2025-01-15",
            "2025-02-03",
            ["2025-01-31", "2025-02-03"],
        ),  # the start month's end only if after start
    ],
)
def test_month_ends(start, day, expected):
    got = ingest.month_ends(dt.date.fromisoformat(start), dt.date.fromisoformat(day))
    assert [d.isoformat() for d in got] == expected


def test_every_holdings_basket_has_an_ishares_product():
    """The funds are listed once (settings.HOLDINGS_BASKETS); the source knows each one's page."""
    from rotation_radar.core import settings

    assert set(settings.HOLDINGS_BASKETS) == set(ishares.PRODUCTS)
