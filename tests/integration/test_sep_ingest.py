"""The SEP (Table 1 and the dot plot) into the lake against the replay server: real
HTTP, real files, real Great Expectations. Each bad page is a clear error or a
data_quality record naming the meeting, its raw bytes are kept, the other meetings are
loaded, and the statements' ingest of the same run is unaffected."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

import pytest
import requests

from rotation_radar.core import lake, storage
from rotation_radar.core.transport import HttpSource
from rotation_radar.fomc import ingest as fomc_ingest
from rotation_radar.fomc import sep
from rotation_radar.sources import fed

D = dt.date.fromisoformat
DAY = D("2025-09-19")
NOW = dt.datetime(2025, 9, 20, tzinfo=dt.UTC)
SEP17 = "/monetarypolicy/fomcprojtabl20250917.htm"
RAW = f"raw/federal_reserve/{DAY}"


def http(server):
    return HttpSource("federal_reserve", server.url, retries=2, backoff_factor=0.01)


def ingest(server, run_id="run1", day=DAY):
    meetings = sep.discover_projections(http(server), day, 2019)
    manifest = sep.fetch_projections(http(server), meetings, day, run_id)
    return sep.load_projections(manifest, day, run_id, NOW)


def run_like_the_dag(server, run_id="run1", day=DAY):
    """The fomc_statements DAG's order: the statements fetched, the SEP tasks, then the
    statements loaded; returns (the SEP summary or its error, the statements' summary)."""
    pages = fomc_ingest.discover(http(server), day, 2019)
    manifest = fomc_ingest.fetch_statements(http(server), pages, day, run_id)
    try:
        outcome = ingest(server, run_id, day)
    except sep.ProjectionsFailed as exc:
        outcome = exc
    return outcome, fomc_ingest.load_statements(manifest, day, run_id, NOW)


def meetings() -> list[dt.date]:
    return sorted(D(f["meeting_date"]) for f in lake.stored("fomc_projections"))


def checks(run_id="run1") -> dict:
    frame = lake.read_all("data_quality", lake.prefix("data_quality", dataset="fomc_projections"))
    return {r.check: r for r in frame[frame["run_id"] == run_id].itertuples()}


def page(server, path=SEP17) -> bytes:
    body = requests.get(server.url + path, timeout=10).content
    server.clear_requests()
    return body


def landed(name="fomcprojtabl20250917.htm") -> list[bytes]:
    return [
        storage.read_bytes(k) for k in storage.keys(RAW, f"{name}-*") if not k.endswith(".json")
    ]


def lake_files() -> dict[str, tuple[bytes, int]]:
    keys = storage.keys("lake/fomc_projections", "**/*.parquet") + storage.keys(
        "lake/fomc_dots", "**/*.parquet"
    )
    return {k: (storage.read_bytes(k), storage.path(k).stat().st_mtime_ns) for k in keys}


# ------------------------------------------------------------------ good runs


def test_a_first_run_stores_every_sep_up_to_the_day(data_dir, replay):
    summary = ingest(replay)
    assert summary["problems"] == [] and summary["left_out"] == []
    assert summary["new"] == summary["meetings"] == len(summary["written"]) == 26
    stored = meetings()
    assert len(stored) == 26 and stored[0] == D("2019-03-20") and stored[-1] == D("2025-09-17")
    assert D("2022-03-16") in stored  # the page spelled fomcprojtable
    assert len(lake.stored("fomc_dots")) == 26

    table = lake.read("fomc_projections", meeting_date=D("2025-09-17"))
    ffr = table[table["variable"] == "federal_funds_rate"].set_index("target_year")
    assert ffr.loc["2025", "median"] == 3.6
    assert list(ffr.index) == ["2025", "2026", "2027", "2028", "longer_run"]
    assert set(table["variable"]) == {
        "real_gdp_change",
        "unemployment_rate",
        "pce_inflation",
        "core_pce_inflation",
        "federal_funds_rate",
    }
    body = landed()[0]
    row = table.iloc[0]
    assert row["url"] == SEP17 and storage.read_bytes(row["raw_key"]) == body
    assert row["sha256"] == hashlib.sha256(body).hexdigest()
    assert row["etag"] and row["last_modified"] and row["run_id"] == "run1"
    assert (row["source"], row["ingested_at"]) == ("federal_reserve", NOW)

    dots = lake.read("fomc_dots", meeting_date=D("2025-09-17"))
    year = dots[dots["target_year"] == "2025"]
    assert dict(zip(year["midpoint"], year["participants"], strict=True)) == {
        4.125: 5,
        3.875: 3,
        3.625: 10,
        2.875: 1,
    }
    assert str(dots["participants"].dtype) == "int64"

    results = checks()
    assert {
        "projections_read",
        "projections_consistent",
        "projections_published",
        "projections_match_previous",
        "unique_projection_key",
        "fed_funds_median_not_null",
        "unique_dots_key",
        "dots_participants_positive",
    } <= set(results)
    assert all(r.success for r in results.values()), results
    manifest = json.loads(storage.read_bytes(f"raw/manifests/fomc_projections/{DAY}/run1.json"))
    assert len(manifest) == 26 and {e["status"] for e in manifest} == {"new"}


def test_a_rerun_requests_conditionally_and_rewrites_nothing(data_dir, replay):
    ingest(replay)
    before = lake_files()
    replay.clear_requests()
    summary = ingest(replay, run_id="run2")
    pages = [r for r in replay.requests if "/fomcprojtabl" in r["path"]]
    assert len(pages) == 26 and {r["status"] for r in pages} == {304}
    assert summary["written"] == [] and summary["unchanged"] == 26 and summary["meetings"] == 26
    assert lake_files() == before  # same bytes, never rewritten

    # A changed page replaces its meeting's files; both versions' raw bytes stay.
    body = page(replay)
    changed = body.replace(b"Summary of Economic Projections", b"Summary of Projections", 1)
    assert changed != body
    replay.inject(SEP17, [200], body=changed)
    summary = ingest(replay, run_id="run3")
    assert summary["written"] == ["2025-09-17"] and summary["changed"] == 1
    table = lake.read("fomc_projections", meeting_date=D("2025-09-17"))
    assert set(table["run_id"]) == {"run3"} and body in landed() and changed in landed()
    assert lake.read("fomc_projections", meeting_date=D("2025-06-18"))["run_id"].eq("run1").all()


def test_a_run_for_a_past_date_sees_only_the_seps_up_to_it(data_dir, replay):
    summary = ingest(replay, day=D("2024-06-30"))
    assert summary["problems"] == [] and summary["meetings"] == 21
    assert meetings()[-1] == D("2024-06-12")
    asked = [fed.projections_date(r["path"]) for r in replay.requests if "/fomcproj" in r["path"]]
    assert len(asked) == 21 and max(asked) == D("2024-06-12")


def test_projections_due_but_not_linked_are_recorded(data_dir, replay):
    # The calendar stars 2025-12-10 (projections due) but links no page.
    summary = ingest(replay, day=D("2025-12-11"))
    assert summary["unpublished"] == ["2025-12-10"] and summary["meetings"] == 26
    check = checks()["projections_published"]
    assert not check.success and check.severity == "warning" and check.unexpected_count == 1
    assert json.loads(check.detail)[0]["meeting_date"] == "2025-12-10"


# ------------------------------------------------------------------ bad input


def no_table_1(body: bytes) -> bytes:
    return body.replace(b"Table 1. Economic", b"Table 7. Economic")


def dots_do_not_add_up(body: bytes) -> bytes:
    return re.sub(rb'(>3\.625</th>\r\n\t\t\t<td class="data"[^>]*>)10<', rb"\g<1>11<", body)


def median_outside_the_dots(body: bytes) -> bytes:
    return body.replace(b'xt1b1 xt1r9 xt1r10">3.6<', b'xt1b1 xt1r9 xt1r10">4.9<')


def assert_others_loaded_and_statements_unaffected(statements: dict) -> None:
    stored = meetings()
    assert len(stored) == 25 and D("2025-09-17") not in stored and D("2025-06-18") in stored
    assert not lake.stored("fomc_dots", meeting_date=D("2025-09-17"))
    assert statements["problems"] == []
    assert D("2025-09-17") in set(lake.read("fomc_statements")["statement_date"])


def test_a_page_without_table_1_fails_naming_the_meeting(data_dir, replay):
    body = no_table_1(page(replay))
    replay.inject(SEP17, [200], body=body)
    error, statements = run_like_the_dag(replay)
    assert isinstance(error, sep.ProjectionsFailed)
    assert "meeting 2025-09-17" in str(error) and SEP17 in str(error)
    assert "Table 1: no table captioned 'Table 1" in str(error)
    assert_others_loaded_and_statements_unaffected(statements)
    assert body in landed()
    check = checks()["projections_read"]
    (problem,) = json.loads(check.detail)
    assert not check.success and check.severity == "source"
    assert (problem["meeting_date"], problem["path"], problem["table"]) == (
        "2025-09-17",
        SEP17,
        "Table 1",
    )
    assert storage.read_bytes(problem["raw_key"]) == body


def test_an_http_404_for_a_meeting_with_projections_fails_naming_the_meeting(data_dir, replay):
    replay.inject(SEP17, [404])
    error, statements = run_like_the_dag(replay)
    assert isinstance(error, sep.ProjectionsFailed)
    assert "meeting 2025-09-17" in str(error) and "HTTP 404" in str(error)
    assert_others_loaded_and_statements_unaffected(statements)
    (problem,) = json.loads(checks()["projections_read"].detail)
    assert problem["meeting_date"] == "2025-09-17" and "HTTP 404" in problem["error"]
    assert b"404" in storage.read_bytes(problem["raw_key"])  # the answer is kept

    # A stored meeting whose page goes missing keeps its files.
    replay.inject(SEP17, [404])
    with pytest.raises(sep.ProjectionsFailed, match="HTTP 404"):
        ingest(replay, run_id="run2")
    assert len(meetings()) == 25
    ingest(replay, run_id="run3")
    assert len(meetings()) == 26
    replay.inject("/monetarypolicy/fomcprojtabl20250618.htm", [404])
    with pytest.raises(sep.ProjectionsFailed, match="2025-06-18"):
        ingest(replay, run_id="run4")
    assert len(meetings()) == 26


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (
            dots_do_not_add_up,
            "Figure 2 2025 has 20 dots, but 19 participants project the other years",
        ),
        (
            median_outside_the_dots,
            "federal funds rate 2025: Table 1 median 4.9 outside the dots' range 2.875..4.125",
        ),
    ],
    ids=["dots-do-not-add-up", "median-outside-the-dots"],
)
def test_an_inconsistent_page_is_left_out_and_recorded(data_dir, replay, edit, problem):
    body = edit(page(replay))
    replay.inject(SEP17, [200], body=body)
    summary, statements = run_like_the_dag(replay)
    assert summary["left_out"] == ["2025-09-17"] and summary["problems"] == []
    assert_others_loaded_and_statements_unaffected(statements)
    assert body in landed()
    check = checks()["projections_consistent"]
    (record,) = json.loads(check.detail)
    assert not check.success and check.severity == "row" and check.unexpected_count == 1
    assert record["meeting_date"] == "2025-09-17" and record["path"] == SEP17
    assert any(problem in p and p.startswith("SEP of 2025-09-17") for p in record["problems"])
    assert storage.read_bytes(record["raw_key"]) == body
    for name in ("quarantine_fomc_projections", "quarantine_fomc_dots"):
        quarantined = lake.read_all(name)
        assert set(quarantined["meeting_date"]) == {D("2025-09-17")}
        assert quarantined["reason"].str.contains(problem, regex=False).all()
