"""NYSE sessions from exchange_calendars (holidays, one-off closures and early closes)."""

from __future__ import annotations

import datetime as dt
from functools import cache, lru_cache

# exchange_calendars defaults to the last 20 years; a source serves far more (Yahoo's ^GSPC
# from 1927-12-30, ^RUT from 1987-09-10). XNYS's holiday rules go back to 1885.
CALENDAR_START = dt.date(1885, 1, 1)


@lru_cache(maxsize=1)
def nyse():
    import exchange_calendars

    return exchange_calendars.get_calendar("XNYS", start=CALENDAR_START.isoformat())


def _ts(day: dt.date):
    import pandas as pd

    return pd.Timestamp(day)


# Memoised: a 25-year history asks about the same few thousand dates for every symbol,
# and each exchange_calendars lookup costs about 0.25 ms (3 s per symbol uncached).
@cache
def is_session(day: dt.date) -> bool:
    return bool(nyse().is_session(_ts(day)))


def session_on_or_before(day: dt.date) -> dt.date:
    """The session on this calendar date, or the last one before it."""
    return nyse().date_to_session(_ts(day), direction="previous").date()


def session_on_or_after(day: dt.date) -> dt.date:
    return nyse().date_to_session(_ts(day), direction="next").date()


def next_session(day: dt.date) -> dt.date:
    """The first session strictly after this calendar date."""
    return session_on_or_after(day + dt.timedelta(days=1))


def sessions_back(session: dt.date, n: int) -> dt.date:
    """The session n sessions before `session` (clamped at the calendar's start)."""
    cal = nyse()
    index = cal.sessions.get_loc(_ts(session)) - n
    return cal.sessions[max(index, 0)].date()


def sessions_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """Sessions from start to end, both included."""
    if end < start:
        return []
    return [s.date() for s in nyse().sessions_in_range(_ts(start), _ts(end))]


@cache
def open_close(session: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Open and close of a session as aware UTC datetimes (early closes included)."""
    cal = nyse()
    ts = _ts(session)
    return cal.session_open(ts).to_pydatetime(), cal.session_close(ts).to_pydatetime()


def session_of_run(logical_date: dt.datetime | None, run_after: dt.datetime) -> dt.date:
    """The session a run covers: the one on its logical date's (UTC) calendar date, or the
    last one before it. A run without a logical date covers the date it was triggered on.

    A scheduled run's logical date is its session's open. (Airflow infers a manual run's
    data interval from the trigger time, not from the logical date asked for.)
    """
    moment = logical_date or run_after
    return session_on_or_before(moment.astimezone(dt.UTC).date())
