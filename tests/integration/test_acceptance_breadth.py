"""Acceptance on real prices from ../shared/realdata: marts.breadth, marts.drawdowns and
marts.record_counts against hand computations written here, independently of the SQL.

One in-memory warehouse is built from the files (read in place, never copied): the
Magnificent Seven's daily closes (split-adjusted, not dividend-adjusted; GOOG stands in
for GOOGL) as the universe-file basket MAG7, and ^RUT and ^GSPC (SPX.csv) closes.

The story's figures, as the files give them:
- ^RUT's last record close before 2025 was 2,442.74 on 2021-11-08; it closed below it
  on 2025-09-17 and at a new record on 2025-09-18, 40.2 % above its 2025-04-08 low
  (1,760.71, the lowest close of its last 252 sessions); ^GSPC was 33.1 % above its
  own 2025-04-08 low (4,982.77) that day.
- ^GSPC set 57 record closes in 2024 while ^RUT set none (^RUT set none in 2022-2024);
  in 2025 ^GSPC set 25 record closes before ^RUT's first, on 2025-09-18.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.conftest import REALDATA
from tests.unit.warehouse.test_marts import build, price_rows, prices, rows

DATA = REALDATA / "heliar-k_market-base" / "data"
MAG7 = ("AAPL", "MSFT", "GOOG", "AMZN", "NVDA", "META", "TSLA")
INDICES = {"^RUT": "RUT", "^GSPC": "SPX"}  # symbol: file name
FILES = {s: DATA / "stocks" / f"{s}.csv" for s in MAG7} | {
    s: DATA / "indices" / f"{name}.csv" for s, name in INDICES.items()
}
MISSING = [str(path) for path in FILES.values() if not path.exists()]
pytestmark = pytest.mark.skipif(
    bool(MISSING),
    reason=f"real data not present: {', '.join(MISSING)}" if MISSING else "",
)

# sessions spread over the span: the 2018 Christmas Eve sell-off, the March 2020 low,
# June 2022, the day ^RUT passed its intraday record, the April 2025 low, the day after
# the September 2025 cut
BREADTH_DAYS = [
    dt.date(2018, 12, 24),
    dt.date(2020, 3, 23),
    dt.date(2022, 6, 16),
    dt.date(2024, 11, 25),
    dt.date(2025, 4, 8),
    dt.date(2025, 9, 18),
]
APRIL_LOW = dt.date(2025, 4, 8)
RUT_RECORD_DAY = dt.date(2025, 9, 18)


def read_file(symbol: str) -> pd.DataFrame:
    """A file's rows by date: date (datetime.date), close, high."""
    frame = pd.read_csv(FILES[symbol], usecols=["date", "high", "close"])
    frame["date"] = pd.to_datetime(frame["date"]).dt.date
    frame = frame.sort_values("date").reset_index(drop=True)
    assert frame["close"].notna().all() and frame["date"].is_unique, FILES[symbol]
    return frame


@pytest.fixture(scope="module")
def files() -> dict[str, pd.DataFrame]:
    return {symbol: read_file(symbol) for symbol in FILES}


@pytest.fixture(scope="module")
def warehouse(files):
    """One warehouse for the module: close is both close and adj_close (the files are
    not dividend-adjusted); the indices keep their highs."""
    frame = prices(
        *(
            price_rows(
                symbol,
                list(f["date"]),
                [float(c) for c in f["close"]],
                highs=[float(h) for h in f["high"]] if symbol in INDICES else None,
            )
            for symbol, f in files.items()
        )
    )
    con = build(frame, baskets={"MAG7": MAG7})
    yield con
    con.close()


# --- hand computations (plain Python over each file's rows) ---------------------------


def member_facts(closes: list[float], i: int) -> dict:
    """A member's facts on its row i (0-based): averages over its last 50 / 200 rows
    including the day, once it has that many; a new high / low against every close of
    its previous 252 rows, from its 253rd row; the change against its previous row."""
    close, count = closes[i], i + 1
    facts = {"sma50": None, "sma200": None, "new_high": False, "new_low": False}
    for n in (50, 200):
        if count >= n:
            facts[f"sma{n}"] = close > sum(closes[i - n + 1 : i + 1]) / n
    if count >= 253:
        previous = closes[i - 252 : i]
        facts["new_high"] = close > max(previous)
        facts["new_low"] = close < min(previous)
    facts["change"] = None if i == 0 else close - closes[i - 1]
    return facts


def hand_breadth(files: dict[str, pd.DataFrame], day: dt.date) -> dict:
    facts = []
    for symbol in MAG7:
        dates = list(files[symbol]["date"])
        if day in dates:
            facts.append(member_facts(list(files[symbol]["close"]), dates.index(day)))

    def pct(key):
        counted = [f[key] for f in facts if f[key] is not None]
        return 100.0 * sum(counted) / len(counted) if counted else None

    return {
        "members": len(facts),
        "pct_above_sma50": pct("sma50"),
        "pct_above_sma200": pct("sma200"),
        "new_highs_52w": sum(f["new_high"] for f in facts),
        "new_lows_52w": sum(f["new_low"] for f in facts),
        "advances": sum(f["change"] is not None and f["change"] > 0 for f in facts),
        "declines": sum(f["change"] is not None and f["change"] < 0 for f in facts),
    }


def hand_advance_decline(files: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Advances and declines per session over the whole span (each member against its
    own previous row), the A/D line from the basket's first session, and the McClellan
    oscillator of the ratio-adjusted net advances (0 when nothing moved)."""
    changes = pd.DataFrame(
        {s: files[s].set_index("date")["close"].diff() for s in MAG7}
    ).sort_index()
    series = pd.DataFrame({"advances": (changes > 0).sum(axis=1)})
    series["declines"] = (changes < 0).sum(axis=1)
    net = series["advances"] - series["declines"]
    moved = series["advances"] + series["declines"]
    series["ad_line"] = net.cumsum()
    ratio = (net / moved.where(moved > 0)).fillna(0.0)
    series["mcclellan_oscillator"] = (
        ratio.ewm(alpha=0.1, adjust=False).mean() - ratio.ewm(alpha=0.05, adjust=False).mean()
    )
    return series


def hand_low_52w(frame: pd.DataFrame, i: int) -> tuple[float, dt.date]:
    """The lowest close of the last 252 rows including row i, and its (latest) date."""
    window = frame.iloc[max(0, i - 251) : i + 1]
    low = window["close"].min()
    return low, window.loc[window["close"] == low, "date"].iloc[-1]


def hand_records(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows whose close is above every earlier close of the file (not the first)."""
    earlier_max = frame["close"].cummax().shift()
    return frame[frame["close"] > earlier_max]


def hand_record_counts(frame: pd.DataFrame) -> dict[int, int]:
    years = {d.year for d in frame["date"]}
    counted = pd.Series([d.year for d in hand_records(frame)["date"]]).value_counts()
    return {year: int(counted.get(year, 0)) for year in sorted(years)}


# --- breadth ---------------------------------------------------------------------------


def test_the_chosen_days_are_sessions_of_every_file(files):
    for day in BREADTH_DAYS:
        assert all(day in set(f["date"]) for f in files.values()), day


def test_mag7_breadth_equals_a_hand_computation(files, warehouse):
    series = hand_advance_decline(files)
    for day in BREADTH_DAYS:
        (mart,) = rows(
            warehouse, "select * from marts.breadth where basket = 'MAG7' and date = ?", day
        )
        hand = hand_breadth(files, day) | {"ad_line": int(series.loc[day, "ad_line"])}
        print(f"\nMAG7 {day}: {hand}")
        got = {key: mart[key] for key in hand}
        for key in ("pct_above_sma50", "pct_above_sma200"):
            assert got[key] == pytest.approx(hand[key]), (day, key, got[key], hand[key])
            got[key] = hand[key]
        assert got == hand, day
        # the hand advances and declines agree with the whole series' ones
        assert (hand["advances"], hand["declines"]) == tuple(
            series.loc[day, ["advances", "declines"]]
        )


def test_mag7_advances_declines_and_ad_line_on_every_session(files, warehouse):
    series = hand_advance_decline(files)
    mart = warehouse.execute(
        "select date, advances, declines, ad_line from marts.breadth "
        "where basket = 'MAG7' order by date"
    ).df()
    mart["date"] = pd.to_datetime(mart["date"]).dt.date
    mart = mart.set_index("date")
    assert list(mart.index) == list(series.index)  # every session of the files, from the first
    for column in ("advances", "declines", "ad_line"):
        assert list(mart[column].astype(int)) == list(series[column]), column


def test_mag7_mcclellan_oscillator_equals_pandas_ewm(files, warehouse):
    series = hand_advance_decline(files)
    day = BREADTH_DAYS[-1]
    ((oscillator,),) = warehouse.execute(
        "select mcclellan_oscillator from marts.breadth where basket = 'MAG7' and date = ?",
        [day],
    ).fetchall()
    hand = series.loc[day, "mcclellan_oscillator"]
    print(f"\nMAG7 McClellan oscillator {day}: mart {oscillator:.6f}, pandas {hand:.6f}")
    assert oscillator == pytest.approx(hand, abs=1e-9)


# --- drawdowns and record closes of ^RUT and ^GSPC -------------------------------------


def drawdown(con, subject: str, day: dt.date) -> dict:
    (row,) = rows(con, "select * from marts.drawdowns where subject = ? and date = ?", subject, day)
    return row


@pytest.mark.parametrize("symbol", list(INDICES))
def test_rebound_from_the_april_2025_low(files, warehouse, symbol):
    frame = files[symbol]
    dates = list(frame["date"])
    low_row = dates.index(APRIL_LOW)
    # the last session whose 252-row window still holds the April low, and the next one
    last_in_window = dates[low_row + 251]
    checked = [RUT_RECORD_DAY, last_in_window, dates[low_row + 252]]
    figures = {}
    for day in checked:
        i = dates.index(day)
        low, low_date = hand_low_52w(frame, i)
        rebound = (frame["close"].iloc[i] / low - 1) * 100
        figures[day] = (low, low_date, rebound)
        print(
            f"\n{symbol} {day}: close {frame['close'].iloc[i]:,.2f}, 52-week low {low:,.2f} "
            f"on {low_date}, rebound {rebound:.2f} %"
        )
        mart = drawdown(warehouse, symbol, day)
        assert mart["low_52w"] == pytest.approx(low)
        assert mart["low_52w_date"] == low_date
        assert mart["rebound_from_low_52w_pct"] == pytest.approx(rebound)

    # the April 2025 low is the 52-week low through the last session that holds it ...
    for day in checked[:2]:
        assert figures[day][1] == APRIL_LOW, day
    assert figures[RUT_RECORD_DAY][0] == {"^RUT": 1760.71, "^GSPC": 4982.77}[symbol]
    # ... and drops out of the window the next session
    assert figures[checked[2]][1] > APRIL_LOW
    # the story's rebound: ^RUT over 40 % above its April low on its record day
    rebound = figures[RUT_RECORD_DAY][2]
    if symbol == "^RUT":
        assert 40.0 < rebound < 40.5
    else:
        assert 33.0 < rebound < 33.5


@pytest.mark.parametrize("symbol", list(INDICES))
def test_record_closes_per_year_equal_a_hand_count(files, warehouse, symbol):
    hand = hand_record_counts(files[symbol])
    mart = dict(
        warehouse.execute(
            "select year, record_closes from marts.record_counts where symbol = ?", [symbol]
        ).fetchall()
    )
    print(f"\n{symbol} record closes per year: {hand}")
    assert mart == hand


def test_gspc_set_records_while_rut_set_none(files):
    rut, gspc = hand_record_counts(files["^RUT"]), hand_record_counts(files["^GSPC"])
    # 2024: ^GSPC set over twenty record closes (57), ^RUT none; ^RUT none in 2022-2023
    assert gspc[2024] == 57 and rut[2024] == 0
    assert rut[2022] == rut[2023] == 0
    # 2025: ^GSPC's 25 record closes came before ^RUT's first of the year, on 2025-09-18
    rut_2025 = [d for d in hand_records(files["^RUT"])["date"] if d.year == 2025]
    gspc_2025 = [d for d in hand_records(files["^GSPC"])["date"] if d.year == 2025]
    assert rut_2025[0] == RUT_RECORD_DAY
    assert sum(d < RUT_RECORD_DAY for d in gspc_2025) == 25
    print(f"\n^RUT 2025 record closes: {len(rut_2025)}, ^GSPC: {len(gspc_2025)}")


def test_rut_record_close_of_2025_09_18(files, warehouse):
    rut = files["^RUT"]
    before = rut[rut["date"] < RUT_RECORD_DAY]
    record = before.loc[before["close"].idxmax()]
    assert (record["date"], record["close"]) == (dt.date(2021, 11, 8), 2442.74)

    the_day_before = drawdown(warehouse, "^RUT", dt.date(2025, 9, 17))
    record_day = drawdown(warehouse, "^RUT", RUT_RECORD_DAY)
    close_17 = rut.loc[rut["date"] == dt.date(2025, 9, 17), "close"].item()
    close_18 = rut.loc[rut["date"] == RUT_RECORD_DAY, "close"].item()
    print(f"\n^RUT closes: 2025-09-17 {close_17:,.2f}, 2025-09-18 {close_18:,.2f}")
    assert close_17 < 2442.74 < close_18
    assert the_day_before["record_close"] == 2442.74
    assert the_day_before["drawdown_pct"] == pytest.approx((close_17 / 2442.74 - 1) * 100)
    assert the_day_before["drawdown_pct"] < 0
    assert record_day["record_close"] == close_18
    assert record_day["drawdown_pct"] == 0
