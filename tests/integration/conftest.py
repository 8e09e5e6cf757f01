"""Integration fixtures: the replay server on 127.0.0.1, and a local Airflow whose
source connections point at it."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from devtools.replay.server import ReplayServer
from devtools.stack import AirflowStack, connection_env
from tests.conftest import DAG_IDS

REPLAY_DIR = Path(__file__).resolve().parents[2] / "include" / "replay"
WEBHOOK_SECRET = "tests-secret"
SEC_USER_AGENT = "Rotation Radar tests tests@rotation-radar.example"


@pytest.fixture
def replay():
    with ReplayServer(REPLAY_DIR).start() as server:
        yield server


@contextlib.contextmanager
def airflow_pipeline(
    root: Path, replay_dir: Path = REPLAY_DIR, env: dict | None = None, production: bool = False
):
    """A replay server and a running Airflow with its own data dir under `root`: the
    local topology (api-server, scheduler, dag-processor on SQLite), or the production
    one (PostgreSQL, Redis, CeleryExecutor; see devtools.services); yields
    (stack, server, data_dir)."""
    data = root / "data"
    with ReplayServer(replay_dir).start() as server:
        stack_env = {
            "RADAR_DATA_DIR": str(data),
            "RADAR_RETRY_DELAY_SECONDS": "1",
            **connection_env("yahoo_finance", server.url, retries=2, backoff_factor=0.05),
            **connection_env("stooq", server.url, retries=2, backoff_factor=0.05),
            **connection_env("federal_reserve", server.url, retries=2, backoff_factor=0.05),
            **connection_env("fred", server.url, retries=2, backoff_factor=0.05),
            **connection_env("ishares", server.url, retries=2, backoff_factor=0.05),
            **connection_env(
                "sec_edgar",
                server.url,
                retries=2,
                backoff_factor=0.05,
                user_agent=SEC_USER_AGENT,
                www_base_url=server.url,
            ),
            **(env or {}),
        }
        if production:
            from devtools.services import production_stack

            running = production_stack(root / "airflow", env=stack_env)
        else:
            running = AirflowStack(root / "airflow", env=stack_env)
        with running as stack:
            stack.start(DAG_IDS)
            yield stack, server, data


@contextlib.contextmanager
def alert_receivers(webhook_statuses=(200,)):
    """Slack and webhook stand-ins and an SMTP server on 127.0.0.1, with the
    AIRFLOW_CONN_ALERTS_* variables that point the channels at them."""
    from devtools.replay.receivers import MailServer, Receiver, connections

    with Receiver() as slack, Receiver(webhook_statuses) as webhook, MailServer() as mail:
        env = connections(slack, webhook, mail, WEBHOOK_SECRET, retries=2)
        yield slack, webhook, mail, {**env, "RADAR_ALERT_BACKOFF_SECONDS": "0.01"}


def run_dag(stack: AirflowStack, dag_id: str, logical_date: str) -> str:
    """Trigger a run through the scheduler and wait for it; fails with the task log."""
    run_id = stack.trigger(dag_id, logical_date)
    state = stack.wait(dag_id, run_id, timeout=600)
    assert state == "success", stack.failure_report(dag_id, run_id)
    return run_id
