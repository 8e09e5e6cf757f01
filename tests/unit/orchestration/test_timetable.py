"""NYSE sessions and the prices_daily timetable."""

from __future__ import annotations

import datetime as dt

import pytest
from airflow.timetables.base import DataInterval, TimeRestriction
from pendulum import UTC, DateTime

from rotation_radar.core import sessions
from rotation_radar.orchestration.timetable import NYSESessionTimetable

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 9, 17), True),
        (D(2025, 9, 20), False),  # Saturday
        (D(2025, 1, 9), False),  # national day of mourning (one-off closure)
        (D(2025, 12, 25), False),  # Christmas
        (D(2025, 7, 4), False),  # Independence Day
        (D(2025, 11, 28), True),  # day after Thanksgiving: early close, still a session
        (D(2012, 10, 29), False),  # Hurricane Sandy
    ],
)
def test_is_session(day, expected):
    assert sessions.is_session(day) is expected


def test_early_close_is_1pm_new_york():
    market_open, market_close = sessions.open_close(D(2025, 11, 28))
    assert market_open == dt.datetime(2025, 11, 28, 14, 30, tzinfo=dt.UTC)
    assert market_close == dt.datetime(2025, 11, 28, 18, 0, tzinfo=dt.UTC)


def test_calendar_reaches_back_beyond_twenty_years():
    assert sessions.is_session(D(1995, 3, 1))


def test_session_helpers():
    assert sessions.session_on_or_before(D(2025, 1, 9)) == D(2025, 1, 8)
    assert sessions.next_session(D(2025, 1, 8)) == D(2025, 1, 10)
    assert sessions.sessions_back(D(2025, 1, 10), 1) == D(2025, 1, 8)
    assert sessions.sessions_between(D(2025, 1, 7), D(2025, 1, 10)) == [
        D(2025, 1, 7),
        D(2025, 1, 8),
        D(2025, 1, 10),
    ]


TT = NYSESessionTimetable()


def interval_of(day: dt.date) -> DataInterval:
    return TT.interval_for(day)


@pytest.mark.parametrize(
    ("run_after", "session"),
    [
        (DateTime(2025, 9, 17, 0, 0, tzinfo=UTC), D(2025, 9, 17)),  # a session's date
        (DateTime(2025, 9, 20, 12, 0, tzinfo=UTC), D(2025, 9, 19)),  # manual run on a Saturday
        (DateTime(2025, 9, 21, 23, 0, tzinfo=UTC), D(2025, 9, 19)),  # Sunday night
        (DateTime(2025, 1, 9, 0, 0, tzinfo=UTC), D(2025, 1, 8)),  # the 2025-01-09 closure
        (
            DateTime(2025, 12, 25, 0, 0, tzinfo=UTC),
            D(2025, 12, 24),
        ),  # holiday -> the early close before
    ],
)
def test_manual_run_maps_to_session(run_after, session):
    interval = TT.infer_manual_data_interval(run_after=run_after)
    assert interval == interval_of(session)
    assert interval.start.date() == session


def test_interval_is_open_to_close_with_early_close():
    interval = interval_of(D(2025, 12, 24))
    assert (interval.start.hour, interval.start.minute) == (14, 30)
    assert interval.end.hour == 18  # 13:00 New York


def test_next_run_skips_weekend_and_closure():
    restriction = TimeRestriction(
        earliest=DateTime(2025, 1, 1, tzinfo=UTC), latest=None, catchup=True
    )
    info = TT.next_dagrun_info(
        last_automated_data_interval=interval_of(D(2025, 1, 8)), restriction=restriction
    )
    assert info.data_interval == interval_of(D(2025, 1, 10))
    assert info.run_after == info.data_interval.end + dt.timedelta(minutes=30)
    info = TT.next_dagrun_info(
        last_automated_data_interval=interval_of(D(2025, 9, 19)), restriction=restriction
    )
    assert info.data_interval.start.date() == D(2025, 9, 22)


def test_first_run_with_catchup_starts_at_start_date():
    restriction = TimeRestriction(
        earliest=DateTime(2025, 1, 4, tzinfo=UTC), latest=None, catchup=True
    )
    info = TT.next_dagrun_info(last_automated_data_interval=None, restriction=restriction)
    assert info.data_interval == interval_of(D(2025, 1, 6))


def test_first_run_without_catchup_is_the_latest_settled_session():
    restriction = TimeRestriction(
        earliest=DateTime(2025, 1, 2, tzinfo=UTC), latest=None, catchup=False
    )
    info = TT.next_dagrun_info(last_automated_data_interval=None, restriction=restriction)
    assert info.run_after <= DateTime.now(UTC)
    assert sessions.is_session(info.data_interval.start.date())
    later = TT.next_dagrun_info(
        last_automated_data_interval=info.data_interval, restriction=restriction
    )
    assert later.run_after > DateTime.now(UTC)


def test_end_date_stops_scheduling():
    restriction = TimeRestriction(
        earliest=DateTime(2025, 1, 2, tzinfo=UTC),
        latest=DateTime(2025, 1, 3, tzinfo=UTC),
        catchup=True,
    )
    assert (
        TT.next_dagrun_info(
            last_automated_data_interval=interval_of(D(2025, 1, 3)), restriction=restriction
        )
        is None
    )


def test_serialization_round_trip():
    tt = NYSESessionTimetable(settle=dt.timedelta(minutes=45))
    assert NYSESessionTimetable.deserialize(tt.serialize()) == tt


def test_plugin_registers_the_timetable():
    import rotation_radar_plugin

    assert NYSESessionTimetable in rotation_radar_plugin.RotationRadarPlugin.timetables


@pytest.mark.parametrize(
    ("logical_date", "run_after", "session"),
    [
        (
            dt.datetime(2025, 9, 17, 13, 30, tzinfo=dt.UTC),
            None,
            D(2025, 9, 17),
        ),  # scheduled: the open
        (
            dt.datetime(2025, 9, 18, 0, 0, tzinfo=dt.UTC),
            dt.datetime(2026, 11, 24, tzinfo=dt.UTC),
            D(2025, 9, 18),
        ),
        (dt.datetime(2025, 9, 20, 0, 0, tzinfo=dt.UTC), None, D(2025, 9, 19)),  # a Saturday
        (None, dt.datetime(2025, 9, 20, 9, 0, tzinfo=dt.UTC), D(2025, 9, 19)),  # no logical date
    ],
)
def test_session_of_run(logical_date, run_after, session):
    assert sessions.session_of_run(logical_date, run_after) == session
