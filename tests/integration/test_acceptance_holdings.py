"""Acceptance on real data: iShares IWM holdings downloads from ../shared/realdata
through rotation_radar.universe.parse_holdings.

The 2026-05-05 download lists 1,930 rows: 1,924 equities (weights summing to 99.39 %)
and six cash, money-market, collateral and futures lines. Five equity rows are not
members: four have no usable ticker ("-" for unlisted stubs, the escrow code
P5N994) and a CVR repeats its parent's ticker (ADRO). The late-2025 snapshot was
re-saved without the preamble, so its as-of date comes from the caller.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rotation_radar.sources.ishares import parse_holdings
from tests.conftest import REALDATA

HOLDINGS = REALDATA / "ishares_iwm_holdings"
MAY_2026 = sorted(HOLDINGS.glob("IWM_holdings_2026-05-05_raw_*.csv"))
LATE_2025 = sorted(HOLDINGS.glob("IWM_holdings_late2025_*.csv"))
pytestmark = pytest.mark.skipif(
    not HOLDINGS.exists(), reason=f"real data not present at {HOLDINGS}"
)


def report(label, df) -> None:
    excluded = df.attrs["excluded"]
    equities_out = excluded[excluded["asset_class"] == "Equity"]
    print(
        f"\n{label}: {len(df)} members, weight {df['weight'].sum():.2f} %, "
        f"market value {df['market_value'].sum():,.0f}, as of {df.attrs['as_of']}; "
        f"excluded {len(excluded)} ({len(equities_out)} equities):"
    )
    print(excluded[["ticker_raw", "name", "asset_class", "weight", "reason"]].to_string())


@pytest.mark.skipif(not MAY_2026, reason=f"no IWM_holdings_2026-05-05_raw_*.csv in {HOLDINGS}")
def test_iwm_2026_05_05():
    df = parse_holdings(MAY_2026[0].read_bytes())
    report(MAY_2026[0].name, df)
    excluded = df.attrs["excluded"]

    assert df.attrs["as_of"] == dt.date(2026, 5, 5)
    assert df.attrs["fund"] == "iShares Russell 2000 ETF"
    # every equity row is a member or reported: 1,924 in the file
    assert len(df) + (excluded["asset_class"] == "Equity").sum() == 1924
    assert 1900 <= len(df) <= 1924
    assert df["weight"].sum() == pytest.approx(99.4, abs=0.2)
    assert df["symbol"].is_unique and df["symbol"].notna().all()
    assert df[["weight", "shares_held", "market_value"]].notna().all().all()
    assert set(excluded["asset_class"]) >= {"Cash", "Futures", "Money Market"}
    assert excluded.loc[excluded["asset_class"] == "Equity", "weight"].sum() < 0.05
    by_symbol = df.set_index("symbol")
    assert by_symbol.loc["BE", "weight"] == pytest.approx(1.93)
    assert by_symbol.loc["BE", "shares_held"] == pytest.approx(5_190_838)
    assert by_symbol.loc["MOG-A", "ticker_raw"] == "MOGA"  # NYSE class A, Yahoo MOG-A
    assert by_symbol.loc["BELFB", "ticker_raw"] == "BELFB"  # Nasdaq, no separator anywhere
    assert by_symbol.loc["CASH", "name"] == "PATHWARD FINANCIAL INC"


@pytest.mark.skipif(not LATE_2025, reason=f"no IWM_holdings_late2025_*.csv in {HOLDINGS}")
def test_iwm_late_2025_without_preamble():
    raw = LATE_2025[0].read_bytes()
    df = parse_holdings(raw)
    report(LATE_2025[0].name, df)
    excluded = df.attrs["excluded"]

    assert df.attrs["as_of"] is None
    assert len(df) + (excluded["asset_class"] == "Equity").sum() == 1962
    assert 1930 <= len(df) <= 1962
    assert df["weight"].sum() == pytest.approx(99.5, abs=0.2)
    assert df["symbol"].is_unique
    assert set(excluded["asset_class"]) >= {"Cash", "Futures", "Money Market"}
    assert parse_holdings(raw, as_of=dt.date(2025, 12, 1)).attrs["as_of"] == dt.date(2025, 12, 1)
