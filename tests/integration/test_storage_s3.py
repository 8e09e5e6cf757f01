"""RADAR_DATA_DIR on object storage, against moto's S3 server on 127.0.0.1 (real HTTP,
real s3fs and botocore; moto stands in for S3, which cannot run here): the key API
answers as on a local disk, the warehouse is published by a manifest written after
its build, readers only ever see a build the manifest names, rollback rewrites the
manifest, and failures name the key, the URL and the endpoint."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import re
import shutil
import socket
import urllib.parse

import duckdb
import pyarrow as pa
import pytest

from rotation_radar.core import settings, storage
from rotation_radar.core.settings import Pair, Universe
from rotation_radar.core.transport import HttpSource
from rotation_radar.prices import ingest
from rotation_radar.warehouse import __main__ as warehouse_cli
from rotation_radar.warehouse import build, publish, read

pytestmark = pytest.mark.integration

BUCKET = "radar-tests"
SESSION = dt.date(2025, 9, 18)
NOW = dt.datetime(2025, 9, 18, 22, 0, tzinfo=dt.UTC)
UNIVERSE = Universe(
    history_start=dt.date(2019, 1, 2),
    groups={"indices": ("^RUT", "^GSPC")},
    baskets={},
    pairs=(Pair("^RUT", "^GSPC", "close"),),
)
ANSWER = "select max(date)::varchar, count(*), round(sum(close), 2) from marts.records"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RequestLog(logging.Handler):
    """The S3 server's requests in the order it answered them ("PUT /bucket/key", ...),
    from werkzeug's request log."""

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = re.sub(r"\x1b\[[0-9;]*m", "", record.getMessage())  # werkzeug colours some lines
        if '"' in message:
            request = message.split('"')[1].rsplit(" ", 1)[0]  # "PUT /bucket/key HTTP/1.1"
            self.lines.append(urllib.parse.unquote(request))  # emit() runs under the handler's lock

    def writes(self, bucket: str) -> list[str]:
        """Keys of the objects written (PUT of a whole object, or a multipart upload's
        completion), in order."""
        keys = []
        for line in list(self.lines):
            method, _, target = line.partition(" ")
            path, _, query = target.partition("?")
            complete = method == "POST" and "uploadId=" in query
            if (method == "PUT" and "partNumber=" not in query or complete) and path.startswith(
                f"/{bucket}/"
            ):
                keys.append(path[len(bucket) + 2 :])
        return keys


@contextlib.contextmanager
def moto_s3(bucket: str = BUCKET):
    """moto's S3 server on 127.0.0.1 with one bucket; yields (endpoint URL, AWS_* env, log)."""
    import boto3
    from moto.server import ThreadedMotoServer

    requests = RequestLog()
    werkzeug = logging.getLogger("werkzeug")
    werkzeug.addHandler(requests)  # also keeps werkzeug from adding its stderr handler
    werkzeug.setLevel(logging.INFO)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    env = {
        "AWS_ACCESS_KEY_ID": "radar-tests",
        "AWS_SECRET_ACCESS_KEY": "radar-tests",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
    }
    try:
        boto3.client(
            "s3",
            endpoint_url=endpoint,
            region_name="us-east-1",
            aws_access_key_id="radar-tests",
            aws_secret_access_key="radar-tests",
        ).create_bucket(Bucket=bucket)
        yield endpoint, env, requests
    finally:
        server.stop()
        werkzeug.removeHandler(requests)


@pytest.fixture(scope="module")
def s3_server():
    with moto_s3() as running:
        yield running


@pytest.fixture
def s3(s3_server, request, tmp_path, monkeypatch):
    """RADAR_DATA_DIR=s3://radar-tests/<test name>, its cache under tmp_path; yields the log."""
    _, env, requests = s3_server
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv(
        "RADAR_DATA_DIR", f"s3://{BUCKET}/{request.node.name.replace('[', '-').rstrip(']')}"
    )
    monkeypatch.setenv("RADAR_CACHE_DIR", str(tmp_path / "cache"))
    requests.lines.clear()
    return requests


@pytest.fixture(params=["local", "s3"])
def root(request, tmp_path, monkeypatch):
    """The same test against a local folder and against the S3 server."""
    if request.param == "local":
        monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "data"))
    else:
        request.getfixturevalue("s3")
    return request.param


def table(n: int) -> pa.Table:
    return pa.table({"x": list(range(n))})


def test_the_key_api_answers_alike_on_both_roots(root, tmp_path):
    storage.write_bytes("raw/src/2025-09-18/^RUT/chart.json", b'{"a": 1}')
    storage.write_parquet("lake/ds/data.parquet", table(1))
    storage.write_parquet("lake/ds/symbol=^RUT/data.parquet", table(2))
    storage.write_parquet("lake/ds/symbol=^RUT/year=2025/data.parquet", table(3))
    storage.write_bytes("lake/ds/.hidden.parquet", b"temporary")
    storage.write_bytes("lake/dsx/data.parquet", b"a sibling prefix, not under lake/ds")

    assert storage.read_bytes("raw/src/2025-09-18/^RUT/chart.json") == b'{"a": 1}'
    assert storage.read_parquet("lake/ds/symbol=^RUT/data.parquet").num_rows == 2
    assert storage.read_parquet("lake/ds/nothing.parquet") is None
    assert storage.exists("lake/ds/data.parquet") and not storage.exists("lake/ds/nothing.parquet")
    assert storage.keys("lake/ds", "**/*.parquet") == [
        "lake/ds/data.parquet",
        "lake/ds/symbol=^RUT/data.parquet",
        "lake/ds/symbol=^RUT/year=2025/data.parquet",
    ]
    assert storage.keys("lake/ds") == ["lake/ds/data.parquet"]
    assert storage.keys("lake/ds", "symbol=*/data.parquet") == ["lake/ds/symbol=^RUT/data.parquet"]
    assert storage.keys("lake/none", "**/*.parquet") == []
    assert storage.size("lake/ds/nothing.parquet") is None
    storage.write_bytes("raw/src/2025-09-18/^RUT/chart.json", b"replaced")
    assert storage.read_bytes("raw/src/2025-09-18/^RUT/chart.json") == b"replaced"
    storage.delete("lake/ds/symbol=^RUT")
    assert storage.keys("lake/ds", "**/*.parquet") == ["lake/ds/data.parquet"]
    copy = storage.download("raw/src/2025-09-18/^RUT/chart.json", tmp_path / "copy" / "chart.json")
    storage.upload(copy, "reports/chart.json")
    assert (
        storage.read_bytes("reports/chart.json") == b"replaced"
        and storage.size("reports/chart.json") == 8
    )


def test_keys_are_written_under_the_url_prefix_and_nothing_locally(s3, tmp_path):
    storage.write_bytes("raw/a.json", b"1")
    assert storage.url("raw/a.json") == f"{storage.root()}/raw/a.json"
    assert s3.writes(BUCKET) == [f"{storage.root().split('/', 3)[3]}/raw/a.json"]
    with pytest.raises(storage.StorageError, match="object storage has no local path"):
        storage.path("raw/a.json")
    assert not (tmp_path / "cache").exists()


def test_a_missing_key_names_the_key_and_its_url(s3):
    with pytest.raises(FileNotFoundError) as err:
        storage.read_bytes("lake/nothing/data.parquet")
    assert f"{storage.root()}/lake/nothing/data.parquet" in str(err.value)


def test_a_missing_bucket_names_the_url(s3, monkeypatch):
    monkeypatch.setenv("RADAR_DATA_DIR", "s3://no-such-bucket/radar")
    with pytest.raises(storage.StorageError) as err:
        storage.write_bytes("raw/a.json", b"1")
    message = str(err.value)
    assert "s3://no-such-bucket/radar/raw/a.json" in message and "bucket" in message
    with pytest.raises(storage.StorageError, match="s3://no-such-bucket/radar/lake"):
        storage.keys("lake", "**/*.parquet")


def test_an_unreachable_endpoint_names_the_url_and_the_endpoint(s3, monkeypatch):
    endpoint = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv(
        "AWS_MAX_ATTEMPTS", "1"
    )  # botocore's own retries; s3fs still retries a few times
    with pytest.raises(storage.StorageError) as err:
        storage.read_bytes("raw/a.json")
    assert f"{storage.root()}/raw/a.json" in str(err.value) and endpoint in str(err.value)


def test_a_local_copy_fetches_only_what_changed(s3):
    for name in ("a", "b", "c"):
        storage.write_parquet(f"lake/ds/{name}.parquet", table(1))
    folder = storage.local_copy("lake/ds")
    assert sorted(p.name for p in folder.glob("*.parquet")) == [
        "a.parquet",
        "b.parquet",
        "c.parquet",
    ]
    storage.write_parquet("lake/ds/b.parquet", table(5))
    storage.delete("lake/ds/c.parquet")
    s3.lines.clear()
    assert storage.local_copy("lake/ds") == folder
    gets = [line for line in s3.lines if line.startswith("GET ") and "list-type" not in line]
    assert len(gets) == 1 and "/lake/ds/b.parquet" in gets[0]
    assert sorted(p.name for p in folder.glob("*.parquet")) == ["a.parquet", "b.parquet"]
    with duckdb.connect() as con:
        assert (
            con.execute(f"select count(*) from read_parquet('{folder}/*.parquet')").fetchone()[0]
            == 6
        )


# ---- the warehouse on object storage --------------------------------------------------


@pytest.fixture
def s3_lake(s3, replay):
    """^RUT and ^GSPC through SESSION in the bucket's lake, from the replay server."""
    http = HttpSource("yahoo_finance", replay.url, retries=1, backoff_factor=0.01)
    key = ingest.fetch_all(["^RUT", "^GSPC"], SESSION, UNIVERSE.history_start, 5, http, None, "p1")
    ingest.load(key, SESSION, "p1", NOW)
    s3.lines.clear()
    return s3


def answer(path) -> list:
    with duckdb.connect(str(path), read_only=True) as con:
        return list(con.execute(ANSWER).fetchone())


def test_a_build_is_uploaded_whole_then_published_by_the_manifest_written_last(s3_lake, tmp_path):
    assert read.published_path() is None  # nothing published yet
    result = publish.build_and_publish(UNIVERSE, "build1")
    manifest = read.read_manifest()
    prefix = storage.root().split("/", 3)[3]
    writes = s3_lake.writes(BUCKET)
    assert writes[-1] == f"{prefix}/{read.MANIFEST_KEY}"
    assert writes[0] == f"{prefix}/{manifest['build']}"
    assert sorted(writes[1:-1]) == sorted(
        f"{prefix}/{k}" for k in storage.keys(manifest["parquet"], "**/*.parquet")
    )
    assert result.path == storage.url(manifest["build"]) and result.as_of == SESSION.isoformat()
    assert (
        manifest["as_of"] == "2025-09-18"
        and manifest["row_counts"]["records"] == result.row_counts["records"]
    )
    assert manifest["size"] == storage.size(manifest["build"]) and manifest["previous"] == []

    path = read.published_path()
    assert (
        path.name == f"radar-{manifest['sha256']}.duckdb"
        and storage.sha256_of(path) == manifest["sha256"]
    )
    assert answer(path)[0] == "2025-09-18"
    with duckdb.connect(str(path), read_only=True) as con:
        for name in read.mart_names(con):
            rows = con.execute(f"select count(*) from marts.{name}").fetchone()[0]
            if name == "records":  # partitioned by year and symbol bucket
                parts = storage.keys(f"{manifest['parquet']}/records", "*/*/*.parquet")
                exported = sum(storage.read_parquet(key).num_rows for key in parts)
            else:
                exported = storage.read_parquet(f"{manifest['parquet']}/{name}.parquet").num_rows
            assert exported == rows == manifest["row_counts"][name]
    s3_lake.lines.clear()
    assert read.published_path() == path  # cached by sha256: only the manifest is read again
    assert [line for line in s3_lake.lines if line.startswith("GET ")] == [
        f"GET /{BUCKET}/{prefix}/{read.MANIFEST_KEY}"
    ]


def test_a_build_without_its_manifest_is_invisible_to_readers(s3_lake, monkeypatch, tmp_path):
    publish.build_and_publish(UNIVERSE, "build1")
    published = read.published_path()
    good = answer(published)
    # a build whose upload finished but whose manifest was never written (a crashed task)
    orphan = tmp_path / "orphan.duckdb"
    with duckdb.connect(str(orphan)) as con:
        con.execute(
            "create schema marts; "
            "create table marts.records as select date '2030-01-01' as date, 1.0 as close"
        )
    storage.upload(orphan, f"{read.BUILDS_PREFIX}/radar-99991231T000000000000-crashed.duckdb")
    assert read.published_path() == published and answer(published) == good
    # a build that fails its audit uploads nothing and leaves no work folder behind
    broken = tmp_path / "sql"
    shutil.copytree(settings.SQL_DIR, broken)
    records = broken / "marts" / "records.sql"
    records.write_text(
        f"select * from ({records.read_text()}) union all select * from ({records.read_text()})"
    )
    monkeypatch.setattr(build, "SQL", broken)
    s3_lake.lines.clear()
    with pytest.raises(build.AuditFailed, match=r"marts.records: \d+ duplicated keys"):
        publish.build_and_publish(UNIVERSE, "broken")
    assert s3_lake.writes(BUCKET) == []
    assert read.published_path() == published
    assert not list(storage.cache_dir().glob("build-*"))


def test_previous_builds_are_kept_and_rolled_back(s3_lake, monkeypatch, capsys):
    monkeypatch.setenv("RADAR_WAREHOUSE_KEEP", "2")
    first = publish.build_and_publish(UNIVERSE, "b0")
    for i in range(1, 4):
        publish.build_and_publish(UNIVERSE, f"b{i}")
    manifest = read.read_manifest()
    builds = storage.keys(read.BUILDS_PREFIX, "*.duckdb")
    assert len(manifest["previous"]) == 2
    assert builds == sorted([manifest["build"], *(e["build"] for e in manifest["previous"])])
    assert storage.url(builds[0]) != first.path  # the oldest build went
    exports = {k.rsplit("/", 1)[0] for k in storage.keys("warehouse", "parquet-*/*.parquet")}
    assert exports == {manifest["parquet"], manifest["previous_parquet"]}

    assert warehouse_cli.main(["history"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [
        storage.url(e["build"]) for e in reversed(manifest["previous"])
    ]
    assert warehouse_cli.main(["rollback"]) == 0  # make rollback
    rolled = read.read_manifest()
    assert (
        rolled["build"] == manifest["previous"][0]["build"]
        and rolled["sha256"] == manifest["previous"][0]["sha256"]
    )
    assert rolled["previous"] == manifest["previous"][1:]
    assert rolled["rolled_back"][0]["build"] == manifest["build"]
    assert read.published_path().name == f"radar-{rolled['sha256']}.duckdb"
    publish.rollback()
    with pytest.raises(FileNotFoundError, match=f"{storage.url(read.MANIFEST_KEY)}"):
        publish.rollback()
    assert json.loads(storage.read_bytes(read.MANIFEST_KEY))["previous"] == []
