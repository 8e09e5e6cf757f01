"""Serving the warehouse to BI tools: readers are never blocked and never see a torn
warehouse, a failed audit keeps the old one, previous ones can be rolled back, the marts
are documented views with a catalog, and Parquet copies are published whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
import time

import duckdb
import pyarrow.parquet as pq
import pytest

from rotation_radar.core import lake, settings, storage
from rotation_radar.core.settings import Pair, Universe
from rotation_radar.core.transport import HttpSource
from rotation_radar.prices import ingest
from rotation_radar.warehouse import __main__ as warehouse_cli
from rotation_radar.warehouse import build, publish, read

SESSION = dt.date(2025, 9, 18)
NOW = dt.datetime(2025, 9, 18, 22, 0, tzinfo=dt.UTC)
UNIVERSE = Universe(
    history_start=dt.date(2019, 1, 2),
    groups={"indices": ("^RUT", "^GSPC")},
    baskets={},
    pairs=(Pair("^RUT", "^GSPC", "close"),),
)
ANSWER = "select max(date)::varchar, count(*), round(sum(close), 2) from marts.records"
# A BI tool in another process: a new read-only connection per query, as long as the
# writer rebuilds; every answer or error goes to stdout as a JSON line.
READER = """
import duckdb, json, sys, time
path, stop_file, query = sys.argv[1], sys.argv[2], sys.argv[3]
import os
while not os.path.exists(stop_file):
    try:
        with duckdb.connect(path, read_only=True) as con:
            print(json.dumps({"answer": list(con.execute(query).fetchone())}), flush=True)
    except Exception as exc:
        print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)
"""


@pytest.fixture
def published(data_dir, replay):
    """The lake's ^RUT and ^GSPC through SESSION, a published warehouse, and the two
    lake states (through SESSION, and one session shorter) to alternate between."""
    http = HttpSource("yahoo_finance", replay.url, retries=1, backoff_factor=0.01)
    key = ingest.fetch_all(["^RUT", "^GSPC"], SESSION, UNIVERSE.history_start, 5, http, None, "p1")
    ingest.load(key, SESSION, "p1", NOW)
    full = {s: lake.read_symbol("prices_daily", s) for s in ("^RUT", "^GSPC")}
    shorter = {s: f[f["date"] < SESSION] for s, f in full.items()}
    publish.build_and_publish(UNIVERSE, "build0")
    return full, shorter


def write_lake(state) -> None:
    for symbol, frame in state.items():
        lake.write_symbol("prices_daily", symbol, frame)


def answer(path) -> list:
    with duckdb.connect(str(path), read_only=True) as con:
        return list(con.execute(ANSWER).fetchone())


def test_readers_are_never_blocked_nor_see_a_torn_warehouse(published, tmp_path, capsys):
    full, shorter = published
    path = storage.path(read.WAREHOUSE_KEY)
    expected = {json.dumps(answer(path))}
    write_lake(shorter)
    publish.build_and_publish(UNIVERSE, "shorter")
    expected.add(json.dumps(answer(path)))
    assert len(expected) == 2

    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(path), str(stop), ANSWER],
        stdout=subprocess.PIPE,
        text=True,
    )
    held = duckdb.connect(str(path), read_only=True)  # a reader that keeps its connection
    before = held.execute(ANSWER).fetchone()
    rebuilds = 0
    started = time.monotonic()
    try:
        for i in range(20):
            write_lake(full if i % 2 == 0 else shorter)
            publish.build_and_publish(UNIVERSE, f"rebuild{i}")
            rebuilds += 1
        assert held.execute(ANSWER).fetchone() == before  # its snapshot, unchanged
    finally:
        held.close()
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    lines = [json.loads(line) for line in out.splitlines()]
    errors = [line["error"] for line in lines if "error" in line]
    answers = [json.dumps(line["answer"]) for line in lines if "answer" in line]
    with capsys.disabled():
        print(
            f"\nconcurrency: {rebuilds} rebuilds in {time.monotonic() - started:.1f}s, "
            f"{len(answers)} reader queries, {len(errors)} failures, "
            f"{len(set(answers))} distinct answers"
        )
    assert errors == []
    assert len(answers) >= rebuilds  # the reader kept querying all along
    assert set(answers) <= expected and len(set(answers)) == 2


def test_a_failed_audit_keeps_the_published_warehouse(published, monkeypatch, tmp_path):
    path = storage.path(read.WAREHOUSE_KEY)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    broken = tmp_path / "sql"
    shutil.copytree(settings.SQL_DIR, broken)
    records = broken / "marts" / "records.sql"
    records.write_text(
        f"select * from ({records.read_text()}) union all select * from ({records.read_text()})"
    )
    monkeypatch.setattr(build, "SQL", broken)
    with pytest.raises(build.AuditFailed, match=r"marts.records: \d+ duplicated keys"):
        publish.build_and_publish(UNIVERSE, "broken")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert not list(path.parent.glob(".*building*"))  # the failed build is gone


def test_previous_warehouses_are_kept_and_rolled_back(published, monkeypatch):
    full, shorter = published
    monkeypatch.setenv("RADAR_WAREHOUSE_KEEP", "2")
    path = storage.path(read.WAREHOUSE_KEY)
    good = answer(path)
    write_lake(shorter)
    for i in range(3):
        publish.build_and_publish(UNIVERSE, f"next{i}")
    assert len(storage.backend().kept(read.WAREHOUSE_KEY)) == 2
    assert answer(path) != good
    write_lake(full)
    publish.build_and_publish(UNIVERSE, "last")
    assert warehouse_cli.main(["rollback"]) == 0  # make rollback
    assert answer(path)[0] == str(SESSION - dt.timedelta(days=1))  # the previous build
    assert list(storage.backend().history_dir(read.WAREHOUSE_KEY).glob("rolled-back-*.duckdb"))


def test_marts_are_documented_views_listed_in_the_catalog(published):
    path = storage.path(read.WAREHOUSE_KEY)
    with duckdb.connect(str(path), read_only=True) as con:
        views = {
            v
            for (v,) in con.execute(
                "select view_name from duckdb_views() where schema_name = 'marts'"
            ).fetchall()
        }
        tables = {
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        }
        catalog = con.execute("select mart, column_name, description from marts.catalog").fetchall()
    assert {
        "records",
        "relative_strength",
        "breakout_signals",
        "valuation_spread",
        "catalog",
    } <= views
    assert tables == set()  # BI tools see views; the tables behind them live in core
    marts = {m for m, column, _ in catalog if column is None}
    assert marts == views - {"catalog"}
    assert all(description for _, _, description in catalog)  # every mart and column described


def test_marts_are_published_as_parquet_whole(published):
    path = storage.path(read.WAREHOUSE_KEY)
    folder = path.parent / read.PARQUET_EXPORT
    assert folder.is_symlink()
    with duckdb.connect(str(path), read_only=True) as con:
        for name in read.mart_names(con):
            rows = con.execute(f"select count(*) from marts.{name}").fetchone()[0]
            if name == "records":  # partitioned by year and symbol bucket
                files = list((folder / name).glob("year=*/bucket=*/*.parquet"))
                assert sum(pq.read_metadata(f).num_rows for f in files) == rows
            else:
                assert pq.read_metadata(folder / f"{name}.parquet").num_rows == rows
    first = folder.resolve()
    publish.build_and_publish(UNIVERSE, "again")
    assert folder.resolve() != first and first.exists()  # the previous export stays for its readers
    publish.build_and_publish(UNIVERSE, "third")
    assert not first.exists()  # older ones go
