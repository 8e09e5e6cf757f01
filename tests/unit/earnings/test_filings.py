"""The earnings_sec stages' pure parts: members to CIKs, index days, fact merges."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rotation_radar.core import lake
from rotation_radar.earnings import ingest

D = dt.date.fromisoformat


def company_map() -> pd.DataFrame:
    tickers = pd.DataFrame(
        [
            (1652044, "GOOGL", "Alphabet Inc."),
            (1652044, "GOOG", "Alphabet Inc."),
            (1067983, "BRK-B", "Berkshire"),
            (1067983, "BRK-A", "Berkshire"),
            (320193, "AAPL", "Apple Inc."),
        ],
        columns=["cik", "ticker", "title"],
    )
    return ingest.companies(tickers)


def test_share_classes_map_to_one_company():
    mapped, unmapped = ingest.map_members(
        ["GOOG", "GOOGL", "BRK-B", "AAPL", "ZZZZ", "^RUT"], company_map()
    )
    assert mapped == {320193: "AAPL", 1067983: "BRK-B", 1652044: "GOOGL"}  # first ticker names it
    assert unmapped == ["ZZZZ", "^RUT"]


@pytest.mark.parametrize(
    ("stored", "day", "expected"),
    [
        # first run: the last week's weekdays
        (
            set(),
            D("2025-09-19"),
            ["2025-09-15", "2025-09-16", "2025-09-17", "2025-09-18", "2025-09-19"],
        ),
        # later: every weekday since the first index read that is not stored
        # (a failed day is retried)
        (
            {D("2025-09-15"), D("2025-09-16"), D("2025-09-18")},
            D("2025-09-19"),
            ["2025-09-17", "2025-09-19"],
        ),
        # nothing new to read
        ({D("2025-09-19")}, D("2025-09-19"), []),
    ],
)
def test_index_days(stored, day, expected):
    assert [d.isoformat() for d in ingest.index_days(stored, day)] == expected


def test_index_days_look_back_a_bounded_time():
    days = ingest.index_days({D("2020-01-02")}, D("2025-09-19"))
    assert days[0] >= D("2025-09-19") - dt.timedelta(days=ingest.MAX_INDEX_DAYS)
    assert all(d.weekday() < 5 for d in days)


def test_accession_of_index_file_name():
    assert (
        ingest.accession_of("edgar/data/1652044/0001652044-25-000062.txt") == "0001652044-25-000062"
    )


def fact(value, filed="2025-08-01", accession="a1", end="2025-06-30", run="r1") -> dict:
    return {
        "cik": 1,
        "symbol": "X",
        "concept": "us-gaap:NetIncomeLoss",
        "metric": "net_income",
        "unit": "USD",
        "period_start": D("2025-04-01"),
        "period_end": D(end),
        "value": value,
        "accession": accession,
        "fiscal_year": 2025,
        "fiscal_period": "Q2",
        "form": "10-Q",
        "filed": D(filed),
        "frame": None,
        "raw_key": "k",
        "source": "sec_edgar",
        "ingested_at": pd.Timestamp("2025-08-02", tz="UTC"),
        "run_id": run,
    }


def test_merge_keeps_restatements_as_rows_and_archives_changed_values():
    stored = pd.DataFrame([fact(10.0), fact(5.0, end="2025-03-31", accession="a0")])
    incoming = pd.DataFrame(
        [
            fact(10.0, run="r2"),  # unchanged: keeps its original lineage
            fact(12.0, filed="2025-11-01", accession="a2", run="r2"),  # a restatement: a new row
            fact(6.0, end="2025-03-31", accession="a0", run="r2"),  # SEC corrected a stored value
        ]
    )
    merged, replaced = lake.merge("earnings_facts", stored, incoming)
    by_key = {(r.accession, str(r.period_end)): r for r in merged.itertuples()}
    assert len(merged) == 3
    assert by_key[("a1", "2025-06-30")].run_id == "r1"
    assert by_key[("a2", "2025-06-30")].value == 12.0
    assert by_key[("a0", "2025-03-31")].value == 6.0
    assert replaced["value"].tolist() == [5.0]


def test_merge_keeps_stored_facts_missing_from_the_answer():
    stored = pd.DataFrame([fact(10.0), fact(5.0, accession="a0", end="2025-03-31")])
    merged, replaced = lake.merge("earnings_facts", stored, pd.DataFrame([fact(10.0, run="r2")]))
    assert sorted(merged["accession"]) == ["a0", "a1"] and replaced.empty
