"""
### universe_holdings

ETF holdings (iShares IWM and IVV) into the lake, as `universe_members`.

- **When**: weekdays at 23:00 UTC, after the close (iShares posts a day's holdings in
  the evening). A run for date D asks for holdings as of D at the latest, never later.
- **Reads**: the iShares holdings CSV of each fund (`ishares` connection,
  `/us/products/<id>/<slug>/<ajax>.ajax?fileType=csv&...&asOfDate=YYYYMMDD`): every
  month-end session since `holdings_start` in the universe file (default 2024-12-31)
  not yet stored, and the run's day.
- **Writes**: raw files to `raw/ishares/`; `lake/universe_members/` (one file per
  basket and as-of date, replaced by a rerun); excluded rows (cash, futures, no
  ticker) and failures to `lake/data_quality/`.
- **Fails** loudly naming the fund when its files cannot be fetched or read, after
  storing the other fund.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import CronTriggerTimetable, dag, task

from rotation_radar.core import settings
from rotation_radar.orchestration.assets import DATA_QUALITY, UNIVERSE_MEMBERS
from rotation_radar.orchestration.defaults import default_args


@dag(
    dag_id="universe_holdings",
    doc_md=__doc__,
    schedule=CronTriggerTimetable("0 23 * * 1-5", timezone="UTC"),
    start_date=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
    catchup=False,
    max_active_runs=1,  # one writer of universe_members at a time
    default_args=default_args(),
    tags=["rotation-radar", "ingest", "holdings"],
)
def universe_holdings():
    @task(outlets=[UNIVERSE_MEMBERS, DATA_QUALITY])
    def load_holdings(logical_date=None, dag_run=None, run_id=None) -> dict:
        """Fetch, land, parse and store each fund's missing month-end files and the day's."""
        from rotation_radar.core import connections
        from rotation_radar.universe import ingest

        http = connections.required_source("ishares")
        day = (logical_date or dag_run.run_after).astimezone(dt.UTC).date()
        return ingest.fetch_and_load(
            http,
            list(settings.HOLDINGS_BASKETS),
            day,
            settings.load_universe().holdings_start,
            run_id,
            dt.datetime.now(dt.UTC),
        )

    load_holdings()


universe_holdings()
