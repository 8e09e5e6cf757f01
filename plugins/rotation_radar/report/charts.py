"""The morning report's charts (plotly): colours, markers and one figure per chart."""

from __future__ import annotations

import pandas as pd

ZSCORE_LEVELS = (1.0, 2.0)  # bands at mean ± 1 and ± 2 standard deviations
COLORS = {
    "close": "#1f3b73",
    "record": "#d9822b",
    "record_close": "#2a9d3f",
    "record_high": "#7b3fa0",
    "tested_and_failed": "#c0392b",
    "cut": "#2a9d3f",
    "hike": "#c0392b",
    "hold": "#9aa0a6",
    "ratio": "#1f3b73",
    "sma50": "#d9822b",
    "sma200": "#7b3fa0",
    "spread": "#1f3b73",
    "incomplete": "#888888",
    "extreme": "#c0392b",
    "IWM": "#d9822b",  # small caps
    "IVV": "#1f3b73",  # large caps
    "mag7": "#7b3fa0",
    "top10": "#555555",
    "centre": "#555555",
    "target_range": "#1f3b73",
    "longer_run": "#555555",
}
# one colour per tail of a relative rotation graph (plotly's D3 palette, then more)
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
)
QUADRANTS = {  # quadrant: (corner of the graph as (x, y) in 0/1, label colour, fill)
    "leading": ((1, 1), "#2a9d3f", "rgba(42,157,63,0.09)"),
    "weakening": ((1, 0), "#b7791f", "rgba(217,130,43,0.10)"),
    "lagging": ((0, 0), "#c0392b", "rgba(192,57,43,0.08)"),
    "improving": ((0, 1), "#1f3b73", "rgba(31,59,115,0.08)"),
}
RRG_CENTRE = 100.0
MARKERS = {
    "record_close": ("triangle-up", "record close"),
    "record_high": ("diamond", "record high"),
    "tested_and_failed": ("x", "tested and failed"),
}


def day(value) -> str:
    return pd.Timestamp(value).strftime("%Y-%m-%d")


def dates(series: pd.Series) -> list[str]:
    return [day(d) for d in series]


def line(color: str, width: float = 1.4, dash: str = "solid", **more) -> dict:
    return {"color": color, "width": width, "dash": dash, **more}


def marker(symbol: str, color: str, size: int = 7) -> dict:
    return {
        "symbol": symbol,
        "color": color,
        "size": size,
        "line": {"width": 0.5, "color": "white"},
    }


def mark_fomc(fig, marks: pd.DataFrame) -> None:
    """A vertical line per decision, labelled above the plot area (hover for details)."""
    shapes, labels = [], []
    for mark in marks.itertuples(index=False):
        x = day(mark.date)
        move = mark.action != "hold"
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": x,
                "x1": x,
                "y0": 0,
                "y1": 1,
                "layer": "below",
                "line": line(mark.color, 1.5 if move else 0.8, "solid" if move else "dot"),
            }
        )
        labels.append(
            {
                "x": x,
                "xref": "x",
                "y": 1.0,
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "text": mark.label,
                "hovertext": mark.hover,
                "textangle": -90,
                "font": {"size": 9, "color": mark.color},
            }
        )
    fig.update_layout(shapes=shapes, annotations=labels)


def layout(fig, y_title: str, top: int = 30) -> None:
    fig.update_layout(
        height=440,
        margin={"l": 60, "r": 20, "t": top, "b": 40},
        template="plotly_white",
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.12},
        yaxis={"title": {"text": y_title}},
        xaxis={"type": "date"},
    )


def fomc_marks(decisions: pd.DataFrame, start=None, end=None) -> pd.DataFrame:
    """One mark per FOMC decision between start and end (inclusive): its date, action,
    a short label ("cut -25 bp", "hike +75 bp", "hold") and the text shown on hover."""
    columns = ["date", "action", "change_bps", "label", "hover", "color"]
    frame = decisions.copy()
    frame["date"] = pd.to_datetime(frame["statement_date"])
    frame = frame.sort_values("date")
    if start is not None:
        frame = frame[frame["date"] >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame["date"] <= pd.Timestamp(end)]
    if frame.empty:
        return pd.DataFrame(columns=columns)

    def label(row) -> str:
        bps = int(row.change_bps) if pd.notna(row.change_bps) else 0
        return "hold" if row.action == "hold" or bps == 0 else f"{row.action} {bps:+d} bp"

    def hover(row) -> str:
        text = f"FOMC {row.date:%Y-%m-%d}: {label(row)}"
        if pd.notna(row.target_low) and pd.notna(row.target_high):
            text += f", target {row.target_low:.2f}-{row.target_high:.2f}%"
        dissents = row.votes_against_count if "votes_against_count" in frame else None
        if dissents is not None and pd.notna(dissents) and int(dissents):
            text += f", {int(dissents)} dissent(s)"
        return text

    rows = list(frame.itertuples(index=False))
    return pd.DataFrame(
        {
            "date": [r.date for r in rows],
            "action": [r.action for r in rows],
            "change_bps": [r.change_bps for r in rows],
            "label": [label(r) for r in rows],
            "hover": [hover(r) for r in rows],
            "color": [COLORS.get(r.action, COLORS["hold"]) for r in rows],
        },
        columns=columns,
    ).reset_index(drop=True)


def target_range_steps(decisions: pd.DataFrame, start, end) -> pd.DataFrame:
    """The federal funds target range from `start` to `end` as steps (date, target_low,
    target_high): the range of the last decision on or before `start`, each later
    decision's from its statement day, the last held to `end`."""
    columns = ["date", "target_low", "target_high"]
    frame = decisions.dropna(subset=["target_low", "target_high"]).assign(
        date=lambda f: pd.to_datetime(f["statement_date"])
    )
    frame = frame.sort_values("date")[columns]
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    parts = [
        frame[frame["date"] <= start].tail(1).assign(date=start),
        frame[(frame["date"] > start) & (frame["date"] <= end)],
    ]
    steps = pd.concat([p for p in parts if len(p)] or [frame.iloc[0:0]], ignore_index=True)
    if len(steps) and steps["date"].iloc[-1] < end:
        steps = pd.concat([steps, steps.tail(1).assign(date=end)], ignore_index=True)
    return steps


def target_year_order(target_year: str) -> tuple[bool, str]:
    """Target years in order, the longer run last."""
    return (target_year == "longer_run", target_year)


def fed_path_figure(medians: pd.DataFrame, steps: pd.DataFrame):
    """The SEP medians of the federal funds rate by meeting, a line per target year (the
    longer run dashed), over the target range the decisions set (a shaded step band)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    if len(steps):
        edge = {
            "x": dates(steps["date"]),
            "mode": "lines",
            "line": line(COLORS["target_range"], 0.6, shape="hv"),
            "legendgroup": "range",
        }
        fig.add_trace(go.Scatter(y=steps["target_low"], showlegend=False, hoverinfo="skip", **edge))
        fig.add_trace(
            go.Scatter(
                y=steps["target_high"],
                name="target range",
                fill="tonexty",
                fillcolor="rgba(31,59,115,0.12)",
                customdata=steps["target_low"],
                hovertemplate="target range %{customdata:.2f}-%{y:.2f}%",
                **edge,
            )
        )
    years = sorted(medians["target_year"].unique(), key=target_year_order)
    for number, year in enumerate(years):
        rows = medians[medians["target_year"] == year].sort_values("meeting_date")
        name = "longer run" if year == "longer_run" else year
        color = COLORS["longer_run"] if year == "longer_run" else PALETTE[number % len(PALETTE)]
        fig.add_trace(
            go.Scatter(
                x=dates(rows["meeting_date"]),
                y=rows["median"],
                name=f"median for {name}",
                mode="lines+markers",
                customdata=rows[["central_tendency_low", "central_tendency_high"]],
                hovertemplate=(
                    f"{name}: %{{y:.2f}}% (central tendency "
                    "%{customdata[0]:.2f}-%{customdata[1]:.2f}%)"
                ),
                line=line(color, 1.8, "dash" if year == "longer_run" else "solid"),
                marker=marker("circle", color, 6),
            )
        )
    layout(fig, "federal funds rate")
    fig.update_layout(yaxis={"rangemode": "tozero", "ticksuffix": "%"})
    return fig


def records_figure(
    symbol: str, records: pd.DataFrame, markers: dict[str, pd.DataFrame], marks: pd.DataFrame
):
    """The symbol's close and running record close, the breakouts, the FOMC decisions."""
    import plotly.graph_objects as go

    fig = go.Figure()
    x = dates(records["date"])
    fig.add_trace(
        go.Scatter(x=x, y=records["close"], name=f"{symbol} close", line=line(COLORS["close"]))
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=records["record_close"],
            name="running record close",
            line=line(COLORS["record"], 1.6, shape="hv"),
        )
    )
    for rule, hits in markers.items():
        symbol, name = MARKERS[rule]
        fig.add_trace(
            go.Scatter(
                x=dates(hits["date"]),
                y=hits["y"],
                mode="markers",
                name=name,
                text=hits["message"],
                hovertemplate="%{text}<extra></extra>",
                marker=marker(symbol, COLORS[rule], 8),
            )
        )
    layout(fig, "index level", top=75)
    mark_fomc(fig, marks)
    return fig


def ratio_figure(pair: pd.DataFrame, marks: pd.DataFrame):
    """One pair's ratio with its 50/200-session averages, the FOMC decisions."""
    import plotly.graph_objects as go

    fig = go.Figure()
    x = dates(pair["date"])
    for column, name, style in (
        ("ratio", "ratio", line(COLORS["ratio"], 1.6)),
        ("ratio_sma50", "50-session average", line(COLORS["sma50"], 1.3)),
        ("ratio_sma200", "200-session average", line(COLORS["sma200"], 1.3, "dash")),
    ):
        fig.add_trace(go.Scatter(x=x, y=pair[column], name=name, line=style))
    layout(fig, "ratio", top=75)
    mark_fomc(fig, marks)
    return fig


def valuation_figure(pair: pd.DataFrame):
    """One basket pair's earnings-yield spread inside its z-score bands (zscore_bands),
    incomplete dates and |z| >= the outer band marked."""
    import plotly.graph_objects as go

    fig = go.Figure()
    x = dates(pair["date"])
    for low, high, name, fill in (
        ("lower2", "upper2", "mean ± 2 SD", "rgba(192,57,43,0.10)"),
        ("lower1", "upper1", "mean ± 1 SD", "rgba(31,59,115,0.14)"),
    ):
        edge = {
            "x": x,
            "mode": "lines",
            "line": {"width": 0},
            "legendgroup": name,
            "hoverinfo": "skip",
        }
        fig.add_trace(go.Scatter(y=pair[low], showlegend=False, **edge))
        fig.add_trace(go.Scatter(y=pair[high], fill="tonexty", fillcolor=fill, name=name, **edge))
    mean = line("#555555", 1, "dash")
    fig.add_trace(go.Scatter(x=x, y=pair["band_mean"], name="expanding mean", line=mean))
    fig.add_trace(
        go.Scatter(
            x=x,
            y=pair["earnings_yield_spread"],
            name="earnings-yield spread (pp)",
            customdata=pair["spread_zscore"],
            hovertemplate="%{y:+.2f} pp (z %{customdata:+.2f})",
            line=line(COLORS["spread"], 1.8),
        )
    )
    incomplete = ~pair["is_complete"].astype("boolean").fillna(False).astype(bool)
    extreme = pair["spread_zscore"].abs() >= ZSCORE_LEVELS[-1]
    for rows, name, symbol, color in (
        (incomplete, "incomplete (coverage below minimum)", "circle-open", "incomplete"),
        (extreme, f"|z| ≥ {ZSCORE_LEVELS[-1]:g}", "circle", "extreme"),
    ):
        if rows.any():
            fig.add_trace(
                go.Scatter(
                    x=dates(pair.loc[rows, "date"]),
                    y=pair.loc[rows, "earnings_yield_spread"],
                    mode="markers",
                    name=name,
                    marker=marker(symbol, COLORS[color]),
                )
            )
    layout(fig, "percentage points")
    return fig


def breadth_figure(breadth: pd.DataFrame, baskets: tuple[str, ...], marks: pd.DataFrame):
    """Each basket's share of members above their 200-session average (solid) and the
    same share by weight (dashed), 0-100%, with the FOMC decisions."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for basket in baskets:
        rows = breadth[breadth["basket"] == basket]
        if rows.empty:
            continue
        color = COLORS.get(basket, PALETTE[len(fig.data) % len(PALETTE)])
        x = dates(rows["date"])
        fig.add_trace(
            go.Scatter(
                x=x,
                y=rows["pct_above_sma200"],
                name=f"{basket}: % of members above their 200-session average",
                customdata=rows["members"],
                hovertemplate="%{y:.1f}% of %{customdata:,} members",
                line=line(color, 1.8),
            )
        )
        if rows["pct_above_sma200_cap_weighted"].notna().any():
            fig.add_trace(
                go.Scatter(
                    x=x,
                    y=rows["pct_above_sma200_cap_weighted"],
                    name=f"{basket}: by weight",
                    hovertemplate="%{y:.1f}% by weight",
                    line=line(color, 1.1, "dash"),
                )
            )
    layout(fig, "% of members above their 200-session average", top=75)
    fig.update_layout(yaxis={"range": [0, 100], "ticksuffix": "%"})
    mark_fomc(fig, marks)
    fig.add_hline(y=50, line=line(COLORS["centre"], 0.8, "dot"), layer="below")
    return fig


def concentration_figure(concentration: pd.DataFrame, basket: str):
    """The MAG7 weight in the basket (an ETF) per holdings file, beside its top-10 weight."""
    import plotly.graph_objects as go

    fig = go.Figure()
    x = dates(concentration["date"])
    extra = concentration[["members", "effective_constituents"]]
    hover = "%{y:.2f}% (%{customdata[0]:,} members, %{customdata[1]:.1f} effective)"
    fig.add_trace(
        go.Scatter(
            x=x,
            y=concentration["mag7_weight"],
            name=f"MAG7 weight in {basket}",
            mode="lines+markers",
            customdata=extra,
            hovertemplate=hover,
            line=line(COLORS["mag7"], 2.2),
            marker=marker("circle", COLORS["mag7"], 8),
            fill="tozeroy",
            fillcolor="rgba(123,63,160,0.12)",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=concentration["top10_weight"],
            name=f"top-10 weight in {basket}",
            mode="lines+markers",
            hovertemplate="%{y:.2f}%",
            line=line(COLORS["top10"], 1.4, "dash"),
            marker=marker("square", COLORS["top10"], 6),
        )
    )
    layout(fig, f"% of {basket}")
    fig.update_layout(yaxis={"rangemode": "tozero", "ticksuffix": "%"})
    return fig


def rotation_range(values: pd.Series, centre: float = RRG_CENTRE, least: float = 1.0) -> list:
    """An axis range centred on `centre` that holds every value with a margin of a quarter
    (at least ± `least`), so the quadrants meet in the middle of the graph and their
    corner labels clear the tails."""
    spread = (values.astype("float64") - centre).abs().max()
    half = max(least, 1.25 * spread) if pd.notna(spread) else least
    return [centre - half, centre + half]


def rotation_figure(tails: dict[str, pd.DataFrame]):
    """A relative rotation graph: RS-Ratio (x) against RS-Momentum (y), centre lines at
    100, the four quadrants shaded and labelled, one tail per pair (line and markers,
    its latest point larger and labelled)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    points = pd.concat(tails.values()) if tails else pd.DataFrame(columns=["rs_ratio"])
    xr = rotation_range(points.get("rs_ratio", pd.Series(dtype="float64")))
    yr = rotation_range(points.get("rs_momentum", pd.Series(dtype="float64")))
    shapes, labels = [], []
    for quadrant, ((cx, cy), color, fill) in QUADRANTS.items():
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "y",
                "x0": RRG_CENTRE,
                "x1": xr[cx],
                "y0": RRG_CENTRE,
                "y1": yr[cy],
                "fillcolor": fill,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        labels.append(
            {
                "x": 0.99 if cx else 0.01,
                "y": 0.98 if cy else 0.02,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "right" if cx else "left",
                "yanchor": "top" if cy else "bottom",
                "showarrow": False,
                "text": f"<b>{quadrant}</b>",
                "font": {"size": 13, "color": color},
            }
        )
    for axis, (x0, x1, y0, y1) in (
        ("x", (RRG_CENTRE, RRG_CENTRE, *yr)),
        ("y", (*xr, RRG_CENTRE, RRG_CENTRE)),
    ):
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "y",
                "x0": x0,
                "x1": x1,
                "y0": y0,
                "y1": y1,
                "layer": "between",  # over the grid lines, under the tails
                "name": f"centre {axis}",
                "line": line(COLORS["centre"], 1.4),
            }
        )
    for number, (name, tail) in enumerate(tails.items()):
        color = PALETTE[number % len(PALETTE)]
        last = len(tail) - 1
        fig.add_trace(
            go.Scatter(
                x=tail["rs_ratio"],
                y=tail["rs_momentum"],
                name=name,
                mode="lines+markers+text",
                text=[name if i == last else "" for i in range(len(tail))],
                textposition="top center",
                textfont={"size": 11, "color": color},
                customdata=list(zip(dates(tail["date"]), tail["quadrant"].fillna(""), strict=True)),
                hovertemplate=(
                    f"{name} %{{customdata[0]}}: %{{customdata[1]}}<br>"
                    "RS-Ratio %{x:.2f}, RS-Momentum %{y:.2f}<extra></extra>"
                ),
                line=line(color, 1.6),
                marker={
                    "color": color,
                    "size": [5] * last + [13],
                    "line": {"width": [0] * last + [1.5], "color": "white"},
                },
            )
        )
    fig.update_layout(
        height=560,
        margin={"l": 60, "r": 20, "t": 30, "b": 40},
        template="plotly_white",
        hovermode="closest",
        legend={"orientation": "h", "y": -0.12},
        xaxis={"title": {"text": "RS-Ratio"}, "range": xr, "zeroline": False},
        yaxis={"title": {"text": "RS-Momentum"}, "range": yr, "zeroline": False},
        shapes=shapes,
        annotations=labels,
    )
    return fig
