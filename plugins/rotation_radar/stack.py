"""A local Airflow: api-server, scheduler and dag-processor on SQLite.

Used by `make demo`, `make up` and the integration tests, so that DAGs run
through the real scheduler exactly as they would in production, with the
source connections pointed wherever the caller says (a replay server, or
the live sources).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from rotation_radar import settings

PROCESSES = ("api-server", "scheduler", "dag-processor")
FINISHED = {"success", "failed"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connection_env(conn_id: str, host: str, **extra) -> dict[str, str]:
    """AIRFLOW_CONN_<ID> in Airflow's JSON form: the full base URL in host."""
    doc = {"conn_type": "http", "host": host, "extra": extra}
    return {f"AIRFLOW_CONN_{conn_id.upper()}": json.dumps(doc)}


class AirflowStack:
    """Start, drive and stop a local Airflow whose state lives in `home`."""

    def __init__(
        self,
        home: Path,
        env: dict[str, str] | None = None,
        port: int | None = None,
        manual_only: bool = True,
    ) -> None:
        self.home = Path(home).resolve()
        self.port = port or free_port()
        self.db = self.home / "airflow.db"
        self.procs: dict[str, subprocess.Popen] = {}
        root = settings.REPO_ROOT
        self.env = {
            **os.environ,
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(root / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(root / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{self.db}",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": str(not manual_only),
            # Manual-only: the scheduler runs triggered runs, never creates scheduled ones
            # (the demo's "today" is the replay's last session, not the wall clock's).
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": str(not manual_only),
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{self.port}/execution/",
            "AIRFLOW__API_AUTH__JWT_SECRET": "rotation-radar-local-only",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(self.home / "logs"),
            "PYTHONPATH": os.pathsep.join(filter(None, [str(root / "plugins"), os.environ.get("PYTHONPATH")])),
            **(env or {}),
        }

    # ------------------------------------------------------------ lifecycle

    def airflow(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(Path(sys.executable).parent / "airflow"), *args],
            env=self.env, capture_output=True, text=True, check=check,
        )

    def start(self, dag_ids: tuple[str, ...] = (), timeout: float = 180) -> AirflowStack:
        self.home.mkdir(parents=True, exist_ok=True)
        self.airflow("db", "migrate")
        for name in PROCESSES:
            log = open(self.home / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
            self.procs[name] = subprocess.Popen(
                [str(Path(sys.executable).parent / "airflow"), name],
                env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.wait_for_dags(dag_ids, timeout)
        return self

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for proc in self.procs.values():
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        self.procs.clear()

    def __enter__(self) -> AirflowStack:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                tail = (self.home / f"{name}.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"airflow {name} exited with {proc.returncode}:\n{tail}")

    # ------------------------------------------------------------ metadata

    def query(self, sql: str, *params) -> list[tuple]:
        if not self.db.exists():
            return []
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=10) as conn:
            return conn.execute(sql, params).fetchall()

    def wait_for_dags(self, dag_ids: tuple[str, ...], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            try:
                rows = self.query("select dag_id from dag where is_stale = 0")
            except sqlite3.OperationalError:
                rows = []
            if set(dag_ids) <= {r[0] for r in rows}:
                errors = self.query("select filename, stacktrace from import_error")
                if errors:
                    raise RuntimeError(f"DAG import errors: {errors}")
                return
            if time.monotonic() > deadline:
                raise TimeoutError(f"DAGs {dag_ids} not parsed within {timeout}s; see {self.home}/dag-processor.log")
            time.sleep(1)

    def trigger(self, dag_id: str, logical_date: str, run_id: str | None = None) -> str:
        run_id = run_id or f"manual__{dag_id}__{logical_date}__{time.time_ns()}"
        done = self.airflow("dags", "trigger", dag_id, "--logical-date", logical_date, "--run-id", run_id, check=False)
        if done.returncode:
            raise RuntimeError(f"airflow dags trigger {dag_id} {logical_date} failed:\n{done.stderr[-2000:]}")
        return run_id

    def wait(self, dag_id: str, run_id: str, timeout: float = 900) -> str:
        """Wait for a run to finish; returns its state."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            rows = self.query("select state from dag_run where dag_id = ? and run_id = ?", dag_id, run_id)
            if rows and rows[0][0] in FINISHED:
                return rows[0][0]
            time.sleep(1)
        raise TimeoutError(f"{dag_id} run {run_id} did not finish within {timeout}s")

    def task_states(self, dag_id: str, run_id: str) -> dict[str, str]:
        rows = self.query(
            "select task_id, state from task_instance where dag_id = ? and run_id = ?", dag_id, run_id
        )
        return dict(rows)

    def task_log(self, dag_id: str, run_id: str, task_id: str) -> str:
        """The text of every attempt's log of a task (JSON log lines made readable)."""
        folder = self.home / "logs" / f"dag_id={dag_id}" / f"run_id={run_id}" / f"task_id={task_id}"
        lines = []
        for path in sorted(folder.glob("**/*.log")):
            for line in path.read_text(errors="replace").splitlines():
                try:
                    doc = json.loads(line)
                    lines.append(f"{doc.get('level', '')} {doc.get('event', '')} {doc.get('error_detail', '')}".strip())
                except ValueError:
                    lines.append(line)
        return "\n".join(lines)

    def failure_report(self, dag_id: str, run_id: str, tail: int = 40) -> str:
        parts = []
        for task_id, state in self.task_states(dag_id, run_id).items():
            if state not in ("success", "skipped"):
                log = self.task_log(dag_id, run_id, task_id).splitlines()[-tail:]
                parts.append(f"--- {dag_id}.{task_id}: {state}\n" + "\n".join(log))
        return "\n".join(parts) or f"{dag_id} run {run_id}: no failed task found"
