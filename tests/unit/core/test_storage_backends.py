"""Local disk and object storage are two implementations of one interface, chosen once
from RADAR_DATA_DIR (rotation_radar.core.storage.backend); no caller branches on which."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rotation_radar.core import storage
from rotation_radar.core.local_storage import LocalStorage
from rotation_radar.core.object_storage import ObjectStorage

ROOT = Path(__file__).resolve().parents[3]
# The backends themselves and the one place that chooses between them.
BACKEND_MODULES = {
    ROOT / "plugins" / "rotation_radar" / "core" / name
    for name in ("storage.py", "local_storage.py", "object_storage.py")
}
# What telling the roots apart would take: the old predicate, the concrete classes, the
# settings behind the choice.
WHICH_ROOT = {"is_remote", "LocalStorage", "ObjectStorage", "data_url", "is_url"}


def sources() -> list[Path]:
    found = []
    for folder in ("plugins", "dags", "devtools", "tests"):
        found += sorted((ROOT / folder).rglob("*.py"))
    return [
        p
        for p in found
        if p not in BACKEND_MODULES
        and p.name != Path(__file__).name
        and p.relative_to(ROOT).parts[:4] != ("plugins", "rotation_radar", "core", "settings.py")
    ]


def names(path: Path) -> set[str]:
    """The names a module takes from others: attributes (`storage.is_remote`) and imported
    names (`from ... import is_remote`)."""
    used = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute):
            used.add(node.attr)
        elif isinstance(node, ast.ImportFrom | ast.Import):
            used |= {alias.name for alias in node.names}
    return used


def test_no_caller_asks_which_root_it_is_on():
    offenders = {
        str(path.relative_to(ROOT)): sorted(names(path) & WHICH_ROOT)
        for path in sources()
        if names(path) & WHICH_ROOT
    }
    assert offenders == {}, f"branch on the storage backend outside core/storage: {offenders}"
    assert not hasattr(storage, "is_remote")


@pytest.mark.parametrize("backend", [LocalStorage, ObjectStorage])
def test_both_backends_implement_the_whole_interface(backend):
    interface = {
        name
        for name, value in vars(storage.Storage).items()
        if callable(value) and not name.startswith("_")
    }
    missing = sorted(name for name in interface if not callable(getattr(backend, name, None)))
    assert missing == []


def test_the_backend_follows_radar_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "a"))
    first = storage.backend()
    assert isinstance(first, LocalStorage) and isinstance(first, storage.Storage)
    assert storage.backend() is first  # chosen once per root
    assert storage.url("lake/x.parquet") == str(tmp_path / "a" / "lake" / "x.parquet")
    monkeypatch.setenv("RADAR_DATA_DIR", "s3://bucket/prefix/")
    remote = storage.backend()
    assert isinstance(remote, ObjectStorage) and isinstance(remote, storage.Storage)
    assert storage.url("lake/x.parquet") == "s3://bucket/prefix/lake/x.parquet"
    with pytest.raises(storage.StorageError, match="object storage has no local path"):
        storage.path("lake/x.parquet")
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path / "b"))
    assert storage.path("lake/x.parquet") == tmp_path / "b" / "lake" / "x.parquet"


def test_a_local_publish_keeps_the_replaced_file_for_rollback(monkeypatch, tmp_path):
    monkeypatch.setenv("RADAR_DATA_DIR", str(tmp_path))
    backend = storage.backend()
    key = "warehouse/radar.duckdb"
    for number, version in enumerate(("20250101T000000000000-a", "20250102T000000000000-b")):
        with backend.stage(key, version, "parquet") as staged:
            staged.file.write_bytes(b"build %d" % number)
            staged.export.mkdir()
            (staged.export / "records.parquet").write_bytes(b"%d" % number)
            assert backend.publish(staged, {"run_id": version}, keep=5) == storage.url(key)
    assert storage.read_bytes(key) == b"build 1"
    assert (tmp_path / "warehouse" / "parquet" / "records.parquet").read_bytes() == b"1"
    assert [url for url, _ in backend.versions(key)] == [str(p) for p in backend.kept(key)]
    assert len(backend.versions(key)) == 1 and backend.published(key, 5) == storage.path(key)
    assert backend.rollback(key, keep=5) == storage.url(key)
    assert storage.read_bytes(key) == b"build 0"
    assert backend.versions(key) == []
    with pytest.raises(FileNotFoundError, match="no previous version of warehouse/radar.duckdb"):
        backend.rollback(key, keep=5)
    # a staged build that is never published leaves nothing behind
    with backend.stage(key, "20250103T000000000000-c", "parquet") as staged:
        staged.file.write_bytes(b"unpublished")
        staged.export.mkdir()
    assert sorted(p.name for p in (tmp_path / "warehouse").iterdir()) == [
        "history",
        "parquet",
        "parquet-20250101T000000000000-a",
        "parquet-20250102T000000000000-b",
        "radar.duckdb",
    ]
