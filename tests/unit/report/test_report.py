"""The morning report's shaping functions, on small frames made here: z-score bands,
FOMC marks, breakout markers, the delivery table, and the page's notes for empty marts;
and the breadth, concentration, rotation and drawdowns sections with their queries
(include/sql/reports/) run on a DuckDB holding those marts' contract columns, plus the
demo summary's lines about them; the Fed's path and the event study's summary on a
warehouse built from the June and September 2025 SEPs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import statistics

import pandas as pd
import pytest

from rotation_radar.report import charts, morning, tables

D = [dt.date(2025, 9, 1) + dt.timedelta(days=i) for i in range(10)]


def valuation_rows(small, large, spreads, complete, min_history):
    """Rows as marts.valuation_spread has them, with the mart's z-score: over complete
    dates up to and including this one, None until `min_history` of them."""
    rows, history = [], []
    for day, spread, ok in zip(D, spreads, complete, strict=False):
        z = None
        if ok:
            history.append(spread)
            if len(history) >= min_history:
                z = (spread - statistics.mean(history)) / statistics.stdev(history)
        rows.append(
            {
                "date": pd.Timestamp(day),
                "small_basket": small,
                "large_basket": large,
                "pe_small": 20.0,
                "pe_large": 25.0,
                "earnings_yield_spread": spread,
                "spread_zscore": z,
                "coverage_small": 0.9,
                "coverage_large": 1.0,
                "is_complete": ok,
            }
        )
    return rows


@pytest.fixture
def valuation():
    a = valuation_rows(
        "IWM", "IVV", [1.0, 2.0, 4.0, 3.0, 9.0, 5.0, 6.0], [True] * 4 + [False, True, True], 3
    )
    b = valuation_rows("IWM", "MAG7", [10.0, 10.5, 9.0, 12.0], [True] * 4, 2)
    return pd.DataFrame(b + a)  # pairs interleaved on purpose


def test_zscore_bands_reproduce_the_marts_zscore(valuation):
    bands = morning.zscore_bands(valuation)
    assert list(bands.columns[-6:]) == list(morning.BAND_COLUMNS)
    scored = bands[bands["spread_zscore"].notna()]
    assert (
        len(scored) == 4 + 3
    )  # IWM/IVV from its 3rd complete date (of 6), IWM/MAG7 from its 2nd (of 4)
    for row in scored.itertuples():
        assert (row.earnings_yield_spread - row.band_mean) / row.band_sd == pytest.approx(
            row.spread_zscore
        )
        assert row.upper2 - row.band_mean == pytest.approx(2 * row.band_sd)
        assert row.band_mean - row.lower1 == pytest.approx(row.band_sd)


def test_zscore_bands_skip_incomplete_dates_and_wait_for_history(valuation):
    ivv = morning.zscore_bands(valuation).query("large_basket == 'IVV'").set_index("date")
    before, incomplete, after = (
        ivv.loc[pd.Timestamp(D[3])],
        ivv.loc[pd.Timestamp(D[4])],
        ivv.loc[pd.Timestamp(D[5])],
    )
    assert math.isnan(
        ivv.loc[pd.Timestamp(D[1]), "band_mean"]
    )  # 2 complete dates: no z-score, no band
    # the incomplete 9.0 is not in the history: its date keeps the last complete date's bands
    assert (
        incomplete["band_mean"]
        == before["band_mean"]
        == pytest.approx(statistics.mean([1, 2, 4, 3]))
    )
    assert incomplete["band_sd"] == pytest.approx(statistics.stdev([1, 2, 4, 3]))
    assert after["band_mean"] == pytest.approx(statistics.mean([1, 2, 4, 3, 5]))


def test_zscore_bands_of_an_empty_mart():
    empty = pd.DataFrame(
        columns=[
            "date",
            "small_basket",
            "large_basket",
            "earnings_yield_spread",
            "spread_zscore",
            "is_complete",
        ]
    )
    bands = morning.zscore_bands(empty)
    assert bands.empty and set(morning.BAND_COLUMNS) <= set(bands.columns)


def decisions():
    return pd.DataFrame(
        [
            {
                "statement_date": dt.date(2022, 6, 15),
                "action": "hike",
                "change_bps": 75,
                "target_low": 1.5,
                "target_high": 1.75,
                "votes_against_count": 1,
            },
            {
                "statement_date": dt.date(2025, 7, 30),
                "action": "hold",
                "change_bps": 0,
                "target_low": 4.25,
                "target_high": 4.5,
                "votes_against_count": 2,
            },
            {
                "statement_date": dt.date(2025, 9, 17),
                "action": "cut",
                "change_bps": -25,
                "target_low": 4.0,
                "target_high": 4.25,
                "votes_against_count": 0,
            },
        ]
    )


def test_fomc_marks_are_labelled_with_action_and_bps():
    marks = morning.fomc_marks(decisions())
    assert list(marks["label"]) == ["hike +75 bp", "hold", "cut -25 bp"]
    assert list(marks["color"]) == [
        charts.COLORS["hike"],
        charts.COLORS["hold"],
        charts.COLORS["cut"],
    ]
    assert marks.loc[2, "hover"] == "FOMC 2025-09-17: cut -25 bp, target 4.00-4.25%"
    assert marks.loc[1, "hover"].endswith("2 dissent(s)")


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (dt.date(2025, 7, 30), dt.date(2025, 9, 17), ["hold", "cut -25 bp"]),  # inclusive
        (dt.date(2023, 1, 1), None, ["hold", "cut -25 bp"]),
        (None, dt.date(2025, 9, 16), ["hike +75 bp", "hold"]),
        (dt.date(2025, 9, 18), None, []),
    ],
)
def test_fomc_marks_within_the_charts_window(start, end, expected):
    assert list(morning.fomc_marks(decisions(), start, end)["label"]) == expected


def test_breakout_markers_by_rule_at_the_crossing_value():
    breakouts = pd.DataFrame(
        [
            {
                "date": dt.date(2025, 9, 17),
                "rule": "tested_and_failed",
                "value": 2453.36,
                "message": "t&f",
            },
            {
                "date": dt.date(2025, 9, 18),
                "rule": "record_close",
                "value": 2467.70,
                "message": "rc",
            },
            {
                "date": dt.date(2025, 9, 18),
                "rule": "record_high",
                "value": 2472.39,
                "message": "rh",
            },
            {"date": dt.date(2025, 9, 18), "rule": "high_52w", "value": 2467.70, "message": "52w"},
        ]
    )
    markers = morning.breakout_markers(breakouts)
    assert list(markers) == ["record_high", "record_close", "tested_and_failed"]  # drawing order
    assert markers["tested_and_failed"].iloc[0].to_dict() == {
        "date": pd.Timestamp("2025-09-17"),
        "y": 2453.36,
        "message": "t&f",
    }
    assert morning.breakout_markers(breakouts[breakouts["rule"] == "high_52w"]) == {}


def signal_rows():
    def row(day, rule, subject, channel=None, status=None, severity=None):
        return {
            "date": pd.Timestamp(day),
            "rule": rule,
            "subject": subject,
            "value": 1.0,
            "threshold": 0.5,
            "message": f"{rule} {subject}",
            "channel": channel,
            "severity": severity,
            "status": status,
            "attempts": 1,
            "error": None,
        }

    return pd.DataFrame(
        [
            row("2025-09-18", "record_close", "^RUT", "email", "delivered", "critical"),
            row("2025-09-18", "record_close", "^RUT", "slack", "delivered", "critical"),
            row("2025-09-18", "record_close", "^RUT", "webhook", "failed", "critical"),
            row("2025-09-18", "high_52w", "MSFT"),  # never alerted: no log row
            row("2025-09-15", "record_high", "IWM", "slack", "suppressed", "warning"),
            row("2025-09-15", "record_high", "IWM", "webhook", "suppressed", "warning"),
        ]
    )


def test_delivery_table_has_one_row_per_signal_and_a_status_per_channel():
    table = tables.delivery_table(signal_rows())
    assert list(table.columns[-3:]) == ["slack", "email", "webhook"]
    statuses = {
        (r.rule, r.subject): (r.slack, r.email, r.webhook, r.severity) for r in table.itertuples()
    }
    assert statuses == {
        ("high_52w", "MSFT"): ("not alerted", "not alerted", "not alerted", None),
        ("record_close", "^RUT"): ("delivered", "delivered", "failed", "critical"),
        ("record_high", "IWM"): (
            "suppressed",
            "not alerted",
            "suppressed",
            "warning",
        ),  # email off for the rule
    }
    assert list(table["date"].dt.strftime("%m-%d")) == ["09-18", "09-18", "09-15"]  # latest first


def test_delivery_table_without_signals():
    table = tables.delivery_table(signal_rows().iloc[0:0])
    assert table.empty and list(table.columns[-3:]) == ["slack", "email", "webhook"]


@pytest.mark.parametrize(
    "text, expected", [("^RUT/^GSPC", "rut-gspc"), ("IWM", "iwm"), ("not alerted", "not-alerted")]
)
def test_slug(text, expected):
    assert tables.slug(text) == expected


def small_report(valuation: pd.DataFrame, signals: pd.DataFrame) -> morning.ReportData:
    days = pd.to_datetime(D)
    closes = [100.0, 101.0, 99.0, 103.0, 104.0, 102.0, 105.0, 104.0, 106.0, 107.0]
    records = pd.DataFrame(
        {
            "date": days,
            "close": closes,
            "high": [c + 1 for c in closes],
            "record_close": pd.Series(closes).cummax(),
            "prior_record_close": pd.Series(closes).cummax().shift(),
            "pct_from_record": 0.0,
            "is_record_close": [False] * 9 + [True],
            "is_record_high": False,
            "is_tested_and_failed": False,
        }
    )
    ratio = pd.Series([0.40 + i / 1000 for i in range(10)])
    inside = pd.DataFrame(
        [
            {
                "statement_date": D[5],
                "action": "cut",
                "change_bps": -50,
                "target_low": 4.0,
                "target_high": 4.25,
                "votes_against_count": 0,
            }
        ]
    )
    rs = pd.DataFrame(
        {
            "pair": "^RUT/^GSPC",
            "date": days,
            "ratio": ratio,
            "ratio_sma50": ratio.rolling(3).mean(),
            "ratio_sma200": None,
            "mansfield_rs": None,
            "rs_momentum_63": None,
        }
    )
    return morning.ReportData(
        session=D[-1],
        records=records,
        breakouts=pd.DataFrame(
            [
                {
                    "date": D[-1],
                    "rule": "record_close",
                    "value": 107.0,
                    "threshold": 106.0,
                    "message": "^RUT closed at a record",
                }
            ]
        ),
        relative_strength=rs,
        valuation=valuation,
        fomc=pd.concat([decisions(), inside], ignore_index=True),
        signals=signals,
    )


def test_page_with_empty_marts_has_notes_instead_of_charts(valuation):
    data = small_report(valuation.iloc[0:0], signal_rows().iloc[0:0])
    parts = morning.sections(data)
    assert [p.id for p in parts] == [
        "rut-records",
        "rs-rut-gspc",
        "rotation",
        "breadth",
        "concentration-ivv",
        "valuation",
        "fed-path",
        "fomc-event-summary",
        "drawdowns",
        "signals",
    ]
    html = morning.page(data, parts)
    assert "No rows in marts.valuation_spread yet" in html
    assert "No breakout signals in the last 5 sessions." in html
    assert 'id="rut-records-chart"' in html and 'id="rs-rut-gspc-chart"' in html
    assert '<script src="plotly.min.js"></script>' in html and "cdn" not in html.lower()
    assert "Mansfield RS n/a" in html  # the 200-session warm-up: no Mansfield RS yet
    assert "no rows in marts.valuation_spread yet" in html  # the header says so too


def test_page_with_data_has_a_chart_per_pair_and_the_delivery_table(valuation):
    data = small_report(valuation, signal_rows())
    parts = morning.sections(data)
    assert [p.id for p in parts] == [
        "rut-records",
        "rs-rut-gspc",
        "rotation",
        "breadth",
        "concentration-ivv",
        "valuation-iwm-ivv",
        "valuation-iwm-mag7",
        "fed-path",
        "fomc-event-summary",
        "drawdowns",
        "signals",
    ]
    html = morning.page(data, parts)
    assert '<h2 id="valuation-iwm-ivv-title">Valuation spread IWM vs IVV' in html
    assert '<td class="status failed">failed</td>' in html
    assert '<td class="status not-alerted">not alerted</td>' in html
    # the header: the last decision on or before the session, never a later one
    assert "Last FOMC decision</dt><dd>2025-09-06: cut -50 bp, target 4.00-4.25%</dd>" in html
    assert html.count('"text":"cut -50 bp"') == 2  # marked on the record chart and the ratio chart
    assert "hike +75 bp" not in html and "cut -25 bp" not in html  # outside the charts' window
    # the header: the latest IWM/IVV spread (date D[6]) with its z-score and coverage
    latest = valuation.query("large_basket == 'IVV'").iloc[-1]
    assert f"spread {latest.earnings_yield_spread:+.2f} pp (z {latest.spread_zscore:+.2f})" in html
    assert "coverage 90% / 100%" in html


# ---- breadth, concentration, rotation, drawdowns (issue 17) ---------------------------
# A DuckDB with the new marts as tables of their contract columns (schema marts), read
# by the report's own queries (include/sql/reports/report_*.sql).

S = pd.bdate_range("2025-09-01", periods=15)  # 15 weekdays, as sessions
QUADRANT_PATH = {  # pair: (rs_ratio, rs_momentum) of its last point, drifting there
    "^RUT/^GSPC": (101.0, 100.5),
    "IWM/SPY": (99.0, 101.5),
    "RSP/SPY": (98.5, 99.0),
    "IWM:Health Care/IWM": (102.5, 98.0),
    "IWM:Energy/IWM": (97.0, 102.0),
}


def quadrant_of(x, y):
    if x >= 100:
        return "leading" if y >= 100 else "weakening"
    return "improving" if y >= 100 else "lagging"


def contract_marts() -> dict[str, pd.DataFrame]:
    """The new marts' rows with every contract column."""
    breadth = pd.DataFrame(
        [
            {
                "basket": basket,
                "date": day,
                "members": members,
                "pct_above_sma50": 50.0 + i,
                "pct_above_sma200": None if i < 2 else base + i,
                "pct_above_sma200_cap_weighted": None if i < 2 else base + 2 * i,
                "new_highs_52w": 1,
                "new_lows_52w": 0,
                "advances": 10 + i,
                "declines": 5,
                "unchanged": 0,
                "ad_line": 5.0 * (i + 1),
                "ad_ratio": 0.6,
                "ad_ratio_ema10": 0.6,
                "net_advances_ratio": 0.2,
                "mcclellan_oscillator": 1.5 * i,
                "mcclellan_summation": 10.0 + i,
                "holdings_as_of": dt.date(2025, 8, 29),
            }
            for basket, members, base in (
                ("IWM", 1950, 40.0),
                ("IVV", 503, 60.0),
                ("MAG7", 7, 70.0),
            )
            for i, day in enumerate(S)
        ]
        # three years before: outside the chart's two-year window
        + [
            {"basket": "IWM", "date": pd.Timestamp("2022-06-01"), "members": 1900},
        ]
    )
    concentration = pd.DataFrame(
        [
            {
                "basket": basket,
                "date": pd.Timestamp(as_of),
                "members": members,
                "top10_weight": top10 + i,
                "mag7_weight": mag7 + i,
                "effective_constituents": 60.0 - i,
                "weight_total": 100.0,
            }
            for basket, members, top10, mag7 in (("IVV", 503, 36.0, 31.0), ("IWM", 1950, 4.0, 0.0))
            for i, as_of in enumerate(["2025-06-30", "2025-07-31", "2025-08-29"])
        ]
    )
    rotation = []
    for pair, (x_end, y_end) in QUADRANT_PATH.items():
        numerator, denominator = pair.rsplit("/", 1)
        previous = None
        for i, day in enumerate(S):
            warm = i < 3
            x = None if warm else 100 + (x_end - 100) * i / 14
            y = None if warm else 100 + (y_end - 100) * i / 14
            quadrant = None if warm else quadrant_of(x, y)
            rotation.append(
                {
                    "pair": pair,
                    "kind": "sector" if ":" in pair else "pair",
                    "date": day,
                    "numerator": numerator,
                    "denominator": denominator,
                    "ratio": 1.0,
                    "rs_ratio": x,
                    "rs_momentum": y,
                    "quadrant": quadrant,
                    "previous_quadrant": previous,
                }
            )
            previous = quadrant
    drawdowns = []
    for subject, closes in (
        ("IWM", [230.0, 240.0, 236.0]),
        ("^RUT", [2400.0, 2467.7, 2450.0]),
        ("MAG7", [180.0, 175.0, 170.0]),
        ("AAPL", [230.0, 232.0, 240.0]),
    ):
        for day, close in zip(S[-3:], closes, strict=True):
            record = max(closes[: closes.index(close) + 1] + [2467.7 if subject == "^RUT" else 0])
            drawdowns.append(
                {
                    "subject": subject,
                    "date": day,
                    "close": close,
                    "record_close": record,
                    "drawdown_pct": (close / record - 1) * 100,
                    "low_52w": close * 0.8,
                    "low_52w_date": pd.Timestamp("2025-04-08"),
                    "rebound_from_low_52w_pct": 25.0,
                    "high_52w": record,
                    "high_52w_date": day,
                }
            )
    record_counts = pd.DataFrame(
        [
            ("^RUT", 2021, 30, 35, 2),
            ("^RUT", 2025, 1, 1, 1),
            ("IWM", 2024, 5, 6, 0),  # none in 2025: counted as 0
            ("AAPL", 2025, 12, 14, 3),
        ],
        columns=["symbol", "year", "record_closes", "record_highs", "tested_and_failed"],
    ).assign(
        first_record_date=pd.Timestamp("2025-01-02"), last_record_date=pd.Timestamp("2025-09-18")
    )
    return {
        "breadth": breadth,
        "concentration": concentration,
        "rotation": pd.DataFrame(rotation),
        "drawdowns": pd.DataFrame(drawdowns),
        "record_counts": record_counts,
    }


@pytest.fixture(scope="module")
def marts_con():
    import duckdb

    con = duckdb.connect()
    con.execute("create schema marts")
    for name, frame in contract_marts().items():
        con.register("_frame", frame)
        con.execute(f"create table marts.{name} as select * from _frame")
        con.unregister("_frame")
    con.execute("alter table marts.rotation alter rs_ratio type double")
    con.execute("alter table marts.rotation alter rs_momentum type double")
    for table, column in con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where schema_name = 'marts' and data_type like 'TIMESTAMP%'"
    ).fetchall():  # dates, as the marts have them
        con.execute(f"alter table marts.{table} alter {column} type date")
    yield con
    con.close()


@pytest.fixture(scope="module")
def new_marts(marts_con):
    """The new marts as load() reads them."""
    return {
        "breadth": morning.optional_query(marts_con, "report_breadth", ("breadth",)),
        "concentration": morning.optional_query(
            marts_con, "report_concentration", ("concentration",)
        ),
        "rotation": morning.optional_query(
            marts_con, "report_rotation", ("rotation",), sessions=morning.ROTATION_SESSIONS
        ),
        "drawdowns": morning.optional_query(
            marts_con, "report_drawdowns", ("drawdowns", "record_counts")
        ),
    }


def test_breadth_query_keeps_two_years(new_marts):
    breadth = new_marts["breadth"]
    assert set(breadth["basket"]) == {"IWM", "IVV", "MAG7"}
    assert breadth["date"].min() == S[0]  # 2022 is more than two years before
    assert list(breadth.columns) == [
        "basket",
        "date",
        "members",
        "pct_above_sma50",
        "pct_above_sma200",
        "pct_above_sma200_cap_weighted",
    ]


def test_rotation_query_keeps_the_last_sessions_with_coordinates(new_marts):
    rotation = new_marts["rotation"]
    assert sorted(rotation["date"].unique()) == list(S[-morning.ROTATION_SESSIONS :])
    assert rotation.groupby("pair").size().to_dict() == dict.fromkeys(QUADRANT_PATH, 10)
    assert rotation[["rs_ratio", "rs_momentum", "quadrant"]].notna().all().all()


def test_rotation_query_leaves_the_warm_up_out(marts_con):
    rotation = morning.query(marts_con, "report_rotation", sessions=14)
    assert rotation["date"].min() == S[3]  # 14 sessions asked, the first 3 without coordinates


def test_drawdowns_query_latest_row_and_this_years_records(new_marts):
    rows = new_marts["drawdowns"].set_index("subject")
    assert list(rows.index) == sorted(rows.index)
    assert (rows["date"] == S[-1]).all() and (rows["record_year"] == 2025).all()
    assert rows.loc["^RUT", "close"] == 2450.0
    assert rows.loc["^RUT", "drawdown_pct"] == pytest.approx((2450.0 / 2467.7 - 1) * 100)
    counts = rows[["record_closes", "record_highs", "tested_and_failed"]]
    assert counts.loc["^RUT"].tolist() == [1, 1, 1]  # 2025's, not 2021's
    assert counts.loc["IWM"].tolist() == [0, 0, 0]  # records in 2024 only
    assert counts.loc["MAG7"].isna().all()  # a basket: not in marts.records


def test_optional_query_of_a_missing_mart_is_empty():
    import duckdb

    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.execute("create table marts.drawdowns (subject varchar)")
        assert morning.optional_query(con, "report_breadth", ("breadth",)).empty
        assert morning.optional_query(con, "report_drawdowns", ("drawdowns", "record_counts")).empty


def test_rotation_graphs_one_for_the_pairs_and_one_per_sector_basket(new_marts):
    graphs = morning.rotation_graphs(new_marts["rotation"])
    assert [(section_id, title.split(":")[0]) for section_id, title, _ in graphs] == [
        ("rotation-pairs", "Relative rotation graph of the pairs"),
        ("rotation-sectors-iwm", "Relative rotation graph of the IWM sectors against IWM"),
    ]
    pairs, sectors = graphs[0][2], graphs[1][2]
    assert list(pairs) == ["^RUT/^GSPC", "IWM/SPY", "RSP/SPY"]  # the headline pair first
    assert list(sectors) == ["Energy", "Health Care"]
    tail = sectors["Health Care"]
    assert list(tail["date"]) == list(S[-10:])
    assert (tail.iloc[-1]["rs_ratio"], tail.iloc[-1]["rs_momentum"]) == pytest.approx(
        QUADRANT_PATH["IWM:Health Care/IWM"]
    )
    assert morning.rotation_graphs(new_marts["rotation"].iloc[0:0]) == []


@pytest.mark.parametrize(
    "values, expected",
    [
        ([100.2, 99.9], [99.0, 101.0]),  # at least ± 1 around the centre
        ([96.0, 101.0], [95.0, 105.0]),  # the furthest point, plus a quarter
        ([], [99.0, 101.0]),
    ],
)
def test_rotation_range_is_centred_on_100(values, expected):
    from rotation_radar.report import charts

    assert charts.rotation_range(pd.Series(values, dtype="float64")) == pytest.approx(expected)


def test_rotation_figure_draws_quadrants_centre_lines_and_tails(new_marts):
    from rotation_radar.report import charts

    _, _, tails = morning.rotation_graphs(new_marts["rotation"])[0]
    fig = charts.rotation_figure(tails)
    assert [t.name for t in fig.data] == list(tails)
    assert {a.text for a in fig.layout.annotations} == {
        f"<b>{q}</b>" for q in ("leading", "weakening", "lagging", "improving")
    }
    centre = [s for s in fig.layout.shapes if s.type == "line"]
    assert {(s.x0, s.x1) for s in centre if s.x0 == s.x1} == {(100.0, 100.0)}
    assert {(s.y0, s.y1) for s in centre if s.y0 == s.y1} == {(100.0, 100.0)}
    rut = fig.data[0]
    assert list(rut.marker.size) == [5] * 9 + [13]  # the latest point emphasised
    assert list(rut.text) == [""] * 9 + ["^RUT/^GSPC"]
    low, high = fig.layout.xaxis.range
    assert low < 98.5 and high > 101.0 and low + high == pytest.approx(200.0)


def test_drawdown_rows_indices_first():
    rows = pd.DataFrame({"subject": ["MAG7", "AAPL", "^RUT", "IWM", "^GSPC"], "close": 1.0})
    assert list(tables.drawdown_rows(rows)["subject"]) == ["^GSPC", "^RUT", "AAPL", "IWM", "MAG7"]


def test_page_with_the_new_marts(valuation, new_marts):
    data = dataclasses.replace(small_report(valuation, signal_rows()), **new_marts)
    parts = morning.sections(data)
    assert [p.id for p in parts] == [
        "rut-records",
        "rs-rut-gspc",
        "rotation-pairs",
        "rotation-sectors-iwm",
        "breadth",
        "concentration-ivv",
        "valuation-iwm-ivv",
        "valuation-iwm-mag7",
        "fed-path",
        "fomc-event-summary",
        "drawdowns",
        "signals",
    ]
    for section_id in ("rotation-pairs", "rotation-sectors-iwm", "breadth", "concentration-ivv"):
        assert f'id="{section_id}-chart"' in next(p.body for p in parts if p.id == section_id)
    page = morning.page(data, parts)
    # the header
    assert (
        "<dt>Breadth</dt><dd>IWM 54.0%, IVV 74.0% of members above their 200-session "
        "average on 2025-09-19</dd>"
    ) in page
    assert (
        "<dt>MAG7 in IVV</dt><dd>33.0% of the ETF (top 10 38.0%, 58 effective constituents) "
        "in the holdings of 2025-08-29</dd>"
    ) in page
    assert (
        "<dt>Rotation quadrants</dt><dd>^RUT/^GSPC leading, IWM/SPY improving, "
        "RSP/SPY lagging on 2025-09-19</dd>"
    ) in page
    # the breadth chart: IWM and IVV (not MAG7), each by count and by weight
    breadth = next(p.body for p in parts if p.id == "breadth")
    assert "IWM: % of members above their 200-session average" in breadth
    assert "IVV: by weight" in breadth and "MAG7" not in breadth
    # the drawdowns table: indices first, 0 records for IWM this year, n/a for the basket
    table = next(p.body for p in parts if p.id == "drawdowns")
    assert table.index("^RUT") < table.index("AAPL") < table.index("IWM") < table.index("MAG7")
    assert "<th>Record closes 2025</th>" in table
    rut = re.search(r"<tr><td>\^RUT</td>(.*?)</tr>", table).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", rut) == [
        "2025-09-19",
        "2,450.00",
        "2,467.70",
        "-0.72%",
        "1,960.00 (2025-04-08)",
        "+25.00%",
        "1",
        "1",
        "1",
        "2025-09-18",
    ]
    iwm = re.search(r"<tr><td>IWM</td>(.*?)</tr>", table).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", iwm)[6:9] == ["0", "0", "0"]
    mag7 = re.search(r"<tr><td>MAG7</td>(.*?)</tr>", table).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", mag7)[6:10] == ["n/a", "n/a", "n/a", ""]


def test_new_sections_degrade_to_notes(valuation, new_marts):
    empty = {name: frame.iloc[0:0] for name, frame in new_marts.items()}
    for data in (
        dataclasses.replace(small_report(valuation, signal_rows()), **empty),
        small_report(valuation, signal_rows()),  # a warehouse without the marts
    ):
        parts = {p.id: p.body for p in morning.sections(data)}
        assert "rotation" in parts and "breadth" in parts and "concentration-ivv" in parts
        assert all("-chart" not in parts[s] for s in ("rotation", "breadth", "concentration-ivv"))
        assert "No rows in marts.rotation" in parts["rotation"]
        assert "No rows for IWM or IVV in marts.breadth yet" in parts["breadth"]
        assert "No rows for IVV in marts.concentration yet" in parts["concentration-ivv"]
        assert "No rows in marts.drawdowns yet" in parts["drawdowns"]
        page = morning.page(data, morning.sections(data))
        assert "<dt>Breadth</dt>" not in page and "<dt>MAG7 in IVV</dt>" not in page


def test_breadth_before_any_member_has_200_sessions(valuation, new_marts):
    warm = new_marts["breadth"].assign(pct_above_sma200=None, pct_above_sma200_cap_weighted=None)
    data = dataclasses.replace(small_report(valuation, signal_rows()), breadth=warm)
    body = next(p.body for p in morning.sections(data) if p.id == "breadth")
    assert "has 200 sessions of prices yet" in body and "-chart" not in body


def test_demo_summary_of_breadth_concentration_and_rotation(marts_con):
    from devtools import demo
    from rotation_radar.core import settings

    lines = demo.basket_mart_lines(
        marts_con, settings.SQL_DIR / "reports", {"breadth", "concentration", "rotation"}
    )
    text = "\n".join(lines)
    assert (
        "  IWM   2025-09-19  1,950 members  above sma50 64.0%  sma200 54.0% (68.0% by weight)  "
        "adv/dec 24/5  McClellan +21.000"
    ) in lines
    assert (
        "  IVV   2025-08-29    503 members  top 10 38.0%  MAG7 33.0%  effective constituents 58.0"
    ) in lines
    assert "  ^RUT/^GSPC  2025-09-19  leading since 2025-09-04" in text  # first out of warm-up
    assert "  IWM sectors 2025-09-19: improving Energy; weakening Health Care" in lines
    assert len(lines) == 3 + 3 + 2 + 4  # compact: a line per basket, ETF and pair
    missing = demo.basket_mart_lines(marts_con, settings.SQL_DIR / "reports", set())
    assert [line for line in missing if "not built" in line] == [
        "  marts.breadth not built",
        "  marts.concentration not built",
        "  marts.rotation not built",
    ]


def test_rotation_without_sector_rows_says_so(valuation, new_marts):
    pairs_only = new_marts["rotation"].query("kind == 'pair'")
    data = dataclasses.replace(small_report(valuation, signal_rows()), rotation=pairs_only)
    parts = {p.id: p.body for p in morning.sections(data)}
    assert 'id="rotation-pairs-chart"' in parts["rotation-pairs"]
    assert "No sector rows in marts.rotation" in parts["rotation-sectors"]


def test_concentration_without_a_mag7_basket(valuation, new_marts):
    no_mag7 = new_marts["concentration"].assign(mag7_weight=None)
    data = dataclasses.replace(small_report(valuation, signal_rows()), concentration=no_mag7)
    body = next(p.body for p in morning.sections(data) if p.id == "concentration-ivv")
    assert "the universe file defines no MAG7 basket" in body and "-chart" not in body
    assert "<dt>MAG7 in IVV</dt>" not in morning.page(data, morning.sections(data))


# ---- the same on a warehouse built from lake frames by the real models -----------------


@pytest.fixture(scope="module")
def built_warehouse(tmp_path_factory):
    """A warehouse file built by warehouse.build's models from 260 sessions of seven
    symbols' prices, IVV and IWM holdings files and the MAG7 basket (two stocks here)."""
    import math

    import duckdb

    from rotation_radar.core.settings import Pair
    from tests.unit.warehouse.test_basket_marts import holdings, members
    from tests.unit.warehouse.test_marts import DAYS, build, price_rows, prices

    days = DAYS[:260]  # RS-Momentum needs 135 sessions, the 200-session average 200

    def closes(k):
        return [
            round(100 * (1 + 0.15 * math.sin(i / (9 + k) + k)) + 0.04 * i * (k - 2), 4)
            for i in range(len(days))
        ]

    symbols = ["^RUT", "IWM", "SPY", "AAPL", "MSFT", "SMLA", "SMLB"]
    con = build(
        prices(*[price_rows(s, days, closes(k)) for k, s in enumerate(symbols)]),
        pairs=[Pair("IWM", "SPY", "adj_close"), Pair("IWM", "MAG7", "adj_close")],
        baskets={"MAG7": ("AAPL", "MSFT")},
        universe_members=members(
            holdings("IVV", days[100], {"AAPL": 40.0, "MSFT": 35.0, "SPY": 25.0}),
            holdings("IVV", days[200], {"AAPL": 45.0, "MSFT": 30.0, "SPY": 25.0}),
            holdings("IWM", days[100], {"SMLA": 60.0, "SMLB": 40.0}),
        ),
    )
    path = tmp_path_factory.mktemp("warehouse") / "radar.duckdb"
    con.execute(f"attach '{path}' as published")
    con.execute("copy from database memory to published")
    con.close()
    with duckdb.connect(str(path), read_only=True) as check:
        assert check.execute("select count(*) from marts.rotation").fetchall()[0][0] > 0
    return path, days


def test_report_of_a_built_warehouse_draws_the_new_charts(built_warehouse):
    path, days = built_warehouse
    data = morning.load(path)
    assert data.session == days[-1]
    parts = {p.id: p.body for p in morning.sections(data)}
    for section_id in ("rotation-pairs", "breadth", "concentration-ivv"):
        assert f'id="{section_id}-chart"' in parts[section_id], section_id
    # no sector has enough members here: a note, not an error
    assert "No sector rows in marts.rotation" in parts["rotation-sectors"]
    assert set(data.rotation.groupby("pair").size()) == {morning.ROTATION_SESSIONS}
    table = parts["drawdowns"]
    subjects = re.findall(r"<tr><td>([^<]+)</td>", table)
    assert subjects == ["^RUT", "AAPL", "IWM", "MAG7", "MSFT", "SMLA", "SMLB", "SPY"]
    assert f"<th>Record closes {days[-1].year}</th>" in table
    page = morning.page(data, morning.sections(data))
    assert "<dt>MAG7 in IVV</dt><dd>75.0% of the ETF" in page  # AAPL 45 + MSFT 30
    assert "<dt>Breadth</dt><dd>IWM " in page and "<dt>Rotation quadrants</dt>" in page


def test_demo_summary_of_a_built_warehouse(built_warehouse):
    import duckdb

    from devtools import demo
    from rotation_radar.core import settings

    path, days = built_warehouse
    with duckdb.connect(str(path), read_only=True) as con:
        lines = demo.basket_mart_lines(
            con, settings.SQL_DIR / "reports", {"breadth", "concentration", "rotation"}
        )
    last = days[-1].isoformat()
    assert [line.split()[:2] for line in lines if line.startswith("  I")] == [
        ["IVV", last],
        ["IWM", last],
        ["IVV", days[200].isoformat()],
        ["IWM", days[100].isoformat()],
        ["IWM/MAG7", last],
        ["IWM/SPY", last],
    ]
    assert not [line for line in lines if "n/a" in line and "IWM/" in line]


# ---- the Fed's path and the event study's summary (issue 18) ----------------------------
# A warehouse built by the real models from the frames of tests/unit/warehouse/
# test_fed_path.py: the June and September 2025 SEPs around the 2025-09-17 cut.


@pytest.fixture(scope="module")
def fed_warehouse(tmp_path_factory):
    from tests.unit.warehouse import test_fed_path as fed
    from tests.unit.warehouse.test_marts import build

    con = build(
        fed.index_prices(),
        fomc_statements=fed.STATEMENTS,
        fomc_projections=fed.PROJECTIONS,
        fomc_dots=fed.DOTS,
        treasury_yields=fed.YIELDS,
    )
    path = tmp_path_factory.mktemp("fed") / "radar.duckdb"
    con.execute(f"attach '{path}' as published")
    con.execute("copy from database memory to published")
    con.close()
    return path


@pytest.fixture(scope="module")
def fed_con(fed_warehouse):
    import duckdb

    with duckdb.connect(str(fed_warehouse), read_only=True) as con:
        yield con


JUNE, JULY, SEPTEMBER = (pd.Timestamp(d) for d in ("2025-06-18", "2025-07-30", "2025-09-17"))


def test_fed_path_query_has_a_line_per_target_year(fed_con):
    medians = morning.query(fed_con, "report_fed_path", first_year=2022)
    lines = {
        year: (list(rows["meeting_date"]), list(rows["median"]))
        for year, rows in medians.groupby("target_year")
    }
    assert lines == {
        "2025": ([JUNE, SEPTEMBER], [3.9, 3.6]),
        "2026": ([JUNE, SEPTEMBER], [3.6, 3.4]),
        "longer_run": ([JUNE, SEPTEMBER], [3.0, 3.0]),
    }
    assert medians.loc[1, ["central_tendency_low", "central_tendency_high"]].tolist() == (
        pytest.approx([3.4, 3.8])
    )
    assert morning.query(fed_con, "report_fed_path", first_year=2026).empty  # SEPs of 2025


def test_latest_fed_path_is_the_september_sep(fed_con):
    (row,) = morning.query(fed_con, "latest_fed_path").to_dict("records")
    assert row["meeting_date"] == SEPTEMBER and row["previous_meeting_date"] == JUNE
    assert tables.sep_summary(row) == (
        "SEP of 2025-09-17 (19 participants): median 3.6% (dots 3.625%) for 2025 "
        "(-25 bp against the SEP of 2025-06-18), 3.4% (dots 3.500%) for 2026 (-13 bp), "
        "3.0% in the longer run; from the 4.00-4.25% range that is -2.0 moves of 25 bp in "
        "2025 and -0.5 in 2026."
    )
    first = {**row, "previous_meeting_date": pd.NaT, "median_this_year_change_bp": None}
    assert "for 2025 (no previous SEP), " in tables.sep_summary(first)


@pytest.mark.parametrize(
    "start, end, expected",
    [
        (  # the range in force at the start (2022's hike), then each decision, to the end
            "2025-01-01",
            "2025-09-19",
            [
                ("2025-01-01", 1.5, 1.75),
                ("2025-07-30", 4.25, 4.5),
                ("2025-09-17", 4.0, 4.25),
                ("2025-09-19", 4.0, 4.25),
            ],
        ),
        ("2025-07-30", "2025-09-17", [("2025-07-30", 4.25, 4.5), ("2025-09-17", 4.0, 4.25)]),
        ("2020-01-01", "2022-12-31", [("2022-06-15", 1.5, 1.75), ("2022-12-31", 1.5, 1.75)]),
    ],
)
def test_target_range_steps(start, end, expected):
    steps = charts.target_range_steps(decisions(), start, end)
    assert [(day, low, high) for day, low, high in steps.itertuples(index=False)] == [
        (pd.Timestamp(day), low, high) for day, low, high in expected
    ]


def test_target_range_steps_without_decisions():
    assert charts.target_range_steps(decisions().iloc[0:0], "2025-01-01", "2025-09-19").empty


def test_fed_path_figure_a_line_per_target_year_over_the_range(fed_con):
    medians = morning.query(fed_con, "report_fed_path", first_year=2022)
    steps = charts.target_range_steps(decisions(), JUNE, "2025-09-19")
    fig = charts.fed_path_figure(medians, steps)
    assert [t.name for t in fig.data] == [
        None,  # the range's lower edge
        "target range",
        "median for 2025",
        "median for 2026",
        "median for longer run",
    ]
    low, high = fig.data[0], fig.data[1]
    assert low.line.shape == high.line.shape == "hv" and high.fill == "tonexty"
    # decisions() has 2022's hike before June 2025, then July's hold and September's cut
    assert list(high.y) == [1.75, 4.5, 4.25, 4.25] and list(low.y) == [1.5, 4.25, 4.0, 4.0]
    assert list(fig.data[2].x) == ["2025-06-18", "2025-09-17"]
    assert list(fig.data[2].y) == [3.9, 3.6]
    assert fig.data[4].line.dash == "dash" and fig.data[2].line.dash == "solid"


def test_event_summary_table_puts_the_leg_pairs_side_by_side():
    def row(action, surprise, horizon, small, large, events, mean):
        return {
            "action": action,
            "surprise": surprise,
            "horizon_sessions": horizon,
            "small_symbol": small,
            "large_symbol": large,
            "events": events,
            "mean_excess_return": mean,
            "median_excess_return": mean - 0.005,
            "mean_ci90_low": mean - 0.01,
            "mean_ci90_high": mean + 0.01,
        }

    summary = pd.DataFrame(
        [
            row("cut", "all", 1, "IWM", "SPY", 5, 0.004),
            row("cut", "all", 1, "^RUT", "^GSPC", 7, 0.0123),
            row("cut", "all", 5, "^RUT", "^GSPC", 7, -0.02),  # no IWM/SPY row: blank cells
            row("cut", "dovish", 1, "^RUT", "^GSPC", 3, 0.03),
        ]
    )
    table = tables.event_summary_table(summary)
    heads = re.findall(r'<th colspan="4">([^<]*)</th>', table)
    assert heads == ["^RUT vs ^GSPC", "IWM vs SPY"]  # the headline pair first
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])
    body = [re.findall(r"<td[^>]*>([^<]*)</td>", r) for r in rows]
    assert body == [
        ["cut", "all", "1", "7", "+1.23%", "+0.73%", "+0.23% to +2.23%"]
        + ["5", "+0.40%", "-0.10%", "-0.60% to +1.40%"],
        ["cut", "all", "5", "7", "-2.00%", "-2.50%", "-3.00% to -1.00%", "", "", "", ""],
        ["cut", "dovish", "1", "3", "+3.00%", "+2.50%", "+2.00% to +4.00%", "", "", "", ""],
    ]


def test_report_of_a_warehouse_with_the_fed_path(fed_warehouse):
    data = morning.load(fed_warehouse)
    assert data.session == dt.date(2025, 12, 31)
    parts = {p.id: p for p in morning.sections(data)}
    assert list(parts)[-4:] == ["fed-path", "fomc-event-summary", "drawdowns", "signals"]
    path = parts["fed-path"]
    assert path.title.startswith(
        "The Fed's path: each SEP's federal funds rate median per target year since 2022"
    )
    assert 'id="fed-path-chart"' in path.body
    assert "median for 2026" in path.body and "target range" in path.body
    assert "SEP of 2025-09-17 (19 participants): median 3.6% (dots 3.625%)" in path.body
    table = parts["fomc-event-summary"].body
    assert '<th colspan="4">^RUT vs ^GSPC</th>' in table
    hold = data.event_summary.query("action == 'hold' and surprise == 'all'").iloc[0]
    rows = [re.findall(r"<td[^>]*>([^<]*)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", table)]
    assert [
        "hold",
        "all",
        "1",
        "2",
        f"{hold.mean_excess_return * 100:+.2f}%",
        f"{hold.median_excess_return * 100:+.2f}%",
        f"{hold.mean_ci90_low * 100:+.2f}% to {hold.mean_ci90_high * 100:+.2f}%",
    ] in rows
    surprises = re.findall(r"<tr><td>hold</td><td>(\w+)</td><td[^>]*>1</td>", table)
    assert surprises == ["all", "hawkish", "dovish"]  # the pooled row first
    assert "5th-95th percentile of 1,000 bootstrap means" in table


def test_fed_sections_degrade_to_notes(valuation):
    data = small_report(valuation, signal_rows())  # a warehouse without the marts
    parts = {p.id: p.body for p in morning.sections(data)}
    assert "No SEP since 2022 in marts.fomc_projections" in parts["fed-path"]
    assert "No rows in marts.fomc_event_summary yet" in parts["fomc-event-summary"]
    assert "-chart" not in parts["fed-path"] and "<table" not in parts["fomc-event-summary"]


def test_fed_path_without_a_latest_row_still_draws(fed_con, valuation):
    medians = morning.query(fed_con, "report_fed_path", first_year=2022)
    data = dataclasses.replace(small_report(valuation, signal_rows()), sep_medians=medians)
    body = next(p.body for p in morning.sections(data) if p.id == "fed-path")
    assert 'id="fed-path-chart"' in body and "SEP of" not in body


def test_optional_query_of_a_warehouse_built_before_a_mart(fed_con):
    import duckdb

    assert len(
        morning.optional_query(fed_con, "report_fed_path", ("fomc_projections",), first_year=2022)
    )
    with duckdb.connect() as con:  # a warehouse built before marts.fomc_projections existed
        con.execute("create schema marts")
        con.execute("create table marts.fed_path (meeting_date date)")
        found = morning.optional_query(
            con, "report_fed_path", ("fomc_projections",), first_year=2022
        )
    assert found.empty


def test_demo_summary_of_the_latest_sep(fed_con):
    from devtools import demo
    from rotation_radar.core import settings

    reports = settings.SQL_DIR / "reports"
    assert demo.fed_path_lines(fed_con, reports, {"fed_path"}) == [
        "latest SEP (federal funds rate medians, the dots' exact one in brackets):",
        "  2025-09-17  2025 3.6% (3.625%) -25 bp  2026 3.4% (3.500%) -13 bp  longer run 3.0%  "
        "(shifts against the SEP of 2025-06-18; 19 participants)",
        "  implied 25 bp moves from the 4.00-4.25% range: -2.0 in 2025, -0.5 in 2026",
    ]
    assert demo.fed_path_lines(fed_con, reports, set())[1:] == ["  marts.fed_path not built"]
