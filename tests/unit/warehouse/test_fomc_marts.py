"""The FOMC marts (fomc_decisions, fomc_event_returns, rate_sensitivity) and the
fomc_decision rule, on small frames built here."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from rotation_radar.core import lake, sessions
from rotation_radar.core.settings import Pair
from tests.unit.warehouse.test_marts import LINEAGE, build, mart, price_rows, prices, signals

DAYS = sessions.sessions_between(dt.date(2024, 1, 2), dt.date(2024, 12, 31))
CUT_DAY = dt.date(2024, 9, 18)


def statement(
    day,
    action,
    change,
    low,
    high,
    text,
    dissents=(),
    votes=("Jerome H. Powell", "John C. Williams"),
):
    return {
        "statement_date": day,
        "url": f"/newsevents/pressreleases/monetary{day:%Y%m%d}a.htm",
        "title": "Federal Reserve issues FOMC statement",
        "text": text,
        "sha256": "x",
        "target_low": low,
        "target_high": high,
        "change_bps": change,
        "action": action,
        "votes_for": list(votes),
        "votes_for_count": len(votes),
        "votes_against_count": len(dissents),
        "dissents": [
            {"name": n, "preferred_action": a, "preferred_change_bps": b} for n, a, b in dissents
        ],
        "etag": None,
        "last_modified": None,
        "raw_key": "raw/x",
        "version": 1,
        **LINEAGE,
    }


STATEMENTS = pd.DataFrame(
    [
        statement(
            dt.date(2024, 7, 31),
            "hold",
            0,
            5.25,
            5.5,
            "Job gains have moderated. The Committee decided to maintain the target range. "
            "Inflation remains elevated.",
        ),
        statement(
            CUT_DAY,
            "cut",
            -50,
            4.75,
            5.0,
            "Job gains have slowed. The Committee decided to lower the target range. "
            "Inflation remains elevated.",
            dissents=[("Michelle W. Bowman", "cut", -25)],
        ),
        statement(
            dt.date(2024, 11, 7),
            "cut",
            -25,
            4.5,
            4.75,
            "Job gains have slowed. The Committee decided to lower the target range. "
            "Inflation remains elevated.",
        ),
    ],
    columns=lake.SCHEMAS["fomc_statements"].names,
)


def yields(days, values):
    return pd.DataFrame(
        {"date": days, "series": "DGS2", "value": values, **LINEAGE},
        columns=lake.SCHEMAS["treasury_yields"].names,
    )


@pytest.fixture(scope="module")
def con():
    n = len(DAYS)
    grow = [100 * 1.001**i for i in range(n)]
    flat = [100.0] * n
    frame = prices(
        price_rows("^RUT", DAYS, grow),
        price_rows("^GSPC", DAYS, flat),
        price_rows("IWM", DAYS, grow),
        price_rows("SPY", DAYS, flat),
    )
    rng = np.random.default_rng(1)
    changes = rng.normal(0, 0.05, n)
    values = list(4.0 + np.cumsum(changes))
    values[100] = None  # the bond market was closed
    con = build(
        frame,
        pairs=[Pair("^RUT", "^GSPC", "close")],
        fomc_statements=STATEMENTS,
        treasury_yields=yields(DAYS, values),
    )
    yield con
    con.close()


def test_fomc_decisions_one_row_per_statement_with_diff(con):
    rows = mart(con, "fomc_decisions")
    assert [r["statement_date"] for r in rows] == list(STATEMENTS["statement_date"])
    cut = rows[1]
    assert (cut["action"], cut["change_bps"], cut["target_low"], cut["target_high"]) == (
        "cut",
        -50,
        4.75,
        5.0,
    )
    assert cut["votes_against_count"] == 1 and cut["dissents"][0]["preferred_change_bps"] == -25
    assert cut["sentences_added"] == [
        "Job gains have slowed.",
        "The Committee decided to lower the target range.",
    ]
    assert cut["sentences_removed"] == [
        "Job gains have moderated.",
        "The Committee decided to maintain the target range.",
    ]
    assert rows[0]["sentences_added"] == [] and rows[0]["previous_statement_date"] is None
    assert rows[2]["sentences_added"] == [] and rows[2]["sentences_removed"] == []


def test_event_returns_over_horizons_and_null_when_not_reached(con):
    rows = mart(con, "fomc_event_returns", "small_symbol = '^RUT' and statement_date = ?", CUT_DAY)
    by_horizon = {r["horizon_sessions"]: r for r in rows}
    assert set(by_horizon) == {1, 5, 20, 60}
    for h in (1, 5, 20, 60):
        assert by_horizon[h]["small_return"] == pytest.approx(1.001**h - 1)
        assert by_horizon[h]["large_return"] == pytest.approx(0.0)
        assert by_horizon[h]["excess_return"] == pytest.approx(1.001**h - 1)
    late = mart(
        con,
        "fomc_event_returns",
        "small_symbol = 'IWM' and statement_date = ?",
        dt.date(2024, 11, 7),
    )
    horizons = {r["horizon_sessions"]: r["small_return"] for r in late}
    assert (
        horizons[20] is not None and horizons[60] is None
    )  # 2024-11-07 + 60 sessions is past the data


def test_rate_sensitivity_beta_of_ratio_returns_to_yield_changes(con):
    rows = mart(con, "rate_sensitivity", "pair = '^RUT/^GSPC'")
    assert rows[0]["beta_2y_63"] is None  # warm-up
    last = rows[-1]
    assert last["observations_63"] <= 63 and last["beta_2y_63"] is not None
    # The ratio grows at a constant rate: no relation to yields.
    assert last["beta_2y_63"] == pytest.approx(0.0, abs=1e-9)
    closed = [r for r in rows if r["date"] in (DAYS[100], DAYS[101])]
    assert all(
        r["yield_change_pp"] is None for r in closed
    )  # no observation either side of the gap


def test_fomc_decision_signal_for_cuts_hikes_and_dissenting_holds(con):
    rows = signals(con, "fomc_decision")
    assert [r["date"] for r in rows] == [CUT_DAY, dt.date(2024, 11, 7)]
    message = rows[0]["message"]
    for text in (
        "cut rates by 50 bp",
        "4.75-5.00%",
        "2024-09-18",
        "Michelle W. Bowman preferred a 25 bp cut",
    ):
        assert text in message
    assert rows[0]["value"] == -50 and "no dissents" in rows[1]["message"]
    assert "changed: Job gains have [-moderated.-] {+slowed.+}" in message
