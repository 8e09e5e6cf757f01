"""Pure parts of price ingestion: fetch windows, final bars, merging and versions."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from rotation_radar.core import lake
from rotation_radar.prices import ingest

D = dt.date
START = D(2019, 1, 2)


@pytest.mark.parametrize(
    ("last", "session", "expected"),
    [
        (None, D(2025, 9, 18), (START, True)),  # first run: full history
        (
            D(2025, 9, 17),
            D(2025, 9, 18),
            (D(2025, 9, 10), False),
        ),  # 5 sessions before the last stored
        (D(2025, 9, 19), D(2025, 9, 12), (D(2025, 9, 5), False)),  # a run for an older date
        (D(2019, 1, 4), D(2019, 1, 7), (START, True)),  # lookback reaches history_start
        (D(2025, 1, 10), D(2025, 1, 13), (D(2025, 1, 2), False)),  # skips 2025-01-09 and New Year
    ],
)
def test_fetch_start(last, session, expected):
    assert ingest.fetch_start(last, session, START, 5) == expected


def bars(rows):
    frame = pd.DataFrame(
        rows,
        columns=[
            "symbol",
            "date",
            "open",
            "high",
            "low",
            "close",
            "adj_close",
            "volume",
            "currency",
        ],
    )
    frame["volume"] = frame["volume"].astype("Int64")
    return frame


def bar(day, close=10.0, symbol="IWM"):
    return (symbol, day, close, close + 1, close - 1, close, close, 100, "USD")


def test_final_bars_rejects_partial_duplicate_and_later_bars():
    frame = bars(
        [
            bar(D(2025, 9, 16)),
            bar(D(2025, 9, 17), 10),
            bar(D(2025, 9, 17), 11),
            bar(D(2025, 9, 18)),
            bar(D(2025, 9, 19)),
        ]
    )
    as_of = dt.datetime(2025, 9, 18, 17, 0, tzinfo=dt.UTC)  # during the 2025-09-18 session
    good, rejected = ingest.final_bars(frame, as_of, D(2025, 9, 18))
    assert list(good["date"]) == [D(2025, 9, 16), D(2025, 9, 17)]
    assert good.loc[1, "close"] == 11  # the last of the duplicates
    reasons = dict(zip(rejected["date"], rejected["reason"], strict=True))
    assert "partial bar" in reasons[D(2025, 9, 18)]
    assert "duplicate" in reasons[D(2025, 9, 17)]
    assert D(2025, 9, 19) not in set(good["date"]) | set(
        rejected["date"]
    )  # after the session: not ingested


def test_final_bars_after_close_are_all_final():
    frame = bars([bar(D(2025, 9, 17)), bar(D(2025, 9, 18))])
    good, rejected = ingest.final_bars(
        frame, dt.datetime(2025, 9, 18, 20, 0, tzinfo=dt.UTC), D(2025, 9, 18)
    )
    assert len(good) == 2 and rejected.empty


def lake_rows(rows, run_id):
    frame = bars(rows).assign(
        adjustment="split",
        source="yahoo_finance",
        ingested_at=pd.Timestamp("2025-09-18", tz="UTC"),
        run_id=run_id,
    )
    return frame


def test_merge_keeps_lineage_of_unchanged_rows_and_returns_replaced_rows():
    existing = lake_rows([bar(D(2025, 9, 15)), bar(D(2025, 9, 16)), bar(D(2025, 9, 17))], "old")
    incoming = lake_rows([bar(D(2025, 9, 16)), bar(D(2025, 9, 17), 12), bar(D(2025, 9, 18))], "new")
    merged, replaced = lake.merge("prices_daily", existing, incoming)
    assert list(merged["date"]) == [D(2025, 9, d) for d in (15, 16, 17, 18)]
    assert list(merged["run_id"]) == ["old", "old", "new", "new"]
    assert list(replaced["date"]) == [D(2025, 9, 17)] and replaced.loc[0, "close"] == 10


def test_merge_rerun_is_a_no_op():
    existing = lake_rows([bar(D(2025, 9, 15)), bar(D(2025, 9, 16))], "old")
    merged, replaced = lake.merge("prices_daily", existing, existing.assign(run_id="rerun"))
    assert replaced.empty
    pd.testing.assert_frame_equal(merged, existing)


def test_merge_into_empty_lake():
    incoming = lake_rows([bar(D(2025, 9, 15))], "new")
    merged, replaced = lake.merge("prices_daily", incoming.iloc[0:0], incoming)
    assert len(merged) == 1 and replaced.empty


def test_merge_events_adds_only_new_actions():
    cols = ["symbol", "date", "kind", "value"]
    existing = pd.DataFrame([("NVDA", D(2024, 6, 10), "split", 10.0)], columns=cols)
    assert ingest.merge_events(existing, existing.copy()) is None
    incoming = pd.DataFrame(
        [("NVDA", D(2024, 6, 10), "split", 10.0), ("NVDA", D(2025, 3, 12), "dividend", 0.01)],
        columns=cols,
    )
    merged = ingest.merge_events(existing, incoming)
    assert list(merged["kind"]) == ["split", "dividend"]


def test_final_bars_with_a_time_per_bar_checks_each_response_on_its_own():
    frame = bars([bar(D(2025, 9, 18), symbol="IWM"), bar(D(2025, 9, 18), symbol="SPY")])
    answered = pd.Series(
        [
            dt.datetime(2025, 9, 18, 17, 0, tzinfo=dt.UTC),
            dt.datetime(2025, 9, 18, 21, 0, tzinfo=dt.UTC),
        ]
    )
    good, rejected = ingest.final_bars(frame, answered, D(2025, 9, 18))
    assert list(good["symbol"]) == ["SPY"]
    assert (
        list(rejected["symbol"]) == ["IWM"] and "(2025-09-18T17:00Z)" in rejected.loc[0, "reason"]
    )


def test_final_bars_without_an_answer_time_keeps_every_bar():
    frame = bars([bar(D(2025, 9, 18))])
    good, rejected = ingest.final_bars(frame, pd.Series([None]), D(2025, 9, 18))
    assert len(good) == 1 and rejected.empty


def test_merge_of_several_symbols_compares_by_symbol_and_date_with_missing_values_equal():
    stored = [
        bar(D(2025, 9, 16), symbol="IWM"),
        bar(D(2025, 9, 16), symbol="SPY"),
        bar(D(2025, 9, 17), symbol="SPY"),
    ]
    existing = lake_rows(stored, "old")
    existing.loc[1, "volume"] = pd.NA  # a missing volume, stored and received alike
    existing.loc[2, "open"] = float("nan")
    incoming = existing.assign(run_id="new")
    incoming.loc[0, "close"] = 11.0  # IWM restated
    incoming = pd.concat(
        [incoming, lake_rows([bar(D(2025, 9, 17), symbol="IWM")], "new")], ignore_index=True
    )
    merged, replaced = lake.merge("prices_daily", existing, incoming)
    assert list(zip(merged["symbol"], merged["date"], merged["run_id"], strict=True)) == [
        ("IWM", D(2025, 9, 16), "new"),
        ("IWM", D(2025, 9, 17), "new"),
        ("SPY", D(2025, 9, 16), "old"),
        ("SPY", D(2025, 9, 17), "old"),
    ]
    assert list(zip(replaced["symbol"], replaced["close"], strict=True)) == [("IWM", 10.0)]
