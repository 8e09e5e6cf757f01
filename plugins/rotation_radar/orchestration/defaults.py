"""Every task's defaults: owner, retries with exponential backoff, execution timeout, and a
notice on the alert channels when it fails for good."""

from __future__ import annotations

import datetime as dt

from rotation_radar.core import settings
from rotation_radar.orchestration.notify import FailureNotifier


def default_args() -> dict:
    """The `default_args` of every DAG (delays from RADAR_RETRY_DELAY_SECONDS and
    RADAR_TASK_TIMEOUT_MINUTES)."""
    return {
        "on_failure_callback": [FailureNotifier()],
        "owner": "rotation-radar",
        "retries": 3,
        "retry_delay": settings.retry_delay(),
        "retry_exponential_backoff": True,
        "max_retry_delay": dt.timedelta(hours=1),
        "execution_timeout": settings.task_timeout(),
    }
