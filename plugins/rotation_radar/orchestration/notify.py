"""Pipeline health: a task that fails for good is announced on the alert channels, and a
run in which a task failed ends failed."""

from __future__ import annotations

from airflow.sdk import BaseNotifier, TriggerRule, task
from airflow.sdk.exceptions import AirflowFailException

RUN_GUARD_TASK_ID = "any_task_failed"


class FailureNotifier(BaseNotifier):
    """Airflow notifier (on_failure_callback) sending the failed task's error through every
    alert channel whose connection is defined (Slack, email, webhook)."""

    template_fields = ()

    def notify(self, context) -> None:
        from rotation_radar.alerts import delivery

        delivery.notify_failure(context)


def fail_run_when_any_task_fails() -> None:
    """Add to the DAG being defined a last task, downstream of every other, that fails the
    run when any of them failed. Airflow judges a run by its leaf tasks only, so a leaf that
    runs whatever happened upstream (`trigger_rule="all_done"`) would otherwise end a run
    with a failed task as `success`. Call it after the DAG's wiring."""

    # No failure notice of its own: the failed task has announced itself already.
    @task(task_id=RUN_GUARD_TASK_ID, trigger_rule=TriggerRule.ONE_FAILED, on_failure_callback=[])
    def guard(ti=None) -> None:
        """Runs only when a task of the run failed (skipped otherwise), and fails the run."""
        states = ti.get_task_states(dag_id=ti.dag_id, run_ids=[ti.run_id]).get(ti.run_id, {})
        failed = sorted(task_id for task_id, state in states.items() if state == "failed")
        not_run = sorted(task_id for task_id, state in states.items() if state == "upstream_failed")
        raise AirflowFailException(
            f"{ti.dag_id} run {ti.run_id} failed: task(s) {', '.join(failed) or '?'} failed"
            + (f", so {', '.join(not_run)} did not run" if not_run else "")
            + "; see their logs"
        )

    guard_task = guard().operator
    for other in guard_task.dag.tasks:
        if other is not guard_task:
            other >> guard_task
