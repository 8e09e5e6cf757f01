"""Every answer a source gave is kept, retried ones included, and every retry is logged
(issue 14): real HTTP against the replay server on 127.0.0.1, real files under raw/."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from rotation_radar.core import storage
from rotation_radar.core.transport import HttpSource, SourceUnavailable
from rotation_radar.fomc import ingest as fomc_ingest
from rotation_radar.prices import ingest as prices_ingest

SESSION = dt.date(2025, 9, 18)
START = dt.date(2019, 1, 2)
DAY = dt.date(2025, 9, 19)
PAGE = "/newsevents/pressreleases/monetary20250917a.htm"
NOW = dt.datetime(2025, 9, 20, tzinfo=dt.UTC)


def http(server, name="yahoo_finance", retries=3):
    return HttpSource(name, server.url, retries=retries, backoff_factor=0)


def fetch_prices(server, symbols, retries=3):
    return prices_ingest.fetch_all(
        symbols, SESSION, START, 5, http(server, retries=retries), None, "run1"
    )


def landed(prefix: str, pattern: str = "*.meta.json") -> list[dict]:
    """Metadata of every answer landed under prefix, in the order they were asked."""
    metas = [json.loads(storage.read_bytes(k)) for k in storage.keys(prefix, pattern)]
    return sorted(metas, key=lambda m: m.get("attempt", float("inf")))


def retry_lines(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "rotation_radar.core.transport" and r.levelno == logging.WARNING
    ]


def test_429_then_503_then_200_lands_three_answers_and_logs_each_retry(data_dir, replay, caplog):
    caplog.set_level(logging.WARNING, logger="rotation_radar.core.transport")
    replay.inject("/v8/finance/chart/IWM", [429, 503], retry_after=0)
    manifest = fetch_prices(replay, ["IWM"])

    entry = prices_ingest.read_manifest(manifest)[0]
    assert entry.status == "ok"
    metas = landed(f"raw/yahoo_finance/{SESSION}/IWM")
    assert [m["status"] for m in metas] == [429, 503, 200]
    assert [m.get("attempt") for m in metas] == [1, 2, None]
    assert metas[0]["headers"]["Retry-After"] == "0"
    # The final answer keeps its key (what the load stage reads) and names the retried ones.
    final = json.loads(storage.read_bytes(entry.raw_key + ".meta.json"))
    assert final["status"] == 200 and "attempt" not in entry.raw_key
    retried = [k.rsplit("/", 1)[-1] for k in final["retried_attempts"]]
    assert [k.split("-")[2] for k in retried] == ["attempt1", "attempt2"]
    assert storage.read_bytes(final["retried_attempts"][0]).startswith(b"<html>")

    lines = retry_lines(caplog)
    assert len(lines) == 2
    assert "IWM" in lines[0] and "HTTP 429" in lines[0] and "in 0.0 s" in lines[0]
    assert "IWM" in lines[1] and "HTTP 503" in lines[1] and "in 0.0 s" in lines[1]
    assert all("yahoo_finance" in line and "retry" in line for line in lines)


def test_503_every_time_lands_every_answer_and_fails_naming_the_symbol(data_dir, replay, caplog):
    caplog.set_level(logging.WARNING, logger="rotation_radar.core.transport")
    replay.inject("/v8/finance/chart/IWM", [503] * 10)
    with pytest.raises(SourceUnavailable, match=r"IWM.*HTTP 503 after 3 retries"):
        fetch_prices(replay, ["IWM"])
    metas = landed(f"raw/yahoo_finance/{SESSION}/IWM")
    assert [m["status"] for m in metas] == [503] * 4  # the first try and its 3 retries
    assert [m.get("attempt") for m in metas] == [1, 2, 3, None]
    assert len(retry_lines(caplog)) == 3
    assert all("IWM" in line and "HTTP 503" in line for line in retry_lines(caplog))


def test_a_304_after_a_retried_503_is_unchanged_and_the_503_is_kept(data_dir, replay):
    source = http(replay, "federal_reserve", retries=2)
    pages = [{"date": "2025-09-17", "path": PAGE}]
    fomc_ingest.load_statements(
        fomc_ingest.fetch_statements(source, pages, DAY, "run1"), DAY, "run1", NOW
    )
    replay.inject(PAGE, [503])
    replay.clear_requests()
    manifest = fomc_ingest.fetch_statements(source, pages, DAY, "run2")

    assert [r["status"] for r in replay.requests] == [503, 304]  # asked conditionally, twice
    entry = json.loads(storage.read_bytes(manifest))[0]
    assert entry["status"] == "unchanged" and "raw_key" not in entry
    metas = landed(f"raw/federal_reserve/{DAY}", "monetary20250917a.htm-attempt*.meta.json")
    assert [(m["status"], m["attempt"]) for m in metas] == [(503, 1)]


def test_no_answer_at_all_is_retried_logged_and_unavailable(caplog):
    caplog.set_level(logging.WARNING, logger="rotation_radar.core.transport")
    closed = HttpSource("yahoo_finance", "http://127.0.0.1:9", retries=2, backoff_factor=0)
    with pytest.raises(SourceUnavailable, match=r"prices for \^RUT from yahoo_finance: no answer"):
        closed.get("/v8/finance/chart/^RUT", what="prices for ^RUT")
    lines = retry_lines(caplog)
    assert len(lines) == 2 and all("^RUT" in line and "no answer" in line for line in lines)
