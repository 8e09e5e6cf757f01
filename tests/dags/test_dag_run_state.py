"""A run in which any task fails ends `failed`, in every DAG: each task in turn is made to
fail for good and the run's state is judged by Airflow itself (`dag.test()`: the real
trigger rules and run-state logic on a throwaway SQLite metadata database). The other
tasks are marked successful instead of run (`mark_success_pattern`), the failing one runs
with its callable replaced by one that raises, and the run guard runs for real."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from unittest import mock

import pytest

from tests.conftest import DAG_IDS

DAGS = Path(__file__).resolve().parents[2] / "dags"
LOGICAL_DATE = dt.datetime(2025, 9, 18, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def metadata_db(tmp_path_factory):
    """Airflow's ORM on a fresh SQLite file, whatever AIRFLOW_HOME the session runs with."""
    from airflow import settings
    from airflow.utils import db

    url = f"sqlite:///{tmp_path_factory.mktemp('airflow-db') / 'airflow.db'}"
    with mock.patch.dict(os.environ, {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": url}):
        settings.configure_vars()
        settings.reconfigure_orm()
        db.initdb()
        yield
    settings.configure_vars()
    settings.reconfigure_orm()


def load_dag(dag_id: str):
    """A fresh copy of the DAG from its file (each case edits its tasks)."""
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(DAGS / f"{dag_id}.py"))
    assert not bag.import_errors, bag.import_errors
    return bag.dags[dag_id]


def injected_failure() -> None:
    raise RuntimeError("injected failure")


def run_state(dag_id: str, failing: str | None) -> tuple[str, dict[str, str]]:
    """Run the DAG with task `failing` failing for good (no retries left) and every other
    task but the run guard succeeding; returns the run's state and each task's."""
    from rotation_radar.orchestration.notify import RUN_GUARD_TASK_ID

    dag = load_dag(dag_id)
    if failing is not None:
        task = dag.task_dict[failing]
        task.python_callable, task.op_args, task.op_kwargs = injected_failure, (), {}
        task.retries = 0  # the last try
        task.on_failure_callback = []  # the failure notice is tested elsewhere
    succeed = [t for t in dag.task_ids if t not in (failing, RUN_GUARD_TASK_ID)]
    run = dag.test(
        logical_date=LOGICAL_DATE, mark_success_pattern="|".join(map(re.escape, succeed))
    )
    return run.state, {ti.task_id: ti.state for ti in run.get_task_instances()}


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_a_run_with_a_failed_task_fails(metadata_db, dag_id):
    from rotation_radar.orchestration.notify import RUN_GUARD_TASK_ID

    state, tasks = run_state(dag_id, None)
    assert state == "success", tasks
    assert tasks.get(RUN_GUARD_TASK_ID) in (None, "skipped"), tasks

    wrong = {}
    for task_id in load_dag(dag_id).task_ids:
        if task_id == RUN_GUARD_TASK_ID:  # runs only when another task failed
            continue
        state, tasks = run_state(dag_id, task_id)
        assert tasks[task_id] == "failed", tasks
        if state != "failed":
            wrong[task_id] = (state, tasks)
    assert not wrong, f"{dag_id}: a run whose task failed did not end failed: {wrong}"
