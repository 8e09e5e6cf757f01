"""ETF holdings into the lake: iShares holdings files as `universe_members`.

One stage, one Airflow task: for each fund and each month-end session from the
universe's `holdings_start` through the run's day (and the run's day itself), the
holdings file as of that date is fetched unless already stored, landed byte-exact in
raw/, parsed (`ishares.parse_holdings`) and stored as one file per (basket, as_of),
which a rerun replaces. Rows that are not members (cash, futures, no ticker) and every
failure go to `data_quality`. A fund that fails fails the task, after the others are stored.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import pandas as pd

from rotation_radar.core import lake, sessions, settings, storage
from rotation_radar.core.transport import HttpSource, SourceError
from rotation_radar.sources import Fetched, ishares

log = logging.getLogger(__name__)
DATASET = "universe_members"


class HoldingsFailed(RuntimeError):
    """Some holdings files could not be fetched or read; the rest were stored."""


def month_ends(start: dt.date, day: dt.date) -> list[dt.date]:
    """The last NYSE session of each month from `start`'s month through `day` (those on or
    after `start` and on or before `day`), and `day` itself; sorted, no repeats."""
    found = set()
    year, month = start.year, start.month
    while (year, month) <= (day.year, day.month):
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        last = sessions.session_on_or_before(following - dt.timedelta(days=1))
        if start <= last <= day:
            found.add(last)
        year, month = following.year, following.month
    found.add(day)
    return sorted(found)


def stored_dates(basket: str) -> set[dt.date]:
    return {dt.date.fromisoformat(parts["as_of"]) for parts in lake.stored(DATASET, basket=basket)}


def current_members(day: dt.date) -> list[str]:
    """Symbols of each basket's latest holdings file dated on or before `day`."""
    found = set()
    for basket in settings.HOLDINGS_BASKETS:
        dates = [d for d in stored_dates(basket) if d <= day]
        if dates:
            key = lake.dataset(DATASET).file(basket=basket, as_of=max(dates))
            found |= set(storage.read_parquet(key, columns=["symbol"]).column("symbol").to_pylist())
    return sorted(found)


def land(fetched: Fetched, day: dt.date, as_of: dt.date) -> str:
    return fetched.land(day.isoformat(), f"{fetched.symbol}-{as_of:%Y%m%d}", ".csv")


def members_frame(
    parsed: pd.DataFrame, basket: str, as_of: dt.date, raw_key: str, ingested_at, run_id
) -> pd.DataFrame:
    """Parsed members as `universe_members` rows."""
    frame = parsed.assign(
        basket=basket,
        as_of=as_of,
        raw_key=raw_key,
        source=ishares.SOURCE,
        ingested_at=ingested_at,
        run_id=run_id,
    )
    frame = frame[lake.SCHEMAS[DATASET].names].sort_values("symbol", ignore_index=True)
    frame.attrs = {}
    return frame


def fetch_and_load(
    http: HttpSource, funds, day: dt.date, start: dt.date, run_id: str, ingested_at: dt.datetime
) -> dict:
    """Store every missing month-end holdings file of each fund (and the run day's) as of
    `day` at the latest; raises HoldingsFailed naming the fund after storing the others."""
    from rotation_radar.core import quality

    written = [lake.prefix(DATASET), lake.prefix("data_quality", dataset=DATASET)]
    lake.sweep([f"raw/{ishares.SOURCE}/{day}", *written], ingested_at)
    results, problems, summary = [], [], {}
    for fund in funds:
        basket = fund  # a fund's members are the basket of its name
        have = stored_dates(basket)
        wanted = [d for d in month_ends(start, day) if d not in have or d == day]
        stored, excluded, fund_problems = [], [], []
        for as_of in wanted:
            try:
                fetched = ishares.fetch(http, fund, as_of)
                raw_key = land(fetched, day, as_of)
                ishares.check_status(fetched, http, as_of)
                parsed = ishares.parse_holdings(fetched.body)
            except (SourceError, ValueError) as exc:
                fund_problems.append({"fund": fund, "as_of": as_of.isoformat(), "error": str(exc)})
                continue
            file_as_of = parsed.attrs.get("as_of") or as_of
            if file_as_of > day:
                fund_problems.append(
                    {
                        "fund": fund,
                        "as_of": as_of.isoformat(),
                        "raw_key": raw_key,
                        "error": f"file is as of {file_as_of}, after the run's day {day}",
                    }
                )
                continue
            if parsed.empty:
                log.info(
                    "holdings for %s as of %s: no rows (before the fund's first file?)", fund, as_of
                )
                continue
            frame = members_frame(parsed, basket, file_as_of, raw_key, ingested_at, run_id)
            lake.write(DATASET, frame, basket=basket, as_of=file_as_of)
            stored.append(file_as_of.isoformat())
            for row in parsed.attrs["excluded"].to_dict("records"):
                excluded.append({"as_of": file_as_of.isoformat(), **_plain(row)})
        no_ticker = [r for r in excluded if r["reason"] == "no usable ticker"]
        other = [r for r in excluded if r["reason"] != "no usable ticker"]
        results += [
            quality.CheckResult(
                DATASET,
                run_id,
                f"files_read:{basket}",
                "source",
                not fund_problems,
                len(fund_problems),
                json.dumps(fund_problems),
            ),
            quality.CheckResult(
                DATASET,
                run_id,
                f"members_without_ticker:{basket}",
                "row",
                not no_ticker,
                len(no_ticker),
                json.dumps(no_ticker[: quality.SAMPLE_SIZE]),
            ),
            quality.CheckResult(
                DATASET,
                run_id,
                f"not_members:{basket}",
                "warning",
                True,
                len(other),
                json.dumps(other[: quality.SAMPLE_SIZE]),
            ),
        ]
        problems += fund_problems
        summary[basket] = {
            "stored": sorted(set(stored)),
            "failed": [p["as_of"] for p in fund_problems],
        }
    quality.write_results(results, DATASET, day, run_id)
    if problems:
        failed = sorted({p["fund"] for p in problems})
        raise HoldingsFailed(
            f"holdings for {', '.join(failed)} from {ishares.SOURCE} as of {day}: "
            f"{len(problems)} file(s) "
            f"not loaded (raw kept under raw/{ishares.SOURCE}/{day}/; next run retries): "
            + "; ".join(f"{p['fund']} {p['as_of']}: {p['error']}" for p in problems[:3])
        )
    return summary


def _plain(row: dict) -> dict:
    return {k: (None if isinstance(v, float) and v != v else v) for k, v in row.items()}
