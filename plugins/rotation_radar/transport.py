"""HTTP for every source: User-Agent, a request-rate limit, and retries with backoff.

Retries (429, 5xx, connection errors and timeouts, honouring Retry-After) are
urllib3's; the limiter spaces requests so that a source's rate is never exceeded,
even across threads.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

DEFAULT_USER_AGENT = "rotation-radar/0.1 (+https://github.com/rotation-radar; data@rotation-radar.example)"
RETRY_STATUSES = (429, 500, 502, 503, 504)


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
        retry = Retry(
            total=self.retries,
            connect=self.retries,
            read=self.retries,
            status=self.retries,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "HEAD"}),
            backoff_factor=self.backoff_factor,
            backoff_max=self.backoff_max,
            respect_retry_after_header=True,
            raise_on_status=False,  # hand back the last answer so its bytes can be kept
        )
        self._session = requests.Session()
        self._session.headers["User-Agent"] = self.user_agent
        adapter = HTTPAdapter(max_retries=retry, pool_maxsize=16)
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
        """GET base_url + path. Returns the final response, whatever its status;
        raises SourceUnavailable when no response came back after every retry."""
        url = f"{self.base_url}/{path.lstrip('/')}"
        self._limiter.wait()
        try:
            return self._session.get(url, params=params, headers=headers, timeout=self.timeout)
        except requests.RequestException as exc:
            raise SourceUnavailable(
                f"{what or url} from {self.name}: no answer after {self.retries} retries ({exc})"
            ) from exc
