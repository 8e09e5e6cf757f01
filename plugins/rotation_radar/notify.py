"""Pipeline health: a task that fails for good is announced on the alert channels."""

from __future__ import annotations

from airflow.sdk import BaseNotifier


class FailureNotifier(BaseNotifier):
    """Airflow notifier (on_failure_callback) sending the failed task's error through every
    alert channel whose connection is defined (Slack, email, webhook)."""

    template_fields = ()

    def notify(self, context) -> None:
        from rotation_radar import alerting

        alerting.notify_failure(context)
