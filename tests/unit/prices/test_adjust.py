"""Restating a stored history for new splits and dividends, and checking it against the
answer's own restated bars (prices.adjust)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from rotation_radar.prices import adjust

D = dt.date
DAYS = [D(2025, 6, 16), D(2025, 6, 17), D(2025, 6, 18), D(2025, 6, 20), D(2025, 6, 23)]


def history(closes, adj=None, volumes=None, days=DAYS, symbol="IWM"):
    """Bars of one symbol: open/high/low around the close, adj_close as given (or the close)."""
    n = len(closes)
    closes = [float(c) for c in closes]
    return pd.DataFrame(
        {
            "symbol": symbol,
            "date": days[:n],
            "open": [c - 0.5 for c in closes],
            "high": [c + 1.0 for c in closes],
            "low": [c - 1.0 for c in closes],
            "close": closes,
            "adj_close": [float(a) for a in (adj or closes)],
            "volume": pd.array(volumes or [1000] * n, dtype="Int64"),
            "currency": "USD",
        }
    )


def events(*rows):
    return pd.DataFrame(list(rows), columns=["date", "kind", "value"])


def test_a_dividend_multiplies_earlier_adjusted_closes_by_one_minus_amount_over_previous_close():
    stored = history([100, 101, 102, 104], adj=[99, 100, 101, 104])
    dividend = events((D(2025, 6, 20), "dividend", 2.08))
    out = adjust.restate(stored, dividend)
    factor = 1 - 2.08 / 102  # the close of 2025-06-18, the session before the ex-date
    assert adjust.factors(stored, dividend)["factor"].tolist() == [pytest.approx(factor)]
    assert out["adj_close"].tolist()[:3] == pytest.approx([99 * factor, 100 * factor, 101 * factor])
    # the ex-date's bar and every close, open and volume stay as stored, to the bit
    assert out["adj_close"].iloc[3] == 104
    for column in ("open", "high", "low", "close", "volume"):
        pd.testing.assert_series_equal(out[column], stored[column])


def test_a_split_divides_earlier_prices_and_multiplies_their_volumes():
    stored = history([1000, 1010, 1020], volumes=[300, 301, None])
    out = adjust.restate(stored, events((D(2025, 6, 18), "split", 10.0)))
    assert out["close"].tolist() == pytest.approx([100, 101, 1020])
    assert out["open"].tolist() == pytest.approx([99.95, 100.95, 1019.5])
    assert out["adj_close"].tolist() == pytest.approx([100, 101, 1020])
    assert out["volume"].tolist() == [3000, 3010, pd.NA]
    assert out["volume"].dtype == "Int64"


@pytest.mark.parametrize(
    ("ratio", "volume", "expected"),
    [(1.5, 333, 500), (0.1, 1234, 123), (2.0, 7, 14)],  # 3-for-2 and 1-for-10 round to shares
)
def test_a_split_of_any_ratio_leaves_whole_shares(ratio, volume, expected):
    stored = history([30, 30], volumes=[volume, volume])
    out = adjust.restate(stored, events((D(2025, 6, 17), "split", ratio)))
    assert out["volume"].tolist() == [expected, volume]


@pytest.mark.parametrize("order", [[0, 1], [1, 0]])
def test_a_dividend_before_a_split_uses_the_split_adjusted_previous_close(order):
    """Yahoo states the dividend on the latest basis (after the split), so its previous
    close must be split-adjusted too; the events' order does not matter."""
    stored = history([200, 202, 204, 206], adj=[198, 200, 204, 206])
    new = events((D(2025, 6, 17), "dividend", 0.5), (D(2025, 6, 20), "split", 2.0)).iloc[order]
    out = adjust.restate(stored, new)
    factor = 1 - 0.5 / (200 / 2)
    assert out["close"].tolist() == pytest.approx([100, 101, 102, 206])
    assert out["adj_close"].tolist() == pytest.approx([198 / 2 * factor, 100, 102, 206])
    table = adjust.factors(stored, new)
    assert table["previous_close"].tolist()[0] == pytest.approx(100)


def test_a_dividend_after_a_split_uses_the_close_after_the_split():
    stored = history([200, 101, 102, 103])  # split-adjusted from 2025-06-17
    new = events((D(2025, 6, 17), "split", 2.0), (D(2025, 6, 20), "dividend", 0.51))
    out = adjust.restate(stored, new)
    factor = 1 - 0.51 / 102
    assert out["adj_close"].tolist() == pytest.approx(
        [100 * factor, 101 * factor, 102 * factor, 103]
    )


def test_the_previous_close_is_the_answers_when_it_holds_the_session():
    stored = history([100, 101, 102])
    answer = history([100, 101, 102.5, 104])  # Yahoo revised 2025-06-18's close
    table = adjust.factors(stored, events((D(2025, 6, 20), "dividend", 1.0)), answer)
    assert table["previous_close"].tolist() == [102.5]


def test_a_dividend_on_the_first_stored_session_restates_nothing():
    stored = history([100, 101, 102])
    dividend = events((D(2025, 6, 16), "dividend", 1.0))
    assert np.isnan(adjust.factors(stored, dividend)["factor"].iloc[0])
    pd.testing.assert_frame_equal(adjust.restate(stored, dividend), stored)
    check = adjust.compare(stored, stored, dividend)
    assert check.agrees and check.changed == 0


def test_no_stored_history_restates_nothing_and_agrees():
    empty = history([]).iloc[0:0]
    dividend = events((D(2025, 6, 20), "dividend", 1.0))
    assert adjust.restate(empty, dividend).empty
    assert adjust.compare(empty, history([100, 101]), dividend).agrees


def yahoo_answer(stored, new):
    """The answer Yahoo would give for the window: the same bars restated, printed to 4
    decimals (adjclose) as the replay and Yahoo's dividend-adjusted figures are."""
    answer = adjust.restate(stored, new)
    answer["adj_close"] = answer["adj_close"].round(4)
    return answer


def test_agreement_with_the_answer():
    stored = history([100, 101, 102, 104], adj=[99.1234, 100.2345, 101.3456, 104])
    dividend = events((D(2025, 6, 20), "dividend", 0.8674))
    check = adjust.compare(
        adjust.restate(stored, dividend), yahoo_answer(stored, dividend), dividend
    )
    assert check.agrees and check.changed == 3 and check.rows == 3
    assert check.columns == ["adj_close"]
    assert "3 sessions of the answer agree on adj_close" in check.describe()


def test_disagreement_is_detected_with_its_figures():
    """The answer was restated for another amount than the one its event states."""
    stored = history([100, 101, 102, 104], adj=[99.1234, 100.2345, 101.3456, 104])
    stated = events((D(2025, 6, 20), "dividend", 0.8674))
    answer = yahoo_answer(stored, events((D(2025, 6, 20), "dividend", 1.7348)))
    check = adjust.compare(adjust.restate(stored, stated), answer, stated)
    assert not check.agrees and check.rows == 3
    assert check.worst["column"] == "adj_close" and check.worst["rel_diff"] > 5e-3
    assert "disagrees with the answer: adj_close on 2025-06-" in check.describe()


def test_a_split_is_checked_on_close_and_volume_too():
    stored = history([1000, 1010, 1020], volumes=[300, 301, 302])
    split = events((D(2025, 6, 18), "split", 10.0))
    answer = adjust.restate(stored, split)
    answer.loc[1, "volume"] = 3000  # Yahoo's volume of 2025-06-17 is not the restated one
    check = adjust.compare(adjust.restate(stored, split), answer, split)
    assert check.columns == ["adj_close", "close", "volume"]
    assert not check.agrees and check.worst["column"] == "volume"


def test_stored_bars_to_restate_but_none_in_the_answer_disagree():
    stored = history([100, 101, 102, 104])
    dividend = events((D(2025, 6, 20), "dividend", 1.0))
    answer = history([104], days=[D(2025, 6, 20)])
    check = adjust.compare(adjust.restate(stored, dividend), answer, dividend)
    assert not check.agrees and check.changed == 3 and check.rows == 0
    assert "to check against" in check.describe()


@pytest.mark.parametrize(
    ("column", "answered", "off_by", "agrees"),
    [
        ("adj_close", 101.0, 0.0001, True),  # two half-units of the 4th decimal
        ("adj_close", 101.0, 0.0003, False),
        ("adj_close", 5.0, 0.0001, True),  # the absolute part: low prices
        ("adj_close", 5.0, 0.0005, False),  # 1e-4 relative: a dividend of 0.01% shows
        ("adj_close", 250000.0, 0.2, True),  # the relative part: 8e-7
        ("adj_close", 250000.0, 0.5, False),
        ("volume", 3000.0, 1, True),  # one share: a ratio's rounding
        ("volume", 3000.0, 2, False),
    ],
)
def test_tolerance(column, answered, off_by, agrees):
    new = events((D(2025, 6, 18), "split", 1.0))  # a split: volume is compared too
    stored = history([answered, answered], volumes=[3000, 3000])
    answer = stored.copy()
    value = answer[column].astype(float) + off_by
    answer[column] = value.astype("Int64") if column == "volume" else value
    assert adjust.compare(stored, answer, new).agrees is agrees


def test_events_from_a_manifest():
    frame = adjust.events_frame([{"date": "2024-06-10", "kind": "split", "value": 10}])
    assert frame.to_dict("records") == [{"date": D(2024, 6, 10), "kind": "split", "value": 10.0}]
