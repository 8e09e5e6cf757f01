"""docker-compose.yaml and the native production topology (stack.AirflowStack with a
PostgreSQL metadata DB and a Redis broker, run by tests/integration/test_production_topology.py)
agree: the same services and commands, executor, settings, mounts and init steps."""

from __future__ import annotations

import json
import re
import shlex

import pytest
import yaml

from devtools.stack import INIT_COMMANDS, PRODUCTION_PROCESSES, AirflowStack
from rotation_radar.core import settings

REPO = settings.REPO_ROOT
COMPOSE = yaml.safe_load((REPO / "docker-compose.yaml").read_text())
SERVICES = COMPOSE["services"]
AIRFLOW_SERVICES = [name for name, service in SERVICES.items() if "build" in service]
CONTAINER_HOME = "/opt/airflow"
# Settings of the native stack that only a test on one machine needs (its own ports, a
# throwaway home, runs only when triggered): not part of the deployment.
NATIVE_ONLY = {
    "AIRFLOW__API__PORT",
    "AIRFLOW__API__HOST",
    "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE",
    "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT",
    "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT",
    "AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT",
    "AIRFLOW__LOGGING__BASE_LOG_FOLDER",
    "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL",
    "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC",
    "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS",
    "AIRFLOW__CORE__PARALLELISM",
}


@pytest.fixture(scope="module")
def native(tmp_path_factory):
    """The native production stack's environment (nothing is started)."""
    stack = AirflowStack(
        tmp_path_factory.mktemp("native"),
        metadata_db="postgresql+psycopg2://airflow:airflow@127.0.0.1:5432/airflow",
        broker="redis://127.0.0.1:6379/0",
    )
    return {key: value for key, value in stack.env.items() if key.startswith("AIRFLOW__")}


def compose_env(service: str = "worker") -> dict[str, str]:
    return {key: str(value) for key, value in SERVICES[service]["environment"].items()}


def test_the_same_services_run_the_same_airflow_commands():
    assert set(SERVICES) == {"postgres", "redis", "airflow-init", *PRODUCTION_PROCESSES}
    for name, command in PRODUCTION_PROCESSES.items():
        assert SERVICES[name]["command"] == list(command), name
    assert sorted(AIRFLOW_SERVICES) == sorted(["airflow-init", *PRODUCTION_PROCESSES])


def test_init_migrates_the_database_and_creates_the_pools_before_the_others_start():
    script = SERVICES["airflow-init"]["command"][-1]
    steps = [shlex.split(step) for step in script.split("&&")]
    expected = [["airflow", *command] for command in INIT_COMMANDS]
    expected[1][-1] = f"{CONTAINER_HOME}/{expected[1][-1]}"  # include/ mounted in the image's home
    assert steps == expected
    for name in PRODUCTION_PROCESSES:
        assert SERVICES[name]["depends_on"]["airflow-init"] == {
            "condition": "service_completed_successfully"
        }
        assert SERVICES[name]["depends_on"]["postgres"] == {"condition": "service_healthy"}
        assert SERVICES[name]["depends_on"]["redis"] == {"condition": "service_healthy"}


def test_executor_and_settings_agree(native):
    compose = compose_env()
    shared = set(native) - NATIVE_ONLY
    missing = sorted(shared - set(compose))
    assert not missing, f"set natively but not in docker-compose.yaml: {missing}"
    for key in (
        "AIRFLOW__CORE__EXECUTOR",
        "AIRFLOW__CELERY__WORKER_CONCURRENCY",
        "AIRFLOW__CORE__LOAD_EXAMPLES",
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION",
    ):
        assert compose[key] == native[key], key
    assert compose["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    scheme = lambda url: url.split("://")[0]  # noqa: E731
    for key in (
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN",
        "AIRFLOW__CELERY__RESULT_BACKEND",
        "AIRFLOW__CELERY__BROKER_URL",
    ):
        assert scheme(compose[key]) == scheme(native[key]), key
    db = compose["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert compose["AIRFLOW__CELERY__RESULT_BACKEND"] == "db+" + db
    assert (
        native["AIRFLOW__CELERY__RESULT_BACKEND"]
        == "db+" + native["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    )
    # workers reach the api-server's execution API; one secret signs and checks their tokens
    assert compose["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://api-server:8080/execution/"
    assert native["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].endswith("/execution/")
    assert compose["AIRFLOW__API_AUTH__JWT_SECRET"] == compose["AIRFLOW__API__SECRET_KEY"]
    assert native["AIRFLOW__API_AUTH__JWT_SECRET"] == native["AIRFLOW__API__SECRET_KEY"]


def test_every_airflow_service_has_the_same_environment_and_mounts():
    first = SERVICES[AIRFLOW_SERVICES[0]]
    for name in AIRFLOW_SERVICES:
        env = dict(compose_env(name))
        env.pop("DUMB_INIT_SETSID", None)  # the worker's warm shutdown (official compose file)
        assert env == compose_env(AIRFLOW_SERVICES[0]), name
        assert SERVICES[name]["volumes"] == first["volumes"], name
        assert SERVICES[name]["env_file"] == [".env"], name


def test_mounts_put_the_project_where_the_settings_point(native):
    env = compose_env()
    mounts = {}
    for volume in SERVICES["worker"]["volumes"]:
        source, target, mode = re.fullmatch(r"(.+?):(/[^:]+):?(\w*)", volume).groups()
        mounts[target] = (source, [mode] if mode else [])
    for folder, key in (
        ("dags", "AIRFLOW__CORE__DAGS_FOLDER"),
        ("plugins", "AIRFLOW__CORE__PLUGINS_FOLDER"),
    ):
        assert mounts[env[key]] == (f"./{folder}", ["ro"])
        assert native[key] == str(REPO / folder)
    assert mounts[f"{CONTAINER_HOME}/include"] == (
        "./include",
        ["ro"],
    )  # settings.INCLUDE_DIR beside plugins/
    assert (
        settings.INCLUDE_DIR == REPO / "include"
        and settings.REPO_ROOT / "plugins" == REPO / "plugins"
    )
    assert env["PYTHONPATH"] == env["AIRFLOW__CORE__PLUGINS_FOLDER"]
    data = re.fullmatch(r"\$\{RADAR_DATA_DIR:-(.+)\}", env["RADAR_DATA_DIR"]).group(1)
    assert data in mounts and mounts[data][1] == [], "the data directory is mounted read-write"


def test_every_service_has_a_health_check():
    for name, service in SERVICES.items():
        assert service.get("healthcheck", {}).get("test"), f"{name} has no health check"


def test_env_example_defines_every_connection_and_secret_the_compose_file_needs():
    example = (REPO / ".env.example").read_text()
    defined = set(re.findall(r"^([A-Z_0-9]+)=", example, flags=re.M))
    from devtools.demo import LIVE

    connections = {f"AIRFLOW_CONN_{conn_id.upper()}" for conn_id in LIVE}
    connections |= {
        "AIRFLOW_CONN_ALERTS_SLACK",
        "AIRFLOW_CONN_ALERTS_SMTP",
        "AIRFLOW_CONN_ALERTS_WEBHOOK",
    }
    assert connections <= defined, connections - defined
    compose_text = (REPO / "docker-compose.yaml").read_text()
    required = set(re.findall(r"\$\{([A-Z_0-9]+):\?", compose_text))
    assert required and required <= defined, required - defined
    for line in example.splitlines():
        if line.startswith("AIRFLOW_CONN_"):
            doc = json.loads(line.split("=", 1)[1].strip("'"))
            assert doc["conn_type"] != "http" or "://" in doc["host"], line


def test_the_image_is_airflow_of_the_pinned_version_plus_the_pins():
    dockerfile = (REPO / "Dockerfile").read_text()
    pins = dict(
        line.split("==")
        for line in (REPO / "requirements.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    )
    assert f"FROM apache/airflow:{pins['apache-airflow']}-python3.11" in dockerfile
    assert "pip install --no-cache-dir -r /requirements.txt" in dockerfile
    for needed in ("apache-airflow-providers-celery", "celery", "redis", "psycopg2-binary"):
        assert needed in pins, needed
