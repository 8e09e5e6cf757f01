"""Source clients: each fetches through an HttpSource and parses the source's true format."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
from dataclasses import dataclass

import requests


@dataclass(frozen=True)
class Fetched:
    """One HTTP answer exactly as received, with what was asked."""

    source: str
    symbol: str
    url: str
    status: int
    headers: dict
    body: bytes

    @classmethod
    def from_response(cls, source: str, symbol: str, response: requests.Response) -> Fetched:
        return cls(source, symbol, response.url, response.status_code, dict(response.headers), response.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def served_at(self) -> dt.datetime | None:
        """When the server answered (its Date header), if it said."""
        value = self.headers.get("Date")
        return email.utils.parsedate_to_datetime(value) if value else None

    def metadata(self) -> bytes:
        doc = {
            "source": self.source,
            "symbol": self.symbol,
            "url": self.url,
            "status": self.status,
            "headers": self.headers,
            "sha256": self.sha256,
            "bytes": len(self.body),
        }
        return json.dumps(doc, indent=1, sort_keys=True).encode()
