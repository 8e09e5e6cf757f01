"""The production topology of docker-compose.yaml, run natively: PostgreSQL and Redis from
Debian's packages, Airflow with the CeleryExecutor (api-server, scheduler, dag-processor,
triggerer and a Celery worker as separate processes sharing one secret), the whole demo
pipeline through it against the replay server, then everything stopped."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
import yaml

from devtools import demo
from devtools.stack import PRODUCTION_PROCESSES
from rotation_radar.core import settings, storage
from rotation_radar.warehouse import read
from tests.integration.conftest import airflow_pipeline, alert_receivers, run_dag

pytestmark = pytest.mark.integration
SESSION = f"{demo.REPLAY_SESSION}T00:00:00+00:00"


COMPOSE = yaml.safe_load((settings.REPO_ROOT / "docker-compose.yaml").read_text())["services"]


def healthcheck(service: str, stack) -> subprocess.CompletedProcess:
    """docker-compose.yaml's health check of a service, run against the native process:
    the same command, with the container's host names and ports replaced by the stack's."""
    kind, *args = COMPOSE[service]["healthcheck"]["test"]
    command = args[0] if kind == "CMD-SHELL" else " ".join(args)
    env = stack.env
    db, broker = (
        urlsplit(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]),
        urlsplit(env["AIRFLOW__CELERY__BROKER_URL"]),
    )
    for container, native in (
        ("localhost:8080", f"127.0.0.1:{env['AIRFLOW__API__PORT']}"),
        (
            "localhost:8974",
            f"127.0.0.1:{env['AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT']}",
        ),
        ("$$", "$"),
        ("pg_isready", f"pg_isready -h 127.0.0.1 -p {db.port}"),
        ("redis-cli", f"redis-cli -p {broker.port}"),
    ):
        command = command.replace(container, native)
    path = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return subprocess.run(
        ["bash", "-c", command],
        env={**env, "PATH": path},
        capture_output=True,
        text=True,
        timeout=120,
    )


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """The pipeline run once through the production topology; yields what it left behind."""
    root = tmp_path_factory.mktemp("production")
    with (
        pytest.MonkeyPatch.context() as patch,
        alert_receivers() as (slack, webhook, mail, alert_env),
    ):
        with airflow_pipeline(root, env=alert_env, production=True) as (stack, _server, data):
            patch.setenv("RADAR_DATA_DIR", str(data))
            runs = {dag_id: run_dag(stack, dag_id, SESSION) for dag_id in demo.PIPELINE}
            facts = {
                "pids": {name: proc.pid for name, proc in stack.procs.items()},
                "alive": {name: proc.poll() is None for name, proc in stack.procs.items()},
                "env": dict(stack.env),
                "celery": stack.query(
                    "select status, count(*) from celery_taskmeta group by status"
                ),
                "executors": stack.query("select distinct executor, queue from task_instance"),
                "tasks_run": stack.query(
                    "select count(*) from task_instance where state = 'success'"
                )[0][0],
                "sec_pools": stack.query(
                    "select distinct task_id, pool from task_instance where dag_id = 'earnings_sec'"
                ),
                "messages": (len(slack.requests), len(webhook.requests), len(mail.envelopes)),
                "db": stack.env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"],
                "broker": stack.env["AIRFLOW__CELERY__BROKER_URL"],
            }
            with duckdb.connect(str(storage.path(read.WAREHOUSE_KEY)), read_only=True) as con:
                facts["rut_record"] = con.execute(
                    "select close from marts.records "
                    "where symbol = '^RUT' and date = '2025-09-18' and is_record_close"
                ).fetchall()
                facts["valuation_rows"] = con.execute(
                    "select count(*) from marts.valuation_spread"
                ).fetchone()[0]
            facts["health"] = {
                name: healthcheck(name, stack) for name in COMPOSE if name != "airflow-init"
            }
            procs = dict(stack.procs)
        # out of the context: Airflow, then Redis and PostgreSQL, have been stopped
        facts["stopped"] = {name: proc.poll() is not None for name, proc in procs.items()}
        ports = [
            urlsplit(facts["db"]).port,
            urlsplit(facts["broker"]).port,
            int(facts["env"]["AIRFLOW__API__PORT"]),
        ]
        facts["listening"] = [port for port in ports if listening(port)]
    yield runs, facts


def test_every_process_of_the_topology_runs_separately_on_one_shared_secret(production):
    _, facts = production
    assert (
        set(facts["pids"])
        == set(PRODUCTION_PROCESSES)
        == {
            "api-server",
            "scheduler",
            "dag-processor",
            "triggerer",
            "worker",
        }
    )
    assert len(set(facts["pids"].values())) == 5
    assert all(facts["alive"].values()), facts["alive"]
    env = facts["env"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert facts["db"].startswith("postgresql+psycopg2://")
    assert facts["broker"].startswith("redis://")
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"] == "db+" + facts["db"]
    assert env["AIRFLOW__API_AUTH__JWT_SECRET"] == env["AIRFLOW__API__SECRET_KEY"]
    assert len(env["AIRFLOW__API_AUTH__JWT_SECRET"]) > 30


def test_the_demo_pipeline_runs_through_celery_workers(production):
    runs, facts = production
    assert set(runs) == set(demo.PIPELINE)
    # every task went through the Celery executor's queue and its result backend
    assert {executor for executor, _ in facts["executors"]} <= {None, "CeleryExecutor"}
    assert {queue for _, queue in facts["executors"]} == {"default"}
    # one Celery task per attempt; the last may still be closing when its DAG run is done
    statuses = dict(facts["celery"])
    assert sum(statuses.values()) >= facts["tasks_run"] >= 12, (statuses, facts["tasks_run"])
    assert set(statuses) <= {"SUCCESS", "STARTED", "FAILURE"}, statuses


def test_every_compose_health_check_passes_against_the_native_services(production):
    _, facts = production
    failed = {
        name: (done.returncode, done.stdout[-500:], done.stderr[-500:])
        for name, done in facts["health"].items()
        if done.returncode
    }
    assert not failed, failed
    assert set(facts["health"]) == {"postgres", "redis", *PRODUCTION_PROCESSES}


def test_sec_requests_are_bounded_by_one_pool_across_workers(production):
    _, facts = production
    assert dict(facts["sec_pools"]) == {"plan": "sec_edgar", "fetch_and_load": "sec_edgar"}


def test_the_marts_and_alerts_match_the_local_topology(production):
    _, facts = production
    assert [round(close, 2) for (close,) in facts["rut_record"]] == [2467.70]
    assert facts["valuation_rows"] > 0
    assert facts["messages"] == (1, 1, 1)


def test_everything_is_stopped_afterwards(production):
    _, facts = production
    assert all(facts["stopped"].values()), facts["stopped"]
    assert facts["listening"] == []  # PostgreSQL, Redis and the api-server's ports are closed
