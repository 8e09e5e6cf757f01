"""Acceptance on real data: every FOMC statement in ../shared/realdata parses, and its
decision agrees with FRED's target range (DFEDTARL/DFEDTARU).

For each statement (in date order, passing the previous statement's range): the parsed
range equals FRED's on the first observation after the statement date, and the action
and change in bps equal the move of FRED's range from the last observation before the
statement date to that one. Dissents are checked against the public record.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import sys

import pytest

from rotation_radar.fomc.statements import Dissent, StatementFacts, diff_statements, parse_statement
from tests.conftest import REALDATA

BASE = REALDATA / "heliar-k_market-base" / "data"
STATEMENTS = BASE / "fed" / "statements.csv"
RATES = BASE / "fred" / "rates" / "rates.csv"
pytestmark = pytest.mark.skipif(
    not (STATEMENTS.exists() and RATES.exists()),
    reason=f"real data not present: need {STATEMENTS} and {RATES}",
)
EXPECTED_STATEMENTS = 55

# Dissents on public record (Fed statements and press coverage of each meeting).
PUBLIC_DISSENTS = {
    "2020-03-15": ("cut", [Dissent("Loretta J. Mester", "cut", -50)]),  # preferred 1/2 to 3/4
    "2020-09-16": (
        "hold",
        [Dissent("Robert S. Kaplan", "other", 0), Dissent("Neel Kashkari", "other", 0)],
    ),
    "2022-03-16": ("hike", [Dissent("James Bullard", "hike", 50)]),
    "2022-06-15": ("hike", [Dissent("Esther L. George", "hike", 50)]),
    "2024-09-18": ("cut", [Dissent("Michelle W. Bowman", "cut", -25)]),
    "2024-12-18": ("cut", [Dissent("Beth M. Hammack", "hold", 0)]),
    "2025-03-19": ("hold", [Dissent("Christopher J. Waller", "other", 0)]),  # balance sheet
    "2025-07-30": (
        "hold",
        [Dissent("Michelle W. Bowman", "cut", -25), Dissent("Christopher J. Waller", "cut", -25)],
    ),
    "2025-09-17": ("cut", [Dissent("Stephen I. Miran", "cut", -50)]),
    "2025-10-29": (
        "cut",
        [Dissent("Stephen I. Miran", "cut", -50), Dissent("Jeffrey R. Schmid", "hold", 0)],
    ),
    "2025-12-10": (
        "cut",
        [
            Dissent("Stephen I. Miran", "cut", -50),
            Dissent("Austan D. Goolsbee", "hold", 0),
            Dissent("Jeffrey R. Schmid", "hold", 0),
        ],
    ),
}


def load_statements() -> list[tuple[dt.date, str]]:
    csv.field_size_limit(sys.maxsize)
    with STATEMENTS.open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == "statement"]
    return sorted((dt.datetime.strptime(r["date"], "%Y%m%d").date(), r["body"]) for r in rows)


def load_fred_range() -> list[tuple[dt.date, tuple[float, float]]]:
    """FRED's daily target range, dates ascending, days with both bounds only."""
    with RATES.open(newline="", encoding="utf-8") as f:
        return [
            (dt.date.fromisoformat(r["date"]), (float(r["DFEDTARL"]), float(r["DFEDTARU"])))
            for r in csv.DictReader(f)
            if r["DFEDTARL"] and r["DFEDTARU"]
        ]


@pytest.fixture(scope="module")
def parsed() -> dict[dt.date, tuple[str, StatementFacts]]:
    out = {}
    previous = None
    for day, body in load_statements():
        facts = parse_statement(body, previous)
        out[day] = (body, facts)
        previous = (facts.target_low, facts.target_high)
    return out


def test_every_statement_matches_fred(parsed):
    fred = load_fred_range()
    assert len(parsed) == EXPECTED_STATEMENTS
    mismatches = []
    for day, (_, facts) in parsed.items():
        before = [r for d, r in fred if d < day][-1]
        after = next(r for d, r in fred if d > day)
        move = round((after[0] - before[0]) * 100)
        action = "cut" if move < 0 else "hike" if move > 0 else "hold"
        got = ((facts.target_low, facts.target_high), facts.action, facts.change_bps)
        if got != (after, action, move):
            mismatches.append(f"{day}: parsed {got}, FRED {(after, action, move)}")
    print(f"\n{len(parsed)} FOMC statements parsed; {len(mismatches)} disagree with FRED")
    assert not mismatches, "\n".join(mismatches)


def test_votes_are_consistent(parsed):
    for day, (_, facts) in parsed.items():
        if facts.votes_for:
            assert facts.votes_for_count == len(facts.votes_for), day
            assert facts.votes_for[0] == "Jerome H. Powell", day  # the Chair, without the title
            assert not any("Chair" in name for name in facts.votes_for), day
        assert 8 <= facts.votes_for_count + facts.votes_against_count <= 12, day
        assert facts.votes_against_count == len(facts.dissents) or not facts.votes_for, day


@pytest.mark.parametrize("day", sorted(PUBLIC_DISSENTS))
def test_dissents_on_public_record(parsed, day):
    action, dissents = PUBLIC_DISSENTS[day]
    _, facts = parsed[dt.date.fromisoformat(day)]
    assert facts.action == action
    assert list(facts.dissents) == dissents
    assert facts.votes_against_count == len(dissents)


def test_unanimous_statements_have_no_dissents(parsed):
    unanimous = [d for d, (_, f) in parsed.items() if f.votes_for and not f.dissents]
    assert dt.date(2024, 11, 7) in unanimous and dt.date(2023, 7, 26) in unanimous


def test_september_2025_diff_catches_the_labor_market_change(parsed):
    """The 2025-09-17 statement dropped "labor market conditions remain solid" and added
    that "downside risks to employment have risen" (see DESIGN.md)."""
    diff = diff_statements(parsed[dt.date(2025, 7, 30)][0], parsed[dt.date(2025, 9, 17)][0])
    assert any("labor market conditions remain solid" in s for s in diff.removed)
    assert not any("labor market conditions remain solid" in s for s in diff.added)
    assert any("downside risks to employment have risen" in s for s in diff.added)
    assert any("{+lower+}" in r and "[-maintain-]" in r for r in diff.redlines)


def test_consecutive_identical_paragraphs_are_not_changes(parsed):
    """Boilerplate paragraphs carried from one statement to the next are never reported."""
    bodies = [body for body, _ in parsed.values()]
    for previous, current in itertools.pairwise(bodies):
        diff = diff_statements(previous, current)
        assert not set(diff.added) & set(diff.removed)
