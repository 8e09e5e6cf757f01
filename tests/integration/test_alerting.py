"""breakout_alerts' stages against real receivers on 127.0.0.1 (an HTTP server for
Slack and for the webhook, aiosmtpd for email), over a real warehouse built from the
replay's ^RUT and ^GSPC. Exactly once per (rule, subject, session, channel) whatever is
rerun, retried or rebuilt."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json

import duckdb
import pandas as pd
import pytest

from devtools.replay import receivers
from rotation_radar.alerts import delivery
from rotation_radar.core import storage
from rotation_radar.core.settings import Pair, Universe
from rotation_radar.core.transport import HttpSource
from rotation_radar.prices import ingest
from rotation_radar.warehouse import publish, read

SESSION = dt.date(2025, 9, 18)
NOW = dt.datetime(2025, 9, 18, 22, 0, tzinfo=dt.UTC)
SECRET = "demo-secret"
UNIVERSE = Universe(
    history_start=dt.date(2019, 1, 2),
    groups={"indices": ("^RUT", "^GSPC")},
    baskets={},
    pairs=(Pair("^RUT", "^GSPC", "close"),),
)


@pytest.fixture
def world(data_dir, replay, monkeypatch):
    """A published warehouse through SESSION and the three receivers, connected."""
    http = HttpSource("yahoo_finance", replay.url, retries=1, backoff_factor=0.01)
    key = ingest.fetch_all(["^RUT", "^GSPC"], SESSION, UNIVERSE.history_start, 5, http, None, "p1")
    ingest.load(key, SESSION, "p1", NOW)
    publish.build_and_publish(UNIVERSE, "build1")
    monkeypatch.setenv("RADAR_ALERT_BACKOFF_SECONDS", "0.01")
    with (
        receivers.Receiver() as slack,
        receivers.Receiver() as webhook,
        receivers.MailServer() as mail,
    ):
        for name, value in receivers.connections(slack, webhook, mail, SECRET, retries=2).items():
            monkeypatch.setenv(name, value)
        yield slack, webhook, mail


def deliver(run_id="a1"):
    return delivery.deliver_signals(run_id, NOW)


def keys(webhook) -> list[str]:
    return [k for body in webhook.delivered() for k in body["idempotency_keys"]]


def log() -> pd.DataFrame:
    return delivery.read_log()


def test_first_run_alerts_the_latest_sessions_once_per_channel(world):
    slack, webhook, mail = world
    summary = deliver()
    assert set(summary["channels"]) == {"slack", "email", "webhook"}
    [body] = webhook.delivered()
    sent = {(a["rule"], a["subject"], a["session_date"]) for a in body["alerts"]}
    assert ("tested_and_failed", "^RUT", "2025-09-17") in sent
    assert ("record_close", "^RUT", "2025-09-18") in sent
    assert all(day >= "2025-09-16" for _, _, day in sent)  # the latest 3 sessions only
    text = body["text"]
    for number in ("2,453.36", "2,442.74", "2,407.34", "2021-11-08", "2,467.70"):
        assert number in text
    # one digest per channel
    assert len(slack.requests) == 1 and len(mail.envelopes) == 1
    [email] = mail.messages()
    assert {p.get_content_type() for p in email.walk()} >= {"text/plain", "text/html"}
    # older hits are logged as suppressed, never sent
    logged = log()
    assert (logged["status"] == "suppressed").sum() > 0
    assert not logged.duplicated(["rule", "subject", "session_date", "channel"]).any()


def test_webhook_is_signed_and_carries_the_idempotency_key(world):
    _, webhook, _ = world
    deliver()
    [request] = webhook.requests
    expected = hmac.new(SECRET.encode(), request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Radar-Signature"] == f"sha256={expected}"
    body = json.loads(request["body"])
    assert request["headers"]["Idempotency-Key"] == body["idempotency_key"]
    assert all(a["idempotency_key"] in body["idempotency_keys"] for a in body["alerts"])


def test_rerun_retry_and_rebuilt_warehouse_deliver_nothing_twice(world):
    slack, webhook, mail = world
    deliver("a1")
    first = (len(slack.requests), len(webhook.requests), len(mail.envelopes))
    deliver("a1")  # the same run again (a retried task)
    deliver("a2")  # another run
    publish.build_and_publish(UNIVERSE, "build2")  # the warehouse rebuilt from the lake
    deliver("a3")
    assert (len(slack.requests), len(webhook.requests), len(mail.envelopes)) == first
    delivered = log()[lambda f: f["status"] == "delivered"]
    assert not delivered.duplicated(["rule", "subject", "session_date", "channel"]).any()


def test_a_receiver_failing_twice_then_answering_gets_the_alert_once(world, monkeypatch):
    slack, _, mail = world
    with receivers.Receiver(statuses=(500, 500, 200)) as flaky:
        monkeypatch.setenv(
            "AIRFLOW_CONN_ALERTS_WEBHOOK",
            json.dumps(
                {"conn_type": "http", "host": f"{flaky.url}/radar", "extra": {"retries": 2}}
            ),
        )
        deliver()
        assert [r["path"] for r in flaky.requests] == ["/radar"] * 3
        bodies = {r["body"] for r in flaky.requests}
        assert len(bodies) == 1  # the same message, retried
        logged = log()
        webhook_rows = logged[logged["channel"] == "webhook"]
        assert set(webhook_rows.loc[webhook_rows["status"] != "suppressed", "status"]) == {
            "delivered"
        }
        assert set(webhook_rows.loc[webhook_rows["status"] == "delivered", "attempts"]) == {3}
        deliver("again")
        assert len(flaky.requests) == 3


def test_a_broken_channel_is_logged_retried_next_run_and_does_not_stop_the_others(
    world, monkeypatch
):
    slack, webhook, mail = world
    with receivers.Receiver(statuses=(503,)) as broken:
        monkeypatch.setenv(
            "AIRFLOW_CONN_ALERTS_SLACK",
            json.dumps(
                {
                    "conn_type": "slackwebhook",
                    "host": f"{broken.url}/services",
                    "password": "T/B/x",
                    "extra": {"retries": 1},
                }
            ),
        )
        with pytest.raises(delivery.DeliveryFailed, match="slack: .*503.*the next run retries"):
            deliver("r1")
        assert len(webhook.requests) == 1 and len(mail.envelopes) == 1  # the others delivered
        failed = log()[lambda f: f["status"] == "failed"]
        assert set(failed["channel"]) == {"slack"} and failed["error"].str.contains("503").all()
        assert set(failed["attempts"]) == {2}
    # Slack is back: the next run delivers the failed keys once, and nothing else
    monkeypatch.setenv(
        "AIRFLOW_CONN_ALERTS_SLACK",
        json.dumps(
            {"conn_type": "slackwebhook", "host": f"{slack.url}/services", "password": "T/B/x"}
        ),
    )
    deliver("r2")
    assert len(slack.requests) == 1 and len(webhook.requests) == 1
    deliver("r3")  # failed then delivered: final, never again
    assert len(slack.requests) == 1
    publish.build_and_publish(UNIVERSE, "build2")
    with duckdb.connect(str(storage.path(read.WAREHOUSE_KEY)), read_only=True) as con:
        rows = con.execute(
            "select status, attempts, outcomes from marts.alert_log "
            "where channel = 'slack' and status <> 'suppressed'"
        ).fetchall()
    assert rows and all(
        r == ("delivered", 3, 2) for r in rows
    )  # 2 failed attempts + 1, two outcomes


def test_a_channel_without_connection_is_off(world, monkeypatch):
    _, webhook, mail = world
    monkeypatch.delenv("AIRFLOW_CONN_ALERTS_SLACK")
    summary = deliver()
    assert set(summary["channels"]) == {"email", "webhook"}
    assert "slack" not in set(log()["channel"])


def test_freshness_alert_when_the_warehouse_is_late_once(world):
    slack, webhook, mail = world
    on_time = delivery.check_freshness("f0", dt.datetime(2025, 9, 19, 21, 0, tzinfo=dt.UTC))
    assert on_time["fresh"] and on_time["expected"] == "2025-09-18"  # 09-19 closed < 120 min ago
    late = dt.datetime(2025, 9, 19, 23, 30, tzinfo=dt.UTC)
    result = delivery.check_freshness("f1", late)
    assert (
        not result["fresh"]
        and result["expected"] == "2025-09-19"
        and result["published"] == "2025-09-18"
    )
    [body] = webhook.delivered()
    assert body["alerts"][0]["rule"] == "warehouse_freshness"
    assert "2025-09-19" in body["text"] and "22:00 UTC" in body["text"]
    delivery.check_freshness("f2", late)
    assert len(webhook.requests) == len(slack.requests) == len(mail.envelopes) == 1


def test_a_task_that_fails_for_good_is_announced_on_every_channel(world):
    from rotation_radar.orchestration.defaults import default_args
    from rotation_radar.orchestration.notify import FailureNotifier

    slack, webhook, mail = world
    notifiers = default_args()["on_failure_callback"]
    assert [type(n) for n in notifiers] == [FailureNotifier]

    class TaskInstance:  # what Airflow hands a notifier: the failed task instance
        dag_id, task_id, try_number = "prices_daily", "fetch", 4

    context = {
        "ti": TaskInstance(),
        "run_id": "scheduled__2025-09-19",
        "logical_date": NOW,
        "exception": RuntimeError("prices for 2025-09-19: every symbol failed (13)"),
    }
    notifiers[0].notify(context)
    [body] = webhook.delivered()
    assert body["alerts"][0]["rule"] == "pipeline_failure"
    assert (
        "prices_daily.fetch failed for good" in body["text"]
        and "every symbol failed" in body["text"]
    )
    assert len(slack.requests) == len(mail.envelopes) == 1
    assert delivery.read_log().empty  # a notice, not an alert: nothing logged
