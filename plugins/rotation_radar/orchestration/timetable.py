"""A timetable with one run per NYSE session, after its close.

The data interval of a run is its session, open to close; the run starts a
settling delay after the close (the source's end-of-day bar needs a moment).
exchange_calendars (and pandas) are imported on first use, never at DAG parse.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from airflow.timetables.base import DagRunInfo, DataInterval, TimeRestriction, Timetable
from pendulum import UTC, DateTime, instance


def _aware(value: dt.datetime) -> DateTime:
    return instance(value).in_timezone(UTC)


class NYSESessionTimetable(Timetable):
    """One run per NYSE session, `settle` after the close; manual runs map to a session."""

    def __init__(self, settle: dt.timedelta = dt.timedelta(minutes=30)) -> None:
        self.settle = settle
        self.description = f"After each NYSE session's close (+{settle})"

    @property
    def summary(self) -> str:
        return "NYSE sessions"

    def serialize(self) -> dict[str, Any]:
        return {"settle_seconds": self.settle.total_seconds()}

    @classmethod
    def deserialize(cls, data: dict[str, Any]) -> NYSESessionTimetable:
        return cls(dt.timedelta(seconds=data.get("settle_seconds", 1800)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NYSESessionTimetable) and other.settle == self.settle

    def __hash__(self) -> int:
        return hash(self.settle)

    def interval_for(self, session: dt.date) -> DataInterval:
        from rotation_radar.core import sessions

        market_open, market_close = sessions.open_close(session)
        return DataInterval(_aware(market_open), _aware(market_close))

    def infer_manual_data_interval(self, *, run_after: DateTime) -> DataInterval:
        """A run for date D covers the session on D's (UTC) calendar date, or the last before it."""
        from rotation_radar.core import sessions

        return self.interval_for(sessions.session_on_or_before(run_after.in_timezone(UTC).date()))

    def next_dagrun_info(
        self,
        *,
        last_automated_data_interval: DataInterval | None,
        restriction: TimeRestriction,
    ) -> DagRunInfo | None:
        from rotation_radar.core import sessions

        if last_automated_data_interval is not None:
            last = last_automated_data_interval.start.in_timezone(UTC).date()
            session = sessions.next_session(last)
        elif restriction.earliest is None:
            return None
        else:
            session = sessions.session_on_or_after(restriction.earliest.in_timezone(UTC).date())
            if not restriction.catchup:
                # Without catch-up, start from the latest session already settled.
                now = DateTime.now(UTC)
                latest = sessions.session_on_or_before(now.date())
                if _aware(sessions.open_close(latest)[1]) + self.settle > now:
                    latest = sessions.session_on_or_before(latest - dt.timedelta(days=1))
                session = max(session, latest)
        interval = self.interval_for(session)
        if restriction.latest is not None and interval.start > restriction.latest:
            return None
        return DagRunInfo(run_after=interval.end + self.settle, data_interval=interval)
