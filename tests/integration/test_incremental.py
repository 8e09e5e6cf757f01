"""The incremental warehouse equals a full rebuild (DESIGN.md, principle 4).

Several nights in a row through the real ingest (replay server, Great Expectations,
the Parquet lake with its increments) and the real publish: the first night builds the
warehouse whole, each later one updates the published build with what changed. Among
them a night with a split new to the lake (NVDA, 2024-06-10), one with a new dividend
(SPY, 2024-06-21, after a catch-up over several sessions) and a compaction of the
increments. After the last night, every mart equals a from-scratch build row for row.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from devtools.replay.server import ReplayServer
from rotation_radar.core import datasets, lake, settings
from rotation_radar.core.settings import Pair, Universe
from rotation_radar.core.transport import HttpSource
from rotation_radar.prices import ingest as prices_ingest
from rotation_radar.warehouse import __main__ as warehouse_cli
from rotation_radar.warehouse import build, publish, read
from tests.integration.conftest import REPLAY_DIR
from tests.unit.warehouse.test_breadth_marts import holdings

D = dt.date
START = D(2019, 1, 2)
UNIVERSE = Universe(
    history_start=START,
    groups={"indices": ("^RUT", "^GSPC"), "etfs": ("IWM", "SPY")},
    baskets={"MAG7": ("NVDA", "AAPL", "MSFT")},
    pairs=(
        Pair("^RUT", "^GSPC", "close"),
        Pair("IWM", "SPY", "adj_close"),
        Pair("IWM", "MAG7", "adj_close"),
    ),
)
# (session, what the night brings)
NIGHTS = [
    (D(2024, 6, 6), "the first night: every history, a full build"),
    (D(2024, 6, 7), "a new session"),
    (D(2024, 6, 10), "NVDA's 10:1 split, new to the lake"),
    (D(2024, 6, 11), "a new session; the increments are compacted"),
    (D(2024, 6, 21), "a catch-up over eight sessions and SPY's new dividend"),
    (D(2024, 6, 24), "a new session"),
    (D(2024, 6, 25), "a new session; the increments are compacted"),
    (D(2024, 6, 26), "a new session and a late holdings file"),
]
# holdings files stored before a night's build (night, basket, as_of, members: symbol,
# weight in percent, sector);
# the second arrives late, for a session the published build already covers
HOLDINGS = [
    (
        0,
        "IWM",
        D(2024, 5, 31),
        [("SPY", 40.0, "Funds"), ("NVDA", 35.0, "Tech"), ("MSFT", 25.0, "Tech")],
    ),
    (
        7,
        "IWM",
        D(2024, 6, 14),
        [("SPY", 50.0, "Funds"), ("AAPL", 30.0, "Tech"), ("NVDA", 20.0, "Tech")],
    ),
]


def store_holdings(night_number: int) -> None:
    for number, basket, as_of, members in HOLDINGS:
        if number == night_number:
            frame = pd.DataFrame(holdings(basket, as_of, members))
            lake.write("universe_members", frame, basket=basket, as_of=as_of.isoformat())


def night(server, session: D, run_id: str) -> publish.BuildResult:
    store_holdings(int(run_id.removeprefix("night")))
    yahoo = HttpSource("yahoo_finance", server.url, retries=2, backoff_factor=0.01)
    manifest = prices_ingest.fetch_all(
        list(UNIVERSE.symbols), session, START, 5, yahoo, None, run_id
    )
    ingested_at = dt.datetime.combine(session, dt.time(21), dt.UTC)
    prices_ingest.load(manifest, session, run_id, ingested_at)
    return publish.build_and_publish(UNIVERSE, run_id)


def mart_rows(path, name: str) -> list[tuple]:
    """A mart's rows in a canonical order, doubles rounded to 9 significant digits: two
    builds of the same data differ in the last bits of parallel sums of doubles (DuckDB
    adds them in no fixed order), which is not a difference of the data."""
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(f"select * from marts.{name}").fetchall()
    rows = [tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row) for row in rows]
    return sorted(rows, key=lambda row: tuple((v is None, str(v)) for v in row))


@pytest.fixture(scope="module")
def nights(tmp_path_factory):
    """Run the nights once for the module; yields the data dir, each night's build, the
    full rebuild and the published warehouse."""
    root = tmp_path_factory.mktemp("incremental") / "data"
    with ReplayServer(REPLAY_DIR).start() as replay, pytest.MonkeyPatch.context() as patch:
        patch.setenv("RADAR_DATA_DIR", str(root))
        patch.setattr(datasets, "COMPACT_AFTER", 2)
        results = [night(replay, session, f"night{i}") for i, (session, _) in enumerate(NIGHTS)]
        full = root / "full.duckdb"
        build.build_file(full, UNIVERSE)
        yield root, results, full, read.published_path()


def test_the_first_night_builds_whole_and_the_next_ones_update(nights):
    _, results, _, _ = nights
    assert [r.build for r in results] == ["full"] + ["incremental"] * (len(NIGHTS) - 1)
    assert [r.as_of for r in results] == [s.isoformat() for s, _ in NIGHTS]


def test_the_split_and_the_dividend_restated_their_symbols_in_the_lake(nights):
    root, _, _, published = nights
    nvda = lake.read_symbol("prices_daily", "NVDA").set_index("date")
    # split-adjusted: the close before the split is about a tenth of the raw price
    assert nvda.loc[D(2024, 6, 7), "close"] < 150
    assert lake.increment_keys("prices_daily")  # the last nights appended
    with duckdb.connect(str(published), read_only=True) as con:
        restated = dict(con.execute("select symbol, restated_by from core.build_state").fetchall())
    assert restated["NVDA"] == "night2" and restated["SPY"] == "night4"
    assert restated["^RUT"] == "night0"  # only ever appended to (and compacted)


@pytest.mark.parametrize(
    "mart",
    [
        "records",
        "relative_strength",
        "sector_breadth",
        "breadth",
        "rotation",
        "concentration",
        "drawdowns",
        "record_counts",
        "rate_sensitivity",
        "fomc_projections",
        "fed_path",
        "fomc_decisions",
        "fomc_event_returns",
        "fomc_event_summary",
        "valuation_spread",
        "data_quality",
        "alert_log",
        "breakout_signals",
    ],
)
def test_every_mart_equals_a_full_rebuild_row_for_row(nights, mart):
    _, _, full, published = nights
    incremental, rebuilt = mart_rows(published, mart), mart_rows(full, mart)
    assert len(incremental) == len(rebuilt)
    assert incremental == rebuilt


def test_a_late_holdings_file_recomputes_the_basket_marts_from_its_date(nights):
    _, results, _, published = nights
    assert results[-1].build == "incremental"
    with duckdb.connect(str(published), read_only=True) as con:
        since = con.execute("select since from staging.stg_build_since").fetchone()[0]
        members = dict(
            con.execute(
                "select date, members from marts.breadth where basket = 'IWM' and date in (?, ?)",
                [D(2024, 6, 13), D(2024, 6, 14)],
            ).fetchall()
        )
    assert since == D(2024, 6, 14)  # the file's date, before the night's new session
    assert members == {D(2024, 6, 13): 3, D(2024, 6, 14): 3}


def test_every_mart_is_compared(nights):
    _, _, full, _ = nights
    with duckdb.connect(str(full), read_only=True) as con:
        marts = set(read.mart_names(con))
    compared = test_every_mart_equals_a_full_rebuild_row_for_row.pytestmark[0].args[1]
    assert marts == set(compared)


def test_the_parquet_export_holds_the_marts_and_links_the_unchanged_partitions(nights):
    root, _, _, published = nights
    export = (root / "warehouse" / read.PARQUET_EXPORT).resolve()
    with duckdb.connect(str(published), read_only=True) as con:
        exported = con.execute(
            f"select * exclude (year, bucket) from read_parquet('{export}/records/*/*/*.parquet',"
            " hive_partitioning = true)"
        ).fetchall()
        records = con.execute("select * from marts.records").fetchall()
        changed = publish.changed_partitions(con)
    key = lambda row: tuple((v is None, str(v)) for v in row)  # noqa: E731
    assert sorted(exported, key=key) == sorted(records, key=key)
    files = list((export / "records").glob("year=*/bucket=*/*.parquet"))
    linked = [f for f in files if f.stat().st_nlink > 1]
    # the last night rewrote 2024's partitions and every year of its restated symbol's
    # bucket; every other partition is the previous export's file
    assert changed and {year for year, _ in changed} >= {2024}
    assert len(linked) == len(files) - len(changed & partitions(files))
    assert linked


def partitions(files) -> set[tuple[int, int]]:
    return {
        (int(f.parent.parent.name.split("=")[1]), int(f.parent.name.split("=")[1])) for f in files
    }


def test_make_rebuild_builds_the_whole_warehouse_again(nights, monkeypatch):
    root, _, _, published = nights
    monkeypatch.setenv("RADAR_DATA_DIR", str(root))
    monkeypatch.setattr(settings, "load_universe", lambda: UNIVERSE)
    before = {mart: mart_rows(published, mart) for mart in ("records", "relative_strength")}
    assert warehouse_cli.main(["rebuild"]) == 0
    rebuilt = read.published_path()
    with duckdb.connect(str(rebuilt), read_only=True) as con:
        tables = {
            name for (name,) in con.execute("select table_name from duckdb_tables()").fetchall()
        }
    assert "build_changes" not in tables  # a full build changed everything
    assert {mart: mart_rows(rebuilt, mart) for mart in before} == before
