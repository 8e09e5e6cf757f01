"""marts.valuation_spread and its valuation_spread_extreme rule, on small frames made here.

The story, on real NYSE sessions: IWM holds A, B (a loss maker) and C, then from
DAYS[20] A, B and D (D has no fundamentals: coverage falls below the minimum). IVV
holds GOOGL and GOOG (one company) and M. A split 2-for-1 on DAYS[5] with its share
count reported before the split. A's earnings double from a filing on DAYS[10]; C's
jump tenfold from DAYS[15]; each pushes the spread to an extreme.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from rotation_radar.core.settings import Universe, Valuation
from rotation_radar.warehouse import build as warehouse_build
from tests.unit.warehouse.test_marts import DAYS, LINEAGE, mart, price_rows, prices, rows, signals

N = 30
CLOSES = {"A": 5.0, "B": 20.0, "D": 8.0, "GOOGL": 100.0, "GOOG": 100.0, "M": 50.0}
CIKS = {"A": 1, "B": 2, "C": 3, "D": 4, "GOOGL": 10, "GOOG": 10, "M": 11}


def c_close(i: int) -> float:
    """C's close wobbles so that the spread has a history with some spread of its own."""
    return 10.0 + (i % 3) * 0.5


def frames(days) -> dict[str, pd.DataFrame]:
    price_lists = [price_rows(s, days, [c] * len(days)) for s, c in CLOSES.items()]
    price_lists.append(price_rows("C", days, [c_close(i) for i in range(len(days))]))
    members = []
    for as_of, held in (
        (DAYS[0], {"A": 50, "B": 30, "C": 20}),
        (DAYS[20], {"A": 50, "B": 25, "D": 25}),
    ):
        members += [("IWM", as_of, s, w) for s, w in held.items()]
    members += [("IVV", DAYS[0], s, w) for s, w in {"GOOGL": 40, "GOOG": 40, "M": 20}.items()]
    universe_members = pd.DataFrame(
        [
            {
                "basket": b,
                "as_of": d,
                "symbol": s,
                "name": s,
                "weight": w,
                "shares_held": 1.0,
                "sector": "x",
                "market_value": 1.0,
                "raw_key": "k",
                **LINEAGE,
            }
            for b, d, s, w in members
        ]
    )
    companies = pd.DataFrame(
        [
            {"cik": c, "ticker": s, "symbol": s, "title": s, "raw_key": "k", **LINEAGE}
            for s, c in CIKS.items()
        ]
    )
    ttm = [  # cik, known_from, net income, shares, shares as of
        (1, DAYS[0], 10.0, 10.0, DAYS[0]),  # before A's split on DAYS[5]: x2 on today's basis
        (1, DAYS[10], 20.0, 20.0, DAYS[9]),  # after it: already on today's basis
        (2, DAYS[0], -10.0, 10.0, DAYS[0]),
        (3, DAYS[0], 30.0, 30.0, DAYS[0]),
        (3, DAYS[15], 300.0, 30.0, DAYS[14]),
        (10, DAYS[0], 500.0, 100.0, DAYS[0]),  # Alphabet: both classes' shares
        (11, DAYS[0], 100.0, 40.0, DAYS[0]),
    ]
    earnings_ttm = pd.DataFrame(
        [
            {
                "cik": cik,
                "symbol": "x",
                "known_from": day,
                "net_income": ni,
                "eps_diluted": None,
                "revenue": None,
                "operating_income": ni * 2,
                "interest_expense": ni / 10,
                "shares_outstanding": shares,
                "shares_as_of": as_of,
                **LINEAGE,
            }
            for cik, day, ni, shares, as_of in ttm
        ]
    )
    splits = pd.DataFrame(
        [{"symbol": "A", "date": DAYS[5], "kind": "split", "value": 2.0, **LINEAGE}]
    )
    return {
        "prices_daily": prices(*price_lists),
        "universe_members": universe_members,
        "sec_companies": companies,
        "earnings_ttm": earnings_ttm,
        "corporate_actions": splits,
    }


def build(days) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    warehouse_build.load_lake(con, frames=frames(days))
    universe = Universe(
        history_start=days[0],
        groups={"test": tuple(CLOSES)},
        baskets={},
        pairs=(),
        valuation=Valuation(
            pairs=(("IWM", "IVV"),), min_coverage=0.8, zscore_min_history=5, zscore_threshold=2.0
        ),
    )
    warehouse_build.stage_config(con, universe)
    warehouse_build.run_models(con)
    return con


@pytest.fixture(scope="module")
def spreads():
    con = build(DAYS[:N])
    yield {row["date"]: row for row in mart(con, "valuation_spread")}, con
    con.close()


def test_contract_columns_and_one_row_per_session(spreads):
    by_date, con = spreads
    names = [r[0] for r in con.execute("select * from marts.valuation_spread limit 0").description]
    contract = [
        "date",
        "small_basket",
        "large_basket",
        "pe_small",
        "pe_large",
        "pe_ex_losses_small",
        "pe_ex_losses_large",
        "earnings_yield_spread",
        "spread_zscore",
        "unprofitable_share_small",
        "unprofitable_share_large",
        "interest_burden_small",
        "interest_burden_large",
    ]
    assert names[: len(contract)] == contract
    assert {"coverage_small", "coverage_large", "is_complete"} <= set(names)
    assert sorted(by_date) == DAYS[:N]


def test_aggregates_with_loss_makers_and_split_basis(spreads):
    row = spreads[0][DAYS[3]]
    # A: 5 x 10 shares x 2 (split after the count) = 100; B: 20 x 10 = 200; C: 10 x 30 = 300
    market_cap, net_income = 100 + 200 + 300, 10 - 10 + 30
    assert row["pe_small"] == pytest.approx(market_cap / net_income)
    assert row["pe_ex_losses_small"] == pytest.approx((100 + 300) / (10 + 30))
    assert row["pe_median_small"] == pytest.approx(10.0)  # A 100/10, C 300/30
    assert row["unprofitable_share_small"] == pytest.approx(1 / 3)
    assert row["interest_burden_small"] == pytest.approx(
        3 / 60
    )  # interest = NI/10, operating = 2 NI
    # IVV: Alphabet once (GOOGL and GOOG, 100 x 100 shares) and M (50 x 40)
    assert row["members_large"] == 2
    assert row["pe_large"] == pytest.approx((10_000 + 2_000) / 600)
    spread = (net_income / market_cap - 600 / 12_000) * 100
    assert row["earnings_yield_spread"] == pytest.approx(spread)
    assert row["coverage_small"] == row["coverage_large"] == 1.0 and row["is_complete"]


def test_point_in_time_earnings_and_shares(spreads):
    by_date = spreads[0]
    # A's doubled earnings count from their filing date, not before
    assert by_date[DAYS[9]]["pe_ex_losses_small"] == pytest.approx(400 / 40)
    # from DAYS[10]: A earns 20 on 5 x 20 shares = 100 (no split factor: counted after it)
    assert by_date[DAYS[10]]["pe_ex_losses_small"] == pytest.approx((100 + 30 * c_close(10)) / 50)


def test_membership_changes_and_low_coverage_is_flagged(spreads):
    by_date = spreads[0]
    late = by_date[DAYS[20]]  # A 50, B 25, D 25 (no fundamentals)
    assert late["coverage_small"] == pytest.approx(0.75)
    assert late["members_small"] == 3 and late["members_covered_small"] == 2
    assert not late["is_complete"] and late["spread_zscore"] is None
    assert by_date[DAYS[19]]["is_complete"]


def test_zscore_uses_only_the_past(spreads):
    by_date, con = spreads
    frame = pd.DataFrame(by_date.values()).sort_values("date")
    complete = frame[frame["is_complete"]]
    expected = (
        complete["earnings_yield_spread"] - complete["earnings_yield_spread"].expanding().mean()
    ) / complete["earnings_yield_spread"].expanding().std()
    got = complete["spread_zscore"].astype(float)
    assert got.iloc[:4].isna().all()  # fewer than zscore_min_history complete dates
    assert got.iloc[4:].to_numpy() == pytest.approx(expected.iloc[4:].to_numpy())
    # a shorter history gives the same z-scores on the dates both have
    shorter = build(DAYS[:18])
    try:
        early = {r["date"]: r["spread_zscore"] for r in mart(shorter, "valuation_spread")}
    finally:
        shorter.close()
    assert len(early) == 18 and sum(z is not None for z in early.values()) == 14
    for day, zscore in early.items():
        full = by_date[day]["spread_zscore"]
        assert (zscore is None and full is None) or zscore == pytest.approx(full)


def test_extreme_spread_signal(spreads):
    by_date, con = spreads
    hits = signals(con, "valuation_spread_extreme")
    # A's earnings doubling and C's tenfold jump; the days after stay extreme or fall back
    # below the threshold without a new crossing
    assert [h["date"] for h in hits] == [DAYS[10], DAYS[15]]
    hit = hits[1]
    assert hit["subject"] == "IWM/IVV" and hit["threshold"] == 2.0
    assert hit["value"] == pytest.approx(by_date[DAYS[15]]["spread_zscore"]) and hit["value"] >= 2
    assert "z-score +" in hit["message"] and "unusually cheap" in hit["message"]
    assert "coverage 100% / 100%" in hit["message"]


def test_documented_in_warehouse(spreads):
    _, con = spreads
    undocumented = rows(
        con,
        "select column_name from duckdb_columns() where schema_name = 'marts' "
        "and table_name = 'valuation_spread' and comment is null",
    )
    assert undocumented == []


def test_constituents_outside_the_universe_file_raise_no_record_signals(spreads):
    _, con = spreads
    # C is only a basket member (not in the universe's symbols); its closes set records
    assert (
        rows(con, "select count(*) as n from marts.records where symbol = 'C' and is_record_close")[
            0
        ]["n"]
        > 0
    )
    assert (
        rows(con, "select count(*) as n from marts.breakout_signals where subject = 'C'")[0]["n"]
        == 0
    )
