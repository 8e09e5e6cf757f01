"""
### breakout_alerts

Breakout alerts to people, each exactly once per (rule, subject, session, channel),
with the numbers that justify them.

- **When**: whenever `marts_build` publishes the warehouse (the asset), and on a
  time schedule (weekdays 23:30 UTC) for the freshness check: a warehouse not
  published for the last session that closed `freshness_minutes_after_close`
  minutes ago raises a critical alert.
- **Reads**: `marts.breakout_signals` of the published warehouse (read-only, as a
  BI tool), the rules in `include/config/alerts.yaml` (`RADAR_ALERTS`), the alert
  log in `lake/alert_log/`.
- **Decides** (`rotation_radar.alerts.rules.decide`): only finished sessions; a rule that
  stays true re-arms only after `rearm_sessions` quiet sessions (a new extreme may
  alert again); a rule's first run on a channel alerts only the latest few sessions
  and logs older hits as `suppressed`; a key already delivered or suppressed is
  never sent again, whatever reruns, retries or rebuilt warehouses happen.
- **Delivers** one digest per channel whose connection is defined: `alerts_slack`
  (Slack webhook), `alerts_smtp` (email, plain text and HTML), `alerts_webhook`
  (JSON with the idempotency key, HMAC-SHA256 signed when a secret is set). Each
  outcome is logged at once; a failed channel is retried with backoff, logged with
  its error, fails the task after the other channels had their turn, and is retried
  by the next run.
- **Reports**: after the deliveries (whatever their outcome), the morning report
  `reports/YYYY-MM-DD.html` and `reports/latest.html` under `RADAR_DATA_DIR`: charts
  of ^RUT against its record close with the breakouts, each pair's RS ratio with its
  averages, the valuation spreads with z-score bands, FOMC decisions on the time
  axis, and the session's signals with their delivery status. Opens offline.
- Every task of every DAG announces a final failure on the same channels; a run in
  which a task failed ends failed (the last task, `any_task_failed`, sees to it).
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task

from rotation_radar.orchestration.assets import WAREHOUSE
from rotation_radar.orchestration.defaults import default_args
from rotation_radar.orchestration.notify import fail_run_when_any_task_fails


@dag(
    dag_id="breakout_alerts",
    doc_md=__doc__,
    schedule=AssetOrTimeSchedule(
        timetable=CronTriggerTimetable("30 23 * * 1-5", timezone="UTC"), assets=[WAREHOUSE]
    ),
    start_date=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
    catchup=False,
    max_active_runs=1,  # one writer of the alert log at a time
    default_args=default_args(),
    tags=["rotation-radar", "alerts"],
)
def breakout_alerts():
    @task
    def check_freshness(logical_date=None, dag_run=None, run_id=None) -> dict:
        """Alert when the warehouse was not published in time after the last close
        before the run's time (its logical date; an asset-triggered run has none)."""
        from rotation_radar.alerts import delivery

        return delivery.check_freshness(run_id, logical_date or dag_run.run_after)

    @task
    def deliver_alerts(run_id=None) -> dict:
        """Decide the new alerts of the published warehouse and deliver each once."""
        from rotation_radar.alerts import delivery

        return delivery.deliver_signals(run_id, dt.datetime.now(dt.UTC))

    @task(trigger_rule="all_done")  # also after a failed delivery: the report shows it
    def morning_report() -> str:
        """Render reports/YYYY-MM-DD.html and latest.html from the published warehouse."""
        from rotation_radar.report import morning

        return str(morning.render_published())

    check_freshness()  # independent: one failing does not hold back the other
    deliver_alerts() >> morning_report()
    fail_run_when_any_task_fails()  # the report runs past a failed delivery: the run still fails


breakout_alerts()
