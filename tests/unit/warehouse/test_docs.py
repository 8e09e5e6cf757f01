"""docs/marts.md is generated from the warehouse's catalog and must be current."""

from __future__ import annotations

from rotation_radar.warehouse import build, docs


def catalog_markdown() -> str:
    with build.empty() as con:
        return docs.catalog_markdown(con)


def test_docs_marts_md_matches_the_warehouse_comments():
    current = docs.DOCS_PATH.read_text()
    assert current == catalog_markdown(), "docs/marts.md is stale: run `make docs`"


def test_every_mart_and_column_has_a_description():
    text = catalog_markdown()
    for name in (*build.MARTS, "breakout_signals"):
        assert f"## marts.{name}\n" in text
    assert "| None |" not in text and "|  |" not in text


def test_every_table_and_view_of_schema_marts_has_a_comment():
    """BI tools show COMMENT ON: every object of schema marts (the catalog included) and
    every column of them is described, in a warehouse built (empty) from the same SQL."""
    with build.empty() as con:
        objects = con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'marts' "
            "union all select view_name, comment from duckdb_views() where schema_name = 'marts'"
        ).fetchall()
        columns = con.execute(
            "select table_name || '.' || column_name, comment from duckdb_columns() "
            "where schema_name = 'marts'"
        ).fetchall()
    assert {name for name, _ in objects} >= {*build.MARTS, "breakout_signals", "catalog"}
    assert [name for name, comment in objects if not (comment or "").strip()] == []
    assert [name for name, comment in columns if not (comment or "").strip()] == []
