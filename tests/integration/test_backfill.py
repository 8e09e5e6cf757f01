"""A backfill from each symbol's first day at the source: ^RUT from 1987-09-10 and ^GSPC
from 1927-12-30 through the replay server, the real ingest and the warehouse, and the
records mart saying from when it counts (the NYSE calendar once began in 1990)."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import numpy as np
import pytest

from devtools.replay.generate_prices import DEFAULT_SPEC, History, write_json, yahoo_chart
from devtools.replay.server import ReplayServer
from rotation_radar.core import lake, sessions, storage
from rotation_radar.core.settings import Pair, Universe
from rotation_radar.core.transport import HttpSource
from rotation_radar.prices import ingest
from rotation_radar.warehouse import publish, read

D = dt.date
SESSION = D(2025, 9, 19)
NOW = dt.datetime(2025, 9, 20, tzinfo=dt.UTC)
FIRST_DAY = {"^RUT": D(1987, 9, 10), "^GSPC": D(1927, 12, 30)}
# Closes at waypoints: the 2018 highs stand above every close of early 2019, so a history
# cut at 2019-01-02 would see "records" there that are not.
WAYPOINTS = {
    "^RUT": {
        D(1987, 9, 10): 170.0,
        D(2018, 8, 31): 1740.75,
        D(2018, 12, 24): 1266.92,
        D(2019, 3, 29): 1539.74,
        D(2025, 9, 19): 2474.66,
    },
    "^GSPC": {
        D(1927, 12, 30): 17.66,
        D(2018, 9, 20): 2930.75,
        D(2018, 12, 24): 2351.10,
        D(2019, 3, 29): 2834.40,
        D(2025, 9, 19): 6664.36,
    },
}


def recording(symbol: str) -> dict:
    """A Yahoo chart of the symbol's whole history: log-linear between waypoints plus noise."""
    days = sessions.sessions_between(FIRST_DAY[symbol], SESSION)
    index = {day: i for i, day in enumerate(days)}
    marks = WAYPOINTS[symbol]
    log_close = np.interp(range(len(days)), [index[d] for d in marks], np.log(list(marks.values())))
    rng = np.random.default_rng(7)
    noise = rng.normal(0, 0.004, len(days))
    noise[[index[d] for d in marks]] = 0  # the waypoints' closes exactly
    close = np.round(np.exp(log_close + noise), 2)
    high, low = np.round(close * 1.004, 2), np.round(close * 0.996, 2)
    bars = [list(map(float, column)) for column in (close, high, low, close)]
    history = History(symbol, DEFAULT_SPEC, days, *bars, [1_000_000] * len(days))
    return yahoo_chart(history)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    root = tmp_path_factory.mktemp("replay")
    (root / "yahoo").mkdir()
    for symbol in FIRST_DAY:
        write_json(root / "yahoo" / f"{symbol}.json", recording(symbol))
    with ReplayServer(root).start() as server:
        yield server


def backfill(server, history_start: D, whole: bool) -> dict:
    universe = Universe(
        history_start=history_start,
        groups={"indices": tuple(FIRST_DAY)},
        baskets={},
        pairs=(Pair("^RUT", "^GSPC", "close"),),
        whole_history=whole,
    )
    http = HttpSource("yahoo_finance", server.url, retries=1, backoff_factor=0.01)
    server.clear_requests()
    key = ingest.fetch_all(
        list(FIRST_DAY), SESSION, universe.history_start, 5, http, None, "backfill"
    )
    summary = ingest.load(key, SESSION, "backfill", NOW)
    publish.build_and_publish(universe, "backfill")
    with duckdb.connect(str(storage.path(read.WAREHOUSE_KEY)), read_only=True) as con:
        records = con.execute(
            "select symbol, date, is_record_close, record_basis_start from marts.records "
            "order by symbol, date"
        ).df()
    for column in ("date", "record_basis_start"):
        records[column] = records[column].dt.date
    return {"summary": summary, "records": records, "requests": server.requests}


def test_whole_history_from_the_first_day_at_the_source(data_dir, source):
    result = backfill(source, sessions.CALENDAR_START, whole=True)
    asked = {r["path"].rsplit("/", 1)[1]: int(r["query"]["period1"]) for r in result["requests"]}
    calendar_start = dt.datetime.combine(sessions.CALENDAR_START, dt.time(), dt.UTC).timestamp()
    assert asked == {
        "^RUT": calendar_start,
        "^GSPC": calendar_start,
    }  # from before any first trade date
    assert result["summary"].rows_quarantined == 0 and result["summary"].symbols_failed == []

    records = result["records"]
    for symbol, first in FIRST_DAY.items():
        stored = lake.read_symbol("prices_daily", symbol)
        assert (stored["date"].min(), stored["date"].max()) == (first, SESSION)
        assert len(stored) == len(sessions.sessions_between(first, SESSION))
        mine = records[records["symbol"] == symbol]
        assert set(mine["record_basis_start"]) == {first}
    rut = records[records["symbol"] == "^RUT"].set_index("date")
    early_2019 = rut.loc[D(2019, 1, 2) : D(2019, 3, 29), "is_record_close"]
    assert len(early_2019) > 50 and not early_2019.any()  # below the 2018 high
    assert rut.loc[D(2018, 1, 2) : D(2018, 8, 31), "is_record_close"].any()


def test_a_history_from_a_date_says_so(data_dir, source):
    result = backfill(source, D(2019, 1, 2), whole=False)
    rut = result["records"].query("symbol == '^RUT'").set_index("date")
    assert set(rut["record_basis_start"]) == {D(2019, 1, 2)}
    # counted from 2019-01-02 these are records, and the mart says from when
    assert rut.loc[D(2019, 1, 2) : D(2019, 3, 29), "is_record_close"].sum() > 5


def test_history_start_before_the_calendar_is_refused(tmp_path):
    from rotation_radar.core.settings import ConfigError, load_universe

    path = tmp_path / "universe.yaml"
    path.write_text(
        json.dumps(
            {
                "history_start": "1850-01-02",
                "symbols": {"indices": ["^RUT", "^GSPC"]},
                "pairs": [{"numerator": "^RUT", "denominator": "^GSPC", "price": "close"}],
            }
        )
    )
    with pytest.raises(
        ConfigError, match=r"universe.yaml: key 'history_start': 1850-01-02 is before"
    ):
        load_universe(path)


def test_the_warehouse_builds_on_an_empty_lake_with_an_early_history_start(data_dir):
    universe = Universe(
        history_start=FIRST_DAY["^RUT"],
        groups={"indices": tuple(FIRST_DAY)},
        baskets={},
        pairs=(Pair("^RUT", "^GSPC", "close"),),
    )
    built = publish.build_and_publish(universe, "empty")
    assert built.as_of is None and built.row_counts["records"] == 0
