"""
### marts_build

Builds the DuckDB warehouse that BI tools read, from the Parquet lake.

- **When**: whenever a source DAG updates its asset (prices, FOMC statements,
  FOMC projections, Fed rates, basket members, earnings: data-aware scheduling);
  runnable alone (`airflow dags test marts_build <date>`). It has no data
  interval: its as-of session is the latest session in the lake.
- **Reads**: `lake/` (prices, corporate actions, FOMC statements and projections,
  Fed rates, basket members, earnings, data quality, quarantine) and
  the SQL models in `include/sql/` (staging/, marts/, alerts/), the universe file.
- **Writes**: a new DuckDB file, audited (row counts, unique keys, freshness),
  then published as `warehouse/radar.duckdb` by one atomic rename: a reader
  sees the old warehouse or the new one, never a mix, and is never blocked.
  A failed audit keeps the previous warehouse and fails the task.
- **Incremental**: the new file is a copy of the published one updated with what
  changed in the lake since (new sessions extend `records`; a restated symbol is
  recomputed; the other marts are rebuilt from `records`), equal to a full
  rebuild. Trigger with the param `full_rebuild: true` (or `make rebuild`) to
  build everything from the lake.
- **Marts**: `records`, `relative_strength`, `valuation_spread`, `fomc_decisions`,
  `fomc_event_returns`, `rate_sensitivity`, `data_quality`, `breakout_signals`.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import Param, dag, task

from rotation_radar.core import settings
from rotation_radar.orchestration.assets import (
    EARNINGS_FACTS,
    FED_RATES,
    FOMC_PROJECTIONS,
    FOMC_STATEMENTS,
    PRICES_DAILY,
    UNIVERSE_MEMBERS,
    WAREHOUSE,
)
from rotation_radar.orchestration.defaults import default_args


@dag(
    dag_id="marts_build",
    doc_md=__doc__,
    schedule=(
        PRICES_DAILY
        | FOMC_STATEMENTS
        | FOMC_PROJECTIONS
        | FED_RATES
        | UNIVERSE_MEMBERS
        | EARNINGS_FACTS
    ),
    start_date=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
    catchup=False,
    max_active_runs=1,  # one writer of the warehouse at a time
    default_args=default_args(),
    params={"full_rebuild": Param(False, type="boolean", description="Rebuild every mart.")},
    tags=["rotation-radar", "warehouse", "marts"],
)
def marts_build():
    @task(outlets=[WAREHOUSE])
    def build_warehouse(run_id=None, params=None) -> dict:
        """Build (incrementally, unless full_rebuild), audit and atomically publish
        warehouse/radar.duckdb."""
        from dataclasses import asdict

        from rotation_radar.warehouse import publish

        full = bool((params or {}).get("full_rebuild", False))
        return asdict(publish.build_and_publish(settings.load_universe(), run_id, full=full))

    build_warehouse()


marts_build()
