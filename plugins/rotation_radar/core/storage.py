"""All raw and lake I/O by key, relative to RADAR_DATA_DIR: a local folder, or an
object-storage URL such as ``s3://bucket/prefix`` (read and written through fsspec).

Callers pass keys such as ``raw/yahoo_finance/2025-09-17/^RUT/...json`` or
``lake/prices_daily/symbol=^RUT/data.parquet``; only this module knows where they
live. A local key is written to a temporary name and renamed; an object is written
with one PUT, which S3 already makes all-or-nothing. Credentials and the endpoint come
from the standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_S3, AWS_DEFAULT_REGION), as for any AWS client.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

from rotation_radar.core import settings

log = logging.getLogger(__name__)

class StorageError(OSError):
    """An object-storage call failed; the message names the key, the URL and the endpoint."""


def root() -> str:
    """RADAR_DATA_DIR: a resolved local folder, or a URL without its trailing slash."""
    return settings.data_root()


def is_remote() -> bool:
    return settings.data_url() is not None


def url(key: str) -> str:
    """Where a key lives, as DuckDB and fsspec spell it (a local path, or s3://bucket/prefix/key)."""
    return f"{root()}/{key}" if is_remote() else str(settings.data_dir() / key)


def path(key: str) -> Path:
    """The local path of a key (for readers such as DuckDB that take a path or glob); an
    object-storage root has none: use `url`, `local_copy` or `download` instead."""
    if is_remote():
        raise StorageError(f"{key}: RADAR_DATA_DIR is {root()}, object storage has no local path for it")
    return settings.data_dir() / key


# ---- object storage (fsspec) ----------------------------------------------------------


def endpoint() -> str | None:
    """The S3 endpoint from the environment (botocore's own variables), None for AWS itself."""
    return os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or None


def filesystem():
    """The fsspec filesystem of the root URL. The endpoint and keys are passed explicitly
    (s3fs honours AWS_ENDPOINT_URL by itself) so that fsspec's instance cache, keyed on the
    arguments, never hands out a client built for other settings. No listings cache: other
    processes write the same bucket."""
    import fsspec

    protocol = root().split("://", 1)[0]
    options: dict = {"use_listings_cache": False}
    if protocol in ("s3", "s3a"):
        if endpoint():
            options["client_kwargs"] = {"endpoint_url": endpoint()}
        if os.environ.get("AWS_ACCESS_KEY_ID"):
            options["key"] = os.environ["AWS_ACCESS_KEY_ID"]
            options["secret"] = os.environ.get("AWS_SECRET_ACCESS_KEY")
            options["token"] = os.environ.get("AWS_SESSION_TOKEN")
    return fsspec.filesystem(protocol, **options)


def _object(key: str) -> str:
    """A key's path on the filesystem (bucket/prefix/key, without the scheme)."""
    return f"{root().split('://', 1)[1]}/{key}"


@contextlib.contextmanager
def _calling(action: str, key: str):
    """Turn a failed object-storage call into an error naming the key, its URL and the
    endpoint; a missing key stays a FileNotFoundError, a missing bucket does not."""
    try:
        yield
    except FileNotFoundError as exc:
        if "bucket" not in str(exc).lower():
            raise FileNotFoundError(f"{action} {key}: no such object at {url(key)}") from exc
        raise StorageError(_message(action, key, exc, "create the bucket or fix RADAR_DATA_DIR")) from exc
    except StorageError:
        raise
    except Exception as exc:  # botocore and aiohttp errors share no base class with OSError
        raise StorageError(_message(action, key, exc, "check the endpoint and the AWS_* credentials")) from exc


def _message(action: str, key: str, exc: Exception, hint: str) -> str:
    where = endpoint() or "the AWS default endpoint"
    return f"{action} {key} at {url(key)} (endpoint {where}): {type(exc).__name__}: {exc}; {hint}"


# ---- the key API ----------------------------------------------------------------------


def exists(key: str) -> bool:
    if not is_remote():
        return path(key).exists()
    with _calling("look up", key):
        return filesystem().exists(_object(key))


def write_bytes(key: str, data: bytes) -> Path | str:
    """Write a key atomically (locally see `write_file`; an object is one PUT)."""
    if not is_remote():
        return write_file(path(key), data)
    with _calling("write", key):
        filesystem().pipe_file(_object(key), data)
    return url(key)


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


def sweep(prefix: str, started: float, pattern: str = "**/.*.tmp") -> list[str]:
    """Remove what a crashed writer left under a prefix: its temporary files (`pattern`)
    last modified before `started` (epoch seconds, the calling writer's own start), so a
    concurrent writer's file in progress is never touched. Returns the keys removed.
    Objects are written whole, so an object-storage root leaves nothing to sweep."""
    if is_remote() or not path(prefix).exists():
        return []
    local = settings.data_dir()
    removed = []
    for leftover in path(prefix).glob(pattern):
        with contextlib.suppress(FileNotFoundError):
            if leftover.is_file() and leftover.stat().st_mtime < started:
                leftover.unlink()
                removed.append(str(leftover.relative_to(local)))
    if removed:
        log.warning("removed %d files left by an interrupted writer under %s: %s", len(removed), prefix, removed[:5])
    return removed


def read_bytes(key: str) -> bytes:
    if not is_remote():
        return path(key).read_bytes()
    with _calling("read", key):
        return filesystem().cat_file(_object(key))


def keys(prefix: str, pattern: str = "*") -> list[str]:
    """Keys under a prefix matching a glob pattern, sorted (temporary files excluded)."""
    if not is_remote():
        base = path(prefix)
        if not base.exists():
            return []
        local = settings.data_dir()
        return sorted(
            str(p.relative_to(local))
            for p in base.glob(pattern)
            if p.is_file() and not p.name.startswith(".")
        )
    base = _object(prefix).rstrip("/")
    with _calling("list", prefix):
        found = filesystem().find(base)
    from fsspec.utils import glob_translate  # pathlib's glob: ** spans folders, * stays in one

    matches = re.compile(glob_translate(pattern)).match
    under = [p[len(base) + 1 :] for p in found if p.startswith(base + "/")]
    return sorted(
        f"{prefix.rstrip('/')}/{rest}" for rest in under if matches(rest) and not rest.rsplit("/", 1)[-1].startswith(".")
    )


def delete(key: str) -> None:
    """Remove a key (an object, a local file, or everything under a prefix); gone is fine."""
    if not is_remote():
        target = path(key)
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
        return
    target = _object(key).rstrip("/")
    with _calling("delete", key):
        found = [p for p in filesystem().find(target) if p == target or p.startswith(target + "/")]
        if found:
            filesystem().rm(found)


def upload(source: Path, key: str) -> Path | str:
    """Store a local file under a key in one piece (one PUT, or a multipart upload that
    S3 shows only once complete; locally a copy renamed into place)."""
    if not is_remote():
        target = path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        try:
            shutil.copyfile(source, tmp)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return target
    with _calling("upload", key):
        filesystem().put_file(str(source), _object(key))
    return url(key)


def download(key: str, target: Path) -> Path:
    """Copy a key to a local file (written to a temporary name, then renamed)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        if is_remote():
            with _calling("download", key):
                filesystem().get_file(_object(key), tmp)
        else:
            shutil.copyfile(path(key), tmp)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def size(key: str) -> int | None:
    """A key's size in bytes, None when it does not exist."""
    if not is_remote():
        return path(key).stat().st_size if path(key).exists() else None
    try:
        with _calling("look up", key):
            return filesystem().size(_object(key))
    except FileNotFoundError:
        return None


def cache_dir() -> Path:
    """Local scratch of an object-storage root (lake mirrors, downloaded warehouses):
    RADAR_CACHE_DIR, by default rotation-radar/ under the system temp dir."""
    return Path(os.environ.get("RADAR_CACHE_DIR") or Path(tempfile.gettempdir()) / "rotation-radar")


def local_copy(prefix: str) -> Path:
    """A local folder holding a prefix's keys, for readers that need files (DuckDB's
    read_parquet): on a local root the folder itself; on object storage a mirror under
    `cache_dir()` brought up to date by ETag, so only new or changed objects are fetched."""
    if not is_remote():
        return path(prefix)
    mirror = cache_dir() / "mirror" / hashlib.sha256(root().encode()).hexdigest()[:16]
    with _calling("list", prefix):
        found = filesystem().find(_object(prefix).rstrip("/"), detail=True)
    start = len(_object(""))
    remote = {name[start:]: info.get("ETag") for name, info in found.items() if info.get("type") == "file"}
    index_path = mirror / ".etags.json"
    index = json.loads(index_path.read_text()) if index_path.exists() else {}
    stale = sorted(k for k, etag in remote.items() if index.get(k) != etag or not (mirror / k).exists())
    _fetch(stale, mirror)
    gone = [k for k in index if k.startswith(prefix.rstrip("/") + "/") and k not in remote]
    for key in gone:
        (mirror / key).unlink(missing_ok=True)
        del index[key]
    if stale or gone:
        index.update({k: remote[k] for k in stale})
        write_file(index_path, json.dumps(index, sort_keys=True).encode())
    return mirror / prefix


def _fetch(wanted: list[str], mirror: Path) -> None:
    """Download keys concurrently into a scratch folder, then rename each into the mirror."""
    if not wanted:
        return
    mirror.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(dir=mirror.parent, prefix=f".{mirror.name}.incoming-"))
    try:
        targets = [incoming / key for key in wanted]
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
        with _calling(f"download ({len(wanted)} keys, the first)", wanted[0]):
            filesystem().get([_object(key) for key in wanted], [str(t) for t in targets])
        for key, target in zip(wanted, targets, strict=True):
            (mirror / key).parent.mkdir(parents=True, exist_ok=True)
            os.replace(target, mirror / key)
    finally:
        shutil.rmtree(incoming, ignore_errors=True)


def write_parquet(key: str, table) -> Path | str:
    """Write a pyarrow Table as Parquet, atomically."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()
    # Dictionary-encode the text columns only: on prices' numbers it costs a third of the
    # write time and makes the files about a fifth larger.
    strings = [f.name for f in table.schema if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
    pq.write_table(table, sink, compression="zstd", use_dictionary=strings)
    return write_bytes(key, sink.getvalue().to_pybytes())


def read_parquet(key: str, columns: list[str] | None = None, filters=None):
    """A pyarrow Table (only `columns`, only rows matching pyarrow `filters` when given),
    or None when the key does not exist."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not is_remote():
        target = path(key)
        return pq.read_table(target, columns=columns, filters=filters) if target.exists() else None
    try:
        data = read_bytes(key)
    except FileNotFoundError:
        return None
    return pq.read_table(pa.BufferReader(data), columns=columns, filters=filters)
