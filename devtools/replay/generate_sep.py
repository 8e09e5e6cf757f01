"""Synthetic accessible Summary of Economic Projections pages (`fomcprojtablYYYYMMDD.htm`)
for the replay's FOMC meetings with projections; generate_fed writes them.

Each page has the real page's structure (UTF-8 with a byte-order mark, CRLF line ends):
Table 1 (median, central tendency and range of five variables for three or four years and
the longer run, each variable followed by the previous SEP's row, the memo row before the
federal funds rate) and Figure 2 (participants per target-rate midpoint and year). The
numbers are invented but consistent: the dots of every year add up to the participants
(the longer run one fewer where the real SEP had one fewer), Table 1's federal funds rate
median, central tendency and range are the dots' rounded half up to one decimal, and the
previous rows are the previous SEP's Table 1. The federal funds rate medians of
2024-09-18 .. 2025-09-17 are the public record's; the earlier ones are plausible.
The story: the 2025-09-17 median for 2025 is 3.625 (3.6), three cuts from the range of
4.25-4.50 held into that meeting, one more than the June SEP's 3.875 (3.9).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zlib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

import numpy as np

D = dt.date.fromisoformat
BOM = "\ufeff"
CRLF = "\r\n"
LONGER_RUN = "longer_run"
# Older pages are spelled "fomcprojtable" (2022-03-16 on the real site).
SPELLED_TABLE = {"2022-03-16"}

# SEP: participants (years, longer run), federal funds rate medians of the dots per year
# then the longer run, and the current year's GDP growth, unemployment rate, PCE and core
# PCE inflation. The first line only seeds the 2019-03-20 page's "December projection".
# fmt: off
SEP_TABLE = """
2018-12-19 17 16 | 2.375 2.875 3.125 3.125 | 2.75   | 3.0 3.7 1.9 1.9
2019-03-20 17 16 | 2.375 2.625 2.625       | 2.75   | 2.1 3.7 1.8 2.0
2019-06-19 17 16 | 2.375 2.125 2.375       | 2.5    | 2.1 3.6 1.5 1.8
2019-09-18 17 16 | 1.875 1.875 2.125 2.375 | 2.5    | 2.2 3.7 1.5 1.8
2019-12-11 17 16 | 1.625 1.625 1.875 2.125 | 2.5    | 2.2 3.6 1.5 1.6
2020-06-10 17 16 | 0.125 0.125 0.125       | 2.5    | -6.5 9.3 0.8 1.0
2020-09-16 17 16 | 0.125 0.125 0.125 0.125 | 2.5    | -3.7 7.6 1.2 1.5
2020-12-16 17 16 | 0.125 0.125 0.125 0.125 | 2.5    | -2.4 6.7 1.2 1.4
2021-03-17 18 17 | 0.125 0.125 0.125       | 2.5    | 6.5 4.5 2.4 2.2
2021-06-16 18 17 | 0.125 0.125 0.625       | 2.5    | 7.0 4.5 3.4 3.0
2021-09-22 18 17 | 0.125 0.375 1.0 1.75    | 2.5    | 5.9 4.8 4.2 3.7
2021-12-15 18 17 | 0.125 0.875 1.625 2.125 | 2.5    | 5.5 4.3 5.3 4.4
2022-03-16 16 15 | 1.875 2.75 2.75         | 2.375  | 2.8 3.5 4.3 4.1
2022-06-15 18 17 | 3.375 3.75 3.375        | 2.5    | 1.7 3.7 5.2 4.3
2022-09-21 19 18 | 4.375 4.625 3.875 2.875 | 2.5    | 0.2 3.8 5.4 4.5
2022-12-14 19 18 | 4.375 5.125 4.125 3.125 | 2.5    | 0.5 3.7 5.6 4.8
2023-03-22 18 17 | 5.125 4.25 3.125        | 2.5    | 0.4 4.5 3.3 3.6
2023-06-14 18 17 | 5.625 4.625 3.375       | 2.5    | 1.0 4.1 3.2 3.9
2023-09-20 19 18 | 5.625 5.125 3.875 2.875 | 2.5    | 2.1 3.8 3.3 3.7
2023-12-13 19 18 | 5.375 4.625 3.625 2.875 | 2.5    | 2.6 3.8 2.8 3.2
2024-03-20 19 18 | 4.625 3.875 3.125       | 2.5625 | 2.1 4.0 2.4 2.6
2024-06-12 19 19 | 5.125 4.125 3.125       | 2.75   | 2.1 4.0 2.6 2.8
2024-09-18 19 19 | 4.375 3.375 2.875 2.875 | 2.875  | 2.0 4.4 2.3 2.6
2024-12-18 19 19 | 4.375 3.875 3.375 3.125 | 3.0    | 2.5 4.2 2.4 2.8
2025-03-19 19 19 | 3.875 3.375 3.125       | 3.0    | 1.7 4.4 2.7 2.8
2025-06-18 19 19 | 3.875 3.625 3.375       | 3.0    | 1.4 4.5 3.0 3.1
2025-09-17 19 19 | 3.625 3.375 3.125 3.125 | 3.0    | 1.6 4.5 3.0 3.1
"""
# Whole rows where the decaying path below would not do (the 2020 rebound; the public
# record of 2024-12-18): variable -> medians per year and longer run ("-": none).
ROWS = {
    "2020-06-10": {"real_gdp_change": "-6.5 5.0 3.5 1.8", "unemployment_rate": "9.3 6.5 5.5 4.1"},
    "2020-09-16": {"real_gdp_change": "-3.7 4.0 3.0 2.5 1.9", "unemployment_rate": "7.6 5.5 4.6 4.0 4.1"},
    "2020-12-16": {"real_gdp_change": "-2.4 4.2 3.2 2.4 1.8", "unemployment_rate": "6.7 5.0 4.2 3.7 4.1"},
    "2024-12-18": {
        "real_gdp_change": "2.5 2.1 2.0 1.9 1.8",
        "unemployment_rate": "4.2 4.3 4.3 4.3 4.2",
        "pce_inflation": "2.4 2.5 2.1 2.0 2.0",
        "core_pce_inflation": "2.8 2.5 2.2 2.0 -",
    },
}
# Dots of a year written out (midpoint: participants) for the story.
DOTS = {
    ("2025-06-18", "2025"): {4.375: 6, 4.125: 3, 3.875: 8, 3.625: 2},  # median 3.875: two cuts
    ("2025-09-17", "2025"): {4.125: 5, 3.875: 3, 3.625: 10, 2.875: 1},  # 3.625: three cuts
}
# fmt: on
LONG_RUN = {"real_gdp_change": 1.8, "unemployment_rate": 4.1, "pce_inflation": 2.0}
VARIABLES = [
    ("real_gdp_change", "Change in real GDP"),
    ("unemployment_rate", "Unemployment rate"),
    ("pce_inflation", "PCE inflation"),
    ("core_pce_inflation", "Core PCE inflation"),
    ("federal_funds_rate", "Federal funds rate"),
]
Cell = tuple[float, float, float, float, float] | None  # median, CT low/high, range low/high


@dataclass
class Sep:
    day: dt.date
    participants: int
    longer_run_participants: int
    horizons: list[str]
    dots: dict[str, list[float]] = field(default_factory=dict)  # sorted, per horizon
    table: dict[tuple[str, str], Cell] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return path_of(self.day)


def path_of(day: dt.date) -> str:
    """The accessible projections page of the meeting decided on `day`."""
    spelling = "fomcprojtable" if day.isoformat() in SPELLED_TABLE else "fomcprojtabl"
    return f"/monetarypolicy/{spelling}{day:%Y%m%d}.htm"


def round1(value: float) -> float:
    """Half up on the decimal value, as Table 1 prints the dots (3.625 -> 3.6)."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _rng(*key) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32(" ".join(map(str, key)).encode()))


def _column(median: float, n: int, step: float, floor: float, sigma: float, rng) -> list[float]:
    """n dots whose median (the middle one, or the mean of the two middle ones) is `median`,
    on a grid of `step` through it (or through median -/+ step/2 for an even n)."""
    if n % 2:
        middles, half = [median], (n - 1) // 2
    else:
        on_grid = abs((median - floor) / step - round((median - floor) / step)) < 1e-9
        middles = [median, median] if on_grid else [median - step / 2, median + step / 2]
        half = n // 2 - 1
    steps = np.minimum(np.abs(np.round(rng.normal(0, sigma, 2 * half))), 6)
    lower = [max(floor, middles[0] - step * k) for k in steps[:half]]
    upper = [middles[-1] + step * k for k in steps[half:]]
    return sorted(float(v) for v in lower + middles + upper)


def _fed_funds(day: str, horizon: str, median: float, n: int, index: int) -> list[float]:
    if (day, horizon) in DOTS:
        counts = DOTS[day, horizon]
        assert sum(counts.values()) == n, (day, horizon)
        return sorted(v for v, c in counts.items() for _ in range(c))
    rng = _rng("sep", day, horizon)
    if horizon == LONGER_RUN:
        return _column(median, n, 0.125, 2.25, 2.0, rng)
    first = {3: 1.2, 6: 0.9, 9: 0.7, 12: 0.4}[D(day).month]
    return _column(median, n, 0.25, 0.125, [first, 1.5, 1.8, 2.0][index], rng)


def _spread(day: str, variable: str, horizon: str, median: float) -> Cell:
    """Central tendency and range around a median (tenths; wider in 2020)."""
    rng = _rng("spread", day, variable, horizon)
    wide = (
        4 if day.startswith("2020") and variable in ("real_gdp_change", "unemployment_rate") else 1
    )
    a, b = rng.integers(0, 4, 2) * wide
    c, d = rng.integers(0, 5, 2) * wide
    if variable == "pce_inflation" and horizon == LONGER_RUN:
        a = b = c = d = 0  # the 2 percent objective
    tenths = round(median * 10)
    low, high = tenths - a, tenths + b
    return (median, low / 10, high / 10, (low - c) / 10, (high + d) / 10)


def build() -> dict[dt.date, Sep]:
    """Every SEP of SEP_TABLE with its dots and Table 1, by meeting date."""
    seps = {}
    for line in SEP_TABLE.strip().splitlines():
        head, rates, longer, current = (part.split() for part in line.split("|"))
        day, n, n_long = head[0], int(head[1]), int(head[2])
        years = [str(D(day).year + i) for i in range(len(rates))]
        sep = Sep(D(day), n, n_long, [*years, LONGER_RUN])
        for index, (horizon, median) in enumerate(
            zip(sep.horizons, [*map(float, rates), float(longer[0])], strict=True)
        ):
            count = n_long if horizon == LONGER_RUN else n
            dots = _fed_funds(day, horizon, median, count, index)
            middle = len(dots) // 2
            got = dots[middle] if len(dots) % 2 else (dots[middle - 1] + dots[middle]) / 2
            assert got == median, (day, horizon, got, median)
            sep.dots[horizon] = dots
            inner = dots[3:-3]
            sep.table["federal_funds_rate", horizon] = (
                round1(median),
                round1(inner[0]),
                round1(inner[-1]),
                round1(dots[0]),
                round1(dots[-1]),
            )
        for (variable, _), now in zip(VARIABLES, map(float, current), strict=False):
            given = ROWS.get(day, {}).get(variable)
            for index, horizon in enumerate(sep.horizons):
                if given:
                    value = given.split()[index]
                    median = None if value == "-" else float(value)
                elif variable == "core_pce_inflation" and horizon == LONGER_RUN:
                    median = None
                else:
                    target = LONG_RUN.get(variable, 2.0)
                    step = len(sep.horizons) if horizon == LONGER_RUN else index
                    median = round(target + (now - target) * 0.45**step, 1)
                sep.table[variable, horizon] = (
                    None if median is None else _spread(day, variable, horizon, median)
                )
        seps[sep.day] = sep
    return seps


# ---------------------------------------------------------------- HTML


def _num(value: float) -> str:
    return f"{value:.1f}"


def _span(low: float, high: float) -> str:
    return _num(low) if low == high else f"{_num(low)}\u2013{_num(high)}"


def _long(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _id(*key) -> str:
    return hashlib.sha1(" ".join(map(str, key)).encode()).hexdigest()[:8]


def _table1(sep: Sep, previous: Sep | None) -> list[str]:
    n = len(sep.horizons)
    labels = [("Longer run" if h == LONGER_RUN else h) for h in sep.horizons]
    month = f"{sep.day:%B}"
    lines = [
        '<div class="data-table" data-table-popout="">',
        '<h4 class="tablehead" id="xt1">Table 1. Economic projections of Federal Reserve Board '
        "members and Federal Reserve Bank presidents, under their individual assumptions of "
        f"projected appropriate monetary policy, {month} {sep.day.year}</h4>",
        "",
        '<p class="tableunit" id="xt1p1b">Percent</p>',
        "",
        '<table aria-labelledby="xt1 xt1p1b" class="pubtables" data-sticky-columns="1" data-sticky-rows="2">',
        "\t<thead>",
        "\t\t<tr>",
        '\t\t\t<th class="colhead" id="xt1a1" rowspan="2">Variable</th>',
    ]
    for g, group in enumerate(["Median", "Central Tendency", "Range"]):
        lines.append(
            f'\t\t\t<th class="colhead" colspan="{n}" id="xt1a{g + 2}">{group}'
            f'<a href="#xt1p1f{g + 1}" id="xt1p1f{g + 1}r"><sup>{g + 1}</sup></a></th>'
        )
    lines += ["\t\t</tr>", "\t\t<tr>"]
    for g in range(3):
        for i, label in enumerate(labels):
            lines.append(
                f'\t\t\t<th class="colhead" headers="xt1a{g + 2}" id="xt1b{g * n + i + 1}">{label}</th>'
            )
    lines += ["\t\t</tr>", "\t</thead>", "\t<tbody>"]
    row = 0
    prior = f"{previous.day:%B} projection" if previous else None
    for variable, label in VARIABLES:
        parents = "xt1a1"
        if variable == "federal_funds_rate":
            row += 1
            memo = row
            lines += [
                "\t\t<tr>",
                f'\t\t\t<th class="stub memogrey" colspan="{3 * n + 1}" id="xt1r{memo}">'
                "Memo: Projected appropriate policy path</th>",
                "\t\t</tr>",
            ]
            parents = f"xt1a1 xt1r{memo}"
        row += 1
        main = row
        stub = label
        if variable == "core_pce_inflation":
            stub += '<a href="#xt1p1f4" id="xt1p1f4r"><sup>4</sup></a>'
        cells = [sep.table[variable, h] for h in sep.horizons]
        lines += _table1_row(
            n,
            f'class="stub" headers="{parents}" id="xt1r{main}"',
            stub,
            cells,
            " ".join([*parents.split()[1:], f"xt1r{main}"]),
        )
        if previous is not None:
            row += 1
            earlier = [previous.table.get((variable, h)) for h in sep.horizons]
            heads = f"{parents} xt1r{main}"
            lines += _table1_row(
                n,
                f'class="stub in1" headers="{heads}" id="xt1r{row}"',
                prior,
                earlier,
                " ".join([*heads.split()[1:], f"xt1r{row}"]),
            )
    lines += ["\t</tbody>", "</table>", ""]
    lines += [
        '<div class="footnotes">',
        "<p>Note: Projections of change in real gross domestic product (GDP) and projections for "
        "both measures of inflation are percent changes from the fourth quarter of the previous "
        "year to the fourth quarter of the year indicated. Projections for the federal funds rate "
        "are the value of the midpoint of the projected appropriate target range for the federal "
        "funds rate or the projected appropriate target level at the end of the specified "
        "calendar year or over the longer run.</p>",
        "",
        '<p id="xt1p1f1">1. For each period, the median is the middle projection when the '
        "projections are arranged from lowest to highest. When the number of projections is "
        'even, the median is the average of the two middle projections.&nbsp;&nbsp;<a href="#xt1p1f1r">Return to table</a></p>',
        "",
        '<p id="xt1p1f2">2. The central tendency excludes the three highest and three lowest '
        'projections for each variable in each year.&nbsp;&nbsp;<a href="#xt1p1f2r">Return to table</a></p>',
        "",
        '<p id="xt1p1f3">3. The range for a variable in a given year includes all participants\' '
        "projections, from lowest to highest, for that variable in that year."
        '&nbsp;&nbsp;<a href="#xt1p1f3r">Return to table</a></p>',
        "",
        '<p id="xt1p1f4">4. Longer-run projections for core PCE inflation are not collected.'
        '&nbsp;&nbsp;<a href="#xt1p1f4r">Return to table</a></p>',
        "</div>",
        "</div>",
        "",
    ]
    return lines


def _table1_row(n: int, stub_attrs: str, stub: str, cells: list[Cell], heads: str) -> list[str]:
    lines = ["\t\t<tr>", f"\t\t\t<th {stub_attrs}>{stub}</th>"]
    for g in range(3):
        for i, cell in enumerate(cells):
            if cell is None:
                lines.append('\t\t\t<td class="emptystub">&nbsp;</td>')
                continue
            text = [_num(cell[0]), _span(cell[1], cell[2]), _span(cell[3], cell[4])][g]
            lines.append(
                f'\t\t\t<td class="data" headers="xt1a{g + 2} xt1b{g * n + i + 1} {heads}">{text}</td>'
            )
    return [*lines, "\t\t</tr>"]


def _figure2(sep: Sep) -> list[str]:
    every = [v for dots in sep.dots.values() for v in dots]
    top, bottom = round((max(every) + 0.125) * 8), round((min(every) - 0.125) * 8)
    ids = {h: _id(sep.day, h) for h in ["head", *sep.horizons]}
    lines = [
        '<div class="data-table" data-table-popout="">',
        '<h4 class="tablehead" id="xt6">Figure 2. FOMC participants\' assessments of appropriate '
        "monetary policy: Midpoint of target range or target level for the federal funds rate</h4>",
        "",
        '<p class="tableunit" id="xt6p1b">Number of participants with projected midpoint of target '
        "range or target level</p>",
        "",
        '<table aria-labelledby="xt6 xt6p1b" class="pubtables" data-sticky-columns="1" data-sticky-rows="1">',
        "\t<thead>",
        "\t\t<tr>",
        f'\t\t\t<th class="colhead" id="{ids["head"]}">Midpoint of target range or target level (Percent)</th>',
    ]
    for h in sep.horizons:
        label = "Longer run" if h == LONGER_RUN else h
        lines.append(f'\t\t\t<th class="colhead" id="{ids[h]}">{label}</th>')
    lines += ["\t\t</tr>", "\t</thead>", "\t<tbody>"]
    for eighths in range(top, bottom - 1, -1):
        level = eighths / 8
        row = _id(sep.day, "level", level)
        lines += [
            "\t\t<tr>",
            f'\t\t\t<th class="stub" headers="{ids["head"]}" id="{row}">{level:.3f}</th>',
        ]
        for h in sep.horizons:
            count = sep.dots[h].count(level)
            if count:
                lines.append(f'\t\t\t<td class="data" headers="{row} {ids[h]}">{count}</td>')
            else:
                lines.append(f'\t\t\t<td class="emptydata" headers="{row} {ids[h]}">&nbsp;</td>')
        lines.append("\t\t</tr>")
    lines += ["\t</tbody>", "</table>", "", '<div class="footnotes">']
    note = (
        "<p>Note: Each shaded circle indicates the value (rounded to the nearest 1/8 percentage "
        "point) of an individual participant\u2019s judgment of the midpoint of the appropriate "
        "target range for the federal funds rate or the appropriate target level for the federal "
        "funds rate at the end of the specified calendar year or over the longer run."
    )
    short = sep.participants - sep.longer_run_participants
    if short:
        note += f" {['One', 'Two', 'Three'][short - 1]} participant{'s' * (short > 1)} did not submit longer-run projections."
    lines += [note + "</p>", "</div>", "</div>", ""]
    return lines


def page(sep: Sep, previous: Sep | None, meeting_days: str) -> bytes:
    """The accessible projections page of `sep` (previous: the SEP its "<month> projection"
    rows repeat); meeting_days like "September 16\u201317, 2025"."""
    when = _long(sep.day)
    first, last = sep.horizons[0], sep.horizons[-2]
    title = f"{when}: FOMC Projections materials, accessible version"
    zone = "EDT" if 3 <= sep.day.month <= 10 else "EST"
    lines = [
        BOM + "<!doctype html>",
        '<html lang="en" class="no-js">',
        "    <head>",
        '        <meta charset="utf-8">',
        f'        <meta property="og:url" content="https://www.federalreserve.gov{sep.path}" />',
        f"        <title>The Fed - {title}</title>",
        '        <link href="/css/bootstrap.css" rel="stylesheet" type="text/css">',
        "    </head>",
        '    <body ng-app="pubwebApp">',
        '        <a href="#content" class="globalskip">Skip to main content</a>',
        '        <div id="content" class="container container__main" role="main">',
        '            <div id="article">',
        "            <div class='row'>",
        '                <div class="col-xs-12 col-sm-8 col-md-8">',
        f"                    <h3>{title}</h3>",
        "                    <h3>Accessible version</h3>",
        "",
        f"<p>For release at 2:00 p.m., {zone}, {when}</p>",
        "",
        "<h4>Summary of Economic Projections</h4>",
        "",
        "<p>In conjunction with the Federal Open Market Committee (FOMC) meeting held on "
        f"{meeting_days}, meeting participants submitted their projections of the most likely "
        "outcomes for real gross domestic product (GDP) growth, the unemployment rate, and "
        f"inflation for each year from {first} to {last} and over the longer run.</p>",
        "",
        *_table1(sep, previous),
        *_figure2(sep),
        "                </div>",
        "            </div>",
        "            </div>",
        '            <div class="row">',
        "                <div class='lastUpdate' id=\"lastUpdate\">Last Update:",
        f"                                {when}",
        "                </div>",
        "            </div>",
        "        </div><!-- / #content .container -->",
        "    </body>",
        "</html>",
        "",
    ]
    return CRLF.join(lines).encode("utf-8")


def pages(meetings) -> dict[str, bytes]:
    """`fed/<path>` -> page for every meeting of `meetings` (generate_fed's, with .release,
    .projections, .has_statement, .full_month and .days) with projections and a statement."""
    seps = build()
    out, previous = {}, None
    for day in sorted(seps):
        meeting = next((m for m in meetings if m.release == day), None)
        if meeting is not None and meeting.projections and meeting.has_statement:
            first, _, last = meeting.days.partition("-")
            months = meeting.full_month.split("/")
            if last and len(months) == 2:
                held = f"{months[0]} {first}\u2013{months[1]} {last}, {day.year}"
            else:
                held = f"{months[0]} {first}{chr(0x2013) + last if last else ''}, {day.year}"
            out[f"fed{seps[day].path}"] = page(seps[day], previous, held)
        previous = seps[day]
    return out
