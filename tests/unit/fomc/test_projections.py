"""The SEP parser (Table 1, Figure 2), its checks and the discovery of projections pages,
on the replay's generated pages (every layout they have) and on edited copies of them."""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd
import pytest

from devtools.replay import generate_fed, generate_sep
from rotation_radar.fomc.projections import (
    DOTS_COLUMNS,
    TABLE1_COLUMNS,
    ProjectionsLayoutError,
    check_previous,
    check_projections,
    dots_median,
    parse_projections,
    round_half_up,
)
from rotation_radar.sources import fed

D = dt.date.fromisoformat
SEP17 = D("2025-09-17")
SEP17_PATH = "/monetarypolicy/fomcprojtabl20250917.htm"


@pytest.fixture(scope="module")
def meetings():
    return generate_fed.meetings()


@pytest.fixture(scope="module")
def pages(meetings) -> dict[str, bytes]:
    """Site path -> generated page."""
    return {k.removeprefix("fed"): v for k, v in generate_sep.pages(meetings).items()}


@pytest.fixture(scope="module")
def parsed(pages):
    """Meeting date -> Projections, for every generated page."""
    out = {}
    for path, body in pages.items():
        day = fed.projections_date(path)
        out[day] = parse_projections(body, day, path)
    return dict(sorted(out.items()))


def sep17(pages) -> str:
    return pages[SEP17_PATH].decode("utf-8-sig")


def parse(text: str, day: dt.date = SEP17, path: str = SEP17_PATH):
    return parse_projections(text.encode("utf-8"), day, path)


# ------------------------------------------------------------------ generated pages


def test_every_generated_page_parses_and_is_consistent(parsed):
    assert len(parsed) == 26  # March, June, September, December 2019-2025 but March 2020
    assert D("2020-03-15") not in parsed and max(parsed) == SEP17
    earlier = None
    for day, p in parsed.items():
        assert check_projections(p) == [], day
        if earlier is not None:
            assert check_previous(p, earlier) == [], day
            assert p.previous_label == f"{earlier.meeting_date:%B} projection"
        earlier = p
        assert list(p.table1.columns) == TABLE1_COLUMNS and list(p.dots.columns) == DOTS_COLUMNS
        assert set(p.table1.meeting_date) == {day} and set(p.dots.meeting_date) == {day}
        years = 4 if day.month in (9, 12) else 3
        assert p.horizons == (*(str(day.year + i) for i in range(years)), "longer_run")
        assert p.dot_horizons == p.horizons
        assert len(p.table1) == 5 * (years + 1)  # every cell of the grid, NaN where empty
        assert (p.dots.participants > 0).all() and p.dots.participants.dtype == "int64"


def test_the_first_page_has_the_seed_sep_as_previous(parsed):
    first = parsed[D("2019-03-20")]
    assert first.previous_label == "December projection"
    # December 2018 covered 2018-21: its 2019-21 and longer-run rows are repeated.
    assert set(first.previous.target_year) == {"2019", "2020", "2021", "longer_run"}


@pytest.mark.parametrize(
    ("day", "years", "participants", "longer_run"),
    [
        ("2025-09-17", 4, 19, 19),  # four years and the longer run
        ("2025-06-18", 3, 19, 19),  # three years
        ("2023-03-22", 3, 18, 17),  # 18 participants, one without a longer-run projection
        ("2023-09-20", 4, 19, 18),
        ("2022-03-16", 3, 16, 15),  # the page spelled fomcprojtable
        ("2020-06-10", 3, 17, 16),  # negative GDP growth, ranges like -10.1--3.7
    ],
)
def test_layouts(parsed, day, years, participants, longer_run):
    p = parsed[D(day)]
    assert len(p.horizons) == years + 1
    totals = p.dots.groupby("target_year").participants.sum().to_dict()
    assert p.participants == participants
    assert totals.pop("longer_run") == longer_run
    assert set(totals.values()) == {participants}


def test_the_story_three_cuts_in_2025_one_more_than_june(parsed, meetings):
    september, june = parsed[SEP17], parsed[D("2025-06-18")]
    assert september.fed_funds_median("2025") == 3.6
    assert june.fed_funds_median("2025") == 3.9
    dots = september.dots[september.dots.target_year == "2025"]
    values = sorted(
        v for v, n in zip(dots.midpoint, dots.participants, strict=True) for _ in range(n)
    )
    assert dots_median(values) == 3.625
    cut = next(m for m in meetings if m.release == SEP17)
    midpoint = (cut.lower + cut.upper) / 2  # 4.00-4.25 after the cut
    assert midpoint == 4.125 and (3.625 - midpoint) / 0.25 == -2  # two more, three in 2025
    assert (cut.upper + 0.25 - 0.125 - 3.625) / 0.25 == 3  # from 4.25-4.50 held into it
    # The June SEP's medians are the September page's "June projection" rows.
    previous = september.previous.set_index(["variable", "target_year"])
    assert previous.loc[("federal_funds_rate", "2025"), "median"] == 3.9
    assert ("federal_funds_rate", "2028") not in previous.index  # June had no 2028


# Public record: Table 1's federal funds rate medians, 2024-09-18 .. 2025-09-17.
PUBLIC_MEDIANS = {
    "2024-09-18": [4.4, 3.4, 2.9, 2.9, 2.9],
    "2024-12-18": [4.4, 3.9, 3.4, 3.1, 3.0],
    "2025-03-19": [3.9, 3.4, 3.1, 3.0],
    "2025-06-18": [3.9, 3.6, 3.4, 3.0],
    "2025-09-17": [3.6, 3.4, 3.1, 3.1, 3.0],
}


@pytest.mark.parametrize("day", sorted(PUBLIC_MEDIANS))
def test_replay_medians_are_the_public_record(parsed, day):
    p = parsed[D(day)]
    assert [p.fed_funds_median(h) for h in p.horizons] == PUBLIC_MEDIANS[day]


def test_2024_12_18_rows_are_the_public_record(parsed):
    t = parsed[D("2024-12-18")].table1.set_index(["variable", "target_year"])["median"]
    assert [t["real_gdp_change", y] for y in ("2024", "2025", "2026", "2027")] == [
        2.5,
        2.1,
        2.0,
        1.9,
    ]
    assert t["unemployment_rate", "longer_run"] == 4.2 and t["pce_inflation", "2025"] == 2.5
    assert math.isnan(t["core_pce_inflation", "longer_run"])


def test_bom_crlf_or_neither_read_the_same(pages):
    body = pages[SEP17_PATH]
    assert body.startswith(b"\xef\xbb\xbf<!doctype html>\r\n")
    plain = body.decode("utf-8-sig").replace("\r\n", "\n")
    a = parse_projections(body, SEP17, SEP17_PATH)
    for other in (plain, plain.encode("utf-8"), "\ufeff" + plain):
        b = parse_projections(other, SEP17, SEP17_PATH)
        pd.testing.assert_frame_equal(a.table1, b.table1)
        pd.testing.assert_frame_equal(a.previous, b.previous)
        pd.testing.assert_frame_equal(a.dots, b.dots)


def test_cells_footnotes_and_empty_cells(pages):
    text = sep17(pages)
    # footnote numbers written as text, hyphens or spaced em dashes in ranges, no
    # aria-labelledby (the caption comes from the heading before the table)
    text = re.sub(r'<a href="#xt1p1f(\d)" id="xt1p1f\dr"><sup>\d</sup></a>', r" \1", text)
    text = text.replace("3.6\u20134.1", "3.6-4.1").replace("2.9\u20134.1", "2.9 \u2014 4.1")
    text = re.sub(r' aria-labelledby="[^"]*"', "", text)
    p = parse(text)
    row = p.table1.set_index(["variable", "target_year"]).loc[("federal_funds_rate", "2025")]
    assert (row.central_tendency_low, row.central_tendency_high) == (3.6, 4.1)
    assert (row.range_low, row.range_high) == (2.9, 4.1)
    core = p.table1.set_index(["variable", "target_year"]).loc[("core_pce_inflation", "longer_run")]
    assert core[["median", "range_low", "range_high"]].isna().all()
    assert check_projections(p) == []


def test_negative_values(parsed):
    gdp = parsed[D("2020-06-10")].table1.set_index(["variable", "target_year"])
    row = gdp.loc[("real_gdp_change", "2020")]
    assert row["median"] == -6.5 and row.range_low < row.central_tendency_low < -6.5


def test_a_single_value_is_both_ends(parsed):
    row = (
        parsed[SEP17]
        .table1.set_index(["variable", "target_year"])
        .loc[("pce_inflation", "longer_run")]
    )
    assert row[TABLE1_COLUMNS[3:]].tolist() == [2.0] * 5


# ------------------------------------------------------------------ layout errors


@pytest.mark.parametrize(
    ("edit", "table", "message"),
    [
        (
            lambda t: t.replace("Table 1. Economic", "Table 7. Economic"),
            "Table 1",
            "no table captioned 'Table 1",
        ),
        (
            lambda t: t.replace("Figure 2. FOMC", "Figure 9. FOMC").replace(
                "Midpoint of target range or target level (Percent)", "Level"
            ),
            "Figure 2",
            "no table captioned 'Figure 2",
        ),
        (
            lambda t: t.replace(">Central Tendency<", ">Central tendency, excluding extremes<"),
            "Table 1",
            "header row 1",
        ),
        (
            lambda t: t.replace('colspan="5" id="xt1a3"', 'colspan="4" id="xt1a3"'),
            "Table 1",
            "header row 2",
        ),
        (
            lambda t: t.replace('id="xt1b7">2026<', 'id="xt1b7">2027<'),
            "Table 1",
            "the same horizons three times",
        ),
        (lambda t: t.replace(">2026</th>", ">Next year</th>"), "Table 1", "horizon headers"),
        (
            lambda t: t.replace(">Unemployment rate<", ">Jobless rate<"),
            "Table 1",
            "unexpected row 'Jobless rate'",
        ),
        (
            lambda t: re.sub(
                r"\t\t<tr>\r\n\t\t\t<th[^>]*>Unemployment rate</th>.*?</tr>\r\n", "", t, flags=re.S
            ),
            "Table 1",
            "no row for 'Unemployment rate'",
        ),
        (
            lambda t: t.replace(">3.6\u20134.1<", ">3.6 to 4.1<"),
            "Table 1",
            "unreadable cell '3.6 to 4.1'",
        ),
        (
            lambda t: t.replace('xt1b1 xt1r9 xt1r10">3.6<', 'xt1b1 xt1r9 xt1r10">3.6\u20133.9<'),
            "Table 1",
            "is a range",
        ),
        (
            lambda t: t.replace(
                '<td class="data" headers="xt1a2 xt1b1 xt1r1">',
                '<td>0</td><td class="data" headers="xt1a2 xt1b1 xt1r1">',
            ),
            "Table 1",
            "16 cells, expected 15",
        ),
        (
            lambda t: t.replace(
                ">Midpoint of target range or target level (Percent)<", ">Target (Percent)<"
            ),
            "Figure 2",
            "first header is 'Target (Percent)'",
        ),
        (
            lambda t: t.replace(">3.625</th>", ">three and five eighths</th>"),
            "Figure 2",
            "row label",
        ),
        (
            lambda t: re.sub(r'(>3\.625</th>\r\n\t\t\t<td class="data"[^>]*>)10<', r"\1ten<", t),
            "Figure 2",
            "'ten' is not a count",
        ),
    ],
    ids=[
        "no-table-1",
        "no-figure-2",
        "renamed-group",
        "group-span",
        "horizons-differ",
        "horizon-label",
        "unknown-variable",
        "missing-variable",
        "unreadable-cell",
        "median-range",
        "extra-cell",
        "figure-2-header",
        "figure-2-level",
        "figure-2-count",
    ],
)
def test_layout_errors_name_the_page_and_table(pages, edit, table, message):
    text = sep17(pages)
    edited = edit(text)
    assert edited != text
    with pytest.raises(ProjectionsLayoutError) as err:
        parse(edited)
    assert err.value.table == table
    assert str(err.value).startswith(
        f"projections page {SEP17_PATH} of the 2025-09-17 meeting: {table}: "
    ), str(err.value)
    assert message in str(err.value)


def test_not_a_projections_page():
    with pytest.raises(ProjectionsLayoutError, match="Table 1: no table captioned"):
        parse_projections(b"<html><body><h1>Page Not Found</h1></body></html>", SEP17, SEP17_PATH)
    assert issubclass(ProjectionsLayoutError, ValueError)


# ------------------------------------------------------------------ consistency


def test_dots_that_do_not_add_up(pages):
    text = re.sub(r'(>3\.625</th>\r\n\t\t\t<td class="data"[^>]*>)10<', r"\g<1>11<", sep17(pages))
    problems = check_projections(parse(text))
    # (the 20 dots' median, central tendency and range still round to Table 1's)
    assert problems == [
        f"SEP of 2025-09-17 ({SEP17_PATH}): Figure 2 2025 has 20 dots, but 19 participants "
        "project the other years (the columns do not add up)"
    ]


def test_a_short_longer_run_is_allowed_a_long_one_is_not(parsed):
    p = parsed[D("2023-09-20")]  # 19 participants, 18 in the longer run
    assert check_projections(p) == []
    extra = pd.DataFrame(
        [
            {
                "meeting_date": p.meeting_date,
                "target_year": "longer_run",
                "midpoint": 2.5,
                "participants": 2,
            }
        ]
    )
    more = generate_like(p, dots=pd.concat([p.dots, extra], ignore_index=True))
    problems = check_projections(more)
    assert any("longer_run has 20 dots, but 19 participants" in x for x in problems), problems


def generate_like(p, **changes):
    from dataclasses import replace

    return replace(p, **changes)


def test_median_outside_the_dots(pages):
    text = sep17(pages).replace('xt1b1 xt1r9 xt1r10">3.6<', 'xt1b1 xt1r9 xt1r10">4.9<')
    problems = check_projections(parse(text))
    assert problems[0] == (
        f"SEP of 2025-09-17 ({SEP17_PATH}): federal funds rate 2025: Table 1 median 4.9 "
        "outside the dots' range 2.875..4.125 (19 dots)"
    )
    assert len(problems) == 2 and "federal_funds_rate 2025: range, central" in problems[1]


def test_median_that_is_not_the_dots_median(pages):
    text = sep17(pages).replace('xt1b1 xt1r9 xt1r10">3.6<', 'xt1b1 xt1r9 xt1r10">3.9<')
    problems = check_projections(parse(text))
    assert problems == [
        f"SEP of 2025-09-17 ({SEP17_PATH}): federal funds rate 2025: Table 1 median 3.9, "
        "but the dots' median 3.625 rounds to 3.6"
    ]


def test_range_central_tendency_and_order_problems(pages):
    text = sep17(pages).replace(
        'xt1b11 xt1r9 xt1r10">2.9\u20134.1<', 'xt1b11 xt1r9 xt1r10">2.9\u20134.4<'
    )
    text = text.replace('xt1b6 xt1r9 xt1r10">3.6\u20134.1<', 'xt1b6 xt1r9 xt1r10">3.4\u20134.1<')
    text = text.replace('xt1a2 xt1b1 xt1r1">1.6<', 'xt1a2 xt1b1 xt1r1">2.6<')
    problems = check_projections(parse(text))
    assert len(problems) == 3, problems
    assert "range 2.9-4.4, but the dots run 2.875..4.125" in problems[0]
    assert "central tendency 3.4-4.1" in problems[1]
    assert "real_gdp_change 2025: range, central tendency and median out of order" in problems[2]


def test_previous_rows_against_the_previous_sep(parsed):
    september, june = parsed[SEP17], parsed[D("2025-06-18")]
    edited = september.previous.copy()
    edited.loc[
        edited.variable.eq("federal_funds_rate") & edited.target_year.eq("2025"), "median"
    ] = 3.6
    problems = check_previous(generate_like(september, previous=edited), june)
    assert problems == [
        "SEP of 2025-09-17: June projection federal_funds_rate 2025 median 3.6, but the SEP "
        "of 2025-06-18 printed 3.9"
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3.625, 3.6),
        (3.875, 3.9),
        (4.375, 4.4),
        (2.875, 2.9),
        (3.125, 3.1),
        (3.375, 3.4),
        (3.0625, 3.1),
        (0.125, 0.1),
        (2.25, 2.3),
        (3.75, 3.8),
        (-6.45, -6.5),
    ],
)
def test_round_half_up_on_the_decimal_value(value, expected):
    assert round_half_up(value) == expected


def test_dots_median_even_and_odd():
    assert dots_median([3.0, 3.125, 3.25]) == 3.125
    assert dots_median([3.0, 3.125, 3.25, 3.5]) == 3.1875
    assert math.isnan(dots_median([]))


# ------------------------------------------------------------------ discovery


def test_discovery_on_the_generated_calendar(meetings, pages):
    links = fed.projection_links(generate_fed.calendar_page(meetings), fed.CALENDAR_PATH)
    starred = sorted(m.release for m in meetings if m.projections and m.release.year >= 2021)
    assert sorted(link.meeting_date for link in links) == starred
    assert all(link.starred for link in links)
    published = {link.meeting_date: link.path for link in links if link.path}
    assert max(published) == SEP17
    assert [link.path for link in links if link.meeting_date == D("2025-12-10")] == [None]
    assert published[D("2022-03-16")] == "/monetarypolicy/fomcprojtable20220316.htm"
    assert published[D("2025-09-17")] == SEP17_PATH  # an absolute link, reduced to its path
    for day, path in published.items():
        assert fed.projections_date(path) == day
        assert path in pages


def test_discovery_on_the_generated_historical_pages(meetings, pages):
    for year, count in ((2019, 4), (2020, 3)):  # no SEP in March 2020
        page = generate_fed.historical_page(meetings, year)
        links = fed.projection_links(page, fed.historical_path(year))
        assert len(links) == count and not any(link.starred for link in links)
        assert all(link.path == fed.projections_path(link.meeting_date) for link in links)
        assert all(link.path in pages for link in links)


HISTORICAL = """<html><head><title>Federal Reserve Board - FOMC 2012</title></head><body>
<div id="article"><div class="page-header"><h3>2012 FOMC Meetings</h3></div>
<div class="panel panel-default"><div class="panel-heading"><h5>January 24-25* Meeting</h5></div>
<div class="panel-body"><p><a href="/newsevents/press/monetary/20120125a.htm">Statement</a></p>
<p>Projection Materials: <a href="/monetarypolicy/files/fomcprojtabl20120125.pdf">PDF</a> |
<a href="https://www.federalreserve.gov/monetarypolicy/fomcprojtable20120125.htm"
>Accessible Material</a></p></div></div>
<div class="panel panel-default"><div class="panel-heading"><h5>March 13 Meeting</h5></div>
<div class="panel-body"><p>Statement</p></div></div>
<div class="panel panel-default"><div class="panel-heading"><h5>April 24-25* Meeting</h5></div>
<div class="panel-body"><p>Projections to follow.</p></div></div>
</div></body></html>"""


def test_discovery_on_a_historical_page_with_stars_and_both_spellings():
    links = fed.projection_links(HISTORICAL, fed.historical_path(2012))
    assert links == [
        fed.ProjectionsLink(D("2012-01-25"), "/monetarypolicy/fomcprojtable20120125.htm", True),
        fed.ProjectionsLink(D("2012-04-25"), None, True),
    ]


def test_projections_paths():
    assert fed.projections_path(SEP17) == SEP17_PATH
    assert fed.projections_date("https://www.federalreserve.gov" + SEP17_PATH) == SEP17
    assert fed.projections_date("/monetarypolicy/fomcprojtable20220316.htm") == D("2022-03-16")
    assert fed.projections_date("/monetarypolicy/files/fomcprojtabl20250917.pdf") is None
    assert fed.projections_date("/monetarypolicy/fomcprojtabl20250231.htm") is None
