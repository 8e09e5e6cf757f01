"""Shared test set-up: Airflow never reads a developer's home, data goes to tmp dirs."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
REALDATA = REPO.parent / "shared" / "realdata"
# The operating contract's DAG ids (DESIGN.md).
DAG_IDS = (
    "prices_daily",
    "fomc_statements",
    "universe_holdings",
    "earnings_sec",
    "marts_build",
    "breakout_alerts",
)

# Before anything imports airflow: a throwaway home, no examples, unit-test connections.
_home = tempfile.mkdtemp(prefix="radar-airflow-")
os.environ.setdefault("AIRFLOW_HOME", _home)
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(REPO / "dags")
os.environ["AIRFLOW__CORE__PLUGINS_FOLDER"] = str(REPO / "plugins")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A fresh RADAR_DATA_DIR for the test."""
    root = tmp_path / "data"
    monkeypatch.setenv("RADAR_DATA_DIR", str(root))
    return root
