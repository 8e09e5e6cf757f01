"""PostgreSQL and Redis from Debian's packages, started natively on 127.0.0.1.

The production topology (docker-compose.yaml) runs them in containers; where no
Docker engine runs, the native production stack (`stack.AirflowStack` with
`production=True`) starts these instead, with the same roles: PostgreSQL as
Airflow's metadata database and Celery's result backend, Redis as Celery's broker.
`make services` installs the packages.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from devtools.stack import AirflowStack, free_port

INSTALL_HINT = "run `make services` (apt-get install postgresql redis-server)"


class ServiceError(RuntimeError):
    """A native service could not be started; the message names it and its log."""


def _wait(check, what: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
            raise ServiceError(f"{what} not ready within {timeout:.0f}s; {log}:\n{tail}")
        time.sleep(0.2)


def _stop(proc: subprocess.Popen | None) -> None:
    """Wait for a server asked to shut down; kill it if it has not within 30 s."""
    if proc is None:
        return
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def postgres_bin() -> Path:
    """The newest installed PostgreSQL server's bin folder (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"), key=lambda p: int(p.split("/")[4])
    )
    if not found:
        raise ServiceError(f"PostgreSQL server not installed: {INSTALL_HINT}")
    return Path(found[-1]).parent


class Postgres:
    """A throwaway PostgreSQL cluster with one database and its owner (user = password = database).

    PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres`
    system user (Debian's package creates it) and every server command runs as that user.
    """

    def __init__(self, database: str = "airflow", port: int | None = None) -> None:
        self.database = database
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="radar-postgres-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.proc: subprocess.Popen | None = None
        self.as_root = os.geteuid() == 0
        self.bin = postgres_bin()

    @property
    def url(self) -> str:
        """SQLAlchemy URL for Airflow's metadata database (psycopg2, as in docker-compose.yaml)."""
        return f"postgresql+psycopg2://{self.database}:{self.database}@127.0.0.1:{self.port}/{self.database}"

    def _as_owner(self, *command: str) -> list[str]:
        return ["runuser", "-u", "postgres", "--", *command] if self.as_root else list(command)

    def _run(self, *command: str) -> subprocess.CompletedProcess:
        done = subprocess.run(self._as_owner(*command), capture_output=True, text=True)
        if done.returncode:
            raise ServiceError(
                f"{' '.join(command)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
            )
        return done

    def ready(self) -> bool:
        done = subprocess.run(
            [str(self.bin / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
            capture_output=True,
        )
        return done.returncode == 0

    def start(self) -> Postgres:
        if self.as_root:
            os.chmod(self.root, 0o755)
            shutil.chown(self.root, "postgres", "postgres")
        self._run(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
        )
        log = open(self.log, "ab")  # noqa: SIM115 - handed to the child
        self.proc = subprocess.Popen(
            self._as_owner(
                str(self.bin / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"unix_socket_directories={self.root}",
                "-c",
                "max_connections=200",
                "-c",
                "fsync=off",
            ),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait(self.ready, f"PostgreSQL on 127.0.0.1:{self.port}", self.log)
        for statement in (
            f"create role {self.database} login password '{self.database}'",
            f"create database {self.database} owner {self.database}",
        ):
            self._run(
                str(self.bin / "psql"),
                "-h",
                str(self.root),
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-c",
                statement,
            )
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            # "fast" shutdown (roll back open transactions), through pg_ctl as the cluster's owner
            subprocess.run(
                self._as_owner(
                    str(self.bin / "pg_ctl"), "stop", "-D", str(self.data), "-m", "fast"
                ),
                capture_output=True,
                timeout=60,
            )
        _stop(self.proc)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Postgres:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class Redis:
    """A Redis server on 127.0.0.1 without persistence (Celery's broker)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.root = Path(tempfile.mkdtemp(prefix="radar-redis-"))
        self.log = self.root / "redis.log"
        self.proc: subprocess.Popen | None = None
        self.server = shutil.which("redis-server")
        self.cli = shutil.which("redis-cli")
        if not (self.server and self.cli):
            raise ServiceError(f"Redis not installed: {INSTALL_HINT}")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def ready(self) -> bool:
        done = subprocess.run(
            [self.cli, "-p", str(self.port), "ping"], capture_output=True, text=True
        )
        return done.stdout.strip() == "PONG"

    def start(self) -> Redis:
        log = open(self.log, "ab")  # noqa: SIM115 - handed to the child
        self.proc = subprocess.Popen(
            [
                self.server,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait(self.ready, f"Redis on 127.0.0.1:{self.port}", self.log)
        return self

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            subprocess.run(
                [self.cli, "-p", str(self.port), "shutdown", "nosave"],
                capture_output=True,
                timeout=30,
            )
        _stop(self.proc)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Redis:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def production_stack(home: Path, env: dict[str, str] | None = None, **options):
    """PostgreSQL, Redis and the production Airflow topology on them (see stack.py);
    everything is stopped on exit, Airflow first."""
    with (
        Postgres() as postgres,
        Redis() as redis,
        AirflowStack(home, env, metadata_db=postgres.url, broker=redis.url, **options) as stack,
    ):
        yield stack
