"""How long HttpSource waits before a retry: Retry-After (seconds or HTTP date) or backoff."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from rotation_radar.core.transport import HttpSource, retry_after

NOW = dt.datetime(2025, 9, 18, 20, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0", 0.0),
        ("7", 7.0),
        (" 120 ", 120.0),
        ("Thu, 18 Sep 2025 20:00:30 GMT", 30.0),
        ("Thu, 18 Sep 2025 19:59:00 GMT", 0.0),  # a date already past: no wait
        (None, None),
        ("", None),
        ("soon", None),
        ("-5", None),
    ],
)
def test_retry_after_reads_seconds_and_http_dates(value, seconds):
    assert retry_after(value, now=NOW) == seconds


def answer(retry_after_value: str | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = 429
    if retry_after_value is not None:
        response.headers["Retry-After"] = retry_after_value
    return response


@pytest.mark.parametrize(
    ("retry", "response", "wait"),
    [
        (1, None, 0.5),  # no answer (a timeout): backoff
        (2, answer(), 1.0),
        (3, answer(), 2.0),
        (8, answer(), 10.0),  # capped at backoff_max
        (1, answer("3"), 3.0),  # the source's Retry-After wins over the backoff
        (4, answer("0"), 0.0),
        (1, answer("3600"), 10.0),  # ...but never past backoff_max
        (2, answer("garbage"), 1.0),
    ],
)
def test_wait_before_retry(retry, response, wait):
    http = HttpSource("yahoo_finance", "http://127.0.0.1:9", backoff_factor=0.5, backoff_max=10)
    assert http.wait_before_retry(retry, response) == wait
