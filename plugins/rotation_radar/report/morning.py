"""The morning report: one static HTML page on the warehouse's latest session.

`render(warehouse_path, out_dir)` reads the warehouse read-only (as a BI tool does,
with the queries in include/sql/reports/report_*.sql), draws the charts with plotly
and writes `out_dir/YYYY-MM-DD.html` and a copy `out_dir/latest.html`, each to a
temporary name then renamed. plotly.js is shipped once beside them
(`out_dir/plotly.min.js`, referenced relatively), so the page opens offline.

Charts: ^RUT against its record close with the breakout markers; each pair's ratio
with its 50/200-session averages; relative rotation graphs of the pairs and of each
basket's sectors (tails of the last sessions); breadth of IWM against IVV (members above
their 200-session average); the MAG7 weight in IVV; each basket pair's valuation spread
with z-score bands; the Fed's path (each SEP's federal funds rate median per target year
over the target range); FOMC decisions marked on the time axis of the ratio and breadth
charts. Tables: the FOMC event study's summary; each symbol's drawdown, 52-week low and
records this year; the last sessions' signals with their delivery status per channel
(marts.alert_log). A mart without rows (or missing from an older warehouse) gives a note
instead of its chart.
The tables' HTML and cell formats live in report/tables.py, the figures in charts.py.

CLI: `python -m rotation_radar.report.morning [--warehouse PATH] [--out DIR]` (default: the
published warehouse and `reports/` under RADAR_DATA_DIR); prints the report's path.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rotation_radar.core import settings, storage
from rotation_radar.report.charts import (
    ZSCORE_LEVELS,
    breadth_figure,
    concentration_figure,
    day,
    fed_path_figure,
    fomc_marks,
    ratio_figure,
    records_figure,
    rotation_figure,
    target_range_steps,
    valuation_figure,
)
from rotation_radar.report.tables import (
    delivery_table,
    drawdown_rows,
    drawdowns_table,
    event_summary_table,
    fmt,
    sep_summary,
    signals_table,
    slug,
)
from rotation_radar.warehouse import read

SQL = settings.SQL_DIR / "reports"
REPORTS_KEY = "reports"
PLOTLY_JS = "plotly.min.js"
SYMBOL = "^RUT"
HEADLINE_PAIR = "^RUT/^GSPC"
HEADLINE_VALUATION = ("IWM", "IVV")
SIGNAL_SESSIONS = 5
ROTATION_SESSIONS = 10  # the length of a tail in the relative rotation graphs
BREADTH_BASKETS = ("IWM", "IVV")  # small caps against large caps
CONCENTRATION_BASKET = "IVV"
FED_PATH_YEARS = 4  # the SEPs of this year and the three before
BREAKOUT_RULES = (
    "record_high",
    "record_close",
    "tested_and_failed",
)  # drawing order: closes over highs
BAND_COLUMNS = ("band_mean", "band_sd", "lower2", "lower1", "upper1", "upper2")
PLOTLY_CONFIG = {"displaylogo": False, "responsive": True}


# ---- reading (SQL in files, the warehouse read-only) ----------------------------------


@dataclass
class ReportData:
    session: dt.date
    records: pd.DataFrame  # SYMBOL's closes and running record close
    breakouts: pd.DataFrame  # SYMBOL's record_close / record_high / tested_and_failed signals
    relative_strength: pd.DataFrame  # every pair, last two years
    valuation: pd.DataFrame  # every basket pair, whole history
    fomc: pd.DataFrame
    signals: pd.DataFrame  # last SIGNAL_SESSIONS sessions' signals x alert log rows
    breadth: pd.DataFrame = field(default_factory=pd.DataFrame)  # every basket, last 2 years
    concentration: pd.DataFrame = field(default_factory=pd.DataFrame)  # per holdings file
    rotation: pd.DataFrame = field(default_factory=pd.DataFrame)  # last ROTATION_SESSIONS
    drawdowns: pd.DataFrame = field(default_factory=pd.DataFrame)  # latest per subject
    sep_medians: pd.DataFrame = field(default_factory=pd.DataFrame)  # per SEP and target year
    fed_path: pd.DataFrame = field(default_factory=pd.DataFrame)  # the latest SEP's row
    event_summary: pd.DataFrame = field(default_factory=pd.DataFrame)


def query(con, name: str, **variables) -> pd.DataFrame:
    """Run include/sql/reports/<name>.sql; its getvariable('<key>') calls see `variables`."""
    for key, value in variables.items():
        con.execute(f"set variable {key} = ?", [value])
    return con.execute((SQL / f"{name}.sql").read_text()).df()


def optional_query(con, name: str, marts: tuple[str, ...], **variables) -> pd.DataFrame:
    """query(), or an empty frame when the warehouse lacks one of `marts` (a warehouse
    built before they existed): the section then shows a note."""
    present = {
        table
        for (table,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    return query(con, name, **variables) if set(marts) <= present else pd.DataFrame()


def load(warehouse_path: Path | str) -> ReportData:
    """Everything the report shows, read from the warehouse file read-only."""
    import duckdb

    path = Path(warehouse_path)
    if not path.exists():
        raise FileNotFoundError(f"{path}: no warehouse to report on (marts_build publishes it)")
    with duckdb.connect(str(path), read_only=True) as con:
        session = con.execute((SQL / "report_session.sql").read_text()).fetchall()[0][0]
        if session is None:
            raise ValueError(f"{path}: marts.records is empty, there is no session to report on")
        return ReportData(
            session=session,
            records=query(con, "report_records", symbol=SYMBOL),
            breakouts=query(con, "report_breakouts", symbol=SYMBOL),
            relative_strength=query(con, "report_relative_strength"),
            valuation=query(con, "report_valuation"),
            fomc=query(con, "report_fomc"),
            signals=query(con, "report_signals", sessions=SIGNAL_SESSIONS),
            breadth=optional_query(con, "report_breadth", ("breadth",)),
            concentration=optional_query(con, "report_concentration", ("concentration",)),
            rotation=optional_query(
                con, "report_rotation", ("rotation",), sessions=ROTATION_SESSIONS
            ),
            drawdowns=optional_query(con, "report_drawdowns", ("drawdowns", "record_counts")),
            sep_medians=optional_query(
                con,
                "report_fed_path",
                ("fomc_projections",),
                first_year=session.year - FED_PATH_YEARS + 1,
            ),
            fed_path=optional_query(con, "latest_fed_path", ("fed_path",)),
            event_summary=optional_query(con, "report_fomc_event_summary", ("fomc_event_summary",)),
        )


# ---- shaping (pure: frames in, frames out) -------------------------------------------


def zscore_bands(valuation: pd.DataFrame) -> pd.DataFrame:
    """The valuation frame with the z-score bands of each basket pair: mean and sample
    standard deviation of the spread over complete dates up to and including each date
    (the expanding window marts.valuation_spread uses), mean ± 1 and ± 2 SD. An
    incomplete date keeps the bands of the last complete one; there are no bands before
    the pair's first z-score (too little history)."""
    frame = valuation.sort_values(["small_basket", "large_basket", "date"]).reset_index(drop=True)
    for column in BAND_COLUMNS:
        frame[column] = pd.Series(float("nan"), index=frame.index, dtype="float64")
    for _, pair in frame.groupby(["small_basket", "large_basket"], sort=False):
        complete = pair["is_complete"].astype("boolean").fillna(False).astype(bool)
        history = pair["earnings_yield_spread"].astype("float64").where(complete)
        started = pair["spread_zscore"].notna().cummax()
        mean = history.expanding().mean().where(started)
        sd = history.expanding().std(ddof=1).where(started)
        frame.loc[pair.index, "band_mean"] = mean
        frame.loc[pair.index, "band_sd"] = sd
        low, high = ZSCORE_LEVELS
        frame.loc[pair.index, "lower1"] = mean - low * sd
        frame.loc[pair.index, "upper1"] = mean + low * sd
        frame.loc[pair.index, "lower2"] = mean - high * sd
        frame.loc[pair.index, "upper2"] = mean + high * sd
    return frame


def breakout_markers(breakouts: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The breakout signals of the record chart by rule (record_high, record_close,
    tested_and_failed; other rules dropped): date, y (the close or high that crossed,
    the signal's value) and the signal's message; rules without hits are left out."""
    markers = {}
    for rule in BREAKOUT_RULES:
        hits = breakouts[breakouts["rule"] == rule].sort_values("date")
        if len(hits):
            markers[rule] = pd.DataFrame(
                {
                    "date": pd.to_datetime(hits["date"]).values,
                    "y": hits["value"].values,
                    "message": hits["message"].values,
                }
            )
    return markers


def rotation_graphs(rotation: pd.DataFrame) -> list[tuple[str, str, dict[str, pd.DataFrame]]]:
    """The relative rotation graphs to draw, as (section id, title, tails): one of the
    pairs (kind 'pair'), then one per basket of sector pairs (kind 'sector', e.g.
    IWM:Health Care/IWM, tails named by sector). A tail is one pair's rows by date."""
    if rotation.empty:
        return []
    span = f"RS-Ratio against RS-Momentum, tails of the last {ROTATION_SESSIONS} sessions"
    graphs = []
    pairs = rotation[rotation["kind"] == "pair"]
    if len(pairs):
        tails = {
            pair_id: rows.sort_values("date").reset_index(drop=True)
            for pair_id, rows in sorted(pairs.groupby("pair"), key=lambda g: rank_pair(g[0]))
        }
        graphs.append(("rotation-pairs", f"Relative rotation graph of the pairs: {span}", tails))
    sectors = rotation[rotation["kind"] == "sector"]
    for basket, rows in sectors.groupby("denominator", sort=True):
        tails = {
            sector_name(numerator): tail.sort_values("date").reset_index(drop=True)
            for numerator, tail in rows.groupby("numerator", sort=True)
        }
        graphs.append(
            (
                f"rotation-sectors-{slug(basket)}",
                f"Relative rotation graph of the {basket} sectors against {basket}: {span}",
                tails,
            )
        )
    return graphs


def rank_pair(pair_id: str) -> tuple[bool, str]:
    """The headline pair first, then by id."""
    return (pair_id != HEADLINE_PAIR, pair_id)


def sector_name(numerator: str) -> str:
    """IWM:Health Care -> Health Care (a sector index's leg of a rotation pair)."""
    return numerator.split(":", 1)[1] if ":" in numerator else numerator


def latest_row(frame: pd.DataFrame, **where) -> dict | None:
    """The last row (by date) of the rows matching `where`, as a dict; None if none."""
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return None if rows.empty else rows.sort_values("date").iloc[-1].to_dict()


def headline(data: ReportData) -> list[tuple[str, str]]:
    """The header's figures, as (label, text) pairs."""
    items = []
    record = latest_row(data.records)
    if record:
        state = (
            "a record close"
            if record["is_record_close"]
            else f"{-record['pct_from_record']:.2f}% below its record close of "
            f"{record['record_close']:,.2f}"
        )
        items.append(
            (f"{SYMBOL} close", f"{record['close']:,.2f} on {day(record['date'])}: {state}")
        )
    ratio = latest_row(data.relative_strength, pair=HEADLINE_PAIR)
    if ratio:
        text = (
            f"{ratio['ratio']:.4f} on {day(ratio['date'])}; "
            f"Mansfield RS {fmt(ratio['mansfield_rs'], '+.2f')}; "
            f"63-session momentum {fmt(ratio['rs_momentum_63'], '+.2%')}"
        )
        items.append((f"{HEADLINE_PAIR} ratio", text))
    else:
        items.append((f"{HEADLINE_PAIR} ratio", "no rows in marts.relative_strength"))
    small, large = HEADLINE_VALUATION
    value = latest_row(data.valuation, small_basket=small, large_basket=large)
    if value:
        text = (
            f"P/E {fmt(value['pe_small'], '.1f')} vs {fmt(value['pe_large'], '.1f')}; "
            f"earnings-yield spread {fmt(value['earnings_yield_spread'], '+.2f')} pp "
            f"(z {fmt(value['spread_zscore'], '+.2f')}); "
            f"coverage {fmt(value['coverage_small'], '.0%')} / "
            f"{fmt(value['coverage_large'], '.0%')} "
            f"on {day(value['date'])}"
        )
        if not value["is_complete"]:
            text += " (incomplete: coverage below the minimum)"
        items.append((f"{small} vs {large}", text))
    else:
        items.append((f"{small} vs {large}", "no rows in marts.valuation_spread yet"))
    breadth = [
        (basket, latest_row(data.breadth.dropna(subset=["pct_above_sma200"]), basket=basket))
        for basket in BREADTH_BASKETS
        if not data.breadth.empty
    ]
    breadth = [(basket, row) for basket, row in breadth if row]
    if breadth:
        shares = ", ".join(f"{basket} {row['pct_above_sma200']:.1f}%" for basket, row in breadth)
        on = ", ".join(sorted({day(row["date"]) for _, row in breadth}))
        items.append(("Breadth", f"{shares} of members above their 200-session average on {on}"))
    weights = (
        latest_row(data.concentration, basket=CONCENTRATION_BASKET)
        if not data.concentration.empty
        else None
    )
    if weights and pd.notna(weights["mag7_weight"]):
        items.append(
            (
                f"MAG7 in {CONCENTRATION_BASKET}",
                f"{fmt(weights['mag7_weight'], '.1f')}% of the ETF "
                f"(top 10 {fmt(weights['top10_weight'], '.1f')}%, "
                f"{fmt(weights['effective_constituents'], '.0f')} effective constituents) "
                f"in the holdings of {day(weights['date'])}",
            )
        )
    graphs = rotation_graphs(data.rotation)
    if graphs and graphs[0][0] == "rotation-pairs":
        latest = {pair_id: tail.iloc[-1] for pair_id, tail in graphs[0][2].items()}
        quadrants = ", ".join(
            f"{pair_id} {row['quadrant'] if isinstance(row['quadrant'], str) else 'n/a'}"
            for pair_id, row in latest.items()
        )
        on = ", ".join(sorted({day(row["date"]) for row in latest.values()}))
        items.append(("Rotation quadrants", f"{quadrants} on {on}"))
    decided = fomc_marks(data.fomc, end=data.session)
    if len(decided):
        items.append(("Last FOMC decision", decided.iloc[-1]["hover"].removeprefix("FOMC ")))
    return items


# ---- the page -------------------------------------------------------------------------


@dataclass
class Section:
    id: str
    title: str
    body: str  # HTML: a chart, a table or a note


def chart(fig, section_id: str) -> str:
    import plotly.io as pio

    return pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        div_id=f"{section_id}-chart",
        config=PLOTLY_CONFIG,
        default_height="440px",
    )


def note(text: str) -> str:
    return f'<p class="note">{html.escape(text)}</p>'


def sections(data: ReportData) -> list[Section]:
    """The report's sections in page order, each a chart or, without data, a note."""
    out = []
    records = data.records
    title = f"{SYMBOL} close against its record close, with breakouts and FOMC decisions"
    if records.empty:
        out.append(Section("rut-records", title, note(f"No rows for {SYMBOL} in marts.records.")))
    else:
        marks = fomc_marks(data.fomc, records["date"].min(), records["date"].max())
        fig = records_figure(SYMBOL, records, breakout_markers(data.breakouts), marks)
        out.append(Section("rut-records", title, chart(fig, "rut-records")))

    rs = data.relative_strength
    pairs = sorted(rs["pair"].unique(), key=lambda p: (p != HEADLINE_PAIR, p))
    if not pairs:
        out.append(Section("rs", "Relative strength", note("No rows in marts.relative_strength.")))
    for pair_id in pairs:
        pair = rs[rs["pair"] == pair_id]
        section_id = f"rs-{slug(pair_id)}"
        marks = fomc_marks(data.fomc, pair["date"].min(), pair["date"].max())
        out.append(
            Section(
                section_id,
                f"Relative strength {pair_id}: "
                "ratio with its 50- and 200-session averages (2 years)",
                chart(ratio_figure(pair, marks), section_id),
            )
        )

    out += rotation_sections(data)
    out.append(breadth_section(data))
    out.append(concentration_section(data))

    valuation = zscore_bands(data.valuation)
    if valuation.empty:
        out.append(
            Section(
                "valuation",
                "Valuation spread with z-score bands",
                note(
                    "No rows in marts.valuation_spread yet: it needs ETF holdings "
                    "(universe_holdings) and SEC filings (earnings_sec) in the lake."
                ),
            )
        )
    for (small, large), pair in valuation.groupby(["small_basket", "large_basket"], sort=True):
        section_id = f"valuation-{slug(small)}-{slug(large)}"
        out.append(
            Section(
                section_id,
                f"Valuation spread {small} vs {large}: earnings-yield spread with z-score bands",
                chart(valuation_figure(pair), section_id),
            )
        )

    out += fed_sections(data)
    drawdowns = drawdown_rows(data.drawdowns)
    out.append(
        Section(
            "drawdowns",
            "Drawdowns and records: each symbol's distance from its record close, "
            "its 52-week low and its records this year",
            drawdowns_table(drawdowns)
            if len(drawdowns)
            else note(
                "No rows in marts.drawdowns yet: it needs the universe's prices (prices_daily)."
            ),
        )
    )

    table = delivery_table(data.signals)
    empty = note(f"No breakout signals in the last {SIGNAL_SESSIONS} sessions.")
    out.append(
        Section(
            "signals",
            f"Signals of the last {SIGNAL_SESSIONS} sessions and their delivery",
            signals_table(table) if len(table) else empty,
        )
    )
    return out


def rotation_sections(data: ReportData) -> list[Section]:
    graphs = rotation_graphs(data.rotation)
    if not graphs:
        text = (
            "No rows in marts.rotation with an RS-Ratio and RS-Momentum yet: the pairs "
            "need more history (the graph starts after its warm-up)."
        )
        return [Section("rotation", "Relative rotation graph", note(text))]
    caption = (
        f"Each tail is one pair's last {ROTATION_SESSIONS} sessions, the large dot its "
        "latest; pairs turn clockwise: improving, leading, weakening, lagging."
    )
    parts = [
        Section(section_id, title, chart(rotation_figure(tails), section_id) + note(caption))
        for section_id, title, tails in graphs
    ]
    if not any(section_id.startswith("rotation-sectors-") for section_id, _, _ in graphs):
        text = (
            "No sector rows in marts.rotation with an RS-Ratio and RS-Momentum yet: a "
            "sector needs enough members in the ETF's holdings and the graph's warm-up."
        )
        parts.append(
            Section("rotation-sectors", "Relative rotation graph of the sectors", note(text))
        )
    return parts


def breadth_section(data: ReportData) -> Section:
    section_id = "breadth"
    small, large = BREADTH_BASKETS
    title = (
        f"Breadth {small} vs {large}: % of members above their 200-session average "
        "(dashed: by weight)"
    )
    breadth = data.breadth
    if not breadth.empty:
        breadth = breadth[breadth["basket"].isin(BREADTH_BASKETS)]
    if breadth.empty:
        text = (
            f"No rows for {small} or {large} in marts.breadth yet: it needs the ETFs' "
            "holdings (universe_holdings) and their members' prices."
        )
        return Section(section_id, title, note(text))
    if breadth["pct_above_sma200"].isna().all():
        text = (
            f"No member of {small} or {large} has 200 sessions of prices yet: "
            "marts.breadth's share above the 200-session average starts after them."
        )
        return Section(section_id, title, note(text))
    marks = fomc_marks(data.fomc, breadth["date"].min(), breadth["date"].max())
    return Section(
        section_id, title, chart(breadth_figure(breadth, BREADTH_BASKETS, marks), section_id)
    )


def fed_sections(data: ReportData) -> list[Section]:
    """The path of the SEP medians over the target range, and the event study's summary."""
    since = data.session.year - FED_PATH_YEARS + 1
    title = (
        f"The Fed's path: each SEP's federal funds rate median per target year since {since}, "
        "over the target range"
    )
    medians = data.sep_medians
    if medians.empty:
        text = (
            f"No SEP since {since} in marts.fomc_projections: it needs the projections "
            "pages (fomc_statements) and a warehouse built since marts.fomc_projections exists."
        )
        path = Section("fed-path", title, note(text))
    else:
        dates = pd.to_datetime(medians["meeting_date"])
        end = max(pd.Timestamp(data.session), dates.max())
        steps = target_range_steps(data.fomc, dates.min(), end)
        latest = [sep_summary(row) for row in data.fed_path.to_dict("records")]
        figure = chart(fed_path_figure(medians, steps), "fed-path")
        path = Section("fed-path", title, figure + "".join(note(text) for text in latest))
    title = (
        "FOMC event study: excess return of small over large caps after each decision, "
        "by surprise (the 2-year yield's move on the day) and horizon"
    )
    summary = data.event_summary
    caption = (
        "Excess return: the small-cap leg's return minus the large-cap leg's from the "
        "statement day's close; hawkish when the 2-year Treasury yield rose that day, dovish "
        "when it fell; the interval: 5th-95th percentile of 1,000 bootstrap means."
    )
    events = (
        event_summary_table(summary) + note(caption)
        if len(summary)
        else note("No rows in marts.fomc_event_summary yet: it needs FOMC statements and prices.")
    )
    return [path, Section("fomc-event-summary", title, events)]


def concentration_section(data: ReportData) -> Section:
    basket = CONCENTRATION_BASKET
    section_id = f"concentration-{slug(basket)}"
    title = (
        f"MAG7 weight in {basket}: the seven stocks' share of the ETF per holdings file, "
        "beside its top 10"
    )
    rows = data.concentration
    if not rows.empty:
        rows = rows[rows["basket"] == basket].sort_values("date")
    if rows.empty:
        text = f"No rows for {basket} in marts.concentration yet: it needs the ETF's holdings."
        return Section(section_id, title, note(text))
    if rows["mag7_weight"].isna().all():
        text = (
            f"marts.concentration has no MAG7 weight for {basket}: the universe file "
            "defines no MAG7 basket."
        )
        return Section(section_id, title, note(text))
    return Section(section_id, title, chart(concentration_figure(rows, basket), section_id))


STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto;
       max-width: 1320px; padding: 16px 24px; color: #1d2733; background: #fff; }
h1 { font-size: 1.5rem; margin: 0 0 8px; }
h2 { font-size: 1.1rem; margin: 28px 0 4px; }
header dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px;
            margin: 8px 0; }
header dt { font-weight: 600; }
header dd { margin: 0; }
nav a { margin-right: 12px; font-size: 0.9rem; }
.note { color: #666; font-style: italic; }
table.signals, table.drawdowns, table.events { border-collapse: collapse;
       font-size: 0.85rem; width: 100%; }
table.signals th, table.signals td, table.drawdowns th, table.drawdowns td,
table.events th, table.events td { border-bottom: 1px solid #ddd; padding: 4px 6px;
       text-align: left; vertical-align: top; }
table.drawdowns td.num, table.events td.num { text-align: right; font-variant-numeric: tabular-nums;
       white-space: nowrap; }
table.drawdowns td.date { white-space: nowrap; }
td.status.delivered { color: #1e7e34; font-weight: 600; }
td.status.failed { color: #c0392b; font-weight: 600; }
td.status.suppressed { color: #8a6d3b; }
td.status.not-alerted { color: #999; }
table.signals td:first-child, td.status { white-space: nowrap; }
"""


def page(data: ReportData, parts: list[Section]) -> str:
    session = day(data.session)
    figures = "".join(
        f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in headline(data)
    )
    links = "".join(f'<a href="#{p.id}">{html.escape(p.title.split(":")[0])}</a>' for p in parts)
    body = "".join(
        f'<section id="{p.id}"><h2 id="{p.id}-title">{html.escape(p.title)}</h2>{p.body}</section>'
        for p in parts
    )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>Rotation Radar: {session}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<script src="{PLOTLY_JS}"></script><style>{STYLE}</style></head>'
        '<body><header id="headline">'
        f"<h1>Rotation Radar: morning report for the {session} session</h1>"
        f"<dl>{figures}</dl><nav>{links}</nav></header>"
        f"<main>{body}</main>"
        '<footer><p class="note">Built from the warehouse marts (schema marts); '
        "charts by plotly, shipped beside this page (plotly.min.js).</p></footer>"
        "</body></html>\n"
    )


# ---- writing --------------------------------------------------------------------------


def ship_plotly(out_dir: Path) -> Path:
    """plotly.min.js beside the reports (rewritten only when the pinned version changed)."""
    from plotly.offline import get_plotlyjs

    script = get_plotlyjs().encode()
    target = out_dir / PLOTLY_JS
    if not target.exists() or target.read_bytes() != script:
        storage.write_file(target, script)
    return target


def render(warehouse_path: Path | str, out_dir: Path | str) -> Path:
    """Render the report of the warehouse's latest session to out_dir/YYYY-MM-DD.html
    and out_dir/latest.html (both atomic); returns the dated file's path."""
    out = Path(out_dir)
    data = load(warehouse_path)
    document = page(data, sections(data)).encode()
    ship_plotly(out)  # before the pages that load it
    target = storage.write_file(out / f"{day(data.session)}.html", document)
    storage.write_file(out / "latest.html", document)
    return target


def render_published() -> str:
    """The report of the published warehouse, in `reports/` under RADAR_DATA_DIR."""
    source = read.published_path()
    if source is None:
        raise FileNotFoundError(
            f"{read.record_url()}: no warehouse to report on (marts_build publishes it)"
        )
    return publish_report(source)


def publish_report(warehouse_path: Path | str) -> str:
    """Render to `reports/` under RADAR_DATA_DIR: in a temporary folder, then stored
    plotly.min.js (when its size changed), the dated page, then latest.html, each file
    whole. Returns where the dated page is."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="radar-report-") as folder:
        dated = render(warehouse_path, folder)
        script = Path(folder) / PLOTLY_JS
        if storage.size(f"{REPORTS_KEY}/{PLOTLY_JS}") != script.stat().st_size:
            storage.upload(script, f"{REPORTS_KEY}/{PLOTLY_JS}")
        storage.upload(dated, f"{REPORTS_KEY}/{dated.name}")
        storage.upload(Path(folder) / "latest.html", f"{REPORTS_KEY}/latest.html")
    return storage.url(f"{REPORTS_KEY}/{dated.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--warehouse",
        type=Path,
        help="warehouse file (default: the published one under RADAR_DATA_DIR)",
    )
    parser.add_argument(
        "--out", type=Path, help=f"output folder (default: RADAR_DATA_DIR/{REPORTS_KEY})"
    )
    args = parser.parse_args(argv)
    if args.warehouse is None and args.out is None:
        print(render_published())
        return 0
    source = args.warehouse or read.published_path() or storage.url(read.WAREHOUSE_KEY)
    print(render(source, args.out) if args.out else publish_report(source))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
