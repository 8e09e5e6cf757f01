"""Every DAG imports cleanly, is documented and retried, and parses without heavy imports."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DAG_IDS

DAGS = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(DAGS.glob("*.py"))
HEAVY = ("pandas", "duckdb", "great_expectations", "pyarrow", "requests", "exchange_calendars")

# Parse one file in a fresh interpreter, as the dag-processor does; Airflow itself is
# imported first so that only the file's own cost is timed.
PROBE = f"""
import json, sys, time
from airflow.dag_processing.dagbag import DagBag
start = time.perf_counter()
bag = DagBag(dag_folder=sys.argv[1], load_op_links=False)
elapsed = time.perf_counter() - start
heavy = [m for m in {HEAVY!r} if m in sys.modules]
print(json.dumps({{
    "seconds": elapsed, "heavy": heavy, "dags": bag.dag_ids, "errors": list(bag.import_errors)
}}))
"""


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == set(DAG_IDS)


def test_every_dag_has_tags_owner_retries_and_docs(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.doc_md and len(dag.doc_md) > 100, f"{dag_id} has no docs"
        for task in dag.tasks:
            assert task.owner and task.owner != "airflow", f"{dag_id}.{task.task_id} has no owner"
            assert task.retries >= 2, f"{dag_id}.{task.task_id} retries {task.retries}"
            assert task.retry_exponential_backoff, (
                f"{dag_id}.{task.task_id} has no exponential backoff"
            )
            assert task.execution_timeout is not None, f"{dag_id}.{task.task_id} has no timeout"


def test_lake_and_warehouse_writers_do_not_run_concurrently(dagbag):
    for dag_id in dagbag.dag_ids:
        assert dagbag.dags[dag_id].max_active_runs == 1


def test_marts_build_runs_when_any_source_changes(dagbag):
    from rotation_radar.orchestration import assets

    schedule = dagbag.dags["marts_build"].timetable.asset_condition
    sources = (
        assets.PRICES_DAILY,
        assets.FOMC_STATEMENTS,
        assets.FED_RATES,
        assets.UNIVERSE_MEMBERS,
    )
    assert {*sources, assets.EARNINGS_FACTS} <= set(schedule.objects)
    WAREHOUSE = assets.WAREHOUSE
    outlets = {o.name for t in dagbag.dags["marts_build"].tasks for o in t.outlets}
    assert WAREHOUSE.name in outlets


@pytest.mark.parametrize("path", DAG_FILES, ids=[p.name for p in DAG_FILES])
def test_parse_imports_nothing_heavy(path):
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)], capture_output=True, text=True, check=True
    ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(f"\nparse time {path.name}: {result['seconds']:.3f}s")
    assert result["errors"] == []
    assert result["dags"], f"{path.name} defines no DAG"
    assert result["heavy"] == [], f"{path.name} imports {result['heavy']} at parse time"


def test_breakout_alerts_run_on_the_warehouse_and_on_a_clock(dagbag):
    from airflow.sdk import AssetOrTimeSchedule

    from rotation_radar.orchestration.assets import WAREHOUSE

    timetable = dagbag.dags["breakout_alerts"].timetable
    assert isinstance(timetable, AssetOrTimeSchedule)
    assert WAREHOUSE.name in {a.name for a in timetable.asset_condition.objects}
    assert timetable.timetable.expression == "30 23 * * 1-5"


def test_every_task_announces_a_final_failure(dagbag):
    from rotation_radar.orchestration.notify import RUN_GUARD_TASK_ID, FailureNotifier

    for dag_id, dag in dagbag.dags.items():
        for task in dag.tasks:
            if task.task_id == RUN_GUARD_TASK_ID:  # fails only after a task that announced itself
                assert not task.on_failure_callback, f"{dag_id}.{task.task_id} would announce twice"
                continue
            callbacks = task.on_failure_callback or []
            assert any(isinstance(c, FailureNotifier) for c in callbacks), (
                f"{dag_id}.{task.task_id}"
            )


def test_every_pool_a_task_uses_is_created_by_init(dagbag):
    """A task in a pool that does not exist is never scheduled: every pool must be in
    include/config/pools.json, which airflow-init (and the native stacks) import."""
    from devtools.stack import POOLS_FILE

    pools = json.loads(POOLS_FILE.read_text())
    used = {task.pool for dag in dagbag.dags.values() for task in dag.tasks} - {"default_pool"}
    assert used and used <= set(pools), f"pools used {used}, created {set(pools)}"
    sec_tasks = {t.task_id for t in dagbag.dags["earnings_sec"].tasks if t.pool == "sec_edgar"}
    assert sec_tasks == {"plan", "fetch_and_load"}
    assert pools["sec_edgar"]["slots"] == 1
