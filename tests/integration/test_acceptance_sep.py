"""Acceptance on real data: the Fed's accessible SEP pages of 2024-12-18 and 2025-12-10
(../shared/realdata/fed_sep) read by `parse_projections`.

Table 1 equals the facts table of that folder's README (five variables, every horizon; the
"September projection" rows are the 2024-09-18 and 2025-09-17 SEPs), Figure 2 equals the
palewire scraper's dot-plot CSV for those dates cell for cell, and `check_projections`
finds nothing wrong with either page (participants, medians, ranges, central tendencies).
"""

from __future__ import annotations

import csv
import datetime as dt
import math

import pytest

from rotation_radar.fomc.projections import check_projections, parse_projections
from tests.conftest import REALDATA

FOLDER = REALDATA / "fed_sep"
PAGES = {
    dt.date(2024, 12, 18): FOLDER / "fomcprojtabl20241218_from_bryanpcutsinger_SEP.htm",
    dt.date(2025, 12, 10): FOLDER / "fomcprojtabl20251210_from_bryanpcutsinger_SEP.htm",
}
DOTPLOT = FOLDER / "dotplot_2021-2026_from_palewire_fed-dot-plot-scraper.csv"
pytestmark = pytest.mark.skipif(
    not (all(p.exists() for p in PAGES.values()) and DOTPLOT.exists()),
    reason=f"real data not present: need the two SEP pages and the dot-plot CSV in {FOLDER}",
)
NONE = math.nan

# README "Facts checkable in these files": Table 1 medians per horizon (years, longer run).
MEDIANS = {
    dt.date(2024, 12, 18): {
        "federal_funds_rate": [4.4, 3.9, 3.4, 3.1, 3.0],
        "real_gdp_change": [2.5, 2.1, 2.0, 1.9, 1.8],
        "unemployment_rate": [4.2, 4.3, 4.3, 4.3, 4.2],
        "pce_inflation": [2.4, 2.5, 2.1, 2.0, 2.0],
        "core_pce_inflation": [2.8, 2.5, 2.2, 2.0, NONE],
    },
    dt.date(2025, 12, 10): {
        "federal_funds_rate": [3.6, 3.4, 3.1, 3.1, 3.0],
        "real_gdp_change": [1.7, 2.3, 2.0, 1.9, 1.8],
        "unemployment_rate": [4.5, 4.4, 4.2, 4.2, 4.2],
        "pce_inflation": [2.9, 2.4, 2.1, 2.0, 2.0],
        "core_pce_inflation": [3.0, 2.5, 2.1, 2.0, NONE],
    },
}
# The "September projection" federal funds rate rows (the SEPs of 2024-09-18, 2025-09-17).
SEPTEMBER = {
    dt.date(2024, 12, 18): [4.4, 3.4, 2.9, 2.9, 2.9],
    dt.date(2025, 12, 10): [3.6, 3.4, 3.1, 3.1, 3.0],
}
HORIZONS = {
    dt.date(2024, 12, 18): ("2024", "2025", "2026", "2027", "longer_run"),
    dt.date(2025, 12, 10): ("2025", "2026", "2027", "2028", "longer_run"),
}


@pytest.fixture(scope="module")
def parsed():
    return {
        day: parse_projections(
            path.read_bytes(), day, f"/monetarypolicy/fomcprojtabl{day:%Y%m%d}.htm"
        )
        for day, path in PAGES.items()
    }


def same(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(
        x == y or (math.isnan(x) and math.isnan(y)) for x, y in zip(a, b, strict=True)
    )


@pytest.mark.parametrize("day", sorted(PAGES))
def test_table1_is_the_readme_facts(parsed, day):
    p = parsed[day]
    assert (
        PAGES[day].read_bytes().startswith(b"\xef\xbb\xbf") and b"\r\n" in PAGES[day].read_bytes()
    )
    assert p.horizons == p.dot_horizons == HORIZONS[day]
    table = p.table1.set_index(["variable", "target_year"])
    assert len(table) == 25
    for variable, medians in MEDIANS[day].items():
        got = [float(table.loc[(variable, h), "median"]) for h in HORIZONS[day]]
        assert same(got, medians), (variable, got)
    core = table.loc[("core_pce_inflation", "longer_run")]
    assert core.drop("meeting_date").isna().all()  # longer-run core PCE is not collected


def test_table1_ranges_of_2024_12_18(parsed):
    table = parsed[dt.date(2024, 12, 18)].table1.set_index(["variable", "target_year"])
    ff = table.loc[("federal_funds_rate", "2025")]
    assert (ff.central_tendency_low, ff.central_tendency_high) == (3.6, 4.1)
    assert (ff.range_low, ff.range_high) == (3.1, 4.4)
    ur = table.loc[("unemployment_rate", "2024")]
    assert ur.tolist()[1:] == [4.2] * 5  # a single value is both ends


@pytest.mark.parametrize("day", sorted(PAGES))
def test_previous_rows_are_the_september_sep(parsed, day):
    p = parsed[day]
    assert p.previous_label == "September projection"
    previous = p.previous.set_index(["variable", "target_year"])
    got = [float(previous.loc[("federal_funds_rate", h), "median"]) for h in HORIZONS[day]]
    assert got == SEPTEMBER[day]
    assert set(previous.index.get_level_values("variable")) == set(MEDIANS[day])
    assert ("core_pce_inflation", "longer_run") not in previous.index  # no value: no row


def palewire(day: dt.date) -> dict[tuple[str, float], int]:
    """(target_year, midpoint) -> participants of the scraper's wide CSV for one SEP."""
    out = {}
    with DOTPLOT.open(newline="") as f:
        for row in csv.DictReader(f):
            if row["date"] != day.isoformat():
                continue
            for column, value in row.items():
                if column not in ("date", "midpoint") and value:
                    out[column, float(row["midpoint"])] = int(float(value))
    return {k: v for k, v in out.items() if v}


@pytest.mark.parametrize("day", sorted(PAGES))
def test_figure2_equals_the_palewire_csv(parsed, day):
    dots = parsed[day].dots
    got = {(r.target_year, r.midpoint): r.participants for r in dots.itertuples()}
    assert got == palewire(day)
    assert len({h for h, _ in got}) == 5


def test_the_readme_dots(parsed):
    def column(day, year):
        dots = parsed[day].dots
        return dict(
            zip(
                dots[dots.target_year == year].midpoint,
                dots[dots.target_year == year].participants,
                strict=True,
            )
        )

    assert column(dt.date(2024, 12, 18), "2025") == {
        4.375: 1,
        4.125: 3,
        3.875: 10,
        3.625: 3,
        3.375: 1,
        3.125: 1,
    }
    assert column(dt.date(2025, 12, 10), "2025") == {3.875: 6, 3.625: 12, 3.375: 1}
    assert column(dt.date(2025, 12, 10), "2026") == {
        3.875: 3,
        3.625: 4,
        3.375: 4,
        3.125: 4,
        2.875: 2,
        2.625: 1,
        2.125: 1,
    }


@pytest.mark.parametrize("day", sorted(PAGES))
def test_no_problem_on_either_page(parsed, day):
    p = parsed[day]
    assert check_projections(p) == []
    assert p.participants == 19
