"""`make demo` (offline), `make run` (live sources) and `make up` (the UI).

The demo starts the replay server and a local Airflow (api-server, scheduler,
dag-processor on SQLite), points the source connections at the replay server,
runs the pipeline through the scheduler for the replay's last session, prints
a summary and stops everything it started.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import signal
import sys
import time

from devtools.stack import AirflowStack, connection_env
from rotation_radar.core import settings

REPLAY_DIR = settings.INCLUDE_DIR / "replay"
REPLAY_SESSION = "2025-09-19"  # the last session of the generated replay data
LIVE = {
    "yahoo_finance": ("https://query1.finance.yahoo.com", {"requests_per_second": 2}),
    "stooq": ("https://stooq.com", {"requests_per_second": 1}),
    "federal_reserve": ("https://www.federalreserve.gov", {"requests_per_second": 2}),
    "fred": ("https://fred.stlouisfed.org", {"requests_per_second": 1}),
    "ishares": ("https://www.ishares.com", {"requests_per_second": 1}),
    # SEC requires a User-Agent naming you with a contact e-mail: set RADAR_SEC_USER_AGENT.
    "sec_edgar": (
        "https://data.sec.gov",
        {"requests_per_second": 8, "www_base_url": "https://www.sec.gov"},
    ),
}
# Holdings first: prices_daily fetches the members' prices, earnings_sec their filings.
PIPELINE = (
    "universe_holdings",
    "prices_daily",
    "fomc_statements",
    "earnings_sec",
    "marts_build",
    "breakout_alerts",
)
DEMO_USER_AGENT = "Rotation Radar demo demo@rotation-radar.example"


def source_connections(base_url: str | None) -> dict[str, str]:
    """Every source connection at one base URL (the replay server), or at the live sources."""
    env = {}
    for conn_id, (live_url, extra) in LIVE.items():
        options = {} if base_url else dict(extra)
        if conn_id == "sec_edgar":
            options["user_agent"] = os.environ.get("RADAR_SEC_USER_AGENT", DEMO_USER_AGENT)
            options["www_base_url"] = base_url or extra["www_base_url"]
        env.update(connection_env(conn_id, base_url or live_url, **options))
    return env


def run_pipeline(stack: AirflowStack, session: str, at: str = "00:00:00") -> list[str]:
    """Trigger each DAG of the pipeline in turn for `session`.

    Returns the failures (empty on success).
    """
    failures = []
    for dag_id in PIPELINE:
        started = time.monotonic()
        run_id = stack.trigger(dag_id, f"{session}T{at}+00:00")
        state = stack.wait(dag_id, run_id)
        print(f"{dag_id:<14} {state:<8} {time.monotonic() - started:6.1f}s  (run {run_id})")
        if state != "success":
            failures.append(stack.failure_report(dag_id, run_id))
            break
    return failures


def summary() -> str:
    """Rows per dataset, quarantined rows and data-quality failures of the lake."""
    from rotation_radar.core import lake

    lines = [f"data dir: {settings.data_root()}"]
    datasets = (
        "prices_daily",
        "prices_daily_versions",
        "corporate_actions",
        "fomc_statements",
        "fomc_projections",
        "fomc_dots",
        "fed_funds_target",
        "treasury_yields",
        "universe_members",
        "earnings_facts",
        "earnings_ttm",
        "alert_log",
        "data_quality",
    )
    for dataset in datasets:
        frame = lake.read_all(dataset)
        extra = f", {frame['symbol'].nunique()} symbols" if "symbol" in frame else ""
        if "cik" in frame:
            extra = f", {frame['cik'].nunique()} companies"
        if "meeting_date" in frame:
            extra = f", {frame['meeting_date'].nunique()} SEP meetings"
        if dataset == "prices_daily" and len(frame):
            extra += f", {min(frame['date'])} .. {max(frame['date'])}"
        lines.append(f"  {dataset:<24} {len(frame):>8} rows{extra}")
    quarantined = lake.read_all("quarantine_prices_daily", prefix="quarantine/prices_daily")
    lines.append(f"  {'quarantined rows':<24} {len(quarantined):>8}")
    for row in quarantined.head(5).itertuples():
        lines.append(f"    {row.symbol} {row.date}: {row.reason}")
    quality = lake.read_all("data_quality")
    failed = quality[~quality["success"]].drop_duplicates(["check", "detail"])
    lines.append(f"  data-quality checks failing: {len(failed)} of {len(quality)}")
    for row in failed.head(8).itertuples():
        lines.append(
            f"    [{row.severity}] {row.check}: {row.unexpected_count} ({row.detail[:100]})"
        )
    return "\n".join(lines + warehouse_summary())


def warehouse_summary() -> list[str]:
    """Mart sizes, the latest ratio of each pair and the latest signals, read-only as a BI tool."""
    import duckdb

    from rotation_radar.warehouse import read

    path = read.published_path()
    if path is None:
        return [f"warehouse: {read.record_url()} not built"]
    reports = settings.SQL_DIR / "reports"
    lines = [f"warehouse: {path}"]
    if (source := read.published_url()) != str(path):  # a download of the published build
        lines[0] += f" (downloaded from {source})"
    with duckdb.connect(str(path), read_only=True) as con:
        for (table,) in con.execute(
            "select view_name from duckdb_views() "
            "where schema_name = 'marts' and view_name <> 'catalog' order by 1"
        ).fetchall():
            count = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
            lines.append(f"  marts.{table:<22} {count:>8} rows")
        lines.append("latest ratios:")
        for pair, day, ratio, sma200, mansfield, momentum in con.execute(
            (reports / "latest_ratios.sql").read_text()
        ).fetchall():
            lines.append(
                f"  {pair:<11} {day}  ratio {ratio:.4f}  sma200 {fmt(sma200, '.4f')}  "
                f"mansfield {fmt(mansfield, '+.2f')}  momentum63 {fmt(momentum, '+.2%')}"
            )
        marts = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        lines += basket_mart_lines(con, reports, marts)
        lines.append("latest valuation spreads (point in time; P/E incl. / excl. loss makers):")
        for row in con.execute((reports / "latest_valuation.sql").read_text()).fetchall():
            day, small, large, pe_s, pe_l, ex_s, ex_l, spread, zscore, cov_s, cov_l, complete = row
            lines.append(
                f"  {small}/{large:<5} {day}  P/E {fmt(pe_s, '.1f')} vs {fmt(pe_l, '.1f')}  "
                f"ex-losses {fmt(ex_s, '.1f')} vs {fmt(ex_l, '.1f')}  "
                f"spread {fmt(spread, '+.2f')} pp  "
                f"z {fmt(zscore, '+.2f')}  coverage {cov_s:.0%} / {cov_l:.0%}"
                + ("" if complete else "  (INCOMPLETE: coverage below the minimum)")
            )
        lines.append("latest FOMC decisions:")
        for day, action, bps, low, high, against, added, removed in con.execute(
            (reports / "latest_decisions.sql").read_text()
        ).fetchall():
            lines.append(
                f"  {day} {action:<4} {bps:+4d} bp  {low:.2f}-{high:.2f}%  dissents {against}"
            )
            lines += [f"      + {sentence}" for sentence in added]
            lines += [f"      - {sentence}" for sentence in removed]
        lines += fed_path_lines(con, reports, marts)
        statuses = dict(
            con.execute("select status, count(*) from marts.alert_log group by 1").fetchall()
        )
        lines.append(f"alert log (every run so far): {statuses or 'empty'}; latest deliveries:")
        for day, rule, subject, channels in con.execute(
            "select session_date, rule, subject, string_agg(channel, ',' order by channel) "
            "from marts.alert_log "
            "where status = 'delivered' group by all order by 1 desc, 2, 3 limit 8"
        ).fetchall():
            lines.append(f"  {day} {rule:<22} {subject:<10} delivered on {channels}")
        lines.append("latest breakout signals:")
        for day, rule, subject, _value, _threshold, message in con.execute(
            (reports / "latest_signals.sql").read_text()
        ).fetchall():
            lines.append(f"  {day} {rule:<22} {subject:<10} {message}")
    return lines


def basket_mart_lines(con, reports, marts: set[str]) -> list[str]:
    """The latest breadth per basket, concentration per ETF and quadrant per rotation
    pair (a sector basket's quadrants on one line), a note for a mart not built."""
    lines = ["latest breadth (% of members above their 50/200-session average, by weight):"]
    if "breadth" not in marts:
        lines.append("  marts.breadth not built")
    else:
        for basket, day, members, sma50, sma200, weighted, adv, dec, mcclellan in con.execute(
            (reports / "latest_breadth.sql").read_text()
        ).fetchall():
            lines.append(
                f"  {basket:<5} {day}  {fmt(members, ',.0f'):>5} members  "
                f"above sma50 {fmt(sma50, '.1f')}%  sma200 {fmt(sma200, '.1f')}% "
                f"({fmt(weighted, '.1f')}% by weight)  "
                f"adv/dec {fmt(adv, ',.0f')}/{fmt(dec, ',.0f')}  McClellan {fmt(mcclellan, '+.3f')}"
            )
    lines.append("latest concentration (holdings files; weights in % of the ETF):")
    if "concentration" not in marts:
        lines.append("  marts.concentration not built")
    else:
        for basket, day, members, top10, mag7, effective in con.execute(
            (reports / "latest_concentration.sql").read_text()
        ).fetchall():
            lines.append(
                f"  {basket:<5} {day}  {fmt(members, ',.0f'):>5} members  "
                f"top 10 {fmt(top10, '.1f')}%  MAG7 {fmt(mag7, '.1f')}%  "
                f"effective constituents {fmt(effective, '.1f')}"
            )
    lines.append("latest rotation quadrants (RS-Ratio, RS-Momentum):")
    if "rotation" not in marts:
        return [*lines, "  marts.rotation not built"]
    sectors: dict[str, dict[str, list[str]]] = {}
    for kind, pair, numerator, denominator, day, x, y, quadrant, _, since in con.execute(
        (reports / "latest_rotation.sql").read_text()
    ).fetchall():
        if kind == "sector":
            name = numerator.split(":", 1)[-1]
            sectors.setdefault(f"{denominator} sectors {day}", {}).setdefault(
                quadrant or "warm-up", []
            ).append(name)
            continue
        state = f"{quadrant} since {since}" if quadrant else "warm-up"
        lines.append(f"  {pair:<11} {day}  {state:<28} ({fmt(x, '.2f')}, {fmt(y, '.2f')})")
    for basket, quadrants in sectors.items():
        lines.append(
            f"  {basket}: "
            + "; ".join(f"{q} {', '.join(names)}" for q, names in sorted(quadrants.items()))
        )
    return lines


def fed_path_lines(con, reports, marts: set[str]) -> list[str]:
    """The latest SEP: the federal funds rate medians this year, next year and in the longer
    run (the dots' exact median beside), their shifts against the previous SEP, the implied
    25 bp moves from the range the meeting set; a note when marts.fed_path is not built."""
    lines = ["latest SEP (federal funds rate medians, the dots' exact one in brackets):"]
    if "fed_path" not in marts:
        return [*lines, "  marts.fed_path not built"]
    result = con.execute((reports / "latest_fed_path.sql").read_text())
    names = [column[0] for column in result.description]
    found = result.fetchall()
    if not found:
        return [*lines, "  no SEP in marts.fed_path"]
    sep = dict(zip(names, found[0], strict=True))
    year, previous = sep["this_year"], sep["previous_meeting_date"]

    def median(which: str) -> str:
        shift = sep[f"median_{which}_change_bp"]
        return (
            f"{fmt(sep[f'median_{which}'], '.1f')}% ({fmt(sep[f'dots_median_{which}'], '.3f')}%) "
            + ("n/a" if shift is None else f"{shift:+.0f} bp")
        )

    return [
        *lines,
        f"  {sep['meeting_date']}  {year} {median('this_year')}  "
        f"{year + 1} {median('next_year')}  longer run {fmt(sep['median_longer_run'], '.1f')}%  "
        f"(shifts against the SEP of {previous or 'n/a'}; "
        f"{fmt(sep['participants'], 'd')} participants)",
        f"  implied 25 bp moves from the {fmt(sep['target_low'], '.2f')}-"
        f"{fmt(sep['target_high'], '.2f')}% range: {fmt(sep['implied_moves_this_year'], '+.1f')} "
        f"in {year}, {fmt(sep['implied_moves_next_year'], '+.1f')} in {year + 1}",
    ]


def fmt(value, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--live", action="store_true", help="use the live sources (make run)")
    mode.add_argument(
        "--up", action="store_true", help="leave Airflow's UI running on :8080 (make up)"
    )
    parser.add_argument(
        "--session", help="session date to run (default: replay's last, or today's latest)"
    )
    args = parser.parse_args(argv)
    # A SIGTERM (CI timeouts, `kill`) unwinds like Ctrl-C, so every started process is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    home = settings.REPO_ROOT / ".airflow" / ("up" if args.up else "live" if args.live else "demo")

    if args.up:
        stack = AirflowStack(home, env=source_connections(None), port=8080, manual_only=False)
        with stack:
            stack.start(PIPELINE)
            print("Airflow UI on http://localhost:8080 (Ctrl-C stops it)")
            try:
                while True:
                    stack.check_alive()
                    time.sleep(5)
            except KeyboardInterrupt:
                return 0

    started = time.monotonic()
    # Runs are triggered for fixed logical dates, which Airflow accepts once per database:
    # start each demo with fresh metadata (the lake under RADAR_DATA_DIR keeps its state).
    shutil.rmtree(home, ignore_errors=True)
    server = None
    if not args.live:
        from devtools.replay.server import ReplayServer

        server = ReplayServer(REPLAY_DIR).start()
        print(f"replay server: {server.url} serving {REPLAY_DIR}")
    session = args.session or (
        (dt.datetime.now(dt.UTC) - dt.timedelta(days=1)).date().isoformat()
        if args.live
        else REPLAY_SESSION
    )
    with contextlib.ExitStack() as running:
        env = source_connections(server.url if server else None)
        if server:
            running.callback(server.stop)
            slack, webhook, mail, alert_env = running.enter_context(local_receivers())
            env.update(alert_env)
        stack = running.enter_context(AirflowStack(home, env=env))
        stack.start(PIPELINE)
        failures = run_pipeline(stack, session)
        if server and not failures:
            delivered = (len(slack.requests), len(webhook.requests), len(mail.envelopes))
            print("second run of the pipeline (nothing new may be delivered):")
            failures = run_pipeline(stack, session, at="12:00:00")
            again = (len(slack.requests), len(webhook.requests), len(mail.envelopes))
            print(
                f"messages received (slack, webhook, email): {delivered} after the first run, "
                f"{again} after the second"
            )
    if failures:
        print("\n".join(failures), file=sys.stderr)
        return 1
    print(summary())
    if server:
        print(receivers_summary(slack, webhook, mail))
    from rotation_radar.core import storage

    reports = storage.keys("reports", "????-??-??.html")
    print(
        f"morning report: {storage.url(reports[-1]) if reports else 'not rendered'} "
        "(and latest.html beside it)"
    )
    print(f"wall time: {time.monotonic() - started:.0f}s")
    return 0


@contextlib.contextmanager
def local_receivers():
    """Stand-ins for Slack and a webhook, and an SMTP server, with the alert connections."""
    from devtools.replay.receivers import MailServer, Receiver, connections

    with Receiver() as slack, Receiver() as webhook, MailServer() as mail:
        env = connections(slack, webhook, mail, secret="demo-secret")
        print(
            f"alert receivers: slack {slack.url}, webhook {webhook.url}, smtp 127.0.0.1:{mail.port}"
        )
        yield slack, webhook, mail, env


def receivers_summary(slack, webhook, mail) -> str:
    """What the local receivers got: the webhook's alerts, the e-mail subjects."""
    lines = [
        f"alerts delivered: {len(slack.requests)} slack, {len(webhook.requests)} webhook, "
        f"{len(mail.envelopes)} email message(s)"
    ]
    for body in webhook.delivered():
        lines.append(f"  webhook: {body['subject']}")
        lines += [
            f"    {a['session_date']} {a['rule']:<22} {a['subject']:<8} {a['message']}"
            for a in body["alerts"]
        ]
    lines += [f"  email: {message['Subject']}" for message in mail.messages()]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
