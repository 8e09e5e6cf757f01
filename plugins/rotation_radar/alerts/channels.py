"""Alert delivery through Airflow connections: Slack incoming webhook, email, JSON webhook.

A channel whose connection is not defined is off (`deliver` returns None). Every
delivery retries with exponential backoff on connection errors and on HTTP 429/5xx
(SMTP 4xx), then returns a `Delivery` saying what happened; a failed delivery is
a result to log and retry on the next run, never an exception.

Connection settings (extra) shared by the three channels: `retries` (default 4,
so at most 5 attempts), `backoff_factor` (seconds of the first wait, doubling,
default 2; the environment variable RADAR_ALERT_BACKOFF_SECONDS sets it for every
channel whose extra does not), `backoff_max` (default 60) and `timeout` (seconds
per attempt, default 30).
"""

from __future__ import annotations

import json
import logging
import math
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING
from urllib.error import URLError
from urllib.parse import urlsplit

from rotation_radar.alerts.rules import AlertConfig, Message, digest_key, idempotency_key, signature
from rotation_radar.core import connections, settings

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

CONNECTIONS = {"slack": "alerts_slack", "email": "alerts_smtp", "webhook": "alerts_webhook"}
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "rotation-radar-alerts/0.1"


@dataclass(frozen=True)
class Delivery:
    channel: str
    status: str  # 'delivered' or 'failed'
    error: str | None
    attempts: int
    detail: str = ""  # what the receiver answered (HTTP status and body, SMTP recipients)


class Transient(Exception):
    """A failure worth another attempt (no connection, HTTP 429/5xx, SMTP 4xx)."""


class Permanent(Exception):
    """A failure another attempt will not fix (HTTP 4xx, SMTP 5xx, bad settings)."""


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 4
    backoff_factor: float = 2.0
    backoff_max: float = 60.0
    timeout: float = 30.0

    @classmethod
    def from_extra(cls, extra: dict) -> RetryPolicy:
        backoff = settings.alert_backoff_seconds() or cls.backoff_factor
        return cls(
            retries=int(extra.get("retries", cls.retries)),
            backoff_factor=float(extra.get("backoff_factor", backoff)),
            backoff_max=float(extra.get("backoff_max", cls.backoff_max)),
            timeout=float(extra.get("timeout", cls.timeout)),
        )


def _attempt(channel: str, conn_id: str, send: Callable[[], str], policy: RetryPolicy) -> Delivery:
    """Call `send` until it succeeds, fails for good or runs out of retries."""
    import tenacity

    attempts = 0

    def once() -> str:
        nonlocal attempts
        attempts += 1
        return send()

    retrying = tenacity.Retrying(
        stop=tenacity.stop_after_attempt(policy.retries + 1),
        wait=tenacity.wait_exponential(multiplier=policy.backoff_factor, max=policy.backoff_max),
        retry=tenacity.retry_if_exception_type(Transient),
        before_sleep=lambda state: log.warning(
            "%s via %s: attempt %d failed (%s); retrying",
            channel,
            conn_id,
            state.attempt_number,
            state.outcome.exception(),
        ),
        reraise=True,
    )
    try:
        detail = retrying(once)
    except (Transient, Permanent) as exc:
        error = f"{channel} via {conn_id}: {exc} after {attempts} attempt(s); the next run retries"
    except Exception as exc:  # noqa: BLE001 - a broken channel must not stop the others
        error = f"{channel} via {conn_id}: {type(exc).__name__}: {exc}; the next run retries"
    else:
        log.info("%s via %s: delivered in %d attempt(s): %s", channel, conn_id, attempts, detail)
        return Delivery(channel, "delivered", None, attempts, detail)
    log.error("%s", error)
    return Delivery(channel, "failed", error, attempts, "")


def _http_outcome(status: int, body: str) -> str:
    """The detail of a 2xx answer; raises Transient or Permanent otherwise."""
    detail = f"HTTP {status} {body[:200]}".strip()
    if 200 <= status < 300:
        return detail
    if status in RETRY_STATUSES:
        raise Transient(detail)
    raise Permanent(detail)


def _slack(conn_id: str, message: Message, policy: RetryPolicy) -> Callable[[], str]:
    from airflow.providers.slack.hooks.slack_webhook import SlackWebhookHook

    # Retries are ours (tenacity), so that every attempt is counted and logged.
    hook = SlackWebhookHook(
        slack_webhook_conn_id=conn_id, timeout=max(1, math.ceil(policy.timeout)), retry_handlers=[]
    )
    body = {"text": message.text, "unfurl_links": False}

    def send() -> str:
        try:
            response = hook.client.send_dict(body)
        except (URLError, OSError) as exc:
            raise Transient(f"no answer from the Slack webhook ({exc})") from exc
        return _http_outcome(response.status_code, str(response.body or ""))

    return send


def webhook_payload(message: Message, alerts: pd.DataFrame) -> dict:
    """The JSON body of the generic webhook: keys, the alerts and the digest text."""
    items = []
    for row in alerts.to_dict("records"):
        day = row["session_date"]
        day = day.isoformat() if hasattr(day, "isoformat") else str(day)[:10]
        items.append(
            {
                "idempotency_key": idempotency_key(row["rule"], row["subject"], day, "webhook"),
                "rule": row["rule"],
                "subject": row["subject"],
                "session_date": day[:10],
                "severity": row.get("severity"),
                "value": _json_number(row.get("value")),
                "threshold": _json_number(row.get("threshold")),
                "message": row["message"],
            }
        )
    keys = [item["idempotency_key"] for item in items]
    return {
        "idempotency_key": digest_key(keys),
        "idempotency_keys": keys,
        "subject": message.subject,
        "text": message.text,
        "alerts": items,
    }


def _json_number(value: object) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _webhook(conn_id: str, conn, message: Message, alerts: pd.DataFrame, policy: RetryPolicy):
    import requests

    from rotation_radar.core.connections import endpoint

    found = endpoint(conn_id)  # the URL as every other client of the project builds it
    if found is None:
        return None
    url, extra = found
    secret = extra.get("secret") or conn.password
    payload = webhook_payload(message, alerts)
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Idempotency-Key": payload["idempotency_key"],
    }
    if secret:
        headers["X-Radar-Signature"] = signature(body, secret)

    def send() -> str:
        try:
            response = requests.post(url, data=body, headers=headers, timeout=policy.timeout)
        except requests.RequestException as exc:
            raise Transient(f"no answer from {url} ({exc})") from exc
        return _http_outcome(response.status_code, response.text)

    return send


def email_message(
    message: Message, sender: str, recipients: tuple[str, ...], key: str
) -> EmailMessage:
    """A multipart/alternative email: the plain text and the HTML of the message."""
    email = EmailMessage()
    email["Subject"] = message.subject
    email["From"] = sender
    email["To"] = ", ".join(recipients)
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid("rotation-radar")
    email["X-Radar-Idempotency-Key"] = key
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


def _truthy(value: object) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes")


def _email(conn, message: Message, alerts: pd.DataFrame, config: AlertConfig, policy: RetryPolicy):
    extra = conn.extra_dejson or {}
    host, port = conn.host or "", conn.port
    use_ssl = _truthy(extra.get("ssl", False))
    if "://" in host:  # smtp://host:port or smtps://host:port
        parts = urlsplit(host)
        use_ssl = use_ssl or parts.scheme == "smtps"
        host, port = parts.hostname or "", port or parts.port
    # STARTTLS by default when a password is to be sent, unless the extra says otherwise.
    starttls = _truthy(extra.get("starttls", bool(conn.login) and not use_ssl))
    port = int(port or (465 if use_ssl else 587 if starttls else 25))
    sender = extra.get("from_email") or extra.get("from") or "rotation-radar@localhost"
    recipients = tuple(config.email_to)
    keys = [
        idempotency_key(r["rule"], r["subject"], r["session_date"], "email")
        for r in alerts.to_dict("records")
    ]
    email = email_message(message, sender, recipients, digest_key(keys))

    def send() -> str:
        if not host:
            raise Permanent("the connection has no host")
        if not recipients:
            raise Permanent("no recipients: set email_to in the alert rules file")
        try:
            smtp_class = smtplib.SMTP_SSL if use_ssl else smtplib.SMTP
            with smtp_class(host, port, timeout=policy.timeout) as smtp:
                if starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if conn.login:
                    smtp.login(conn.login, conn.password or "")
                refused = smtp.send_message(email)
        except smtplib.SMTPResponseException as exc:
            reason = f"SMTP {exc.smtp_code} {exc.smtp_error!r}"
            raise (Transient if 400 <= exc.smtp_code < 500 else Permanent)(reason) from exc
        except smtplib.SMTPServerDisconnected as exc:
            raise Transient(f"SMTP server {host}:{port} disconnected ({exc})") from exc
        except smtplib.SMTPException as exc:  # e.g. every recipient refused
            raise Permanent(f"SMTP {type(exc).__name__}: {exc}") from exc
        except OSError as exc:  # no connection, timeout
            raise Transient(f"no answer from SMTP server {host}:{port} ({exc})") from exc
        accepted = [r for r in recipients if r not in refused]
        detail = f"accepted by {host}:{port} for {', '.join(accepted)}"
        if refused:
            detail += f"; refused: {', '.join(refused)}"
        return detail

    return send


def deliver(
    channel: str,
    message: Message,
    alerts: pd.DataFrame,
    config: AlertConfig,
    conn_id: str | None = None,
) -> Delivery | None:
    """Send one rendered message on a channel; None when its connection is not defined.

    `alerts` are the rows the message carries (rule, subject, session_date, severity,
    value, threshold, message): the webhook sends them with their idempotency keys.
    """
    if channel not in CONNECTIONS:
        raise ValueError(f"unknown alert channel {channel!r} (one of {', '.join(CONNECTIONS)})")
    conn_id = conn_id or CONNECTIONS[channel]
    conn = connections.connection(conn_id)
    if conn is None:
        log.info("%s: connection %s is not defined; channel off", channel, conn_id)
        return None
    try:
        policy = RetryPolicy.from_extra(conn.extra_dejson or {})
        if channel == "slack":
            send = _slack(conn_id, message, policy)
        elif channel == "webhook":
            send = _webhook(conn_id, conn, message, alerts, policy)
        else:
            send = _email(conn, message, alerts, config, policy)
    except Exception as exc:  # noqa: BLE001 - unusable settings: a failed delivery
        error = f"{channel} via {conn_id}: {type(exc).__name__}: {exc}; the next run retries"
        log.error("%s", error)
        return Delivery(channel, "failed", error, 0, "")
    if send is None:
        return None
    return _attempt(channel, conn_id, send, policy)
