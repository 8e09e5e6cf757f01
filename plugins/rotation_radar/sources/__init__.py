"""Source clients: each fetches through an HttpSource and parses the source's true format."""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import json
from dataclasses import dataclass, field

import requests

from rotation_radar.core import storage


@dataclass(frozen=True)
class Fetched:
    """One HTTP answer exactly as received, with what was asked, and the answers the
    transport retried before it (429, 5xx; oldest first), kept to be landed too."""

    source: str
    symbol: str
    url: str
    status: int
    headers: dict
    body: bytes
    attempts: tuple[Fetched, ...] = field(default=(), repr=False)

    @classmethod
    def from_response(cls, source: str, symbol: str, response: requests.Response) -> Fetched:
        earlier = getattr(response, "attempts", ())  # the answers HttpSource.get retried
        attempts = tuple(cls.from_response(source, symbol, answer) for answer in earlier)
        return cls(
            source,
            symbol,
            response.url,
            response.status_code,
            dict(response.headers),
            response.content,
            attempts,
        )

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    @property
    def served_at(self) -> dt.datetime | None:
        """When the server answered (its Date header), if it said."""
        value = self.headers.get("Date")
        return email.utils.parsedate_to_datetime(value) if value else None

    def metadata(self, **more) -> bytes:
        doc = {
            **more,
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
        metadata beside it: same bytes, same key; different bytes never overwrite.
        The retried answers before it land beside it (`land_attempts`); the final
        answer's metadata lists their keys."""
        retried = self.land_attempts(folder, stem, ext)
        key = f"raw/{self.source}/{folder}/{stem}-{self.sha256[:12]}{ext}"
        storage.write_bytes(key, self.body)
        more = {"retried_attempts": retried} if retried else {}
        storage.write_bytes(key + ".meta.json", self.metadata(**more))
        return key

    def land_attempts(self, folder: str, stem: str, ext: str = "") -> list[str]:
        """Land each retried answer as `<stem>-attempt<n>-<sha>` (n from 1, in the order
        asked), its metadata saying which attempt it was; returns their keys."""
        keys = []
        for number, attempt in enumerate(self.attempts, 1):
            key = f"raw/{self.source}/{folder}/{stem}-attempt{number}-{attempt.sha256[:12]}{ext}"
            storage.write_bytes(key, attempt.body)
            storage.write_bytes(key + ".meta.json", attempt.metadata(attempt=number, retried=True))
            keys.append(key)
        return keys
