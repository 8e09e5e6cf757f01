"""docs/marts.md is generated from the warehouse's catalog and must be current."""

from __future__ import annotations

from rotation_radar import warehouse


def test_docs_marts_md_matches_the_warehouse_comments():
    current = warehouse.DOCS_PATH.read_text()
    assert current == warehouse.catalog_markdown(), "docs/marts.md is stale: run `make docs`"


def test_every_mart_and_column_has_a_description():
    text = warehouse.catalog_markdown()
    for name in (*warehouse.MARTS, "breakout_signals"):
        assert f"## marts.{name}\n" in text
    assert "| None |" not in text and "|  |" not in text
