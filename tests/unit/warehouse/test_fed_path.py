"""The Fed's path marts (fed_path, the surprise columns of fomc_decisions and
fomc_event_returns, fomc_event_summary) and the fed_path_shift rule, on small frames
built here: the June and September 2025 SEPs (public medians) around the 2025-09-17 cut."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rotation_radar.core import lake, sessions
from tests.unit.warehouse.test_fomc_marts import statement
from tests.unit.warehouse.test_marts import LINEAGE, build, price_rows, prices, rows, signals

D = dt.date
JUNE, JULY, SEPTEMBER = D(2025, 6, 18), D(2025, 7, 30), D(2025, 9, 17)
DAYS = sessions.sessions_between(D(2025, 1, 2), D(2025, 12, 31))

STATEMENTS = pd.DataFrame(
    [
        statement(JUNE, "hold", 0, 4.25, 4.5, "The Committee decided to maintain the range."),
        statement(JULY, "hold", 0, 4.25, 4.5, "The Committee decided to maintain the range."),
        statement(SEPTEMBER, "cut", -25, 4.0, 4.25, "The Committee decided to lower the range."),
    ]
)


def projection_rows(meeting, medians: dict[str, float]) -> list[dict]:
    return [
        {
            "meeting_date": meeting,
            "variable": "federal_funds_rate",
            "target_year": year,
            "median": median,
            "central_tendency_low": median - 0.2,
            "central_tendency_high": median + 0.2,
            "range_low": median - 0.5,
            "range_high": median + 0.5,
            "url": f"/monetarypolicy/fomcprojtabl{meeting:%Y%m%d}.htm",
            "sha256": "x",
            "etag": None,
            "last_modified": None,
            "raw_key": "raw/x",
            **LINEAGE,
        }
        for year, median in medians.items()
    ]


def dot_rows(meeting, columns: dict[str, dict[float, int]]) -> list[dict]:
    return [
        {"meeting_date": meeting, "target_year": year, "midpoint": m, "participants": n, **LINEAGE}
        for year, dots in columns.items()
        for m, n in dots.items()
    ]


PROJECTIONS = pd.DataFrame(
    projection_rows(JUNE, {"2025": 3.9, "2026": 3.6, "longer_run": 3.0})
    + projection_rows(SEPTEMBER, {"2025": 3.6, "2026": 3.4, "longer_run": 3.0}),
    columns=lake.SCHEMAS["fomc_projections"].names,
)
DOTS = pd.DataFrame(
    dot_rows(
        JUNE,
        {
            "2025": {4.375: 6, 4.125: 3, 3.875: 8, 3.625: 2},
            "2026": {4.125: 4, 3.875: 5, 3.625: 5, 3.375: 5},
        },
    )
    + dot_rows(
        SEPTEMBER,
        {
            # the real September 2025 shape: the median dot 3.625, three cuts in 2025
            "2025": {4.125: 5, 3.875: 3, 3.625: 10, 2.875: 1},
            # 18 dots: the median is the mean of the 9th and 10th, 3.375 and 3.625
            "2026": {3.875: 4, 3.625: 5, 3.375: 5, 3.125: 4},
        },
    ),
    columns=lake.SCHEMAS["fomc_dots"].names,
)
YIELDS = pd.DataFrame(
    [
        {"date": day, "series": "DGS2", "value": value, **LINEAGE}
        for day, value in [
            (D(2025, 6, 17), 3.95),
            (D(2025, 6, 18), 3.94),
            (D(2025, 7, 29), 3.87),
            (D(2025, 7, 30), 3.94),
            (D(2025, 9, 16), 3.51),
            (D(2025, 9, 17), 3.55),
        ]
    ],
    columns=lake.SCHEMAS["treasury_yields"].names,
)


def index_prices():
    rut = [2000 * (1 + 0.002 * i + 0.01 * ((i * 7) % 5 - 2)) for i in range(len(DAYS))]
    spx = [6000 * (1 + 0.001 * i + 0.005 * ((i * 3) % 4 - 1.5)) for i in range(len(DAYS))]
    return prices(price_rows("^RUT", DAYS, rut), price_rows("^GSPC", DAYS, spx))


@pytest.fixture(scope="module")
def fed():
    con = build(
        index_prices(),
        fomc_statements=STATEMENTS,
        fomc_projections=PROJECTIONS,
        fomc_dots=DOTS,
        treasury_yields=YIELDS,
    )
    yield con
    con.close()


def path_row(con, meeting) -> dict:
    return rows(con, "select * from marts.fed_path where meeting_date = ?", meeting)[0]


def test_fed_path_has_a_row_per_sep_meeting(fed):
    assert [r["meeting_date"] for r in rows(fed, "select * from marts.fed_path")] == [
        JUNE,
        SEPTEMBER,
    ]


def test_september_2025_implied_two_more_cuts_one_more_than_june(fed):
    row = path_row(fed, SEPTEMBER)
    assert (row["median_this_year"], row["median_next_year"], row["median_longer_run"]) == (
        3.6,
        3.4,
        3.0,
    )
    assert (row["target_low"], row["target_high"]) == (4.0, 4.25)
    assert row["dots_median_this_year"] == 3.625
    assert row["dots_median_next_year"] == pytest.approx(3.5)  # 18 dots: (3.375 + 3.625) / 2
    assert row["implied_moves_this_year"] == -2.0  # (3.625 - 4.125) / 0.25
    assert row["median_this_year_change_bp"] == -25  # 3.875 in June
    assert row["previous_meeting_date"] == JUNE and row["previous_median_this_year"] == 3.875
    assert row["participants"] == 19
    june = path_row(fed, JUNE)
    assert june["implied_moves_this_year"] == -2.0  # (3.875 - 4.375) / 0.25
    assert june["median_this_year_change_bp"] is None  # no SEP before it


def test_decisions_carry_the_2_year_yield_change_and_the_dots_shift(fed):
    got = {
        r["statement_date"]: (r["yield_2y_change_bp"], r["surprise"], r["dots_shift_bp"])
        for r in rows(fed, "select * from marts.fomc_decisions")
    }
    assert got == {
        JUNE: (-1.0, "dovish", None),
        JULY: (7.0, "hawkish", None),  # no projections at the July meeting
        SEPTEMBER: (4.0, "hawkish", -25),
    }


def test_event_returns_carry_the_surprise(fed):
    found = rows(
        fed,
        "select distinct statement_date, yield_2y_change_bp, surprise, dots_shift_bp "
        "from marts.fomc_event_returns order by statement_date",
    )
    assert [(r["statement_date"], r["surprise"], r["dots_shift_bp"]) for r in found] == [
        (JUNE, "dovish", None),
        (JULY, "hawkish", None),
        (SEPTEMBER, "hawkish", -25),
    ]


def test_event_summary_counts_means_and_a_fixed_bootstrap_interval(fed):
    returns = fed.execute(
        "select * from marts.fomc_event_returns where excess_return is not null"
    ).df()
    summary = fed.execute("select * from marts.fomc_event_summary").df()
    hold = summary[(summary.action == "hold") & (summary.surprise == "all")]
    for row in hold.itertuples():
        group = returns[
            (returns.action == "hold") & (returns.horizon_sessions == row.horizon_sessions)
        ]
        assert row.events == len(group) == 2
        assert row.mean_excess_return == pytest.approx(group.excess_return.mean())
        assert row.median_excess_return == pytest.approx(group.excess_return.median())
        low, high = sorted(group.excess_return)
        assert low <= row.mean_ci90_low <= row.mean_excess_return <= row.mean_ci90_high <= high
    single = summary[(summary.action == "cut") & (summary.surprise == "hawkish")]
    assert len(single) == 4 and (single.events == 1).all()
    assert (single.mean_ci90_low == single.mean_excess_return).all()
    again = (
        build(
            index_prices(),
            fomc_statements=STATEMENTS,
            fomc_projections=PROJECTIONS,
            fomc_dots=DOTS,
            treasury_yields=YIELDS,
        )
        .execute("select * from marts.fomc_event_summary")
        .df()
    )
    pd.testing.assert_frame_equal(summary, again)


def test_fed_path_shift_states_both_medians_and_the_implied_moves(fed):
    hits = signals(fed, "fed_path_shift")
    assert [(h["date"], h["subject"], h["value"]) for h in hits] == [(SEPTEMBER, "FOMC", -25)]
    message = hits[0]["message"]
    assert "3.625%" in message and "3.875%" in message and "-2.0" in message
    assert "2025" in message and "4.00-4.25%" in message
