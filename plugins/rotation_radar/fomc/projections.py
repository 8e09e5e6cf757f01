"""The Summary of Economic Projections (SEP): Table 1 and the dot plot of an accessible
projections page (`/monetarypolicy/fomcprojtablYYYYMMDD.htm`), and their cross-checks.

- `parse_projections(page, meeting_date, source)` -> `Projections`: Table 1 (median,
  central tendency and range of five variables per year and the longer run; the current
  SEP in `table1`, its "September projection" rows in `previous`) and Figure 2 (the
  participants at each target-rate midpoint per year, in `dots`). A page whose layout is
  not the one expected raises `ProjectionsLayoutError`, naming the page and the table.
- `check_projections(p)` -> problems (strings naming the meeting): the dots of every year
  add up to the same number of participants, and Table 1's federal funds rate median,
  central tendency and range are the dots' ones rounded to one decimal. It never raises:
  the caller records the problems (a data-quality result) and decides.
- `check_previous(p, earlier)` -> problems: the page's previous-projection rows equal the
  earlier SEP's Table 1.

The page is read with the same HTML tree as the statement pages (`sources.fed`).
Real pages are UTF-8 with a byte-order mark and CRLF line ends; ranges are written with
an en dash (`4.4–4.6`), footnote markers sit in headers (`Median<sup>1</sup>`), empty
cells are `&nbsp;`, and `Memo: Projected appropriate policy path` is a one-cell row.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pandas as pd

from rotation_radar.sources.fed import Node, html_tree

VARIABLES = {
    "change in real gdp": "real_gdp_change",
    "unemployment rate": "unemployment_rate",
    "pce inflation": "pce_inflation",
    "core pce inflation": "core_pce_inflation",
    "federal funds rate": "federal_funds_rate",
}
FED_FUNDS = "federal_funds_rate"
LONGER_RUN = "longer_run"
TABLE1_COLUMNS = [
    "meeting_date",
    "variable",
    "target_year",
    "median",
    "central_tendency_low",
    "central_tendency_high",
    "range_low",
    "range_high",
]
VALUES = TABLE1_COLUMNS[3:]
DOTS_COLUMNS = ["meeting_date", "target_year", "midpoint", "participants"]
GROUPS = ("median", "central tendency", "range")
FIGURE2_HEADER = "midpoint of target range or target level"
MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
PREVIOUS_ROW = re.compile(rf"^(?:{MONTHS}|previous) projections?$", re.IGNORECASE)
FOOTNOTE = re.compile(r"(?<=[A-Za-z)])\s*\d{1,2}$")  # "Median 1", "Core PCE inflation4"
NUMBER = r"[-\u2212]?\d+(?:\.\d+)?"
CELL = re.compile(
    rf"^(?P<low>{NUMBER})(?:\s*[\u2013\u2014\u2010\u2011\u2012-]\s*(?P<high>{NUMBER}))?$"
)


class ProjectionsLayoutError(ValueError):
    """The page is not laid out as expected; the message names the page, the table and what
    was expected (the raw bytes stay landed: a parser change can reread them)."""

    def __init__(self, page: str, table: str, detail: str):
        super().__init__(f"{page}: {table}: {detail}")
        self.page, self.table, self.detail = page, table, detail


@dataclass(frozen=True, eq=False)
class Projections:
    """One SEP page. `table1` and `previous` have TABLE1_COLUMNS, one row per variable and
    horizon (target_year '2025', ... or 'longer_run'); NaN where the page has no value
    (core PCE has no longer run). `table1` has every cell of the page's grid; `previous`
    (the "<month> projection" rows, the previous SEP as this page prints it, labelled
    `previous_label`) only rows with a value. `dots` has DOTS_COLUMNS, one row per year
    and midpoint with participants > 0. `horizons`: Table 1's columns in page order;
    `dot_horizons`: Figure 2's."""

    meeting_date: dt.date
    source: str
    table1: pd.DataFrame
    previous: pd.DataFrame
    dots: pd.DataFrame
    previous_label: str
    horizons: tuple[str, ...]
    dot_horizons: tuple[str, ...]

    @property
    def participants(self) -> int:
        """Participants who submitted a rate path: the number of dots most calendar years
        have (the larger on a tie), so that a column that does not add up is the odd one."""
        totals = dot_totals(self)
        years = [t for h, t in totals.items() if h != LONGER_RUN] or list(totals.values())
        return max(years, key=lambda t: (years.count(t), t)) if years else 0

    def fed_funds_median(self, horizon: str) -> float:
        """Table 1's federal funds rate median for a horizon (NaN when not printed)."""
        row = self.table1[
            (self.table1.variable == FED_FUNDS) & (self.table1.target_year == horizon)
        ]
        return float(row["median"].iloc[0]) if len(row) else math.nan


# ---------------------------------------------------------------- parsing


def parse_projections(page: bytes | str, meeting_date: dt.date, source: str = "") -> Projections:
    """Table 1 and Figure 2 of an accessible SEP page; `source` (its path) names the page in
    errors. Raises ProjectionsLayoutError for a page that lacks either table or whose
    headers, rows or cells are not the expected ones; consistency is `check_projections`'s."""
    text = page.decode("utf-8-sig", "replace") if isinstance(page, bytes) else page
    text = text.lstrip("\ufeff")
    name = f"projections page {source or '(no path)'} of the {meeting_date} meeting"
    root = html_tree(text)
    tables = _captioned_tables(root)
    table1 = next((t for caption, t in tables if re.match(r"Table 1\b", caption)), None)
    if table1 is None:
        raise ProjectionsLayoutError(
            name,
            "Table 1",
            "no table captioned 'Table 1. Economic projections ...' (not an SEP page, or its "
            "layout changed)",
        )
    horizons, current, previous, previous_label = _table1(table1, meeting_date, name)
    figure2 = next(
        (
            t
            for caption, t in tables
            if re.match(r"Figure 2\b", caption) or _first_header(t).startswith(FIGURE2_HEADER)
        ),
        None,
    )
    if figure2 is None:
        raise ProjectionsLayoutError(
            name,
            "Figure 2",
            "no table captioned 'Figure 2. ...' or headed 'Midpoint of target range or target "
            "level (Percent)'",
        )
    dot_horizons, dots = _figure2(figure2, meeting_date, name)
    return Projections(
        meeting_date, source, current, previous, dots, previous_label, horizons, dot_horizons
    )


def _captioned_tables(root: Node) -> list[tuple[str, Node]]:
    """Every table with its caption: the text of the elements its aria-labelledby names,
    else the last heading (h3-h5) before it."""
    ids = {n.attrs["id"]: n for n in root.iter() if n.attrs.get("id")}
    out, heading = [], ""
    for node in root.iter():
        if node.tag in ("h3", "h4", "h5"):
            heading = _text(node)
        elif node.tag == "table":
            labels = [ids[i] for i in node.attrs.get("aria-labelledby", "").split() if i in ids]
            caption = " ".join(_text(n) for n in labels) if labels else heading
            out.append((caption, node))
    return out


def _text(node: Node) -> str:
    """Text without footnote markers (<sup>), whitespace (no-break spaces too) collapsed."""
    parts: list[str] = []

    def walk(n: Node) -> None:
        for child in n.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append(" ")
            elif child.tag not in ("sup", "script", "style"):
                walk(child)

    walk(node)
    return " ".join("".join(parts).split())


def _label(node: Node) -> str:
    """A header or stub cell's text without a trailing footnote number."""
    return FOOTNOTE.sub("", _text(node)).strip()


def _rows(table: Node) -> list[list[Node]]:
    return [
        [c for c in tr.children if isinstance(c, Node) and c.tag in ("th", "td")]
        for tr in table.find_all("tr")
    ]


def _first_header(table: Node) -> str:
    rows = _rows(table)
    return _label(rows[0][0]).lower() if rows and rows[0] else ""


def _span(cell: Node) -> int:
    try:
        return max(1, int(cell.attrs.get("colspan") or 1))
    except ValueError:
        return 1


def _horizon(label: str) -> str | None:
    if re.fullmatch(r"\d{4}", label):
        return label
    if re.fullmatch(r"longer[- ]run", label, re.IGNORECASE):
        return LONGER_RUN
    return None


def _horizons(labels: list[str], name: str, table: str) -> tuple[str, ...]:
    """Column labels as horizons: consecutive years, then the longer run (if printed)."""
    horizons = [_horizon(label) for label in labels]
    if not labels or None in horizons:
        raise ProjectionsLayoutError(
            name, table, f"horizon headers {labels}, expected years then 'Longer run'"
        )
    years = [int(h) for h in horizons if h != LONGER_RUN]
    if (
        not years
        or years != list(range(years[0], years[0] + len(years)))
        or (LONGER_RUN in horizons and horizons[-1] != LONGER_RUN)
        or horizons.count(LONGER_RUN) > 1
    ):
        raise ProjectionsLayoutError(
            name, table, f"horizon headers {labels}, expected consecutive years then 'Longer run'"
        )
    return tuple(horizons)


def _table1(table: Node, meeting_date: dt.date, name: str):
    rows = _rows(table)
    if len(rows) < 3:
        raise ProjectionsLayoutError(
            name, "Table 1", f"{len(rows)} rows, expected headers and data"
        )
    top, second, body = rows[0], rows[1], rows[2:]
    groups = [_label(c).lower() for c in top]
    if groups[:1] != ["variable"] or tuple(groups[1:]) != GROUPS:
        raise ProjectionsLayoutError(
            name,
            "Table 1",
            f"header row 1 is {[_label(c) for c in top]}, expected "
            "['Variable', 'Median', 'Central Tendency', 'Range']",
        )
    spans = {_span(c) for c in top[1:]}
    labels = [_label(c) for c in second]
    width = len(labels) // 3
    if len(spans) != 1 or spans != {width} or len(labels) != 3 * width:
        raise ProjectionsLayoutError(
            name,
            "Table 1",
            f"header row 2 has {len(labels)} columns under groups spanning "
            f"{[_span(c) for c in top[1:]]}, expected three equal groups of horizons",
        )
    if not labels[:width] == labels[width : 2 * width] == labels[2 * width :]:
        raise ProjectionsLayoutError(
            name, "Table 1", f"header row 2 is {labels}, expected the same horizons three times"
        )
    horizons = _horizons(labels[:width], name, "Table 1")
    current: dict[str, list[dict]] = {}
    previous: list[dict] = []
    previous_label, variable = "", None
    for cells in body:
        if not cells:
            continue
        label = _label(cells[0])
        if len(cells) == 1 and label.lower().startswith("memo"):
            continue  # "Memo: Projected appropriate policy path"
        if label.lower() in VARIABLES:
            variable = VARIABLES[label.lower()]
            if variable in current:
                raise ProjectionsLayoutError(name, "Table 1", f"row {label!r} appears twice")
            target = current.setdefault(variable, [])
        elif PREVIOUS_ROW.match(label):
            if variable is None:
                raise ProjectionsLayoutError(
                    name, "Table 1", f"row {label!r} comes before any variable"
                )
            previous_label = previous_label or label
            target = previous
        else:
            raise ProjectionsLayoutError(
                name,
                "Table 1",
                f"unexpected row {label!r}, expected one of the variables "
                f"{[k.capitalize() for k in VARIABLES]}, a '<month> projection' row or a memo",
            )
        values = cells[1:]
        if len(values) != 3 * width:
            raise ProjectionsLayoutError(
                name, "Table 1", f"row {label!r} has {len(values)} cells, expected {3 * width}"
            )
        for i, horizon in enumerate(horizons):
            what = f"row {label!r}, {horizon}"
            median = _cell(values[i], name, what + " median")
            if median[0] != median[1] and not math.isnan(median[0]):
                raise ProjectionsLayoutError(
                    name, "Table 1", f"{what}: median {_text(values[i])!r} is a range"
                )
            ct = _cell(values[width + i], name, what + " central tendency")
            rng = _cell(values[2 * width + i], name, what + " range")
            target.append(
                {
                    "meeting_date": meeting_date,
                    "variable": variable,
                    "target_year": horizon,
                    "median": median[0],
                    "central_tendency_low": ct[0],
                    "central_tendency_high": ct[1],
                    "range_low": rng[0],
                    "range_high": rng[1],
                }
            )
    missing = [k for k, v in VARIABLES.items() if v not in current]
    if missing:
        raise ProjectionsLayoutError(
            name, "Table 1", f"no row for {', '.join(repr(m.capitalize()) for m in missing)}"
        )
    rows_out = [r for v in VARIABLES.values() for r in current[v]]
    table1 = _frame(rows_out, TABLE1_COLUMNS)
    prev = _frame(previous, TABLE1_COLUMNS)
    prev = prev[prev[VALUES].notna().any(axis=1)].reset_index(drop=True)
    return horizons, table1, prev, previous_label


def _cell(cell: Node, name: str, what: str) -> tuple[float, float]:
    """'2.5' -> (2.5, 2.5); '4.4–4.6' -> (4.4, 4.6); empty / &nbsp; -> (NaN, NaN)."""
    text = _text(cell).replace("\u2212", "-")
    if not text or text in ("\u2014", "\u2013", "-", "n.a.", "NA"):
        return math.nan, math.nan
    match = CELL.match(text)
    if not match:
        raise ProjectionsLayoutError(name, "Table 1", f"{what}: unreadable cell {text!r}")
    low = float(match["low"])
    return low, float(match["high"]) if match["high"] else low


def _figure2(table: Node, meeting_date: dt.date, name: str):
    rows = _rows(table)
    if not rows or not rows[0]:
        raise ProjectionsLayoutError(name, "Figure 2", "an empty table")
    header = _label(rows[0][0])
    if not header.lower().startswith(FIGURE2_HEADER):
        raise ProjectionsLayoutError(
            name,
            "Figure 2",
            f"first header is {header!r}, expected 'Midpoint of target range or target level "
            "(Percent)'",
        )
    horizons = _horizons([_label(c) for c in rows[0][1:]], name, "Figure 2")
    dots = []
    for cells in rows[1:]:
        if not cells:
            continue
        level = _text(cells[0])
        if not re.fullmatch(r"\d+(?:\.\d+)?", level):
            raise ProjectionsLayoutError(
                name, "Figure 2", f"row label {level!r}, expected a midpoint such as 3.875"
            )
        if len(cells) != len(horizons) + 1:
            raise ProjectionsLayoutError(
                name,
                "Figure 2",
                f"row {level} has {len(cells) - 1} cells, expected {len(horizons)}",
            )
        for horizon, cell in zip(horizons, cells[1:], strict=True):
            count = _text(cell)
            if not count:
                continue
            if not count.isdigit():
                raise ProjectionsLayoutError(
                    name, "Figure 2", f"row {level}, {horizon}: {count!r} is not a count"
                )
            if int(count):
                dots.append(
                    {
                        "meeting_date": meeting_date,
                        "target_year": horizon,
                        "midpoint": float(level),
                        "participants": int(count),
                    }
                )
    if not dots:
        raise ProjectionsLayoutError(name, "Figure 2", "no participants in any cell")
    frame = _frame(dots, DOTS_COLUMNS)
    frame["participants"] = frame["participants"].astype("int64")
    order = {h: i for i, h in enumerate(horizons)}
    frame = frame.sort_values(
        ["target_year", "midpoint"], key=lambda s: s.map(order) if s.name == "target_year" else -s
    )
    return horizons, frame.reset_index(drop=True)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    for column in columns:
        if column in VALUES or column == "midpoint":
            frame[column] = frame[column].astype("float64")
    return frame


# ---------------------------------------------------------------- checks


def round_half_up(value: float, places: int = 1) -> float:
    """Rounded as Table 1 prints the dots: half away from zero on the decimal value
    (3.625 -> 3.6, 3.875 -> 3.9, 3.0625 -> 3.1), not on the binary float."""
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(float(value))).quantize(step, ROUND_HALF_UP))


def _roundings(value: float) -> set[float]:
    """The one-decimal values Table 1 may print for `value`: half up, and on an exact tie
    (x.x5) also half even, since the pages at hand never show the Fed's rule for a tie."""
    return {
        round_half_up(value),
        float(Decimal(repr(float(value))).quantize(Decimal("0.1"), ROUND_HALF_EVEN)),
    }


def dot_totals(p: Projections) -> dict[str, int]:
    """Dots per horizon of Figure 2 (0 for a column without any)."""
    sums = p.dots.groupby("target_year")["participants"].sum()
    return {h: int(sums.get(h, 0)) for h in p.dot_horizons}


def dot_values(p: Projections, horizon: str) -> list[float]:
    """The individual dots of a horizon, lowest first."""
    rows = p.dots[p.dots.target_year == horizon]
    return sorted(
        v for v, n in zip(rows.midpoint, rows.participants, strict=True) for _ in range(n)
    )


def dots_median(values: list[float]) -> float:
    """The middle dot; the mean of the two middle ones for an even count (the SEP's rule)."""
    n = len(values)
    if not n:
        return math.nan
    middle = n // 2
    return values[middle] if n % 2 else (values[middle - 1] + values[middle]) / 2


def check_projections(p: Projections) -> list[str]:
    """The page's problems, each a sentence naming the meeting; empty when consistent.

    - every calendar year of Figure 2 has the same number of dots (the participants); the
      longer run may have fewer (participants who submit no longer-run projection, as on
      many pages through 2024), never more;
    - Table 1 and Figure 2 cover the same horizons, starting with the meeting's year;
    - for each horizon, Table 1's federal funds rate median is the dots' median rounded to
      one decimal (a median outside the dots' range is named as such), its range the lowest
      and highest dot rounded, its central tendency the dots without the three highest and
      three lowest, rounded;
    - for every variable and horizon, range low <= central tendency low <= median <=
      central tendency high <= range high.
    """
    name = f"SEP of {p.meeting_date}" + (f" ({p.source})" if p.source else "")
    problems = []
    years = [h for h in p.horizons if h != LONGER_RUN]
    if years and int(years[0]) != p.meeting_date.year:
        problems.append(
            f"{name}: Table 1 starts in {years[0]}, not the meeting's year {p.meeting_date.year}"
        )
    if p.horizons != p.dot_horizons:
        problems.append(
            f"{name}: Table 1 covers {list(p.horizons)} but Figure 2 {list(p.dot_horizons)}"
        )
    totals = dot_totals(p)
    participants = p.participants
    for horizon, total in totals.items():
        short = horizon == LONGER_RUN and total < participants
        if total != participants and not short:
            problems.append(
                f"{name}: Figure 2 {horizon} has {total} dots, but {participants} participants "
                "project the other years (the columns do not add up)"
            )
    for horizon in p.horizons:
        median = p.fed_funds_median(horizon)
        values = dot_values(p, horizon)
        if not values:
            if not math.isnan(median):
                problems.append(
                    f"{name}: federal funds rate {horizon}: Table 1 median {median} but no dots"
                )
            continue
        problems += _fed_funds_problems(p, name, horizon, values)
    problems += _order_problems(p, name)
    return problems


def _fed_funds_problems(p: Projections, name: str, horizon: str, values: list[float]) -> list[str]:
    row = p.table1[(p.table1.variable == FED_FUNDS) & (p.table1.target_year == horizon)]
    if row.empty:
        return []
    row = row.iloc[0]
    what = f"{name}: federal funds rate {horizon}"
    median, low, high = dots_median(values), values[0], values[-1]
    if math.isnan(row["median"]):
        return [f"{what}: Table 1 has no median, the dots' median is {median}"]
    if not round_half_up(low) <= row["median"] <= round_half_up(high):
        return [
            f"{what}: Table 1 median {row['median']} outside the dots' range {low}..{high} "
            f"({len(values)} dots)"
        ]
    problems = []
    if row["median"] not in _roundings(median):
        problems.append(
            f"{what}: Table 1 median {row['median']}, but the dots' median {median} rounds "
            f"to {round_half_up(median)}"
        )
    printed = (row["range_low"], row["range_high"])
    if printed != (round_half_up(low), round_half_up(high)):
        problems.append(
            f"{what}: Table 1 range {printed[0]}-{printed[1]}, but the dots run {low}..{high}"
        )
    if len(values) > 6:
        inner = values[3:-3]
        printed = (row["central_tendency_low"], row["central_tendency_high"])
        if printed != (round_half_up(inner[0]), round_half_up(inner[-1])):
            problems.append(
                f"{what}: Table 1 central tendency {printed[0]}-{printed[1]}, but the dots "
                f"without the three highest and lowest run {inner[0]}..{inner[-1]}"
            )
    return problems


def _order_problems(p: Projections, name: str) -> list[str]:
    problems = []
    columns = ["range_low", "central_tendency_low", "median", "central_tendency_high", "range_high"]
    for row in p.table1.itertuples(index=False):
        values = [getattr(row, c) for c in columns]
        present = [v for v in values if not math.isnan(v)]
        if present != sorted(present):
            cells = ", ".join(f"{c} {v}" for c, v in zip(columns, values, strict=True))
            problems.append(
                f"{name}: {row.variable} {row.target_year}: range, central tendency and "
                f"median out of order ({cells})"
            )
    return problems


def check_previous(p: Projections, earlier: Projections) -> list[str]:
    """Problems where `p`'s previous-projection rows differ from the earlier SEP's Table 1
    (for the horizons both print)."""
    name = f"SEP of {p.meeting_date}"
    keys = ["variable", "target_year"]
    merged = p.previous.merge(earlier.table1, on=keys, suffixes=("", "_earlier"))
    problems = []
    for row in merged.itertuples(index=False):
        for column in VALUES:
            here, there = getattr(row, column), getattr(row, f"{column}_earlier")
            if not (here == there or (math.isnan(here) and math.isnan(there))):
                problems.append(
                    f"{name}: {p.previous_label or 'previous projection'} {row.variable} "
                    f"{row.target_year} {column} {here}, but the SEP of {earlier.meeting_date} "
                    f"printed {there}"
                )
    return problems
