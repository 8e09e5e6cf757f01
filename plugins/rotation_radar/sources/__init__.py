"""Source clients: each fetches through an HttpSource and parses the source's true format."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
from dataclasses import dataclass

import requests

from rotation_radar import storage


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

    def land(self, folder: str, stem: str, ext: str = "") -> str:
        """Keep the answer byte-exact under raw/<source>/<folder>/, with its request
        metadata beside it: same bytes, same key; different bytes never overwrite."""
        key = f"raw/{self.source}/{folder}/{stem}-{self.sha256[:12]}{ext}"
        storage.write_bytes(key, self.body)
        storage.write_bytes(key + ".meta.json", self.metadata())
        return key
