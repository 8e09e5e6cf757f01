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
}
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
