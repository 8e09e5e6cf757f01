"""Finding and opening the published warehouse, for readers (alerts, the report, BI
tools, the demo): the file on disk, or on object storage the build the manifest names,
downloaded once into the cache and checked against its sha256."""

from __future__ import annotations

from pathlib import Path

from rotation_radar.core import settings, storage

WAREHOUSE_KEY = "warehouse/radar.duckdb"
# On object storage: the manifest that publishes the warehouse, and where builds go.
MANIFEST_KEY = storage.manifest_key(WAREHOUSE_KEY)
BUILDS_PREFIX = storage.builds_prefix(WAREHOUSE_KEY)
# The marts as Parquet: warehouse/parquet (a symlink on disk; a folder the manifest names
# on object storage), beside the DuckDB file.
PARQUET_EXPORT = "parquet"


def keep_count() -> int:
    """Previous warehouses kept for rollback (RADAR_WAREHOUSE_KEEP, default 5); readers on
    object storage keep one more downloaded build than that."""
    return settings.warehouse_keep()


def published_path() -> Path | None:
    """The published warehouse as a local file to open read-only, None when none is. On
    object storage, the build the manifest names, downloaded once into the cache and
    checked against its sha256: a reader never opens a half-uploaded build."""
    return storage.backend().published(WAREHOUSE_KEY, keep_count())


def published_url() -> str | None:
    """Where the published warehouse lives (the file, or the build the manifest names)."""
    return storage.backend().published_url(WAREHOUSE_KEY)


def record_url() -> str:
    """What publishing the warehouse writes last (the file, or the manifest): where to
    look when no warehouse is published."""
    return storage.backend().record_url(WAREHOUSE_KEY)


def read_manifest() -> dict | None:
    """warehouse/manifest.json of an object-storage root, None before the first publish
    (and on a local root, where the file is its own record)."""
    return storage.backend().manifest(WAREHOUSE_KEY)


def mart_names(con) -> list[str]:
    """The published marts of an open warehouse (views of schema marts, the catalog aside)."""
    rows = con.execute(
        "select view_name from duckdb_views() "
        "where schema_name = 'marts' and view_name <> 'catalog' order by 1"
    ).fetchall()
    return [name for (name,) in rows]
