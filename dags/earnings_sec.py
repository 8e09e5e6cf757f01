"""
### earnings_sec

Company earnings (SEC EDGAR XBRL companyfacts) of every basket member into the lake,
point in time: every fact keeps the date it was filed.

- **When**: Tuesday to Saturday at 06:00 UTC, after EDGAR has posted the previous
  business day's form index. A run for date D ingests what was filed up to the end
  of D, never later.
- **Reads** (`sec_edgar` connection: host data.sec.gov; extra `user_agent` with a
  contact e-mail, which SEC requires, and `www_base_url`; at most 10 requests per
  second across both hosts; both tasks run in the `sec_edgar` pool, one slot, so that
  every worker together keeps to that limit): `company_tickers.json` to map
  members to CIKs (GOOG and GOOGL are one company, fetched once); the daily form
  indexes not read yet; the companyfacts JSON of each company never fetched (the
  first run: every member) or with a 10-Q/10-K the lake does not hold yet. Members
  come from the stored holdings files (`universe_holdings`) and the universe file's
  baskets.
- **Writes**: exact responses to `raw/sec_edgar/`; `lake/earnings_facts/` (one file per
  company; restatements are new rows, changed values archived to
  `lake/earnings_facts_versions/`), `lake/earnings_ttm/` (trailing-twelve-month figures
  from each filing date on), `lake/sec_companies/`, `lake/sec_daily_index/`; facts
  that fail validation to `quarantine/earnings_facts/`; every check to
  `lake/data_quality/`.
- **Fails** when SEC refuses the ticker map (HTTP 403: no contact in the User-Agent)
  or a company cannot be fetched after retries, naming it, after storing the others.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import CronTriggerTimetable, dag, task

from rotation_radar.core import settings
from rotation_radar.orchestration.assets import DATA_QUALITY, EARNINGS_FACTS
from rotation_radar.orchestration.defaults import default_args


def run_day(logical_date, dag_run) -> dt.date:
    return (logical_date or dag_run.run_after).astimezone(dt.UTC).date()


@dag(
    dag_id="earnings_sec",
    doc_md=__doc__,
    schedule=CronTriggerTimetable("0 6 * * 2-6", timezone="UTC"),
    start_date=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
    catchup=False,
    max_active_runs=1,  # one writer of earnings_facts at a time
    default_args=default_args(),
    tags=["rotation-radar", "ingest", "earnings"],
)
def earnings_sec():
    @task(pool=settings.SEC_POOL)
    def plan(logical_date=None, dag_run=None, run_id=None) -> dict:
        """Map members to CIKs, read the new daily indexes, choose the companies to fetch."""
        from rotation_radar.earnings import ingest
        from rotation_radar.sources import sec

        _, www = sec.connection_sources()
        day = run_day(logical_date, dag_run)
        return ingest.plan(www, settings.load_universe(), day, run_id, dt.datetime.now(dt.UTC))

    @task(outlets=[EARNINGS_FACTS, DATA_QUALITY], pool=settings.SEC_POOL)
    def fetch_and_load(chosen: dict, logical_date=None, dag_run=None, run_id=None) -> dict:
        """Fetch the chosen companies' facts, validate them, merge them into the lake."""
        from rotation_radar.earnings import ingest
        from rotation_radar.sources import sec

        data, _ = sec.connection_sources()
        day = run_day(logical_date, dag_run)
        return ingest.fetch_and_load(data, chosen, day, run_id, dt.datetime.now(dt.UTC))

    fetch_and_load(plan())


earnings_sec()
