"""The dataset registry (rotation_radar.core.datasets) and the lake's one keyed merge:
every dataset declared once, with a key of its schema and the documented paths; no
pipeline module spells a lake path; the merge's policies (compared columns, lineage
kept, versions archived) for every dataset that merges."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from rotation_radar.core import datasets, lake, storage
from rotation_radar.core.datasets import DATASETS, MERGE

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "plugins" / "rotation_radar"
# Fields a writer names that are not columns: a run's file, a quarantine's session
# folder, the digest of an alert log file's keys.
WRITER_FIELDS = {"run", "session", "digest"}
VERSION_COLUMNS = ["replaced_at", "replaced_by_run_id"]
TS = pd.Timestamp("2025-09-20", tz="UTC")
D = dt.date


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_dataset_is_declared_with_a_key_of_its_schema(name):
    declared = DATASETS[name]
    columns = set(declared.schema.names)
    assert declared.name == name and declared.key and set(declared.key) <= columns
    assert set(declared.compared) <= columns and set(declared.order) <= columns
    assert declared.rerun in (datasets.MERGE, datasets.REPLACE, datasets.APPEND)
    assert declared.doc
    fields = set(re.findall(r"\{(\w+)\}", declared.path))
    assert fields - WRITER_FIELDS <= columns, f"{name}: layout fields that are not columns"
    assert ("run" in fields) == (declared.rerun == datasets.APPEND and name != "alert_log")
    top = "quarantine" if name.startswith("quarantine_") else "lake"
    assert declared.prefix == f"{top}/{name.removeprefix('quarantine_')}"
    if declared.version_column:
        assert declared.version_column in columns
    if declared.versions:
        versions = DATASETS[declared.versions]
        assert declared.rerun == MERGE
        assert versions.schema.names == [*declared.schema.names, *VERSION_COLUMNS]
        assert set(versions.partition) <= columns  # archive groups replaced rows by them


def test_schemas_are_the_declarations():
    assert {name: d.schema for name, d in DATASETS.items()} == lake.SCHEMAS
    assert list(DATASETS) == [d.name for d in datasets._DECLARED]  # one declaration each


# The paths of DESIGN.md and the README, which must not change.
PATHS = [
    ("prices_daily", {"symbol": "^RUT"}, "lake/prices_daily/symbol=^RUT/data.parquet"),
    (
        "prices_daily_versions",
        {"symbol": "NVDA", "run": "r1"},
        "lake/prices_daily_versions/symbol=NVDA/r1.parquet",
    ),
    ("corporate_actions", {"symbol": "NVDA"}, "lake/corporate_actions/symbol=NVDA/data.parquet"),
    (
        "universe_members",
        {"basket": "IWM", "as_of": D(2025, 8, 29)},
        "lake/universe_members/basket=IWM/as_of=2025-08-29/data.parquet",
    ),
    ("fomc_statements", {}, "lake/fomc_statements/data.parquet"),
    ("fomc_statements_versions", {"run": "r1"}, "lake/fomc_statements_versions/all/r1.parquet"),
    (
        "fomc_projections",
        {"meeting_date": D(2025, 9, 17)},
        "lake/fomc_projections/meeting_date=2025-09-17/data.parquet",
    ),
    (
        "fomc_dots",
        {"meeting_date": D(2025, 9, 17)},
        "lake/fomc_dots/meeting_date=2025-09-17/data.parquet",
    ),
    ("fed_funds_target", {}, "lake/fed_funds_target/data.parquet"),
    ("treasury_yields", {}, "lake/treasury_yields/data.parquet"),
    ("earnings_facts", {"cik": 1652044}, "lake/earnings_facts/cik=1652044/data.parquet"),
    (
        "earnings_facts_versions",
        {"cik": 320193, "run": "r1"},
        "lake/earnings_facts_versions/cik=320193/r1.parquet",
    ),
    ("earnings_ttm", {"cik": 320193}, "lake/earnings_ttm/cik=320193/data.parquet"),
    ("sec_companies", {}, "lake/sec_companies/data.parquet"),
    (
        "sec_daily_index",
        {"index_date": D(2025, 9, 18)},
        "lake/sec_daily_index/index_date=2025-09-18/data.parquet",
    ),
    (
        "data_quality",
        {"dataset": "prices_daily", "run": "r1"},
        "lake/data_quality/dataset=prices_daily/r1.parquet",
    ),
    (
        "alert_log",
        {"channel": "slack", "status": "delivered", "digest": "ab12"},
        "lake/alert_log/channel=slack/delivered-ab12.parquet",
    ),
    (
        "quarantine_prices_daily",
        {"session": D(2025, 9, 18), "run": "r1"},
        "quarantine/prices_daily/2025-09-18/r1.parquet",
    ),
    (
        "quarantine_fomc_statements",
        {"session": D(2025, 9, 18), "run": "r1"},
        "quarantine/fomc_statements/2025-09-18/r1.parquet",
    ),
    (
        "quarantine_fomc_projections",
        {"session": D(2025, 9, 18), "run": "r1"},
        "quarantine/fomc_projections/2025-09-18/r1.parquet",
    ),
    (
        "quarantine_fomc_dots",
        {"session": D(2025, 9, 18), "run": "r1"},
        "quarantine/fomc_dots/2025-09-18/r1.parquet",
    ),
    (
        "quarantine_earnings_facts",
        {"session": D(2025, 9, 18), "run": "r1-0"},
        "quarantine/earnings_facts/2025-09-18/r1-0.parquet",
    ),
]


def test_every_dataset_has_its_documented_path():
    assert sorted(name for name, _, _ in PATHS) == sorted(DATASETS)


@pytest.mark.parametrize(("name", "parts", "key"), PATHS)
def test_layout_gives_the_documented_path_and_reads_it_back(name, parts, key):
    declared = DATASETS[name]
    assert declared.file(**parts) == key
    assert declared.parts(key) == {k: datasets._text(v) for k, v in parts.items()}
    assert key.startswith(declared.folder() + "/")
    every = [d.name for d in DATASETS.values() if _matches(d, key)]
    assert every == [name], f"{key} matches the layouts of {every}"


def _matches(declared, key) -> bool:
    try:
        declared.parts(key)
    except ValueError:
        return False
    return True


def test_folder_and_pattern_list_the_files_that_share_parts():
    members = DATASETS["universe_members"]
    assert members.folder(basket="IWM") == "lake/universe_members/basket=IWM"
    assert members.pattern(basket="IWM") == "as_of=*/data.parquet"
    assert DATASETS["earnings_facts"].pattern() == "cik=*/data.parquet"
    assert (
        DATASETS["quarantine_prices_daily"].folder(session=D(2025, 9, 18))
        == "quarantine/prices_daily/2025-09-18"
    )
    with pytest.raises(ValueError, match="needs"):
        DATASETS["prices_daily"].file()


def test_stored_lists_the_layout_fields_of_written_files(data_dir):
    for as_of in (D(2025, 7, 31), D(2025, 8, 29)):
        lake.write(
            "universe_members", lake.to_frame(None, "universe_members"), basket="IWM", as_of=as_of
        )
    lake.write(
        "universe_members",
        lake.to_frame(None, "universe_members"),
        basket="IVV",
        as_of=D(2025, 8, 29),
    )
    found = sorted(p["as_of"] for p in lake.stored("universe_members", basket="IWM"))
    assert found == ["2025-07-31", "2025-08-29"]


def pipeline_modules():
    return sorted(
        p for p in PACKAGE.rglob("*.py") if p.name != "datasets.py" or p.parent.name != "core"
    )


def test_no_pipeline_module_spells_a_lake_path():
    """Keys and folders of lake and quarantine datasets come from the registry; a string
    that starts with `lake/` or `quarantine/` elsewhere spells one again (docstrings and
    messages that mention a path in their middle are fine)."""
    spelled = []
    for path in pipeline_modules():
        relative = path.relative_to(PACKAGE)
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            text = None
            if (
                isinstance(node, ast.JoinedStr)
                and node.values
                and isinstance(node.values[0], ast.Constant)
            ):
                text = node.values[0].value
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docstrings
            ):
                text = node.value
            if isinstance(text, str) and re.match(r"(lake|quarantine)/", text):
                spelled.append(f"{relative}:{node.lineno}: {text!r}")
    assert spelled == []


def test_every_dataset_the_warehouse_reads_is_declared():
    views = {d.name: d for d in lake.warehouse_views()}
    read = set()
    for path in [*(ROOT / "include" / "sql").rglob("*.sql"), *PACKAGE.rglob("*.py")]:
        read |= set(
            re.findall(r"(?:from|join)\s+lake\.(\w+)", path.read_text(), flags=re.IGNORECASE)
        )
    assert read and read <= set(views), (
        f"read by the warehouse but not declared: {read - set(views)}"
    )
    for view in views.values():
        assert view.glob == "**/*.parquet" and view.prefix.startswith(("lake/", "quarantine/"))
        assert isinstance(view.schema, pa.Schema)


def test_docs_lake_md_is_current():
    current = datasets.DOCS_PATH.read_text()
    assert current == datasets.markdown(), (
        "docs/lake.md is stale: run `python -m rotation_radar.core.datasets`"
    )


# ---------------------------------------------------------------- the keyed merge


def statement(day, sha, run, version=1):
    return {
        "statement_date": day,
        "url": f"/p/{day}",
        "title": "t",
        "text": "x",
        "sha256": sha,
        "target_low": 4.0,
        "target_high": 4.25,
        "change_bps": -25,
        "action": "cut",
        "votes_for": ["A"],
        "votes_for_count": 1,
        "votes_against_count": 0,
        "dissents": [],
        "etag": None,
        "last_modified": None,
        "raw_key": "k",
        "version": version,
        "source": "federal_reserve",
        "ingested_at": TS,
        "run_id": run,
    }


def test_merge_of_statements_versions_a_changed_page_and_keeps_an_unchanged_one():
    stored = pd.DataFrame(
        [statement(D(2025, 7, 30), "a", "r1"), statement(D(2025, 9, 17), "b", "r1")]
    )
    incoming = pd.DataFrame(
        [
            statement(D(2025, 9, 17), "b2", "r2"),  # the page changed
            statement(D(2025, 7, 30), "a", "r2"),  # a retried load: the same page
            statement(D(2025, 10, 29), "c", "r2"),  # a new statement
        ]
    )
    merged, replaced = lake.merge("fomc_statements", stored, incoming)
    assert list(merged["statement_date"]) == [D(2025, 7, 30), D(2025, 9, 17), D(2025, 10, 29)]
    assert list(merged["version"]) == [1, 2, 1]
    assert list(merged["run_id"]) == ["r1", "r2", "r2"]
    assert list(replaced["sha256"]) == ["b"] and list(replaced["version"]) == [1]
    again, none = lake.merge("fomc_statements", merged, incoming)
    assert (
        none.empty
        and list(again["version"]) == [1, 2, 1]
        and list(again["run_id"]) == ["r1", "r2", "r2"]
    )


def test_merge_into_nothing_numbers_first_versions():
    merged, replaced = lake.merge(
        "fomc_statements", pd.DataFrame(), pd.DataFrame([statement(D(2025, 9, 17), "b", "r1", 7)])
    )
    assert list(merged["version"]) == [1] and replaced.empty


def test_merge_finds_a_stored_key_with_a_missing_part_whatever_its_kind():
    """An instant's period_start is None when read from the lake and NaT when parsed."""
    row = {
        "cik": 1,
        "symbol": "X",
        "concept": "dei:Shares",
        "metric": "shares_outstanding",
        "unit": "shares",
        "period_start": None,
        "period_end": D(2025, 6, 30),
        "value": 10.0,
        "accession": "a1",
        "fiscal_year": 2025,
        "fiscal_period": "Q2",
        "form": "10-Q",
        "filed": D(2025, 8, 1),
        "frame": None,
        "raw_key": "k",
        "source": "sec_edgar",
        "ingested_at": TS,
        "run_id": "r1",
    }
    stored = pd.DataFrame([row])
    incoming = pd.DataFrame([{**row, "period_start": pd.NaT, "run_id": "r2"}])
    merged, replaced = lake.merge("earnings_facts", stored, incoming)
    assert replaced.empty and list(merged["run_id"]) == ["r1"]


def test_archive_writes_replaced_rows_to_the_versions_layout(data_dir):
    prices = pd.DataFrame(
        {"symbol": ["IWM", "SPY", "IWM"], "date": [D(2025, 9, 16), D(2025, 9, 16), D(2025, 9, 17)]}
    ).assign(
        **dict.fromkeys(("open", "high", "low", "close", "adj_close"), 1.0),
        volume=pd.array([1, 1, 1], dtype="Int64"),
        currency="USD",
        adjustment="split",
        source="yahoo_finance",
        ingested_at=TS,
        run_id="r1",
    )
    keys = lake.archive("prices_daily", prices, "scheduled__2025-09-20T00:00:00+00:00", TS)
    run = "scheduled__2025-09-20T00_00_00_00_00"
    assert keys == [f"lake/prices_daily_versions/symbol={s}/{run}.parquet" for s in ("IWM", "SPY")]
    stored = lake.read_all("prices_daily_versions")
    assert len(stored) == 3 and set(stored["replaced_by_run_id"]) == {
        "scheduled__2025-09-20T00:00:00+00:00"
    }
    statements = pd.DataFrame([statement(D(2025, 9, 17), "b", "r1")])
    assert lake.archive("fomc_statements", statements, "r2", TS) == [
        "lake/fomc_statements_versions/all/r2.parquet"
    ]
    assert lake.archive("fomc_statements", statements.iloc[0:0], "r2", TS) == []
    assert storage.read_parquet("lake/fomc_statements_versions/all/r2.parquet").num_rows == 1
