"""Airflow wiring shared by the DAGs: assets, task defaults, the NYSE timetable and
failure handling."""
