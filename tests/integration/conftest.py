"""Integration fixtures: the replay server on 127.0.0.1 and a data dir per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from rotation_radar.replay.server import ReplayServer

REPLAY_DIR = Path(__file__).resolve().parents[2] / "include" / "replay"


@pytest.fixture
def replay():
    with ReplayServer(REPLAY_DIR).start() as server:
        yield server
