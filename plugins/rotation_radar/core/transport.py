"""HTTP for every source: User-Agent, a request-rate limit, and retries with backoff.

Retries (429, 5xx, connection errors and timeouts) are done here rather than inside
urllib3, so that each retried answer is kept (`response.attempts`, landed under raw/
with the final one) and each retry is logged with what was asked, the status and
the wait. The limiter spaces requests so that a source's rate is never exceeded,
even across threads.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import threading
import time
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter

log = logging.getLogger(__name__)
DEFAULT_USER_AGENT = (
    "rotation-radar/0.1 (+https://github.com/rotation-radar; data@rotation-radar.example)"
)
RETRY_STATUSES = (429, 500, 502, 503, 504)
# Failures worth another try: no connection, a timeout, a body cut short.
RETRY_ERRORS = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
)


class SourceError(RuntimeError):
    """A source failed or answered something unusable; the message names the input."""


class SourceUnavailable(SourceError):
    """The source kept failing (HTTP 429/5xx or no connection) after every retry."""


class UnknownSymbol(SourceError):
    """The source does not know the symbol."""


class RateLimiter:
    """At most `per_second` requests per second across threads (None: unlimited)."""

    def __init__(self, per_second: float | None) -> None:
        self.interval = 1.0 / per_second if per_second else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next)
            self._next = start + self.interval
        if start > now:
            time.sleep(start - now)


@dataclass
class HttpSource:
    """One source's HTTP settings: base URL (from its Airflow connection) and limits."""

    name: str
    base_url: str
    requests_per_second: float | None = None
    user_agent: str = DEFAULT_USER_AGENT
    retries: int = 5
    backoff_factor: float = 1.0
    backoff_max: float = 60.0
    timeout: float = 30.0
    _session: requests.Session = field(init=False, repr=False)
    _limiter: RateLimiter = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self._session = requests.Session()
        self._session.headers["User-Agent"] = self.user_agent
        adapter = HTTPAdapter(max_retries=0, pool_maxsize=16)  # retries are get()'s
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        self._limiter = RateLimiter(self.requests_per_second)

    def share_limiter(self, other: HttpSource) -> None:
        """Count this source's requests against `other`'s rate limit (one site, two hosts)."""
        self._limiter = other._limiter
        self.requests_per_second = other.requests_per_second

    @classmethod
    def from_connection(cls, name: str, host: str, extra: dict, **overrides) -> HttpSource:
        """Build from an Airflow connection's host (full base URL) and extra."""
        options = {
            "requests_per_second": extra.get("requests_per_second"),
            "user_agent": extra.get("user_agent") or DEFAULT_USER_AGENT,
        }
        for key in ("retries", "backoff_factor", "backoff_max", "timeout"):
            if key in extra:
                options[key] = type(getattr(cls, key))(extra[key])
        options.update(overrides)
        if options["requests_per_second"] is not None:
            options["requests_per_second"] = float(options["requests_per_second"])
        return cls(name=name, base_url=host, **options)

    def get(
        self, path: str, params: dict | None = None, what: str = "", headers: dict | None = None
    ) -> requests.Response:
        """GET base_url + path, retrying 429, 5xx, connection errors and timeouts.

        Returns the last answer received, whatever its status, with the answers
        retried before it in `response.attempts` (oldest first) so that callers can
        keep every one; raises SourceUnavailable when no answer came back at all.
        """
        url = f"{self.base_url}/{path.lstrip('/')}"
        label = what or url
        if f"from {self.name}" not in label:
            label = f"{label} from {self.name}"
        answers: list[requests.Response] = []
        error: requests.RequestException | None = None
        for number in range(self.retries + 1):
            self._limiter.wait()
            try:
                response = self._session.get(
                    url, params=params, headers=headers, timeout=self.timeout
                )
            except RETRY_ERRORS as exc:
                error, response = exc, None
            except requests.RequestException as exc:  # a bad URL or the like: no retry helps
                raise SourceUnavailable(f"{label}: no answer ({exc})") from exc
            if response is not None:
                answers.append(response)
                if response.status_code not in RETRY_STATUSES:
                    break
            if number == self.retries:
                break
            wait = self.wait_before_retry(number + 1, response)
            log.warning(
                "%s: %s; retry %d of %d in %.1f s",
                label,
                _failure(response, error),
                number + 1,
                self.retries,
                wait,
            )
            time.sleep(wait)
        if not answers:
            message = f"{label}: no answer after {self.retries} retries ({error})"
            raise SourceUnavailable(message) from error
        final = answers[-1]
        if response is None:
            log.warning(
                "%s: no answer after %d retries (%s); keeping the last answer, HTTP %d",
                label,
                self.retries,
                error,
                final.status_code,
            )
        final.attempts = answers[:-1]
        return final

    def wait_before_retry(self, retry: int, response: requests.Response | None) -> float:
        """Seconds to wait before retry number `retry` (1-based): the answer's Retry-After
        (seconds or an HTTP date) when it gives one, else backoff_factor * 2**(retry-1);
        never more than backoff_max."""
        wait = self.backoff_factor * 2 ** (retry - 1)
        after = retry_after(response.headers.get("Retry-After")) if response is not None else None
        if after is not None:
            wait = after
        return max(0.0, min(wait, self.backoff_max))


def _failure(response: requests.Response | None, error: Exception | None) -> str:
    if response is None:
        return f"no answer ({error})"
    after = response.headers.get("Retry-After")
    return f"HTTP {response.status_code}" + (f" (Retry-After: {after})" if after else "")


def retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """A Retry-After header in seconds (it gives seconds or an HTTP date); None when absent
    or unreadable."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - (now or dt.datetime.now(dt.UTC))).total_seconds())
