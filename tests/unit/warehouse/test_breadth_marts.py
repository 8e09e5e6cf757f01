"""The breadth and rotation marts (marts.sector_breadth, marts.breadth, marts.rotation)
and the holdings checks of marts.data_quality, on small frames built here.

Each mart is compared with a computation written here in pandas from the same frames:
members point in time (no survivorship), averages counted from a member's 50th / 200th
row, 52-week highs and lows on the previous 252 rows, advances and declines against the
previous row, and the recursive averages of the McClellan oscillator and the thrust.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from rotation_radar.core import lake
from tests.unit.warehouse.test_marts import DAYS, LINEAGE, build, price_rows, prices, rows

HOLIDAY_GAP = DAYS[280]  # B has no bar that session (halted): not counted, no advance


def walk(seed: int, n: int, drift: float) -> list[float]:
    rng = np.random.default_rng(seed)
    return list(np.round(50 * np.exp(np.cumsum(drift + rng.normal(0, 0.02, n))), 4))


def holdings(basket: str, as_of: dt.date, members: list[tuple]) -> list[dict]:
    """Lake rows of one holdings file: (symbol, weight in percent, sector)."""
    return [
        {
            "basket": basket,
            "as_of": as_of,
            "symbol": symbol,
            "name": symbol,
            "weight": weight,
            "shares_held": 1.0,
            "sector": sector,
            "market_value": 1.0,
            "raw_key": f"raw/{basket}/{as_of}.csv",
            **{**LINEAGE, "run_id": f"holdings_{as_of}"},
        }
        for symbol, weight, sector in members
    ]


FILES = {
    # C leaves at the second file, D (listed late: fewer than 200 rows) joins
    DAYS[250]: [("A", 50.0, "Tech"), ("B", 30.0, "Tech"), ("C", 20.0, "Energy")],
    DAYS[300]: [("A", 40.0, "Tech"), ("B", 35.0, "Tech"), ("D", 25.0, "Energy")],
}


def lake_frames():
    series = {
        "A": (DAYS, walk(1, len(DAYS), 0.002)),
        "B": ([d for d in DAYS if d != HOLIDAY_GAP], walk(2, len(DAYS) - 1, -0.001)),
        "C": (DAYS, walk(3, len(DAYS), 0.0)),
        "D": (DAYS[200:], walk(4, len(DAYS) - 200, 0.001)),
    }
    frame = prices(*(price_rows(s, days, closes) for s, (days, closes) in series.items()))
    members = pd.DataFrame(
        [row for as_of, listed in FILES.items() for row in holdings("IWM", as_of, listed)],
        columns=lake.SCHEMAS["universe_members"].names,
    )
    return frame, members


@pytest.fixture(scope="module")
def warehouse():
    frame, members = lake_frames()
    con = build(frame, baskets={"PAIR": ("A", "B")}, universe_members=members)
    yield con, frame
    con.close()


def expected_member_days(frame: pd.DataFrame) -> pd.DataFrame:
    """Each member's facts per row, from its own rows: a reference computation."""
    out = []
    for _symbol, rows_ in frame.sort_values("date").groupby("symbol"):
        close = rows_["adj_close"].reset_index(drop=True)
        n = pd.Series(range(1, len(close) + 1))
        prior = close.shift(1)
        high, low = close.shift(1).rolling(252).max(), close.shift(1).rolling(252).min()
        out.append(
            pd.DataFrame(
                {
                    "symbol": rows_["symbol"].values,
                    "date": rows_["date"].values,
                    "has50": n >= 50,
                    "above50": close > close.rolling(50).mean(),
                    "has200": n >= 200,
                    "above200": close > close.rolling(200).mean(),
                    "new_high": (n > 252) & (close > high),
                    "new_low": (n > 252) & (close < low),
                    "ret": close / prior - 1,
                }
            )
        )
    return pd.concat(out)


def expected_breadth(frame: pd.DataFrame, basket_of) -> pd.DataFrame:
    """Per session: the members of basket_of(date) (symbol -> weight) that have a bar."""
    facts = expected_member_days(frame).set_index(["symbol", "date"])
    out = []
    for day in DAYS:
        held = basket_of(day)
        if not held:
            continue
        here = facts.loc[[(s, day) for s in held if (s, day) in facts.index]]
        weights = pd.Series({s: held[s] for s, _ in here.index})
        w200 = weights[here["has200"].values].sum()
        a200 = weights[(here["has200"] & here["above200"]).values].sum()
        adv, dec = int((here["ret"] > 0).sum()), int((here["ret"] < 0).sum())
        out.append(
            {
                "date": day,
                "members": len(here),
                "pct_above_sma50": 100 * (here.has50 & here.above50).sum() / here.has50.sum()
                if here.has50.sum()
                else None,
                "pct_above_sma200": 100 * (here.has200 & here.above200).sum() / here.has200.sum()
                if here.has200.sum()
                else None,
                "pct_above_sma200_cap_weighted": 100 * a200 / w200 if w200 else None,
                "new_highs_52w": int(here.new_high.sum()),
                "new_lows_52w": int(here.new_low.sum()),
                "advances": adv,
                "declines": dec,
            }
        )
    result = pd.DataFrame(out)
    total = result.advances + result.declines
    ratio = (result.advances / total.replace(0, np.nan)).fillna(0.5)
    net = ((result.advances - result.declines) / total.replace(0, np.nan)).fillna(0)
    result["ad_line"] = (result.advances - result.declines).cumsum()
    result["ad_ratio_ema10"] = ratio.ewm(alpha=2 / 11, adjust=False).mean()
    oscillator = net.ewm(alpha=0.1, adjust=False).mean() - net.ewm(alpha=0.05, adjust=False).mean()
    result["mcclellan_oscillator"] = oscillator
    result["mcclellan_summation"] = oscillator.cumsum()
    return result


def iwm_members(day: dt.date) -> dict[str, float]:
    files = [d for d in FILES if d <= day]
    if not files:
        return {}
    listed = FILES[max(files)]
    total = sum(w for _, w, _ in listed)
    return {s: w / total for s, w, _ in listed}


def mart_frame(con, table: str, where: str) -> pd.DataFrame:
    return con.execute(f"select * from marts.{table} where {where} order by date").df()


def assert_matches(actual: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(actual["date"].dt.date) == list(expected["date"])
    for column in expected.columns.drop("date"):
        a, e = actual[column].astype(float).to_numpy(), expected[column].astype(float).to_numpy()
        np.testing.assert_allclose(a, e, rtol=1e-9, atol=1e-12, err_msg=column)


def test_etf_breadth_follows_the_holdings_file_of_each_session(warehouse):
    con, frame = warehouse
    assert_matches(
        mart_frame(con, "breadth", "basket = 'IWM'"), expected_breadth(frame, iwm_members)
    )


def test_basket_of_the_universe_file_is_held_every_session(warehouse):
    con, frame = warehouse
    expected = expected_breadth(frame, lambda day: {"A": 0.5, "B": 0.5})
    assert_matches(mart_frame(con, "breadth", "basket = 'PAIR'"), expected)


def test_a_member_that_left_stays_in_the_sessions_it_belonged_to(warehouse):
    con, _ = warehouse
    held = dict(
        con.execute(
            "select date, members from marts.breadth where basket = 'IWM' and date in (?, ?)",
            [DAYS[299], DAYS[300]],
        ).fetchall()
    )
    # C counted under the first file, D (not C) under the second
    assert held == {DAYS[299]: 3, DAYS[300]: 3}
    energy = dict(
        con.execute(
            "select date, members from marts.sector_breadth "
            "where basket = 'IWM' and sector = 'Energy' and date in (?, ?)",
            [DAYS[299], DAYS[300]],
        ).fetchall()
    )
    assert energy == {DAYS[299]: 1, DAYS[300]: 1}


def test_a_member_with_fewer_than_200_rows_is_left_out_of_the_200_share(warehouse):
    con, _ = warehouse
    row = rows(con, "select * from marts.breadth where basket = 'IWM' and date = ?", DAYS[310])[0]
    # D has 111 rows: counted for the 50-row average, not for the 200-row one
    assert (row["members"], row["members_sma50"], row["members_sma200"]) == (3, 3, 2)


def test_a_member_without_a_bar_is_not_counted_that_session(warehouse):
    con, _ = warehouse
    row = rows(con, "select * from marts.breadth where basket = 'PAIR' and date = ?", HOLIDAY_GAP)
    assert (row[0]["members"], row[0]["advances"] + row[0]["declines"]) == (1, 1)


def test_no_breadth_before_the_first_holdings_file(warehouse):
    con, _ = warehouse
    first = con.execute("select min(date) from marts.breadth where basket = 'IWM'").fetchone()[0]
    assert first == DAYS[250]


def test_ties_at_a_52_week_high_are_not_new_highs():
    days = DAYS[:260]
    closes = [100.0 + i for i in range(253)] + [352.0, 352.0, 353.0, 1.0, 1.0, 1.0, 1.0]
    con = build(prices(price_rows("A", days, closes)), baskets={"ONE": ("A",)})
    found = dict(
        con.execute(
            "select date, new_highs_52w from marts.breadth where basket = 'ONE' and date >= ?",
            [days[252]],
        ).fetchall()
    )
    # 352 on row 253 is a new high; the same close again is a tie, not a new high
    assert [found[d] for d in days[252:256]] == [1, 0, 0, 1]
    lows = con.execute(
        "select new_lows_52w from marts.breadth where basket = 'ONE' and date = ?", [days[256]]
    ).fetchone()[0]
    assert lows == 1


def test_the_first_session_of_a_member_is_neither_advance_nor_decline():
    con = build(prices(price_rows("A", DAYS[:3], [10.0, 11.0, 10.5])), baskets={"ONE": ("A",)})
    got = con.execute(
        "select advances, declines, unchanged, pct_above_sma50 from marts.breadth order by date"
    ).fetchall()
    assert got == [(0, 0, 0, None), (1, 0, 0, None), (0, 1, 0, None)]


# --- bad holdings --------------------------------------------------------------------


@pytest.fixture(scope="module")
def faulty():
    frame, _ = lake_frames()
    bad = [
        *holdings("IWM", DAYS[250], [("A", 50.0, "Tech"), ("B", None, "Tech"), ("C", 50.0, "X")]),
        # a truncated file: the weights add up to 60%
        *holdings("IWM", DAYS[260], [("A", 40.0, "Tech"), ("C", 20.0, "X")]),
        # members without prices: the basket has no member on the sessions it serves
        *holdings("IWM", DAYS[270], [("NOPE", 60.0, "Tech"), ("GONE", 40.0, "X")]),
        *holdings("IWM", DAYS[280], [("A", 100.0, "Tech")]),
    ]
    members = pd.DataFrame(bad, columns=lake.SCHEMAS["universe_members"].names)
    con = build(frame, universe_members=members)
    yield con
    con.close()


def quality(con, check: str) -> dict:
    return {
        row["session"]: row
        for row in rows(
            con,
            "select * from marts.data_quality where dataset = 'universe_members' and \"check\" = ?",
            check,
        )
    }


def test_a_holdings_row_without_a_weight_is_left_out_and_recorded(faulty):
    row = rows(faulty, "select * from marts.breadth where basket = 'IWM' and date = ?", DAYS[255])
    assert row[0]["members"] == 2  # A and C, not B
    found = quality(faulty, "member_without_weight")
    assert found[DAYS[250]]["unexpected_count"] == 1 and not found[DAYS[250]]["success"]
    assert json.loads(found[DAYS[250]]["detail"]) == {"basket": "IWM", "symbols": ["B"]}
    assert found[DAYS[280]]["success"]


def test_a_file_whose_weights_do_not_add_up_leaves_its_sessions_out(faulty):
    dates = [
        d
        for (d,) in faulty.execute(
            "select date from marts.breadth where basket = 'IWM' and date between ? and ?",
            [DAYS[258], DAYS[262]],
        ).fetchall()
    ]
    assert dates == DAYS[258:260]  # the sessions of the 60% file are left out
    found = quality(faulty, "weights_total")
    assert not found[DAYS[260]]["success"]
    assert json.loads(found[DAYS[260]]["detail"])["weight_total_pct"] == 60
    assert found[DAYS[280]]["success"]


def test_members_without_prices_and_sessions_without_members_are_recorded(faulty):
    unpriced = quality(faulty, "member_without_prices")[DAYS[270]]
    assert unpriced["unexpected_count"] == 2
    assert json.loads(unpriced["detail"])["symbols"] == ["GONE", "NOPE"]
    empty = quality(faulty, "basket_without_members")[DAYS[270]]
    assert empty["unexpected_count"] == 10  # the sessions until the next file
    assert json.loads(empty["detail"])["sessions"][0] == DAYS[270].isoformat()
    assert not faulty.execute(
        "select count(*) from marts.breadth where basket = 'IWM' and date between ? and ?",
        [DAYS[270], DAYS[279]],
    ).fetchone()[0]


# --- rotation ------------------------------------------------------------------------

SECTOR = [f"S{i}" for i in range(10)]  # ten IWM members of one sector: a sector index
TINY = [f"T{i}" for i in range(4)]  # four members of another: too few for a sector index


def rotation_frames(days):
    series = {s: walk(10 + i, len(DAYS), 0.001 * (i - 4)) for i, s in enumerate(SECTOR)}
    series |= {s: walk(20 + i, len(DAYS), 0.0) for i, s in enumerate(TINY)}
    series |= {"IWM": walk(30, len(DAYS), 0.0005), "SPY": walk(31, len(DAYS), 0.0)}
    frame = prices(*(price_rows(s, days, closes[: len(days)]) for s, closes in series.items()))
    listed = [(s, 5.5 + i, "Tech") for i, s in enumerate(SECTOR)]
    listed += [(s, 0.5, "Tiny") for s in TINY]
    members = pd.DataFrame(
        holdings("IWM", DAYS[0], listed), columns=lake.SCHEMAS["universe_members"].names
    )
    return frame, members


def build_rotation(days):
    from rotation_radar.core.settings import Pair

    frame, members = rotation_frames(days)
    return build(frame, pairs=[Pair("IWM", "SPY", "adj_close")], universe_members=members)


def expected_rotation(ratio: pd.Series) -> pd.DataFrame:
    mean, std = ratio.rolling(63).mean(), ratio.rolling(63).std(ddof=0)
    rs_ratio = 100 + (ratio - mean) / std
    roc = 100 * (rs_ratio / rs_ratio.shift(10) - 1)
    rs_momentum = 100 + (roc - roc.rolling(63).mean()) / roc.rolling(63).std(ddof=0)
    quadrant = np.select(
        [
            rs_ratio.isna() | rs_momentum.isna(),
            (rs_ratio >= 100) & (rs_momentum >= 100),
            rs_ratio >= 100,
            rs_momentum < 100,
        ],
        [None, "leading", "weakening", "lagging"],
        "improving",
    )
    return pd.DataFrame({"rs_ratio": rs_ratio, "rs_momentum": rs_momentum, "quadrant": quadrant})


@pytest.fixture(scope="module")
def rotation():
    con = build_rotation(DAYS)
    yield con
    con.close()


def test_rotation_of_a_pair_uses_trailing_windows_only(rotation):
    got = mart_frame(rotation, "rotation", "pair = 'IWM/SPY'")
    expected = expected_rotation(got["ratio"])
    np.testing.assert_allclose(got["rs_ratio"], expected["rs_ratio"], rtol=1e-9)
    np.testing.assert_allclose(got["rs_momentum"], expected["rs_momentum"], rtol=1e-9)
    assert list(got["quadrant"].fillna("-")) == list(pd.Series(expected["quadrant"]).fillna("-"))
    assert got["rs_ratio"].first_valid_index() == 62
    assert got["rs_momentum"].first_valid_index() == 62 + 10 + 62
    assert set(got["quadrant"].dropna()) == {"leading", "weakening", "lagging", "improving"}
    changed = got[got["quadrant"] != got["previous_quadrant"]].dropna(subset=["previous_quadrant"])
    assert len(changed) > 0


def test_a_sector_of_iwm_is_a_weighted_index_of_its_members_against_iwm(rotation):
    got = mart_frame(rotation, "rotation", "kind = 'sector'")
    assert set(got["pair"]) == {"IWM:Tech/IWM"}
    frame, _ = rotation_frames(DAYS)
    close = frame.pivot(index="date", columns="symbol", values="adj_close")
    weights = pd.Series({s: 5.5 + i for i, s in enumerate(SECTOR)})
    returns = (close[SECTOR].pct_change() * weights).sum(axis=1) / weights.sum()
    index = 100 * (1 + returns.iloc[1:]).cumprod()
    index = pd.concat([pd.Series([100.0], index=close.index[:1]), index])
    np.testing.assert_allclose(got["ratio"], (index / close["IWM"]).to_numpy(), rtol=1e-9)


def test_a_later_session_changes_no_earlier_row_of_rotation_or_breadth():
    """Causality: the marts built through day D and through D+1 agree up to D."""
    marts = {"rotation": "pair, date", "breadth": "basket, date"}
    before, after = build_rotation(DAYS[:-1]), build_rotation(DAYS)
    for table, order in marts.items():
        query = f"select * from marts.{table} where date <= ? order by {order}"
        old = before.execute(query, [DAYS[-2]]).df()
        new = after.execute(query, [DAYS[-2]]).df()
        assert len(old) > 300
        pd.testing.assert_frame_equal(old, new, check_exact=False, rtol=1e-12)


# --- signals -------------------------------------------------------------------------


def test_breadth_thrust_fires_when_the_average_crosses_0615_from_below_040():
    # ten members fall together for 15 sessions, then rise together: the 10-session
    # average of advances / (advances + declines) goes from near 0 to above 0.615
    days = DAYS[:40]
    path = [100.0 - i for i in range(16)] + [85.0 + i for i in range(1, 25)]
    members = [f"M{i}" for i in range(10)]
    frame = prices(*(price_rows(m, days, [p + i for p in path]) for i, m in enumerate(members)))
    con = build(frame, baskets={"TEN": tuple(members)})
    ratio = pd.Series([0.5] + [0.0] * 15 + [1.0] * 24)
    ema = ratio.ewm(alpha=2 / 11, adjust=False).mean()
    crossing = next(i for i in range(1, 40) if ema[i] > 0.615 >= ema[i - 1])
    hits = rows(
        con,
        "select * from marts.breakout_signals where rule = 'breadth_thrust' order by date",
    )
    assert [(h["date"], h["subject"]) for h in hits] == [(days[crossing], "TEN")]
    assert hits[0]["value"] == pytest.approx(ema[crossing])
    assert (
        "TEN breadth thrust on" in hits[0]["message"] and "10 of 10 members" in hits[0]["message"]
    )


def test_a_slow_rise_above_0615_is_not_a_thrust():
    days = DAYS[:80]
    members = [f"M{i}" for i in range(10)]
    # 30 sessions of declines, 20 flat-ish (alternating), then advances: the low is
    # more than 10 sessions before the cross
    path = [100.0 - i for i in range(31)] + [70.0 + (i % 2) for i in range(20)]
    path += [71.0 + i for i in range(1, 30)]
    frame = prices(*(price_rows(m, days, [p + i for p in path]) for i, m in enumerate(members)))
    con = build(frame, baskets={"TEN": tuple(members)})
    breadth = con.execute("select ad_ratio_ema10 from marts.breadth order by date").df()
    assert breadth["ad_ratio_ema10"].max() > 0.615 and breadth["ad_ratio_ema10"].min() < 0.40
    assert not rows(con, "select * from marts.breakout_signals where rule = 'breadth_thrust'")


def test_rotation_quadrant_change_fires_on_entering_leading_or_lagging(rotation):
    got = mart_frame(rotation, "rotation", "true")
    entered = got[
        got["quadrant"].isin(["leading", "lagging"])
        & got["previous_quadrant"].notna()
        & (got["quadrant"] != got["previous_quadrant"])
    ]
    hits = rows(
        rotation,
        "select * from marts.breakout_signals where rule = 'rotation_quadrant_change' "
        "order by date, subject",
    )
    assert len(hits) == len(entered) > 0
    first = hits[0]
    assert first["subject"] in set(got["pair"]) and "quadrant on" in first["message"]
    assert ("leading" in first["message"]) or ("lagging" in first["message"])


def test_a_holiday_has_no_row_and_the_next_session_compares_with_the_one_before(warehouse):
    con, frame = warehouse
    holiday = dt.date(2023, 7, 4)
    assert holiday not in DAYS
    dates = [
        d for (d,) in con.execute("select date from marts.breadth where basket = 'PAIR'").fetchall()
    ]
    assert holiday not in dates
    before, after = dt.date(2023, 7, 3), dt.date(2023, 7, 5)
    closes = frame.set_index(["symbol", "date"])["adj_close"]
    expected = sum(closes[(s, after)] > closes[(s, before)] for s in ("A", "B"))
    got = con.execute(
        "select advances from marts.breadth where basket = 'PAIR' and date = ?", [after]
    ).fetchone()[0]
    assert got == expected
