"""
### fomc_statements

FOMC statements (decision, range, votes, dissents), the Summary of Economic
Projections (SEP: Table 1 and the dot plot) and FRED policy series into the lake.

- **When**: daily at 22:30 UTC (statements and projections are released at 14:00
  New York). A run for date D ingests what was published up to the end of D,
  never later.
- **Reads**: the Federal Reserve's monetary press-release RSS feed and FOMC
  calendar pages (`federal_reserve` connection; links are reduced to their
  path), each statement page `monetaryYYYYMMDDa.htm` and each projections page
  `fomcprojtablYYYYMMDD.htm` (older ones `fomcprojtable...`) of a meeting the
  calendar stars (a stored page is re-requested only conditionally, with its
  ETag / Last-Modified); FRED CSVs DFEDTARL, DFEDTARU, DGS2, DGS10 (`fred`
  connection).
- **Writes**: raw pages and CSVs to `raw/`; `lake/fomc_statements/` (a changed
  page is a new version, the old row goes to `lake/fomc_statements_versions/`),
  `lake/fomc_projections/` and `lake/fomc_dots/` (one file per SEP meeting,
  replaced by a changed page), `lake/fed_funds_target/`, `lake/treasury_yields/`;
  statements failing a check to `quarantine/fomc_statements/`, SEP meetings whose
  Table 1 and dots disagree to `quarantine/fomc_projections/` and
  `quarantine/fomc_dots/`; every check (and each statement's range against
  FRED's next-day range) to `lake/data_quality/`.
- **Fails** loudly when a statement or a projections page cannot be fetched or
  read (the sentence or table it could not read is named; nothing is guessed),
  after loading the others. The SEP tasks are apart from the statements'
  (`discover_projections` runs after `fetch_statements`, whatever its outcome):
  a failure of one leaves the other loaded. FRED is loaded even then, and the
  last task, `any_task_failed`, fails the run.
"""

from __future__ import annotations

import datetime as dt

from airflow.sdk import CronTriggerTimetable, dag, task

from rotation_radar.core import settings
from rotation_radar.orchestration.assets import (
    DATA_QUALITY,
    FED_RATES,
    FOMC_PROJECTIONS,
    FOMC_STATEMENTS,
)
from rotation_radar.orchestration.defaults import default_args
from rotation_radar.orchestration.notify import fail_run_when_any_task_fails


def _day(logical_date, dag_run) -> dt.date:
    return (logical_date or dag_run.run_after).astimezone(dt.UTC).date()


def _connection(conn_id: str):
    from rotation_radar.core import connections

    return connections.required_source(conn_id)


@dag(
    dag_id="fomc_statements",
    doc_md=__doc__,
    schedule=CronTriggerTimetable("30 22 * * *", timezone="UTC"),
    start_date=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
    catchup=False,
    max_active_runs=1,  # one writer of the FOMC datasets at a time
    default_args=default_args(),
    tags=["rotation-radar", "ingest", "fed"],
)
def fomc_statements():
    @task
    def discover(logical_date=None, dag_run=None) -> list[dict]:
        """Statement pages published up to the run's date (feed + calendar pages)."""
        from rotation_radar.fomc import ingest

        first_year = settings.load_universe().fomc_start.year
        return ingest.discover(
            _connection("federal_reserve"), _day(logical_date, dag_run), first_year
        )

    @task
    def fetch_statements(pages: list[dict], logical_date=None, dag_run=None, run_id=None) -> str:
        """New pages fetched, stored ones re-requested conditionally; raw bytes landed."""
        from rotation_radar.fomc import ingest

        return ingest.fetch_statements(
            _connection("federal_reserve"), pages, _day(logical_date, dag_run), run_id
        )

    @task(outlets=[FOMC_STATEMENTS, DATA_QUALITY])
    def load_statements(manifest_key: str, logical_date=None, dag_run=None, run_id=None) -> dict:
        """Parse, validate (Great Expectations) and merge the statements."""
        from rotation_radar.fomc import ingest

        return ingest.load_statements(
            manifest_key, _day(logical_date, dag_run), run_id, dt.datetime.now(dt.UTC)
        )

    @task(outlets=[FED_RATES, DATA_QUALITY], trigger_rule="all_done")
    def load_fred(logical_date=None, dag_run=None, run_id=None) -> dict:
        """Target range and Treasury yields (loaded even when a statement failed); each
        statement's range is checked against FRED's."""
        from rotation_radar.fomc import ingest

        return ingest.load_fred(
            _connection("fred"), _day(logical_date, dag_run), run_id, dt.datetime.now(dt.UTC)
        )

    @task(trigger_rule="all_done")
    def discover_projections(logical_date=None, dag_run=None) -> list[dict]:
        """Meetings with projections (SEP) decided up to the run's date (calendar pages);
        after the statements' fetch, whatever its outcome (one writer of the day's raw
        folder at a time)."""
        from rotation_radar.fomc import sep

        first_year = settings.load_universe().fomc_start.year
        return sep.discover_projections(
            _connection("federal_reserve"), _day(logical_date, dag_run), first_year
        )

    @task
    def fetch_projections(
        meetings: list[dict], logical_date=None, dag_run=None, run_id=None
    ) -> str:
        """New projections pages fetched, stored ones re-requested conditionally; raw
        bytes landed; returns the manifest's key."""
        from rotation_radar.fomc import sep

        return sep.fetch_projections(
            _connection("federal_reserve"), meetings, _day(logical_date, dag_run), run_id
        )

    @task(outlets=[FOMC_PROJECTIONS, DATA_QUALITY])
    def load_projections(manifest_key: str, logical_date=None, dag_run=None, run_id=None) -> dict:
        """Parse Table 1 and the dots, check, validate (Great Expectations) and write
        each meeting's files."""
        from rotation_radar.fomc import sep

        return sep.load_projections(
            manifest_key, _day(logical_date, dag_run), run_id, dt.datetime.now(dt.UTC)
        )

    fetched = fetch_statements(discover())
    loaded = load_statements(fetched)
    loaded >> load_fred()
    meetings = discover_projections()
    fetched >> meetings
    load_projections(fetch_projections(meetings))
    fail_run_when_any_task_fails()  # load_fred runs past a failure: the run still ends failed


fomc_statements()
