"""Source endpoints from Airflow connections (host holds the full base URL)."""

from __future__ import annotations

from rotation_radar.core.transport import HttpSource


def connection(conn_id: str):
    """The Airflow connection, or None when it is not defined."""
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        return BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        return None


def endpoint(conn_id: str) -> tuple[str, dict] | None:
    """(base URL, extra) of a connection, or None when the connection is not defined."""
    conn = connection(conn_id)
    if conn is None:
        return None
    host = conn.host or ""
    if "://" not in host:
        host = f"{conn.conn_type or 'https'}://{host}"
    if conn.port and host.count(":") < 2:
        host = f"{host.rstrip('/')}:{conn.port}"
    return host, conn.extra_dejson or {}


def http_source(conn_id: str, **overrides) -> HttpSource | None:
    """The HttpSource of a connection, or None when the connection is not defined."""
    found = endpoint(conn_id)
    return HttpSource.from_connection(conn_id, *found, **overrides) if found else None


def required_source(conn_id: str, **overrides) -> HttpSource:
    """The HttpSource of a connection a task cannot do without."""
    http = http_source(conn_id, **overrides)
    if http is None:
        raise RuntimeError(
            f"connection '{conn_id}' is not defined (AIRFLOW_CONN_{conn_id.upper()})"
        )
    return http
