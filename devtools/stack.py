"""A local Airflow in one of two topologies, both run by real Airflow processes.

- Local (the default): api-server, scheduler and dag-processor on SQLite with the
  LocalExecutor. Used by `make demo`, `make up` and the integration tests.
- Production (`metadata_db` and `broker` given): the topology of docker-compose.yaml
  natively: PostgreSQL metadata database, CeleryExecutor with a Redis broker,
  api-server (which the workers call), scheduler, dag-processor, triggerer and a
  Celery worker as separate processes sharing one secret. `services.production_stack`
  starts PostgreSQL and Redis for it.

Source connections point wherever the caller says (a replay server, or the live sources).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from cryptography.fernet import Fernet

from rotation_radar.core import settings

# Airflow command of each process, by the name of its service in docker-compose.yaml.
LOCAL_PROCESSES = {
    "api-server": ("api-server",),
    "scheduler": ("scheduler",),
    "dag-processor": ("dag-processor",),
}
PRODUCTION_PROCESSES = {
    **LOCAL_PROCESSES,
    "triggerer": ("triggerer",),
    "worker": ("celery", "worker"),
}
POOLS_FILE = settings.INCLUDE_DIR / "config" / "pools.json"
# What airflow-init does before any other process starts (paths relative to the project).
INIT_COMMANDS = (
    ("db", "migrate"),
    ("pools", "import", str(POOLS_FILE.relative_to(settings.REPO_ROOT))),
)
FINISHED = {"success", "failed"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def connection_env(conn_id: str, host: str, **extra) -> dict[str, str]:
    """AIRFLOW_CONN_<ID> in Airflow's JSON form: the full base URL in host."""
    doc = {"conn_type": "http", "host": host, "extra": extra}
    return {f"AIRFLOW_CONN_{conn_id.upper()}": json.dumps(doc)}


def production_env(
    metadata_db: str, broker: str, api_url: str, secret: str, fernet_key: str
) -> dict[str, str]:
    """The Airflow settings of the production topology, as docker-compose.yaml sets them:
    CeleryExecutor, PostgreSQL for metadata and Celery results, Redis as the broker, and
    one secret shared by every process (workers call the api-server with tokens it signs)."""
    return {
        "AIRFLOW__CORE__EXECUTOR": "CeleryExecutor",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_db,
        "AIRFLOW__CELERY__RESULT_BACKEND": "db+" + metadata_db,
        "AIRFLOW__CELERY__BROKER_URL": broker,
        "AIRFLOW__CELERY__WORKER_CONCURRENCY": "4",
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": api_url,
        "AIRFLOW__API_AUTH__JWT_SECRET": secret,
        "AIRFLOW__API__SECRET_KEY": secret,
        "AIRFLOW__CORE__FERNET_KEY": fernet_key,
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "True",
    }


class AirflowStack:
    """Start, drive and stop a local Airflow whose state lives in `home`: the local
    topology, or the production one when a PostgreSQL `metadata_db` and a Redis
    `broker` URL are given."""

    def __init__(
        self,
        home: Path,
        env: dict[str, str] | None = None,
        port: int | None = None,
        manual_only: bool = True,
        metadata_db: str | None = None,
        broker: str | None = None,
    ) -> None:
        self.home = Path(home).resolve()
        self.port = port or free_port()
        self.db_url = metadata_db or f"sqlite:///{self.home / 'airflow.db'}"
        self.processes = PRODUCTION_PROCESSES if broker else LOCAL_PROCESSES
        self.procs: dict[str, subprocess.Popen] = {}
        self._engine = None
        root = settings.REPO_ROOT
        api_url = f"http://127.0.0.1:{self.port}/execution/"
        topology = (
            production_env(
                self.db_url, broker, api_url, secrets.token_hex(32), Fernet.generate_key().decode()
            )
            if broker
            else {
                "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.db_url,
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": api_url,
                "AIRFLOW__API_AUTH__JWT_SECRET": "rotation-radar-local-only",
            }
        )
        self.env = {
            **os.environ,
            "AIRFLOW_HOME": str(self.home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(root / "dags"),
            "AIRFLOW__CORE__PLUGINS_FOLDER": str(root / "plugins"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__PARALLELISM": "4",
            **topology,
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": str(not manual_only),
            # Manual-only: the scheduler runs triggered runs, never creates scheduled ones
            # (the demo's "today" is the replay's last session, not the wall clock's).
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": str(not manual_only),
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            # the other servers' ports, free ones so that several stacks can run at once
            "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT": str(free_port()),
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(self.home / "logs"),
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(root / "plugins"), os.environ.get("PYTHONPATH")])
            ),
            **(env or {}),
        }

    # ------------------------------------------------------------ lifecycle

    def airflow(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(Path(sys.executable).parent / "airflow"), *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
            cwd=settings.REPO_ROOT,
        )

    def init(self) -> None:
        """What docker-compose.yaml's airflow-init does: migrate the metadata database
        and create the pools (include/config/pools.json)."""
        self.home.mkdir(parents=True, exist_ok=True)
        for command in INIT_COMMANDS:
            done = self.airflow(*command, check=False)
            if done.returncode:
                raise RuntimeError(f"airflow {' '.join(command)} failed:\n{done.stderr[-3000:]}")

    def start(self, dag_ids: tuple[str, ...] = (), timeout: float = 180) -> AirflowStack:
        self.init()
        for name, command in self.processes.items():
            log = open(self.home / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
            self.procs[name] = subprocess.Popen(
                [str(Path(sys.executable).parent / "airflow"), *command],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
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
        if self._engine is not None:
            self._engine.dispose()

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

    def query(self, sql: str, **params) -> list[tuple]:
        """Rows of a query on the metadata database (SQLite or PostgreSQL)."""
        from sqlalchemy import create_engine, pool, text

        if self._engine is None:
            self._engine = create_engine(self.db_url, poolclass=pool.NullPool)
        with self._engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text(sql), params)]

    def wait_for_dags(self, dag_ids: tuple[str, ...], timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            self.check_alive()
            rows = self.query("select dag_id from dag where not is_stale")
            if set(dag_ids) <= {r[0] for r in rows}:
                errors = self.query("select filename, stacktrace from import_error")
                if errors:
                    raise RuntimeError(f"DAG import errors: {errors}")
                return
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"DAGs {dag_ids} not parsed within {timeout}s; "
                    f"see {self.home}/dag-processor.log"
                )
            time.sleep(1)

    def trigger(self, dag_id: str, logical_date: str, run_id: str | None = None) -> str:
        run_id = run_id or f"manual__{dag_id}__{logical_date}__{time.time_ns()}"
        done = self.airflow(
            "dags",
            "trigger",
            dag_id,
            "--logical-date",
            logical_date,
            "--run-id",
            run_id,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(
                f"airflow dags trigger {dag_id} {logical_date} failed:\n{done.stderr[-2000:]}"
            )
        return run_id

    def wait(self, dag_id: str, run_id: str, timeout: float = 900) -> str:
        """Wait for a run to finish; returns its state."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            rows = self.query(
                "select state from dag_run where dag_id = :dag_id and run_id = :run_id",
                dag_id=dag_id,
                run_id=run_id,
            )
            if rows and rows[0][0] in FINISHED:
                return rows[0][0]
            time.sleep(1)
        raise TimeoutError(f"{dag_id} run {run_id} did not finish within {timeout}s")

    def task_states(self, dag_id: str, run_id: str) -> dict[str, str]:
        rows = self.query(
            "select task_id, state from task_instance where dag_id = :dag_id and run_id = :run_id",
            dag_id=dag_id,
            run_id=run_id,
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
                    lines.append(
                        (
                            f"{doc.get('level', '')} {doc.get('event', '')} "
                            f"{doc.get('error_detail', '')}"
                        ).strip()
                    )
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
