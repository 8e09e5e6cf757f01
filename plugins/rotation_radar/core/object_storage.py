"""RADAR_DATA_DIR as an object-storage URL such as ``s3://bucket/prefix``
(`ObjectStorage`, one of the two backends of rotation_radar.core.storage), read and
written through fsspec. An object is written with one PUT, which S3 already makes
all-or-nothing. Credentials and the endpoint come from the standard AWS variables
(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL or AWS_ENDPOINT_URL_S3,
AWS_DEFAULT_REGION), as for any AWS client."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from rotation_radar.core.local_storage import (
    Staged,
    parquet_bytes,
    replace_from,
    sha256_of,
    write_file,
)
from rotation_radar.core.settings import cache_dir


class StorageError(OSError):
    """An object-storage call failed; the message names the key, the URL and the endpoint."""


def endpoint() -> str | None:
    """The S3 endpoint from the environment (botocore's own variables), None for AWS itself."""
    return os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or None


def manifest_key(key: str) -> str:
    """On object storage, the manifest that publishes `key` (manifest.json beside it)."""
    return f"{PurePosixPath(key).parent}/manifest.json"


def builds_prefix(key: str) -> str:
    """On object storage, where the versions of `key` are uploaded (builds/ beside it)."""
    return f"{PurePosixPath(key).parent}/builds"


class ObjectStorage:
    """RADAR_DATA_DIR as an object-storage URL. A published file is built in a local work
    folder, uploaded as its own object (builds/<stem>-<version><suffix>) with its export
    (<name>-<version>/), then published by rewriting manifest.json beside the key, the
    last write: readers follow the manifest, so they never see a version before it is
    whole, and download it once into the cache, checked against its sha256."""

    def __init__(self, url: str):
        self.root = url

    def url(self, key: str) -> str:
        return f"{self.root}/{key}"

    def path(self, key: str) -> Path:
        raise StorageError(
            f"{key}: RADAR_DATA_DIR is {self.root}, object storage has no local path for it"
        )

    def filesystem(self):
        """The fsspec filesystem of the root URL. The endpoint and keys are passed
        explicitly (s3fs honours AWS_ENDPOINT_URL by itself) so that fsspec's instance
        cache, keyed on the arguments, never hands out a client built for other settings.
        No listings cache: other processes write the same bucket."""
        import fsspec

        protocol = self.root.split("://", 1)[0]
        options: dict = {"use_listings_cache": False}
        if protocol in ("s3", "s3a"):
            if endpoint():
                options["client_kwargs"] = {"endpoint_url": endpoint()}
            if os.environ.get("AWS_ACCESS_KEY_ID"):
                options["key"] = os.environ["AWS_ACCESS_KEY_ID"]
                options["secret"] = os.environ.get("AWS_SECRET_ACCESS_KEY")
                options["token"] = os.environ.get("AWS_SESSION_TOKEN")
        return fsspec.filesystem(protocol, **options)

    def _object(self, key: str) -> str:
        """A key's path on the filesystem (bucket/prefix/key, without the scheme)."""
        return f"{self.root.split('://', 1)[1]}/{key}"

    @contextlib.contextmanager
    def _calling(self, action: str, key: str):
        """Turn a failed object-storage call into an error naming the key, its URL and the
        endpoint; a missing key stays a FileNotFoundError, a missing bucket does not."""
        try:
            yield
        except FileNotFoundError as exc:
            if "bucket" not in str(exc).lower():
                raise FileNotFoundError(
                    f"{action} {key}: no such object at {self.url(key)}"
                ) from exc
            raise StorageError(
                self._message(action, key, exc, "create the bucket or fix RADAR_DATA_DIR")
            ) from exc
        except StorageError:
            raise
        except Exception as exc:  # botocore and aiohttp errors share no base class with OSError
            raise StorageError(
                self._message(action, key, exc, "check the endpoint and the AWS_* credentials")
            ) from exc

    def _message(self, action: str, key: str, exc: Exception, hint: str) -> str:
        where = endpoint() or "the AWS default endpoint"
        failure = f"{type(exc).__name__}: {exc}"
        return f"{action} {key} at {self.url(key)} (endpoint {where}): {failure}; {hint}"

    def exists(self, key: str) -> bool:
        with self._calling("look up", key):
            return self.filesystem().exists(self._object(key))

    def read_bytes(self, key: str) -> bytes:
        with self._calling("read", key):
            return self.filesystem().cat_file(self._object(key))

    def write_bytes(self, key: str, data: bytes) -> str:
        with self._calling("write", key):
            self.filesystem().pipe_file(self._object(key), data)
        return self.url(key)

    def keys(self, prefix: str, pattern: str = "*") -> list[str]:
        base = self._object(prefix).rstrip("/")
        with self._calling("list", prefix):
            found = self.filesystem().find(base)
        from fsspec.utils import glob_translate  # pathlib's glob: ** spans folders, * stays in one

        matches = re.compile(glob_translate(pattern)).match
        under = [p[len(base) + 1 :] for p in found if p.startswith(base + "/")]
        return sorted(
            f"{prefix.rstrip('/')}/{rest}"
            for rest in under
            if matches(rest) and not rest.rsplit("/", 1)[-1].startswith(".")
        )

    def delete(self, key: str) -> None:
        target = self._object(key).rstrip("/")
        with self._calling("delete", key):
            found = [
                p
                for p in self.filesystem().find(target)
                if p == target or p.startswith(target + "/")
            ]
            if found:
                self.filesystem().rm(found)

    def upload(self, source: Path, key: str) -> str:
        """One PUT, or a multipart upload that S3 shows only once complete."""
        with self._calling("upload", key):
            self.filesystem().put_file(str(source), self._object(key))
        return self.url(key)

    def download(self, key: str, target: Path) -> Path:
        def fetch(tmp: str) -> None:
            with self._calling("download", key):
                self.filesystem().get_file(self._object(key), tmp)

        return replace_from(target, fetch)

    def size(self, key: str) -> int | None:
        try:
            with self._calling("look up", key):
                return self.filesystem().size(self._object(key))
        except FileNotFoundError:
            return None

    def write_parquet(self, key: str, table) -> str:
        return self.write_bytes(key, parquet_bytes(table))

    def read_parquet(self, key: str, columns: list[str] | None = None, filters=None):
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            data = self.read_bytes(key)
        except FileNotFoundError:
            return None
        return pq.read_table(pa.BufferReader(data), columns=columns, filters=filters)

    def sweep(self, prefix: str, started: float, pattern: str = "**/.*.tmp") -> list[str]:
        return []  # objects are written whole: nothing is left to sweep

    def local_copy(self, prefix: str) -> Path:
        """A mirror under `cache_dir()` brought up to date by ETag, so only new or
        changed objects are fetched."""
        mirror = cache_dir() / "mirror" / hashlib.sha256(self.root.encode()).hexdigest()[:16]
        with self._calling("list", prefix):
            found = self.filesystem().find(self._object(prefix).rstrip("/"), detail=True)
        start = len(self._object(""))
        remote = {
            name[start:]: info.get("ETag")
            for name, info in found.items()
            if info.get("type") == "file"
        }
        index_path = mirror / ".etags.json"
        index = json.loads(index_path.read_text()) if index_path.exists() else {}
        stale = sorted(
            k for k, etag in remote.items() if index.get(k) != etag or not (mirror / k).exists()
        )
        self._fetch(stale, mirror)
        gone = [k for k in index if k.startswith(prefix.rstrip("/") + "/") and k not in remote]
        for key in gone:
            (mirror / key).unlink(missing_ok=True)
            del index[key]
        if stale or gone:
            index.update({k: remote[k] for k in stale})
            write_file(index_path, json.dumps(index, sort_keys=True).encode())
        return mirror / prefix

    def _fetch(self, wanted: list[str], mirror: Path) -> None:
        """Download keys concurrently into a scratch folder, then rename each into the mirror."""
        if not wanted:
            return
        mirror.mkdir(parents=True, exist_ok=True)
        incoming = Path(tempfile.mkdtemp(dir=mirror.parent, prefix=f".{mirror.name}.incoming-"))
        try:
            targets = [incoming / key for key in wanted]
            for target in targets:
                target.parent.mkdir(parents=True, exist_ok=True)
            with self._calling(f"download ({len(wanted)} keys, the first)", wanted[0]):
                self.filesystem().get(
                    [self._object(key) for key in wanted], [str(t) for t in targets]
                )
            for key, target in zip(wanted, targets, strict=True):
                (mirror / key).parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, mirror / key)
        finally:
            shutil.rmtree(incoming, ignore_errors=True)

    # ---- published files: each version uploaded whole, then the manifest written last ------

    def manifest(self, key: str) -> dict | None:
        """manifest.json beside the key: the published version's entry (build, sha256,
        size and its facts), its export and the previous export, and the lists `previous`
        (newest first) and `rolled_back`. None before the first publish."""
        try:
            return json.loads(self.read_bytes(manifest_key(key)))
        except FileNotFoundError:
            return None

    def _write_manifest(self, key: str, manifest: dict) -> None:
        self.write_bytes(manifest_key(key), json.dumps(manifest, indent=1).encode())

    @contextlib.contextmanager
    def stage(self, key: str, version: str, export_name: str) -> Iterator[Staged]:
        """A work folder under `cache_dir()`, removed afterwards."""
        cache_dir().mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="build-", dir=cache_dir()))
        try:
            yield Staged(
                key, version, work / PurePosixPath(key).name, work / export_name, export_name
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def publish(self, staged: Staged, facts: dict, keep: int) -> str:
        """Upload the file, then its export, then point the manifest at them (one PUT, the
        last write); the version it replaces heads `previous`. Then delete the versions
        and exports the manifest no longer names."""
        name = PurePosixPath(staged.key)
        file = staged.file
        entry = {
            "build": f"{builds_prefix(staged.key)}/{name.stem}-{staged.version}{name.suffix}",
            "sha256": sha256_of(file),
            "size": file.stat().st_size,
            **facts,
        }
        self.upload(file, entry["build"])
        folder = f"{name.parent}/{staged.export_name}-{staged.version}"
        files = staged.export.rglob("*") if staged.export.is_dir() else ()
        for path in sorted(p for p in files if p.is_file()):  # records/ is partitioned
            self.upload(path, f"{folder}/{path.relative_to(staged.export).as_posix()}")
        old = self.manifest(staged.key)
        export, previous_export = staged.export_name, f"previous_{staged.export_name}"
        manifest = {
            **entry,
            export: folder,
            previous_export: old[export] if old else None,
            "previous": ([_entry_of(old, entry), *old["previous"]] if old else [])[:keep],
            "rolled_back": old["rolled_back"] if old else [],
        }
        self._write_manifest(staged.key, manifest)
        staged.published = True
        self._prune(staged.key, manifest, export, previous_export)
        return self.url(entry["build"])

    def _prune(self, key: str, manifest: dict, export: str, previous_export: str) -> None:
        """Delete the versions the manifest no longer names and the exports other than its
        current and previous one; only older ones than its own, so a version another run
        is still uploading (newer) is left alone."""
        name = PurePosixPath(key)
        named = {e["build"] for e in (manifest, *manifest["previous"], *manifest["rolled_back"])}
        for build in self.keys(builds_prefix(key), f"{name.stem}-*{name.suffix}"):
            if build not in named and build < manifest["build"]:
                self.delete(build)
        folders = {k.rsplit("/", 1)[0] for k in self.keys(str(name.parent), f"{export}-*/*")}
        for folder in sorted(folders - {manifest[export], manifest[previous_export]}):
            if folder < manifest[export]:
                self.delete(folder)

    def published(self, key: str, keep: int) -> Path | None:
        """The version the manifest names, downloaded once into the cache and checked
        against its sha256 (only the most recently used `keep + 1` are kept)."""
        manifest = self.manifest(key)
        return self._fetch_version(key, manifest, keep) if manifest else None

    def _fetch_version(self, key: str, entry: dict, keep: int) -> Path:
        name = PurePosixPath(key)
        cache = cache_dir() / str(name.parent)
        cached = cache / f"{name.stem}-{entry['sha256']}{name.suffix}"
        if cached.exists():
            os.utime(cached)
            return cached
        partial = self.download(entry["build"], cache / f".{cached.name}.{os.getpid()}.download")
        digest = sha256_of(partial)
        if digest != entry["sha256"]:
            partial.unlink()
            raise StorageError(
                f"{self.url(entry['build'])}: sha256 {digest} "
                f"is not the manifest's {entry['sha256']}"
            )
        partial.chmod(0o444)  # a shared copy: nobody opens it read-write
        os.replace(partial, cached)
        versions = sorted(
            cache.glob(f"{name.stem}-*{name.suffix}"), key=lambda p: p.stat().st_mtime
        )
        for old in versions[: -keep - 1]:
            old.unlink(missing_ok=True)
        return cached

    def published_url(self, key: str) -> str | None:
        manifest = self.manifest(key)
        return self.url(manifest["build"]) if manifest else None

    def record_url(self, key: str) -> str:
        return self.url(manifest_key(key))

    def versions_url(self, key: str) -> str:
        return self.url(manifest_key(key))

    def versions(self, key: str) -> list[tuple[str, dict]]:
        previous = (self.manifest(key) or {"previous": []})["previous"]
        return [(self.url(entry["build"]), entry) for entry in reversed(previous)]

    def rollback(self, key: str, keep: int) -> str:
        """Point the manifest at the newest previous version again (one PUT); the replaced
        one is listed under `rolled_back`. The export stays the latest one, as on disk."""
        manifest = self.manifest(key)
        if not manifest or not manifest["previous"]:
            raise FileNotFoundError(
                f"no previous version of {key} in {self.versions_url(key)} to roll back to"
            )
        chosen, *rest = manifest["previous"]
        if not self.exists(chosen["build"]):
            raise FileNotFoundError(
                f"{self.url(chosen['build'])}: the build to roll back to is gone"
            )
        rolled_back = [_entry_of(manifest, chosen), *manifest["rolled_back"]][:keep]
        self._write_manifest(
            key, {**manifest, **chosen, "previous": rest, "rolled_back": rolled_back}
        )
        return self.url(chosen["build"])


def _entry_of(manifest: dict, like: dict) -> dict:
    """The version a manifest publishes, with the fields of an entry `like` it."""
    return {field: manifest.get(field) for field in like}
