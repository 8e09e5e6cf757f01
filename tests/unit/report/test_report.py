"""The morning report's shaping functions, on small frames made here: z-score bands,
FOMC marks, breakout markers, the delivery table, and the page's notes for empty marts."""

from __future__ import annotations

import datetime as dt
import math
import statistics

import pandas as pd
import pytest

from rotation_radar.report import morning

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
        morning.COLORS["hike"],
        morning.COLORS["hold"],
        morning.COLORS["cut"],
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
    table = morning.delivery_table(signal_rows())
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
    table = morning.delivery_table(signal_rows().iloc[0:0])
    assert table.empty and list(table.columns[-3:]) == ["slack", "email", "webhook"]


@pytest.mark.parametrize(
    "text, expected", [("^RUT/^GSPC", "rut-gspc"), ("IWM", "iwm"), ("not alerted", "not-alerted")]
)
def test_slug(text, expected):
    assert morning.slug(text) == expected


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
    assert [p.id for p in parts] == ["rut-records", "rs-rut-gspc", "valuation", "signals"]
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
        "valuation-iwm-ivv",
        "valuation-iwm-mag7",
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
