"""The morning report's tables: the drawdowns and records per symbol, the signals of the
last sessions with their delivery status per channel, the FOMC event study's summary;
their cells' formats, and the sentence on the latest SEP."""

from __future__ import annotations

import html

import pandas as pd

from rotation_radar.alerts import rules
from rotation_radar.report.charts import day

NOT_ALERTED = "not alerted"
HEADLINE_LEGS = ("^RUT", "^GSPC")  # the event summary's first leg pair


def fmt(value, spec: str) -> str:
    return "n/a" if value is None or pd.isna(value) else format(value, spec)


def pct(value, spec: str = "+.2f") -> str:
    text = fmt(value, spec)
    return text if text == "n/a" else f"{text}%"


def count(value) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{int(value):,}"


def slug(text: str) -> str:
    """An element id from a pair id: ^RUT/^GSPC -> rut-gspc."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def drawdown_rows(drawdowns: pd.DataFrame) -> pd.DataFrame:
    """The drawdowns table's rows: indices (^RUT, ^GSPC) first, then every other symbol
    and basket by name."""
    if drawdowns.empty:
        return drawdowns
    order = sorted(drawdowns["subject"], key=lambda s: (not s.startswith("^"), s))
    return drawdowns.set_index("subject").loc[order].reset_index()


def drawdowns_table(rows: pd.DataFrame) -> str:
    year = int(rows["record_year"].max())
    head = [
        "Subject",
        "Session",
        "Close",
        "Record close",
        "Drawdown",
        "52-week low",
        "Rebound from the low",
        f"Record closes {year}",
        f"Record highs {year}",
        f"Tested and failed {year}",
        "Last record",
    ]
    body = []
    for row in rows.to_dict("records"):
        low = fmt(row["low_52w"], ",.2f")
        if low != "n/a" and pd.notna(row["low_52w_date"]):
            low += f" ({day(row['low_52w_date'])})"
        cells = [
            (row["subject"], ""),
            (day(row["date"]), "date"),
            (fmt(row["close"], ",.2f"), "num"),
            (fmt(row["record_close"], ",.2f"), "num"),
            (pct(row["drawdown_pct"]), "num"),
            (low, "num"),
            (pct(row["rebound_from_low_52w_pct"]), "num"),
            (count(row["record_closes"]), "num"),
            (count(row["record_highs"]), "num"),
            (count(row["tested_and_failed"]), "num"),
            (day(row["last_record_date"]) if pd.notna(row["last_record_date"]) else "", "date"),
        ]
        tds = "".join(
            f'<td class="{kind}">{html.escape(text)}</td>'
            if kind
            else f"<td>{html.escape(text)}</td>"
            for text, kind in cells
        )
        body.append(f"<tr>{tds}</tr>")
    ths = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return (
        f'<table class="drawdowns"><thead><tr>{ths}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def delivery_table(signals: pd.DataFrame, channels=rules.CHANNELS) -> pd.DataFrame:
    """One row per signal (date, rule, subject) with its status on each channel:
    delivered, failed, suppressed or "not alerted" (no alert log row: the rule, subject
    or channel is off, or the alerts have not run yet)."""
    keys = ["date", "rule", "subject"]
    columns = [*keys, "value", "threshold", "message", "severity", *channels]
    if signals.empty:
        return pd.DataFrame(columns=columns)
    first = signals.groupby(keys, sort=False, dropna=False).agg(
        value=("value", "first"),
        threshold=("threshold", "first"),
        message=("message", "first"),
        severity=("severity", lambda s: s.dropna().iloc[0] if s.notna().any() else None),
    )
    logged = signals[signals["channel"].notna()]
    status = logged.pivot_table(index=keys, columns="channel", values="status", aggfunc="last")
    table = first.join(status, how="left")
    table["severity"] = table["severity"].astype("object").where(table["severity"].notna(), None)
    for channel in channels:
        if channel not in table:
            table[channel] = None
        table[channel] = table[channel].astype("object").where(table[channel].notna(), NOT_ALERTED)
    table = table.reset_index()
    table = table.sort_values(["date", "rule", "subject"], ascending=[False, True, True])
    return table[columns].reset_index(drop=True)


def signals_table(table: pd.DataFrame) -> str:
    head = ["Session", "Rule", "Subject", "Value", "Threshold", "Message", *rules.CHANNELS]
    rows = []
    for row in table.to_dict("records"):
        cells = [
            day(row["date"]),
            row["rule"],
            row["subject"],
            fmt(row["value"], ",.2f"),
            fmt(row["threshold"], ",.2f"),
            row["message"],
        ]
        tds = "".join(f"<td>{html.escape(str(c))}</td>" for c in cells)
        for channel in rules.CHANNELS:
            status = row[channel]
            tds += f'<td class="status {slug(status)}">{html.escape(status)}</td>'
        rows.append(f"<tr>{tds}</tr>")
    ths = "".join(f"<th>{html.escape(h)}</th>" for h in head)
    return (
        f'<table class="signals"><thead><tr>{ths}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def event_summary_table(summary: pd.DataFrame) -> str:
    """marts.fomc_event_summary as rows per decision, surprise and horizon (the order of
    report_fomc_event_summary.sql) and, per leg pair side by side (^RUT vs ^GSPC first),
    the events, mean and median excess return and the 90% interval of the mean."""
    legs = sorted(
        set(zip(summary["small_symbol"], summary["large_symbol"], strict=True)),
        key=lambda pair: (pair != HEADLINE_LEGS, pair),
    )
    keys = ["action", "surprise", "horizon_sessions"]
    cells = summary.set_index([*keys, "small_symbol", "large_symbol"])
    body = []
    for action, surprise, horizon in summary[keys].drop_duplicates().itertuples(index=False):
        tds = f"<td>{html.escape(action)}</td><td>{html.escape(surprise)}</td>"
        tds += f'<td class="num">{int(horizon)}</td>'
        for small, large in legs:
            key = (action, surprise, horizon, small, large)
            row = cells.loc[key] if key in cells.index else None
            values = (
                ["", "", "", ""]
                if row is None
                else [
                    count(row["events"]),
                    pct(row["mean_excess_return"] * 100),
                    pct(row["median_excess_return"] * 100),
                    f"{pct(row['mean_ci90_low'] * 100)} to {pct(row['mean_ci90_high'] * 100)}",
                ]
            )
            tds += "".join(f'<td class="num">{html.escape(v)}</td>' for v in values)
        body.append(f"<tr>{tds}</tr>")
    spans = "".join(
        f'<th colspan="4">{html.escape(small)} vs {html.escape(large)}</th>'
        for small, large in legs
    )
    heads = "<th>Events</th><th>Mean</th><th>Median</th><th>90% interval of the mean</th>"
    return (
        '<table class="events"><thead><tr><th rowspan="2">Decision</th>'
        '<th rowspan="2">Surprise</th><th rowspan="2">Sessions after</th>'
        f"{spans}</tr><tr>{heads * len(legs)}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def sep_summary(row: dict) -> str:
    """The latest SEP in a sentence: the medians (the dots' exact ones in brackets) with
    their shifts against the previous SEP, the longer run, the implied 25 bp moves."""
    year = int(row["this_year"])
    previous = row["previous_meeting_date"]
    against = f" against the SEP of {day(previous)}" if pd.notna(previous) else ""

    def median(which: str) -> str:
        dots = row[f"dots_median_{which}"]
        exact = f" (dots {dots:.3f}%)" if pd.notna(dots) else ""
        return f"{pct(row[f'median_{which}'], '.1f')}{exact}"

    def shift(which: str) -> str:
        bp = row[f"median_{which}_change_bp"]
        return "no previous SEP" if pd.isna(bp) else f"{int(bp):+d} bp"

    return (
        f"SEP of {day(row['meeting_date'])} ({count(row['participants'])} participants): "
        f"median {median('this_year')} for {year} ({shift('this_year')}{against}), "
        f"{median('next_year')} for {year + 1} ({shift('next_year')}), "
        f"{pct(row['median_longer_run'], '.1f')} in the longer run; from the "
        f"{fmt(row['target_low'], '.2f')}-{fmt(row['target_high'], '.2f')}% range that is "
        f"{fmt(row['implied_moves_this_year'], '+.1f')} moves of 25 bp in {year} and "
        f"{fmt(row['implied_moves_next_year'], '+.1f')} in {year + 1}."
    )
