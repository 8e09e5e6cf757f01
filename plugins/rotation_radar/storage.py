"""All raw and lake I/O, relative to RADAR_DATA_DIR, written atomically.

Callers pass keys such as ``raw/yahoo_finance/2025-09-17/^RUT/...json`` or
``lake/prices_daily/symbol=^RUT/data.parquet``; only this module knows they
live on a local disk, so object storage can replace it without touching them.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from rotation_radar import settings


def path(key: str) -> Path:
    """The local path of a key (for readers such as DuckDB that take a path or glob)."""
    return settings.data_dir() / key


def exists(key: str) -> bool:
    return path(key).exists()


def write_bytes(key: str, data: bytes) -> Path:
    """Write a key atomically (see `write_file`)."""
    return write_file(path(key), data)


def write_file(target: Path, data: bytes) -> Path:
    """Write to a temporary file in the same folder, then rename over the target: a
    reader sees the old bytes or the new ones, never a part."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)  # readable like any other file (mkstemp makes it private)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def read_bytes(key: str) -> bytes:
    return path(key).read_bytes()


def keys(prefix: str, pattern: str = "*") -> list[str]:
    """Keys under a prefix matching a glob pattern, sorted (temporary files excluded)."""
    root = settings.data_dir()
    base = root / prefix
    if not base.exists():
        return []
    return sorted(
        str(p.relative_to(root))
        for p in base.glob(pattern)
        if p.is_file() and not p.name.startswith(".")
    )


def write_parquet(key: str, table) -> Path:
    """Write a pyarrow Table as Parquet, atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd")
    return write_bytes(key, sink.getvalue().to_pybytes())


def read_parquet(key: str):
    """A pyarrow Table, or None when the key does not exist."""
    import pyarrow.parquet as pq

    target = path(key)
    return pq.read_table(target) if target.exists() else None
