"""Local stand-ins for the alert channels' far ends, for the demo and the tests: an HTTP
receiver (Slack's incoming webhook, a JSON webhook) and an SMTP server (aiosmtpd).
Both listen on 127.0.0.1 and keep what they received."""

from __future__ import annotations

import json
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """An HTTP server answering POSTs with scripted statuses (then the last one forever),
    keeping every request: path, headers and body."""

    def __init__(self, statuses=(200,), body: bytes = b"ok"):
        self.statuses = list(statuses)
        self.body = body
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                with receiver._lock:
                    receiver.requests.append(
                        {
                            "path": self.path,
                            "headers": dict(self.headers),
                            "body": self.rfile.read(length),
                        }
                    )
                    status = (
                        receiver.statuses.pop(0)
                        if len(receiver.statuses) > 1
                        else receiver.statuses[0]
                    )
                payload = receiver.body if status == 200 else b"server_error"
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> Receiver:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Receiver:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def delivered(self) -> list[dict]:
        """The JSON body of every request received, parsed."""
        return [json.loads(r["body"]) for r in self.requests]


class MailServer:
    """A real SMTP server (aiosmtpd) keeping every message it accepted."""

    def __init__(self):
        from aiosmtpd.controller import Controller

        from devtools.stack import free_port

        self.envelopes: list = []
        server = self

        class Handler:
            async def handle_DATA(self, smtp, session, envelope):
                server.envelopes.append(envelope)
                return "250 Message accepted for delivery"

        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)

    def start(self) -> MailServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def __enter__(self) -> MailServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def messages(self) -> list:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


def connections(
    slack: Receiver, webhook: Receiver, mail: MailServer, secret: str, **extra
) -> dict[str, str]:
    """AIRFLOW_CONN_ALERTS_* variables pointing the three channels at local receivers."""
    docs = {
        "alerts_slack": {
            "conn_type": "slackwebhook",
            "host": f"{slack.url}/services",
            "password": "T0000/B0000/local",
            "extra": extra,
        },
        "alerts_smtp": {
            "conn_type": "smtp",
            "host": "127.0.0.1",
            "port": mail.port,
            "extra": {"from_email": "radar@rotation-radar.example", **extra},
        },
        "alerts_webhook": {
            "conn_type": "http",
            "host": f"{webhook.url}/radar",
            "extra": {"secret": secret, **extra},
        },
    }
    return {f"AIRFLOW_CONN_{conn_id.upper()}": json.dumps(doc) for conn_id, doc in docs.items()}
