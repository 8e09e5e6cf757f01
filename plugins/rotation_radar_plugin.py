"""Registers Rotation Radar's NYSE-session timetable with Airflow."""

from __future__ import annotations

from airflow.plugins_manager import AirflowPlugin

from rotation_radar.orchestration.timetable import NYSESessionTimetable


class RotationRadarPlugin(AirflowPlugin):
    name = "rotation_radar"
    timetables = [NYSESessionTimetable]
