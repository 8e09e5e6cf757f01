"""FOMC statements and FRED series against the replay server: real HTTP, real files,
real Great Expectations. Each bad input is rejected with a message naming it, its
raw bytes kept, and the other statements loaded."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from rotation_radar.core import lake, storage
from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable
from rotation_radar.fomc import ingest as fomc_ingest

DAY = dt.date(2025, 9, 19)
PAGE = "/newsevents/pressreleases/monetary20250917a.htm"
NOW = dt.datetime(2025, 9, 20, tzinfo=dt.UTC)


def http(server, name="federal_reserve"):
    return HttpSource(name, server.url, retries=2, backoff_factor=0.01)


def ingest(server, run_id="run1", day=DAY):
    pages = fomc_ingest.discover(http(server), day, 2019)
    manifest = fomc_ingest.fetch_statements(http(server), pages, day, run_id)
    return fomc_ingest.load_statements(manifest, day, run_id, NOW)


def statements():
    return lake.read("fomc_statements").set_index("statement_date")


def quality(run_id="run1"):
    frame = lake.read_all("data_quality")
    return {r.check: r for r in frame[frame["run_id"] == run_id].itertuples()}


def test_statements_and_fred_load_point_in_time(data_dir, replay):
    summary = ingest(replay, day=dt.date(2025, 9, 16))
    assert summary["problems"] == [] and summary["new"] == summary["statements"]
    assert statements().index.max() == dt.date(
        2025, 7, 30
    )  # the 2025-09-17 statement is not out yet
    fred = fomc_ingest.load_fred(http(replay, "fred"), dt.date(2025, 9, 16), "run1", NOW)
    assert fred["range_mismatches"] == 0
    target = lake.read("fed_funds_target")
    assert target["date"].max() <= dt.date(2025, 9, 16)
    yields = lake.read("treasury_yields")
    assert (
        set(yields["series"]) == {"DGS2", "DGS10"} and yields["value"].isna().any()
    )  # bond holidays


def page_without_statement(server) -> bytes:
    return (
        b"<html><head><title>Federal Reserve Board</title></head>"
        b"<body><div id='article'><p>Moved.</p></div></body></html>"
    )


def truncated_page(server) -> bytes:
    body = requests.get(server.url + PAGE, timeout=10).content
    server.clear_requests()
    return body[: len(body) // 2]


@pytest.mark.parametrize(
    "make_body", [page_without_statement, truncated_page], ids=["no-statement", "truncated"]
)
def test_bad_statement_page_fails_loudly_keeps_raw_and_loads_the_rest(data_dir, replay, make_body):
    body = make_body(replay)
    replay.inject(PAGE, [200], body=body)
    with pytest.raises(fomc_ingest.StatementsFailed) as err:
        ingest(replay)
    assert PAGE in str(err.value) and "raw kept" in str(err.value)
    loaded = statements()
    assert dt.date(2025, 9, 17) not in loaded.index and dt.date(2025, 7, 30) in loaded.index
    assert len(loaded) > 40
    kept = [
        storage.read_bytes(k)
        for k in storage.keys("raw/federal_reserve/2025-09-19", "monetary20250917a.htm-*")
        if not k.endswith(".json")
    ]
    assert body in kept
    check = quality()["statements_read"]
    assert not check.success and check.unexpected_count == 1 and PAGE in check.detail


def test_feed_with_an_unknown_item_is_ignored(data_dir, replay):
    feed = requests.get(replay.url + "/feeds/press_monetary.xml", timeout=10).text
    unknown = (
        "<item><title>Federal Reserve Board announces a new facility</title>"
        "<link>https://www.federalreserve.gov/newsevents/pressreleases/other20250918b.htm</link>"
        "<pubDate>Thu, 18 Sep 2025 18:00:00 GMT</pubDate>"
        "<guid>x</guid><description>x</description></item>"
    )
    replay.clear_requests()
    replay.inject(
        "/feeds/press_monetary.xml",
        [200],
        body=feed.replace("<item>", unknown + "<item>", 1).encode(),
    )
    pages = fomc_ingest.discover(http(replay), DAY, 2019)
    assert all("other20250918b" not in p["path"] for p in pages)
    assert pages[-1]["path"] == PAGE


def test_a_503_storm_on_the_feed_fails_the_task_naming_the_feed(data_dir, replay):
    replay.inject("/feeds/press_monetary.xml", [503] * 10)
    with pytest.raises(SourceUnavailable, match="press_monetary.xml"):
        fomc_ingest.discover(http(replay), DAY, 2019)
    assert storage.keys(
        "raw/federal_reserve/2025-09-19", "press_monetary.xml-*"
    )  # the 503 page is kept


def test_a_historical_calendar_without_meetings_fails_naming_that_page(data_dir, replay):
    page = "/monetarypolicy/fomchistorical2019.htm"
    body = b"<html><body><h3>2019 FOMC Meetings</h3><p>Redesigned.</p></body></html>"
    replay.inject(page, [200], body=body)
    with pytest.raises(SourceError) as err:
        fomc_ingest.discover(http(replay), DAY, 2019)
    assert str(err.value) == f"FOMC calendar {page}: no meetings found (page layout changed?)"


def test_a_503_storm_on_one_statement_loads_the_others(data_dir, replay):
    replay.inject(PAGE, [503] * 10)
    with pytest.raises(fomc_ingest.StatementsFailed, match="503"):
        ingest(replay)
    assert dt.date(2025, 9, 17) not in statements().index and len(statements()) > 40


def test_stored_pages_are_requested_conditionally_and_a_changed_page_is_a_new_version(
    data_dir, replay
):
    ingest(replay)
    replay.clear_requests()
    ingest(replay, run_id="run2")
    pages = [r for r in replay.requests if r["path"].startswith("/newsevents/")]
    assert pages and {r["status"] for r in pages} == {304}

    body = requests.get(replay.url + PAGE, timeout=10).content
    assert b"Job gains have slowed" in body
    changed = body.replace(
        b"Job gains have slowed",
        b"The Committee will continue to monitor the situation. Job gains have slowed",
        1,
    )
    replay.inject(PAGE, [200], body=changed)
    summary = ingest(replay, run_id="run3")
    assert summary["changed"] == 1
    row = statements().loc[dt.date(2025, 9, 17)]
    assert row["version"] == 2 and "continue to monitor the situation" in row["text"]
    versions = lake.read_all("fomc_statements_versions")
    assert list(versions["version"]) == [1] and list(versions["replaced_by_run_id"]) == ["run3"]
