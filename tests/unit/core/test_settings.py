"""The universe file: the shipped one loads, malformed ones name the file and the key."""

from __future__ import annotations

import datetime as dt

import pytest

from rotation_radar.core import sessions, settings
from rotation_radar.core.settings import ConfigError, load_universe


def test_shipped_universe():
    universe = load_universe(settings.DEFAULT_UNIVERSE)
    assert universe.whole_history and universe.history_start == sessions.CALENDAR_START
    assert universe.fomc_start == dt.date(2019, 1, 1) and universe.jump_factor == 4
    assert {"^RUT", "^GSPC", "IWM", "SPY", "RSP", "QQQ"} <= set(universe.symbols)
    assert universe.baskets["MAG7"] == ("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "META", "TSLA")
    assert [p.id for p in universe.pairs] == ["^RUT/^GSPC", "IWM/SPY", "RSP/SPY", "IWM/MAG7"]
    assert universe.pairs[0].price == "close" and universe.pairs[1].price == "adj_close"
    assert len(universe.symbols) == len(set(universe.symbols)) == 13


def test_environment_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "x"))
    monkeypatch.setenv("RADAR_UNIVERSE", str(tmp_path / "u.yaml"))
    assert settings.data_dir() == (tmp_path / "x").resolve()
    assert settings.universe_path() == tmp_path / "u.yaml"


GOOD = """
history_start: 2020-01-02
symbols: {etfs: [IWM, SPY]}
baskets: {B: [IWM]}
pairs: [{numerator: IWM, denominator: SPY, price: adj_close}]
"""


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD.replace("2020-01-02", "yesterday"), "history_start"),
        (GOOD.replace("history_start: 2020-01-02", ""), "history_start"),
        (GOOD.replace("{etfs: [IWM, SPY]}", "[IWM]"), "symbols"),
        (GOOD.replace("[IWM, SPY]", "[]"), "symbols.etfs"),
        (GOOD.replace("[IWM, SPY]", "[IWM, 3]"), "symbols.etfs"),
        (GOOD.replace("{B: [IWM]}", "{B: IWM}"), "baskets.B"),
        (GOOD.replace("denominator: SPY", "denominator: QQQ"), "pairs[0].denominator"),
        (GOOD.replace("price: adj_close", "price: open"), "pairs[0].price"),
        (GOOD.replace("2020-01-02", "1850-01-02"), "history_start"),  # before the NYSE calendar
        (GOOD + "lookback_sessions: -1\n", "lookback_sessions"),
        (GOOD + "jump_factor: 1\n", "jump_factor"),
        (GOOD + "fomc_start: later\n", "fomc_start"),
        (GOOD + "holdings_start: soon\n", "holdings_start"),
        (GOOD + "valuation: [IWM]\n", "valuation"),
        (GOOD + "valuation: {pairs: [{small: IWM, large: QQQ}]}\n", "valuation.pairs[0]"),
        (GOOD + "valuation: {min_coverage: 1.5}\n", "valuation.min_coverage"),
        (GOOD + "valuation: {zscore_min_history: 1}\n", "valuation.zscore_min_history"),
        (GOOD + "valuation: {zscore_threshold: high}\n", "valuation.zscore_threshold"),
    ],
)
def test_malformed_config_names_file_and_key(tmp_path, text, key):
    path = tmp_path / "universe.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_universe(path)
    assert str(path) in str(err.value)
    assert f"'{key}'" in str(err.value)


def test_unreadable_and_invalid_yaml(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_universe(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("symbols: [unclosed")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_universe(bad)


def test_good_minimal_file(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(GOOD)
    universe = load_universe(path)
    assert universe.symbols == ("IWM", "SPY")
    assert universe.lookback_sessions == 5


def test_holdings_start_and_valuation_defaults_and_overrides(tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(GOOD)
    universe = load_universe(path)
    assert universe.holdings_start == dt.date(2024, 12, 31)
    # MAG7 is not a basket of this file: only the holdings pair is a default
    assert universe.valuation.pairs == (("IWM", "IVV"),)
    path.write_text(
        GOOD + "holdings_start: 2025-03-31\n"
        "valuation: {pairs: [{small: IWM, large: B}], min_coverage: 0.5, zscore_threshold: 3}\n"
    )
    universe = load_universe(path)
    assert universe.holdings_start == dt.date(2025, 3, 31)
    assert universe.valuation.pairs == (("IWM", "B"),)
    assert (universe.valuation.min_coverage, universe.valuation.zscore_threshold) == (0.5, 3.0)


@pytest.mark.parametrize(
    ("history_start", "whole", "first_day", "fomc_start"),
    [
        ("max", True, sessions.CALENDAR_START, dt.date(1994, 1, 1)),
        ("1987-09-10", False, dt.date(1987, 9, 10), dt.date(1987, 9, 10)),
        ("1927-12-30", False, dt.date(1927, 12, 30), dt.date(1927, 12, 30)),
    ],
)
def test_history_start_whole_or_from_a_date(tmp_path, history_start, whole, first_day, fomc_start):
    path = tmp_path / "u.yaml"
    path.write_text(GOOD.replace("2020-01-02", history_start))
    universe = load_universe(path)
    assert (universe.whole_history, universe.history_start, universe.fomc_start) == (
        whole,
        first_day,
        fomc_start,
    )


def test_calendar_serves_every_day_a_source_serves():
    """Yahoo serves ^GSPC from 1927-12-30 and ^RUT from 1987-09-10 (the calendar began in 1990)."""
    assert sessions.sessions_between(dt.date(1987, 9, 10), dt.date(1987, 9, 14)) == [
        dt.date(1987, 9, 10),
        dt.date(1987, 9, 11),
        dt.date(1987, 9, 14),
    ]
    assert sessions.session_on_or_before(dt.date(1927, 12, 31)) == dt.date(1927, 12, 30)
    assert not sessions.is_session(dt.date(1963, 11, 25))  # closed: President Kennedy's funeral
    assert sessions.open_close(dt.date(1987, 10, 19))[1] == dt.datetime(
        1987, 10, 19, 20, 0, tzinfo=dt.UTC
    )  # 16:00 EDT
