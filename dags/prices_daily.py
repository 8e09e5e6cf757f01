"""
### prices_daily

Daily prices of the universe (indices, ETFs, the Magnificent Seven) and of every
current member of the IWM and IVV baskets into the lake.

- **When**: once per NYSE session, 30 minutes after its close (early closes
  included; weekends, holidays and one-off closures skipped). A run triggered
  for date D covers the session on D, or the last one before it.
- **Reads**: Yahoo chart v8 (`yahoo_finance` connection; symbols fetched
  concurrently under the connection's `requests_per_second`); Stooq CSV
  (`stooq`) only for symbols Yahoo does not know; the universe file
  (`RADAR_UNIVERSE`); the members of each basket's latest holdings file on or
  before the session (`lake/universe_members/`); the lake, to fetch only from
  each symbol's last stored session minus a short lookback (a new symbol: from
  `history_start`).
- **Writes** (under `RADAR_DATA_DIR`): exact responses to `raw/`; validated
  rows to `lake/prices_daily/` (a night's appended bars in one increment file;
  a new or restated symbol's file rewritten whole, its new split or dividend
  applied to the stored history without a second request), replaced rows to
  `lake/prices_daily_versions/`,
  splits and dividends to `lake/corporate_actions/`, failing rows to
  `quarantine/prices_daily/`, every check to `lake/data_quality/`.
- **Fails** when a batch check blocks the batch or every symbol failed; an
  unknown symbol is recorded and the run goes on. A bar on a day that is not a
  session, or an unexplained jump beyond `jump_factor` (universe file) that the
  next bar does not confirm, is quarantined and the rest loads.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import dag, task

from rotation_radar.core import settings
from rotation_radar.orchestration.assets import CORPORATE_ACTIONS, DATA_QUALITY, PRICES_DAILY
from rotation_radar.orchestration.defaults import default_args
from rotation_radar.orchestration.timetable import NYSESessionTimetable


@dag(
    dag_id="prices_daily",
    doc_md=__doc__,
    schedule=NYSESessionTimetable(settle=dt.timedelta(minutes=30)),
    start_date=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
    catchup=False,
    max_active_runs=1,  # one writer of the lake at a time
    default_args=default_args(),
    tags=["rotation-radar", "ingest", "prices"],
)
def prices_daily():
    @task
    def fetch(logical_date=None, dag_run=None, run_id=None) -> str:
        """Land each symbol's window of bars under raw/; returns the manifest key."""
        from rotation_radar.core import connections, sessions
        from rotation_radar.prices import ingest as prices_ingest
        from rotation_radar.universe import ingest as universe_ingest

        universe = settings.load_universe()
        session = sessions.session_of_run(logical_date, dag_run.run_after)
        members = universe_ingest.current_members(session)
        return prices_ingest.fetch_all(
            list(dict.fromkeys([*universe.symbols, *members])),
            session,
            universe.history_start,
            universe.lookback_sessions,
            connections.required_source("yahoo_finance"),
            connections.http_source("stooq"),
            run_id,
        )

    @task(outlets=[PRICES_DAILY, CORPORATE_ACTIONS, DATA_QUALITY])
    def validate_and_load(manifest_key: str, logical_date=None, dag_run=None, run_id=None) -> dict:
        """Validate the landed bars with Great Expectations and merge them into the lake."""
        from dataclasses import asdict

        from rotation_radar.core import sessions
        from rotation_radar.prices import ingest as prices_ingest

        session = sessions.session_of_run(logical_date, dag_run.run_after)
        jump_factor = settings.load_universe().jump_factor
        summary = prices_ingest.load(
            manifest_key, session, run_id, dt.datetime.now(dt.UTC), jump_factor
        )
        return asdict(summary)

    validate_and_load(fetch())


prices_daily()
