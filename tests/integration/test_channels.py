"""Alert delivery against real receivers on 127.0.0.1: an HTTP server standing in for
Slack's incoming webhook and for a JSON webhook, and a real SMTP server (aiosmtpd).
Connections come from AIRFLOW_CONN_* variables, as in a deployment."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import hmac
import json

import pandas as pd
import pytest

from devtools.replay.receivers import MailServer, Receiver
from rotation_radar.alerts import channels, rules
from rotation_radar.alerts.rules import AlertConfig, Rule

RUT_TESTED = (
    "^RUT traded at 2,453.36, above its record close of 2,442.74 (2021-11-08), "
    "but closed at 2,407.34: tested and failed (2025-09-17)"
)
RUT_RECORD = (
    "^RUT closed at a record 2,467.70 on 2025-09-18, above the prior record close "
    "of 2,442.74 (2021-11-08)"
)
SECRET = "webhook-secret-for-tests"
SLACK_TOKEN = "T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"


@pytest.fixture
def receiver():
    started = []

    def start(statuses=(200,), body=b"ok"):
        r = Receiver(statuses, body).start()
        started.append(r)
        return r

    yield start
    for r in started:
        r.stop()


@pytest.fixture(autouse=True)
def no_alert_connections(monkeypatch):
    for conn_id in channels.CONNECTIONS.values():
        monkeypatch.delenv(f"AIRFLOW_CONN_{conn_id.upper()}", raising=False)
    monkeypatch.setenv("RADAR_ALERT_BACKOFF_SECONDS", "0.01")


def connect(monkeypatch, conn_id: str, **doc) -> None:
    monkeypatch.setenv(f"AIRFLOW_CONN_{conn_id.upper()}", json.dumps(doc))


CONFIG = AlertConfig(
    rules={
        "tested_and_failed": Rule("tested_and_failed", severity="critical"),
        "record_close": Rule("record_close", severity="critical"),
    },
    email_to=("desk@example.com", "pm@example.com"),
    report_url="https://radar.example/report/{date}",
)


def batch(*which: str) -> pd.DataFrame:
    rows = {
        "tested": ("tested_and_failed", "^RUT", dt.date(2025, 9, 17), 2453.36, 2442.74, RUT_TESTED),
        "record": ("record_close", "^RUT", dt.date(2025, 9, 18), 2467.70, 2442.74, RUT_RECORD),
    }
    columns = ("rule", "subject", "session_date", "value", "threshold", "message")
    frame = pd.DataFrame([rows[w] for w in which], columns=list(columns))
    return frame.assign(severity="critical")


def test_undefined_connections_turn_channels_off():
    one = batch("tested")
    for channel in channels.CONNECTIONS:
        message = rules.render(one, channel, CONFIG)
        assert channels.deliver(channel, message, one, CONFIG) is None


def test_slack_webhook_through_the_provider_hook(monkeypatch, receiver):
    slack = receiver()
    connect(
        monkeypatch,
        "alerts_slack",
        conn_type="slackwebhook",
        host=f"{slack.url}/services",
        password=SLACK_TOKEN,
    )
    one = batch("tested")
    delivery = channels.deliver("slack", rules.render(one, "slack", CONFIG), one, CONFIG)
    assert delivery == channels.Delivery("slack", "delivered", None, 1, "HTTP 200 ok")
    [request] = slack.requests
    assert request["path"] == f"/services/{SLACK_TOKEN}"
    body = json.loads(request["body"])
    assert RUT_TESTED in body["text"] and "2025-09-17" in body["text"]
    assert "tested_and_failed" in body["text"] and "CRITICAL" in body["text"]
    assert "<https://radar.example/report/2025-09-17|Morning report>" in body["text"]


def test_webhook_payload_keys_and_signature(monkeypatch, receiver):
    hook = receiver()
    connect(
        monkeypatch,
        "alerts_webhook",
        conn_type="http",
        host=f"{hook.url}/radar",
        extra={"secret": SECRET},
    )
    two = batch("tested", "record")
    message = rules.render(two, "webhook", CONFIG)
    delivery = channels.deliver("webhook", message, two, CONFIG)
    assert (delivery.status, delivery.attempts, delivery.error) == ("delivered", 1, None)

    [request] = hook.requests
    assert request["path"] == "/radar"
    expected = "sha256=" + hmac.new(SECRET.encode(), request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Radar-Signature"] == expected
    payload = json.loads(request["body"])
    keys = [
        rules.idempotency_key("tested_and_failed", "^RUT", "2025-09-17", "webhook"),
        rules.idempotency_key("record_close", "^RUT", "2025-09-18", "webhook"),
    ]
    assert payload["idempotency_keys"] == keys
    assert (
        payload["idempotency_key"]
        == rules.digest_key(keys)
        == request["headers"]["Idempotency-Key"]
    )
    assert [a["idempotency_key"] for a in payload["alerts"]] == keys
    assert payload["alerts"][0] == {
        "idempotency_key": keys[0],
        "rule": "tested_and_failed",
        "subject": "^RUT",
        "session_date": "2025-09-17",
        "severity": "critical",
        "value": 2453.36,
        "threshold": 2442.74,
        "message": RUT_TESTED,
    }
    assert payload["text"] == message.text and RUT_RECORD in payload["text"]


def test_webhook_without_secret_is_unsigned(monkeypatch, receiver):
    hook = receiver()
    connect(monkeypatch, "alerts_webhook", conn_type="http", host=hook.url)
    one = batch("record")
    delivery = channels.deliver("webhook", rules.render(one, "webhook", CONFIG), one, CONFIG)
    assert delivery.status == "delivered"
    [request] = hook.requests
    assert "X-Radar-Signature" not in request["headers"]
    key = rules.idempotency_key("record_close", "^RUT", "2025-09-18", "webhook")
    assert request["headers"]["Idempotency-Key"] == key


@pytest.mark.parametrize("channel", ["slack", "webhook"])
def test_500_twice_then_200_is_delivered_once_after_three_attempts(monkeypatch, receiver, channel):
    server = receiver(statuses=(500, 500, 200))
    if channel == "slack":
        connect(
            monkeypatch, "alerts_slack", conn_type="slackwebhook", host=server.url, password="hook"
        )
    else:
        connect(monkeypatch, "alerts_webhook", conn_type="http", host=server.url)
    one = batch("tested")
    delivery = channels.deliver(channel, rules.render(one, channel, CONFIG), one, CONFIG)
    assert (delivery.status, delivery.attempts, delivery.error) == ("delivered", 3, None)
    assert len(server.requests) == 3
    # The receiver got three identical requests: the same message, the same key.
    assert len({r["body"] for r in server.requests}) == 1
    assert len({r["headers"].get("Idempotency-Key") for r in server.requests}) == 1


def test_429_is_retried(monkeypatch, receiver):
    server = receiver(statuses=(429, 200))
    connect(monkeypatch, "alerts_webhook", conn_type="http", host=server.url)
    one = batch("tested")
    delivery = channels.deliver("webhook", rules.render(one, "webhook", CONFIG), one, CONFIG)
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


@pytest.mark.parametrize("channel", ["slack", "webhook"])
def test_receiver_that_always_fails(monkeypatch, receiver, channel):
    server = receiver(statuses=(503,))
    extra = {"retries": 2}
    if channel == "slack":
        connect(
            monkeypatch,
            "alerts_slack",
            conn_type="slackwebhook",
            host=server.url,
            password="hook",
            extra=extra,
        )
    else:
        connect(monkeypatch, "alerts_webhook", conn_type="http", host=server.url, extra=extra)
    one = batch("tested")
    delivery = channels.deliver(channel, rules.render(one, channel, CONFIG), one, CONFIG)
    assert (delivery.status, delivery.attempts) == ("failed", 3)
    assert "HTTP 503" in delivery.error and channels.CONNECTIONS[channel] in delivery.error
    assert len(server.requests) == 3


def test_client_error_is_not_retried(monkeypatch, receiver):
    server = receiver(statuses=(404,))
    connect(monkeypatch, "alerts_webhook", conn_type="http", host=server.url)
    one = batch("tested")
    delivery = channels.deliver("webhook", rules.render(one, "webhook", CONFIG), one, CONFIG)
    assert (delivery.status, delivery.attempts) == ("failed", 1) and "HTTP 404" in delivery.error


def test_unreachable_receiver_fails_with_the_error(monkeypatch, receiver):
    server = receiver()
    url = server.url
    server.__exit__()  # nothing listens there any more
    connect(monkeypatch, "alerts_webhook", conn_type="http", host=url, extra={"retries": 1})
    connect(
        monkeypatch,
        "alerts_slack",
        conn_type="slackwebhook",
        host=url,
        password="hook",
        extra={"retries": 1},
    )
    one = batch("tested")
    for channel in ("webhook", "slack"):
        delivery = channels.deliver(channel, rules.render(one, channel, CONFIG), one, CONFIG)
        assert (delivery.status, delivery.attempts) == ("failed", 2)
        assert "no answer" in delivery.error


# --- email -------------------------------------------------------------------------


@pytest.fixture
def smtp_server():
    with MailServer() as server:
        yield server, server


def test_email_is_multipart_text_and_html(monkeypatch, smtp_server):
    controller, handler = smtp_server
    connect(
        monkeypatch,
        "alerts_smtp",
        conn_type="smtp",
        host="127.0.0.1",
        port=controller.port,
        extra={"from_email": "radar@example.com"},
    )
    two = batch("tested", "record")
    message = rules.render(two, "email", CONFIG)
    delivery = channels.deliver("email", message, two, CONFIG)
    assert (delivery.status, delivery.attempts, delivery.error) == ("delivered", 1, None)
    assert "desk@example.com" in delivery.detail

    [envelope] = handler.envelopes
    assert envelope.mail_from == "radar@example.com"
    assert envelope.rcpt_tos == ["desk@example.com", "pm@example.com"]
    mail = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
    assert mail["Subject"] == message.subject
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert RUT_TESTED in text and RUT_RECORD in text
    assert "^RUT traded at 2,453.36" in html and "<li>" in html
    keys = [
        rules.idempotency_key("tested_and_failed", "^RUT", "2025-09-17", "email"),
        rules.idempotency_key("record_close", "^RUT", "2025-09-18", "email"),
    ]
    assert mail["X-Radar-Idempotency-Key"].strip() == rules.digest_key(keys)  # a folded header


def test_email_server_down_fails_with_the_error(monkeypatch):
    from devtools.stack import free_port

    port = free_port()
    connect(
        monkeypatch,
        "alerts_smtp",
        conn_type="smtp",
        host="127.0.0.1",
        port=port,
        extra={"retries": 1},
    )
    one = batch("tested")
    delivery = channels.deliver("email", rules.render(one, "email", CONFIG), one, CONFIG)
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert f"127.0.0.1:{port}" in delivery.error


def test_one_broken_channel_does_not_stop_the_others(monkeypatch, receiver):
    hook = receiver()
    connect(monkeypatch, "alerts_webhook", conn_type="http", host=hook.url)
    connect(monkeypatch, "alerts_slack", conn_type="slackwebhook", host=hook.url)  # no token
    one = batch("tested")
    results = {
        c: channels.deliver(c, rules.render(one, c, CONFIG), one, CONFIG)
        for c in ("slack", "webhook")
    }
    assert results["slack"].status == "failed" and "password" in results["slack"].error
    assert results["webhook"].status == "delivered" and len(hook.requests) == 1
