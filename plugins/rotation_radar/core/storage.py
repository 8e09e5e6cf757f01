"""All raw and lake I/O by key, relative to RADAR_DATA_DIR: a local folder, or an
object-storage URL such as ``s3://bucket/prefix``.

Callers pass keys such as ``raw/yahoo_finance/2025-09-17/^RUT/...json`` or
``lake/prices_daily/symbol=^RUT/data.parquet``; only this module knows where they
live. The two roots are two implementations of one interface, `Storage`:
`LocalStorage` (core/local_storage.py) and `ObjectStorage` (core/object_storage.py,
through fsspec), chosen by `backend()` from RADAR_DATA_DIR. The module-level functions
(`read_bytes(key)`, `keys(prefix)`, ...) are the key API: each delegates to that
backend, so no caller ever asks which root it is on.

A key is written whole: locally to a temporary name then renamed, on object storage
with one PUT (all-or-nothing). A *published file* (the warehouse) is replaced whole
with its previous versions kept for rollback: on disk by one rename (the replaced file
kept in history/ beside it), on object storage by uploading the new version as its own
object, then rewriting the manifest that names it (see `Storage.publish`).
"""

from __future__ import annotations

import functools
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, runtime_checkable

from rotation_radar.core import local_storage, object_storage, settings
from rotation_radar.core.local_storage import LocalStorage, Staged
from rotation_radar.core.object_storage import ObjectStorage

# Re-exported for callers of the key API.
StorageError = object_storage.StorageError
cache_dir = settings.cache_dir
write_file = local_storage.write_file
# local files written inside are flushed by one sync at its end (see local_storage)
synced_once = local_storage.synced_once
sha256_of = local_storage.sha256_of
manifest_key = object_storage.manifest_key
builds_prefix = object_storage.builds_prefix


@runtime_checkable
class Storage(Protocol):
    """One root of keys (every method takes keys relative to it): what both backends
    implement, `LocalStorage` and `ObjectStorage`."""

    root: str

    # ---- where a key lives ------------------------------------------------------------

    def url(self, key: str) -> str:
        """Where a key lives, as DuckDB and fsspec spell it (a local path, or s3://bucket/prefix/key)."""

    def path(self, key: str) -> Path:
        """The local path of a key (for readers that take a path or glob); object storage
        has none and raises StorageError: use `url`, `local_copy` or `download` instead."""

    # ---- the key API --------------------------------------------------------------------

    def exists(self, key: str) -> bool: ...

    def read_bytes(self, key: str) -> bytes: ...

    def write_bytes(self, key: str, data: bytes) -> Path | str:
        """Write a key whole: a reader sees the old bytes or the new ones, never a part."""

    def keys(self, prefix: str, pattern: str = "*") -> list[str]:
        """Keys under a prefix matching a glob pattern (pathlib's: ** spans folders),
        sorted, temporary files (names starting with a dot) excluded."""

    def delete(self, key: str) -> None:
        """Remove a key, or everything under a prefix; gone is fine."""

    def upload(self, source: Path, key: str) -> Path | str:
        """Store a local file under a key in one piece."""

    def download(self, key: str, target: Path) -> Path:
        """Copy a key to a local file (written to a temporary name, then renamed)."""

    def size(self, key: str) -> int | None:
        """A key's size in bytes, None when it does not exist."""

    def local_copy(self, prefix: str) -> Path:
        """A local folder holding a prefix's keys, for readers that need files (DuckDB's
        read_parquet)."""

    def sweep(self, prefix: str, started: float, pattern: str = "**/.*.tmp") -> list[str]:
        """Remove what a crashed writer left under a prefix: its temporary files
        (`pattern`) last modified before `started` (epoch seconds, the calling writer's
        own start), so a concurrent writer's file in progress is never touched. Returns
        the keys removed."""

    def write_parquet(self, key: str, table) -> Path | str:
        """Write a pyarrow Table as Parquet (zstd), atomically."""

    def read_parquet(self, key: str, columns: list[str] | None = None, filters=None):
        """A pyarrow Table (only `columns`, only rows matching pyarrow `filters` when
        given), or None when the key does not exist."""

    # ---- published files: replaced whole, previous versions kept for rollback -----------

    def stage(self, key: str, version: str, export_name: str) -> AbstractContextManager[Staged]:
        """A context giving the local places to build a new version of `key` in (see
        `Staged`); leaving it removes what was not published."""

    def publish(self, staged: Staged, facts: dict, keep: int) -> str:
        """Make a staged version the one readers get, in one step, keeping the replaced
        one among the newest `keep` previous versions; its export is published with it,
        and the export it replaces kept until the next publish (a reader may be in it).
        `facts` describe the version (kept with it where the backend records versions).
        Returns where the published version is."""

    def published(self, key: str, keep: int) -> Path | None:
        """The published version as a local file to open read-only, None when there is none."""

    def published_url(self, key: str) -> str | None:
        """Where the published version itself lives, None when there is none."""

    def record_url(self, key: str) -> str:
        """What a publish writes last, so what tells whether `key` is published."""

    def versions_url(self, key: str) -> str:
        """Where the previous versions of `key` are kept and listed."""

    def versions(self, key: str) -> list[tuple[str, dict]]:
        """The previous versions, oldest first: (url, facts) each."""

    def rollback(self, key: str, keep: int) -> str:
        """Publish the newest previous version again (in one step); the replaced one is
        kept as rolled back. Returns where the version now published is."""

    def manifest(self, key: str) -> dict | None:
        """The manifest that publishes `key` (object storage), None where there is none
        (on disk the published file is its own record)."""


# ---- choosing the backend ---------------------------------------------------------------


def backend() -> Storage:
    """The backend of RADAR_DATA_DIR as it is set now: `ObjectStorage` for a URL,
    `LocalStorage` for a folder (the one place that tells them apart). One instance per
    root: tasks and tests may change the variable, and each value keeps its own."""
    url = settings.data_url()
    return _backend(url, None if url else settings.data_dir())


@functools.lru_cache(maxsize=16)
def _backend(url: str | None, folder: Path | None) -> Storage:
    return ObjectStorage(url) if url else LocalStorage(folder)


# ---- the key API, on the chosen backend -------------------------------------------------


def root() -> str:
    """RADAR_DATA_DIR: a resolved local folder, or a URL without its trailing slash."""
    return backend().root


def url(key: str) -> str:
    return backend().url(key)


def path(key: str) -> Path:
    return backend().path(key)


def exists(key: str) -> bool:
    return backend().exists(key)


def read_bytes(key: str) -> bytes:
    return backend().read_bytes(key)


def write_bytes(key: str, data: bytes) -> Path | str:
    return backend().write_bytes(key, data)


def keys(prefix: str, pattern: str = "*") -> list[str]:
    return backend().keys(prefix, pattern)


def delete(key: str) -> None:
    backend().delete(key)


def upload(source: Path, key: str) -> Path | str:
    return backend().upload(source, key)


def download(key: str, target: Path) -> Path:
    return backend().download(key, target)


def size(key: str) -> int | None:
    return backend().size(key)


def local_copy(prefix: str) -> Path:
    return backend().local_copy(prefix)


def sweep(prefix: str, started: float, pattern: str = "**/.*.tmp") -> list[str]:
    return backend().sweep(prefix, started, pattern)


def write_parquet(key: str, table) -> Path | str:
    return backend().write_parquet(key, table)


def read_parquet(key: str, columns: list[str] | None = None, filters=None):
    return backend().read_parquet(key, columns, filters)
