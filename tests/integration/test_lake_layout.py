"""What the ingest writes is what the registry declares: each source's ingest runs once
against the replay server (real HTTP, real files), then every Parquet file under lake/
and quarantine/ must be a file of exactly one declared dataset, with its schema."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from rotation_radar.alerts import delivery
from rotation_radar.core import lake, settings, storage
from rotation_radar.core.datasets import DATASETS
from rotation_radar.core.transport import HttpSource
from rotation_radar.earnings import ingest as earnings_ingest
from rotation_radar.fomc import ingest as fomc_ingest
from rotation_radar.prices import ingest as prices_ingest
from rotation_radar.sources import sec
from rotation_radar.universe import ingest as universe_ingest
from tests.integration.conftest import SEC_USER_AGENT

DAY = dt.date(2025, 9, 19)
NOW = dt.datetime(2025, 9, 20, tzinfo=dt.UTC)


def http(server, name):
    return HttpSource(name, server.url, retries=2, backoff_factor=0.01)


def ingest_everything(server, run_id):
    # earnings first: with no holdings stored its members are the universe's baskets only
    ingest_earnings(server, run_id)
    universe_ingest.fetch_and_load(
        http(server, "ishares"), ["IWM"], DAY, dt.date(2025, 8, 29), run_id, NOW
    )
    ingest_merged(server, run_id)


def ingest_earnings(server, run_id):
    extra = {
        "user_agent": SEC_USER_AGENT,
        "www_base_url": server.url,
        "retries": 2,
        "backoff_factor": 0.01,
    }
    data, www = sec.sources_from_connection(server.url, extra)
    plan = earnings_ingest.plan(www, settings.load_universe(), DAY, run_id, NOW)
    earnings_ingest.fetch_and_load(data, json.loads(json.dumps(plan)), DAY, run_id, NOW)


def ingest_merged(server, run_id):
    """The ingests of the datasets that merge by key: FOMC statements (and FRED), prices."""
    pages = fomc_ingest.discover(http(server, "federal_reserve"), DAY, 2025)
    manifest = fomc_ingest.fetch_statements(http(server, "federal_reserve"), pages, DAY, run_id)
    fomc_ingest.load_statements(manifest, DAY, run_id, NOW)
    fomc_ingest.load_fred(http(server, "fred"), DAY, run_id, NOW)
    manifest = prices_ingest.fetch_all(
        ["^RUT", "NVDA"], DAY, dt.date(2024, 1, 2), 5, http(server, "yahoo_finance"), None, run_id
    )
    prices_ingest.load(manifest, DAY, run_id, NOW)


def test_every_file_the_ingest_writes_is_a_declared_dataset_file(data_dir, replay):
    ingest_everything(replay, "run1")
    rows = lake.read_symbol("prices_daily", "^RUT").head(2)
    lake.write_quarantine(DAY, "run1", rows.assign(reason="a test", raw_key="k"))
    log = pd.DataFrame(
        [("record_close", "^RUT", DAY, "slack", "info", 1.0, 1.0, "m", "key-1")],
        columns=[
            "rule",
            "subject",
            "session_date",
            "channel",
            "severity",
            "value",
            "threshold",
            "message",
            "idempotency_key",
        ],
    )
    delivery.write_log(
        log.assign(status="delivered", error=None, attempts=1, delivered_at=NOW, run_id="run1")
    )

    written = {}
    for key in storage.keys("lake", "**/*.parquet") + storage.keys("quarantine", "**/*.parquet"):
        owners = [d for d in DATASETS.values() if _is_file_of(d, key)]
        assert len(owners) == 1, f"{key}: a file of {[d.name for d in owners]}"
        (owner,) = owners
        schema = storage.read_parquet(key).schema.remove_metadata()
        assert schema.equals(owner.schema), f"{key}: not the schema of {owner.name}"
        written.setdefault(owner.name, []).append(key)
    assert set(written) >= {
        "prices_daily",
        "corporate_actions",
        "universe_members",
        "fomc_statements",
        "fed_funds_target",
        "treasury_yields",
        "earnings_facts",
        "earnings_ttm",
        "sec_companies",
        "sec_daily_index",
        "data_quality",
        "alert_log",
        "quarantine_prices_daily",
    }
    assert written["prices_daily"] == sorted(
        lake.symbol_key("prices_daily", s) for s in ("NVDA", "^RUT")
    )
    assert written["universe_members"] == [
        DATASETS["universe_members"].file(basket="IWM", as_of=d)
        for d in (dt.date(2025, 8, 29), DAY)
    ]

    # A rerun of the same day writes no file that was not there, and leaves the merged
    # datasets' files byte-identical.
    merged = {
        k: storage.read_bytes(k) for n in ("prices_daily", "fomc_statements") for k in written[n]
    }
    ingest_merged(replay, "run1")
    assert set(storage.keys("lake", "**/*.parquet")) == {
        k for keys in written.values() for k in keys if k.startswith("lake/")
    }
    assert {k: storage.read_bytes(k) for k in merged} == merged


def _is_file_of(declared, key) -> bool:
    try:
        declared.parts(key)
    except ValueError:
        return False
    return True
