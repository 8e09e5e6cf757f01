"""The SEP ingest's pure parts: a page as lake rows, the previous-projection cross-check
between meetings, and the Great Expectations suites of fomc_projections and fomc_dots
(on the replay's generated pages and frames built here)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pandas as pd
import pytest

from devtools.replay import generate_fed, generate_sep
from rotation_radar.core import lake
from rotation_radar.fomc import checks, sep
from rotation_radar.fomc.projections import parse_projections
from rotation_radar.sources import fed

D = dt.date.fromisoformat
SEP17 = D("2025-09-17")
SEP17_PATH = "/monetarypolicy/fomcprojtabl20250917.htm"
LINEAGE = {
    "source": "federal_reserve",
    "ingested_at": pd.Timestamp("2025-09-20", tz="UTC"),
    "run_id": "run1",
}


@pytest.fixture(scope="module")
def pages() -> dict[str, bytes]:
    generated = generate_sep.pages(generate_fed.meetings())
    return {k.removeprefix("fed"): v for k, v in generated.items()}


@pytest.fixture(scope="module")
def parsed(pages):
    out = {}
    for path, body in pages.items():
        day = fed.projections_date(path)
        out[day] = parse_projections(body, day, path)
    return dict(sorted(out.items()))


def test_a_page_as_lake_rows(pages, parsed):
    entry = {
        "path": SEP17_PATH,
        "raw_key": "raw/federal_reserve/2025-09-19/fomcprojtabl20250917.htm-abc",
        "etag": '"x"',
        "last_modified": "Wed, 17 Sep 2025 18:00:00 GMT",
    }
    body = pages[SEP17_PATH]
    table, dots = sep.meeting_rows(entry, body, parsed[SEP17], LINEAGE)
    assert list(table.columns) == lake.SCHEMAS["fomc_projections"].names
    assert list(dots.columns) == lake.SCHEMAS["fomc_dots"].names
    assert len(table) == 25 and table["sha256"].eq(hashlib.sha256(body).hexdigest()).all()
    assert table["url"].eq(SEP17_PATH).all() and table["run_id"].eq("run1").all()
    assert dots["participants"].sum() == 5 * 19  # four years and the longer run
    # the rows convert to the declared schemas as they are
    lake.to_table(table, "fomc_projections")
    lake.to_table(dots, "fomc_dots")


def test_every_page_matches_the_sep_before_it(parsed):
    assert sep.previous_problems(parsed, set()) == []


def test_a_previous_row_that_differs_names_both_meetings(parsed):
    september, june = parsed[SEP17], parsed[D("2025-06-18")]
    edited = september.previous.copy()
    rows = edited.variable.eq("federal_funds_rate") & edited.target_year.eq("2025")
    edited.loc[rows, "median"] = 3.6
    loaded = {june.meeting_date: june, SEP17: dataclasses.replace(september, previous=edited)}
    (record,) = sep.previous_problems(loaded, set())
    assert (record["meeting_date"], record["previous_meeting"]) == ("2025-09-17", "2025-06-18")
    assert record["problems"] == [
        "SEP of 2025-09-17: June projection federal_funds_rate 2025 median 3.6, but the SEP "
        "of 2025-06-18 printed 3.9"
    ]


def test_a_page_whose_previous_sep_is_not_in_the_lake_is_not_compared(parsed):
    # The September page prints the June projection; the lake has March only.
    september = parsed[SEP17]
    edited = september.previous.assign(median=9.9)
    loaded = {
        D("2025-03-19"): parsed[D("2025-03-19")],
        SEP17: dataclasses.replace(september, previous=edited),
    }
    assert sep.previous_problems(loaded, set()) == []


def projections_rows(changes: dict | None = None) -> pd.DataFrame:
    rows = [
        {
            "meeting_date": SEP17,
            "variable": variable,
            "target_year": year,
            "median": 3.6,
            "central_tendency_low": 3.4,
            "central_tendency_high": 3.9,
            "range_low": 2.9,
            "range_high": 4.4,
        }
        for variable in ("federal_funds_rate", "core_pce_inflation")
        for year in ("2025", "longer_run")
    ]
    frame = pd.DataFrame(rows)
    for (variable, year), values in (changes or {}).items():
        for column, value in values.items():
            frame.loc[frame.variable.eq(variable) & frame.target_year.eq(year), column] = value
    return frame


def test_projections_suite_passes_a_good_batch_and_an_empty_one():
    for batch in (projections_rows(), projections_rows().iloc[0:0]):
        checked = checks.validate_projections(batch, run_id="r1")
        assert all(r.success for r in checked.results) and checked.quarantined.empty


def test_a_federal_funds_row_without_a_median_fails_its_row():
    missing = float("nan")
    batch = projections_rows(
        {
            ("federal_funds_rate", "longer_run"): {"median": missing},
            ("core_pce_inflation", "longer_run"): {"median": missing},  # core PCE may lack one
        }
    )
    checked = checks.validate_projections(batch, run_id="r1")
    assert not checked.blocked
    (row,) = checked.quarantined.itertuples()
    assert (row.variable, row.target_year, row.reason) == (
        "federal_funds_rate",
        "longer_run",
        "fed_funds_median_not_null",
    )
    result = {r.check: r for r in checked.results}["fed_funds_median_not_null"]
    assert result.dataset == "fomc_projections" and result.unexpected_count == 1


def test_a_repeated_projection_key_blocks_the_batch():
    batch = projections_rows()
    checked = checks.validate_projections(pd.concat([batch, batch.iloc[:1]]), run_id="r1")
    assert checked.blocked
    assert [r.check for r in checked.failures()] == ["unique_projection_key"]


def test_dots_suite():
    dots = pd.DataFrame(
        {
            "meeting_date": [SEP17] * 3,
            "target_year": ["2025", "2025", "2026"],
            "midpoint": [3.625, 3.875, 3.375],
            "participants": [10, 0, 19],
        }
    )
    checked = checks.validate_dots(dots, run_id="r1")
    assert not checked.blocked and list(checked.quarantined.midpoint) == [3.875]
    assert {r.dataset for r in checked.results} == {"fomc_projections"}  # stored together
    repeated = checks.validate_dots(pd.concat([dots, dots.iloc[:1]]), run_id="r1")
    assert [r.check for r in repeated.failures() if r.severity == "batch"] == ["unique_dots_key"]
