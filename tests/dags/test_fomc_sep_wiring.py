"""The SEP tasks of fomc_statements stand apart from the statements': a failure of one
leaves the other loaded (and still fails the run); they run after the statements' fetch
whatever its outcome; marts_build runs on their asset. Run states are judged by Airflow
itself, as in test_dag_run_state."""

from __future__ import annotations

import pytest

from tests.dags.test_dag_run_state import load_dag, metadata_db, run_state  # noqa: F401

SEP_TASKS = ("discover_projections", "fetch_projections", "load_projections")


def upstream(dag, task_id: str) -> set[str]:
    return set(dag.task_dict[task_id].get_flat_relative_ids(upstream=True))


def test_sep_tasks_are_apart_from_the_statements_load():
    from rotation_radar.orchestration.assets import DATA_QUALITY, FOMC_PROJECTIONS

    dag = load_dag("fomc_statements")
    assert not set(SEP_TASKS) & (upstream(dag, "load_statements") | upstream(dag, "load_fred"))
    assert upstream(dag, "load_projections") == {
        "discover",
        "fetch_statements",
        "discover_projections",
        "fetch_projections",
    }
    assert dag.task_dict["discover_projections"].trigger_rule == "all_done"
    outlets = {o.name for o in dag.task_dict["load_projections"].outlets}
    assert outlets == {FOMC_PROJECTIONS.name, DATA_QUALITY.name}


@pytest.mark.usefixtures("metadata_db")
@pytest.mark.parametrize("failing", ["discover_projections", "load_projections"])
def test_a_failed_sep_task_fails_the_run_and_leaves_the_statements_loaded(failing):
    state, tasks = run_state("fomc_statements", failing)
    assert state == "failed", tasks
    assert tasks["load_statements"] == "success" and tasks["load_fred"] == "success", tasks


@pytest.mark.usefixtures("metadata_db")
def test_a_failed_statements_fetch_leaves_the_projections_loaded():
    state, tasks = run_state("fomc_statements", "fetch_statements")
    assert state == "failed" and tasks["load_statements"] == "upstream_failed", tasks
    assert all(tasks[t] == "success" for t in SEP_TASKS), tasks


def test_marts_build_runs_on_the_projections():
    from rotation_radar.orchestration.assets import FOMC_PROJECTIONS

    schedule = load_dag("marts_build").timetable.asset_condition
    assert FOMC_PROJECTIONS in set(schedule.objects)
