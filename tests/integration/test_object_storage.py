"""The demo pipeline end to end through Airflow's real scheduler with RADAR_DATA_DIR on
object storage (s3://, moto's S3 server on 127.0.0.1; real HTTP, real s3fs): every DAG
succeeds, raw/, lake/ and the warehouse's manifest land in the bucket and nothing on a
local data dir, the downloaded warehouse answers as a local one does, the alerts are
delivered once (their log lives in the bucket) and the morning report is uploaded."""

from __future__ import annotations

import json

import duckdb
import pytest

from devtools.demo import PIPELINE
from rotation_radar.core import storage
from rotation_radar.warehouse import read
from tests.integration.conftest import airflow_pipeline, alert_receivers, run_dag
from tests.integration.test_storage_s3 import BUCKET, moto_s3

pytestmark = pytest.mark.integration
LOGICAL_DATE = "2025-09-19T00:00:00+00:00"
PREFIX = "radar/demo"


@pytest.fixture(scope="module")
def s3_pipeline(tmp_path_factory):
    """moto's S3 server, the alert receivers and a running Airflow whose RADAR_DATA_DIR
    is s3://radar-tests/radar/demo; yields (stack, receivers, local data dir, env)."""
    root = tmp_path_factory.mktemp("object-storage")
    with (
        moto_s3() as (_, aws_env, _requests),
        alert_receivers() as (slack, webhook, mail, alert_env),
    ):
        env = {
            **aws_env,
            **alert_env,
            "RADAR_DATA_DIR": f"s3://{BUCKET}/{PREFIX}",
            "RADAR_CACHE_DIR": str(root / "cache"),
        }
        with airflow_pipeline(root, env=env) as (stack, _server, data):
            yield stack, (slack, webhook, mail), data, env


def test_demo_pipeline_on_object_storage(s3_pipeline, monkeypatch):
    stack, (slack, webhook, mail), data, env = s3_pipeline
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for dag_id in PIPELINE:
        run_dag(stack, dag_id, LOGICAL_DATE)

    assert storage.keys("raw", "**/*.json") and storage.keys("lake/prices_daily", "**/*.parquet")
    assert storage.exists(read.MANIFEST_KEY)
    assert not data.exists(), f"{data}: something was written to a local data dir"
    manifest = json.loads(storage.read_bytes(read.MANIFEST_KEY))
    assert manifest["as_of"] == "2025-09-19" and storage.exists(manifest["build"])
    assert storage.keys(manifest["parquet"], "*.parquet")

    path = read.published_path()
    assert path.is_relative_to(storage.cache_dir())
    with duckdb.connect(str(path), read_only=True) as con:
        close, is_record = con.execute(
            "select close, is_record_close from marts.records "
            "where symbol = '^RUT' and date = '2025-09-18'"
        ).fetchone()
        spreads = con.execute("select count(*) from marts.valuation_spread").fetchone()[0]
    assert close == pytest.approx(2467.70, abs=0.01) and is_record
    assert spreads > 0

    assert len(slack.requests) == 1 and len(webhook.requests) == 1 and len(mail.envelopes) == 1
    sent = {
        (a["rule"], a["subject"], a["session_date"])
        for a in json.loads(webhook.requests[0]["body"])["alerts"]
    }
    assert ("record_close", "^RUT", "2025-09-18") in sent
    assert storage.keys("lake/alert_log", "**/*.parquet")
    assert {"reports/2025-09-19.html", "reports/latest.html", "reports/plotly.min.js"} <= set(
        storage.keys("reports")
    )

    run_dag(stack, "breakout_alerts", "2025-09-19T12:00:00+00:00")  # a second run: nothing new
    assert (len(slack.requests), len(webhook.requests), len(mail.envelopes)) == (1, 1, 1)

    # a rebuild publishes a new manifest; readers download the new build, with the alert log
    run_dag(stack, "marts_build", "2025-09-19T13:00:00+00:00")
    rebuilt = read.read_manifest()
    assert rebuilt["previous"][0]["build"] == manifest["build"]
    with duckdb.connect(str(read.published_path()), read_only=True) as con:
        statuses = dict(
            con.execute("select status, count(*) from marts.alert_log group by 1").fetchall()
        )
    assert statuses.get("delivered") and "failed" not in statuses
    assert not data.exists()
