"""Breakout alerts: from the published warehouse's signals to deliveries, each once.

- `deliver_signals` reads `marts.breakout_signals` and the as-of session (the latest
  finished session in the warehouse) read-only from the published warehouse, as a BI
  tool does, and the alert log from the lake; `rules.decide` says which (rule, subject,
  session, channel) keys to deliver or suppress; each channel whose connection is
  defined gets one digest, and its outcome is logged right after the delivery.
- `check_freshness` alerts (once per session and channel) when the warehouse has not
  been published for the last session that closed `freshness_minutes_after_close` ago.
- `notify_failure` sends a failed task's error through the same channels.

The log lives in the lake (`lake/alert_log/`), one file per delivery outcome named by
its status and keys, so a rerun, a retried task or a rebuilt warehouse only ever adds
to it; a key logged `delivered` or `suppressed` is never sent again. A crash between a
delivery and its log write is the one window for a repeat: the webhook carries the
idempotency key so a receiver can drop it.
"""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd

from rotation_radar.alerts import channels, rules
from rotation_radar.core import lake, sessions
from rotation_radar.warehouse import read

log = logging.getLogger(__name__)
DATASET = "alert_log"
FRESHNESS_RULE = "warehouse_freshness"
FAILURE_RULE = "pipeline_failure"


class DeliveryFailed(RuntimeError):
    """A channel could not deliver after its retries; logged, and retried by the next run."""


def read_log() -> pd.DataFrame:
    return lake.read_all(DATASET)


def write_log(rows: pd.DataFrame) -> str:
    """Store one delivery outcome's rows (one channel, one status); the file name holds
    the status and the keys, so the same outcome rewrites the same file and a different
    one adds a file."""
    channel, status = rows["channel"].iloc[0], rows["status"].iloc[0]
    digest = rules.digest_key(rows["idempotency_key"])[:24]
    return lake.write(DATASET, rows, channel=channel, status=status, digest=digest)


def published() -> tuple[pd.DataFrame, dt.date | None]:
    """Signals and as-of session of the published warehouse (empty, None when there is none)."""
    import duckdb

    path = read.published_path()
    if path is None:
        return pd.DataFrame(columns=rules.SIGNAL_COLUMNS), None
    with duckdb.connect(str(path), read_only=True) as con:
        signals = con.execute(
            "select * from marts.breakout_signals order by date, rule, subject"
        ).df()
        signals["date"] = pd.to_datetime(signals["date"]).dt.date
        as_of = con.execute("select max(date) from marts.records").fetchone()[0]
    return signals, as_of


def enabled_channels() -> list[str]:
    """Channels whose connection is defined (an undefined one is off, not an error)."""
    from rotation_radar.core import connections

    return [c for c in rules.CHANNELS if connections.endpoint(channels.CONNECTIONS[c]) is not None]


def _log_rows(
    rows: pd.DataFrame, status: str, run_id: str, now: dt.datetime, error=None, attempts=0
) -> pd.DataFrame:
    frame = rows.assign(
        status=status, error=error, attempts=attempts, delivered_at=now, run_id=run_id
    )
    frame["session_date"] = pd.to_datetime(frame["session_date"]).dt.date
    return frame[lake.SCHEMAS[DATASET].names]


def send(
    rows: pd.DataFrame, channel: str, config: rules.AlertConfig, run_id: str, now: dt.datetime
) -> dict:
    """Deliver one channel's rows as one message and log the outcome; returns counts."""
    message = rules.render(rows, channel, config)
    delivery = channels.deliver(channel, message, rows, config)
    if delivery is None:  # the connection vanished since the decision: nothing sent, nothing logged
        return {"delivered": 0, "failed": 0}
    attempts = rows["previous_attempts"].fillna(0).astype(int) + delivery.attempts
    write_log(_log_rows(rows, delivery.status, run_id, now, delivery.error, attempts))
    log.info(
        "%s: %s %d alert(s) in %d attempt(s)",
        channel,
        delivery.status,
        len(rows),
        delivery.attempts,
    )
    return {delivery.status: len(rows), "error": delivery.error}


def deliver_signals(run_id: str, now: dt.datetime, config: rules.AlertConfig | None = None) -> dict:
    """Decide and deliver the new alerts of the published warehouse; raises DeliveryFailed
    naming the channels that failed, after every channel had its turn."""
    config = config or rules.load_config()
    signals, as_of = published()
    summary: dict = {"as_of": as_of.isoformat() if as_of else None, "channels": {}}
    on = enabled_channels()
    if as_of is None or signals.empty or not on:
        summary["skipped"] = (
            "no warehouse" if as_of is None else "no signals" if signals.empty else "no channel"
        )
        return summary
    days = sessions.sessions_between(min(signals["date"]), as_of)
    decisions = rules.decide(signals, days, read_log(), config, as_of, channels=on)
    failures = []
    for channel, rows in decisions.groupby("channel", sort=False):
        counts = {"delivered": 0, "failed": 0, "suppressed": 0}
        quiet = rows[rows["action"] == "suppress"]
        if len(quiet):
            write_log(_log_rows(quiet, "suppressed", run_id, now))
            counts["suppressed"] = len(quiet)
        due = rows[rows["action"] == "deliver"]
        if len(due):
            outcome = send(due, channel, config, run_id, now)
            counts["delivered"], counts["failed"] = (
                outcome.get("delivered", 0),
                outcome.get("failed", 0),
            )
            if outcome.get("failed"):
                failures.append(f"{channel}: {outcome['error']}")
        summary["channels"][channel] = counts
    if failures:
        raise DeliveryFailed(
            f"alerts for {as_of}: "
            + "; ".join(failures)
            + " (logged as failed; the next run retries them)"
        )
    return summary


def expected_session(now: dt.datetime, minutes_after_close: int) -> dt.date:
    """The latest session that closed at least `minutes_after_close` before `now`."""
    day = sessions.session_on_or_before(now.astimezone(dt.UTC).date())
    while sessions.open_close(day)[1] + dt.timedelta(minutes=minutes_after_close) > now:
        day = sessions.sessions_back(day, 1)
    return day


def check_freshness(run_id: str, now: dt.datetime, config: rules.AlertConfig | None = None) -> dict:
    """Alert once per session and channel when the published warehouse is older than the
    last session that closed `freshness_minutes_after_close` minutes before `now`."""
    config = config or rules.load_config()
    due = expected_session(now, config.freshness_minutes_after_close)
    _, as_of = published()
    result = {
        "expected": due.isoformat(),
        "published": as_of.isoformat() if as_of else None,
        "fresh": True,
    }
    if as_of is not None and as_of >= due:
        return result
    result["fresh"] = False
    deadline = sessions.open_close(due)[1] + dt.timedelta(
        minutes=config.freshness_minutes_after_close
    )
    message = (
        f"warehouse/radar.duckdb has not been published for the {due} session "
        f"by {deadline:%Y-%m-%d %H:%M} UTC "
        f"(close + {config.freshness_minutes_after_close} min); the published warehouse ends "
        f"{as_of or 'nowhere (none published)'}. Check prices_daily and marts_build."
    )
    logged = read_log()
    done = set(logged.loc[logged["status"] == "delivered", "idempotency_key"])
    for channel in enabled_channels():
        key = rules.idempotency_key(FRESHNESS_RULE, "warehouse", due, channel)
        if key in done:
            continue
        row = pd.DataFrame(
            [
                {
                    "rule": FRESHNESS_RULE,
                    "subject": "warehouse",
                    "session_date": due,
                    "channel": channel,
                    "severity": "critical",
                    "value": float((due - as_of).days) if as_of else None,
                    "threshold": 0.0,
                    "message": message,
                    "idempotency_key": key,
                    "previous_attempts": 0,
                }
            ]
        )
        result[channel] = send(row, channel, config, run_id, now)
    return result


def notify_failure(context: dict) -> None:
    """A task failed for good: say so on every enabled channel (not logged as an alert)."""
    ti = context.get("ti") or context.get("task_instance")
    dag_id = getattr(ti, "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    when = context.get("logical_date") or dt.datetime.now(dt.UTC)
    error = context.get("exception")
    message = (
        f"{dag_id}.{task_id} failed for good (run {context.get('run_id', '?')}, try "
        f"{getattr(ti, 'try_number', '?')}): {type(error).__name__ if error else 'error'}: {error}"
    )
    row = pd.DataFrame(
        [
            {
                "rule": FAILURE_RULE,
                "subject": f"{dag_id}.{task_id}",
                "session_date": pd.Timestamp(when).date(),
                "severity": "critical",
                "value": None,
                "threshold": None,
                "message": message,
                "idempotency_key": rules.idempotency_key(
                    FAILURE_RULE, f"{dag_id}.{task_id}", pd.Timestamp(when).date(), "*"
                ),
            }
        ]
    )
    config = rules.load_config()
    for channel in enabled_channels():
        delivery = channels.deliver(channel, rules.render(row, channel, config), row, config)
        log.info(
            "failure notice for %s.%s on %s: %s",
            dag_id,
            task_id,
            channel,
            delivery and delivery.status,
        )
