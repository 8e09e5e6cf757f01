"""Fed policy into the lake: FOMC statements (Federal Reserve pages) and FRED series.

Stages, one Airflow task each:
- `discover`: the monetary press-release feed and the FOMC calendar pages give
  the statement pages published up to the run's date;
- `fetch_statements`: new pages are fetched, stored ones re-requested only
  conditionally (ETag / Last-Modified); every answer lands byte-exact in raw/;
- `load_statements`: pages are parsed (text, decision, votes, dissents),
  validated with Great Expectations and merged; a changed page is a new version;
- `load_fred`: the target range (DFEDTARL/DFEDTARU) and Treasury yields
  (DGS2/DGS10), and a check of every statement's range against FRED's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging

import pandas as pd

from rotation_radar.core import lake, quality, storage
from rotation_radar.core.transport import HttpSource, SourceError
from rotation_radar.fomc import checks, statements
from rotation_radar.sources import Fetched, fed, fred

log = logging.getLogger(__name__)
DATASET = "fomc_statements"
CALENDAR = "/monetarypolicy/fomccalendars.htm"
FEED = "/feeds/press_monetary.xml"
YIELDS = ("DGS2", "DGS10")
TARGET = {"DFEDTARL": "lower", "DFEDTARU": "upper"}


class StatementsFailed(RuntimeError):
    """Some statements could not be fetched or read; the rest were loaded."""


def land(fetched: Fetched, day: dt.date, name: str) -> str:
    return fetched.land(day.isoformat(), name)


def page_name(path: str) -> str:
    """The name a page's raw bytes are landed under: the last part of its path."""
    return path.rstrip("/").rsplit("/", 1)[-1] or "index"


# ---------------------------------------------------------------- discover


def discover(http: HttpSource, day: dt.date, first_year: int) -> list[dict]:
    """Statement pages published on or before `day`: {"date", "path"}, oldest first.

    The feed gives the latest; the calendar page (and, for years it no longer
    lists, the historical pages) gives the history. A feed item of an unknown
    kind is logged and left alone.
    """
    found: dict[dt.date, str] = {}
    feed = get_page(http, FEED, day)
    for item in fed.parse_feed(feed.body, FEED):
        if item.kind != "statement":
            log.info("feed item ignored (%s): %s", item.kind, item.title)
            continue
        if item.published.date() <= day:
            found[fed.statement_date(item.path) or item.published.date()] = item.path
    meetings = fed.parse_calendar(get_page(http, CALENDAR, day).body, CALENDAR)
    listed = {m.year for m in meetings}
    for year in range(first_year, min(listed or {day.year})):
        page = fed.historical_path(year)
        meetings += fed.parse_calendar(get_page(http, page, day).body, page, year)
    for meeting in meetings:
        if meeting.statement_path and meeting.last_day <= day and meeting.year >= first_year:
            found.setdefault(
                fed.statement_date(meeting.statement_path) or meeting.last_day,
                meeting.statement_path,
            )
    return [{"date": d.isoformat(), "path": found[d]} for d in sorted(found)]


def get_page(http: HttpSource, path: str, day: dt.date) -> Fetched:
    """A Fed page fetched, landed in raw/ and checked (SourceError names the page)."""
    fetched = fed.fetch(http, path)
    land(fetched, day, page_name(path))
    fed.check_status(fetched, http)
    return fetched


# ---------------------------------------------------------------- fetch


def fetch_statements(http: HttpSource, pages: list[dict], day: dt.date, run_id: str) -> str:
    """Fetch new statement pages, re-request stored ones conditionally; returns the manifest key."""
    lake.sweep(
        [f"raw/{fed.SOURCE}/{day}", f"raw/manifests/{DATASET}/{day}"], dt.datetime.now(dt.UTC)
    )
    stored = lake.read(DATASET).set_index("statement_date")
    entries = []
    for page in pages:
        date = dt.date.fromisoformat(page["date"])
        known = stored.loc[date] if date in stored.index else None
        etag = None if known is None else known["etag"]
        modified = None if known is None else known["last_modified"]
        entry = {
            "date": page["date"],
            "path": page["path"],
            "status": "new" if known is None else "unchanged",
        }
        try:
            fetched = fed.fetch(
                http, page["path"], etag=etag or None, last_modified=modified or None
            )
            if fetched.status != 304:
                entry["raw_key"] = land(fetched, day, page_name(page["path"]))
            else:  # a 304 has no bytes to keep; the answers retried before it have
                fetched.land_attempts(day.isoformat(), page_name(page["path"]))
            fed.check_status(fetched, http)
        except SourceError as exc:
            entry.update(status="failed", error=str(exc))
            entries.append(entry)
            continue
        if fetched.status == 200:
            if known is not None:
                entry["status"] = "unchanged" if known["sha256"] == fetched.sha256 else "changed"
            entry["etag"] = fetched.headers.get("ETag") or fetched.headers.get("Etag")
            entry["last_modified"] = fetched.headers.get("Last-Modified")
        entries.append(entry)
    key = f"raw/manifests/{DATASET}/{day.isoformat()}/{lake.run_key(run_id)}.json"
    storage.write_bytes(key, json.dumps(entries, indent=1).encode())
    return key


# ---------------------------------------------------------------- load


def statement_row(entry: dict, previous_range, ingested_at, run_id) -> dict:
    """Parse a landed statement page into a lake row; raises SourceError / StatementParseError."""
    body = storage.read_bytes(entry["raw_key"])
    page = fed.parse_statement_page(body, entry["path"])
    facts = statements.parse_statement(page.text, previous_range=previous_range)
    return {
        "statement_date": dt.date.fromisoformat(entry["date"]),
        "url": entry["path"],
        "title": page.title,
        "text": page.text,
        "sha256": hashlib.sha256(body).hexdigest(),
        "target_low": facts.target_low,
        "target_high": facts.target_high,
        "change_bps": facts.change_bps,
        "action": facts.action,
        "votes_for": list(facts.votes_for),
        "votes_for_count": facts.votes_for_count,
        "votes_against_count": facts.votes_against_count,
        "dissents": [dataclasses.asdict(d) for d in facts.dissents],
        "etag": entry.get("etag"),
        "last_modified": entry.get("last_modified"),
        "raw_key": entry["raw_key"],
        "version": 1,
        "source": fed.SOURCE,
        "ingested_at": ingested_at,
        "run_id": run_id,
    }


def load_statements(manifest_key: str, day: dt.date, run_id: str, ingested_at: dt.datetime) -> dict:
    """Parse new and changed pages, validate them, merge into the lake (old versions kept)."""
    quarantine = lake.prefix(f"quarantine_{DATASET}", session=day)
    written = [lake.prefix(DATASET), lake.prefix(f"{DATASET}_versions"), quarantine]
    lake.sweep([*written, lake.prefix("data_quality", dataset=DATASET)], ingested_at)
    entries = json.loads(storage.read_bytes(manifest_key))
    stored = lake.read(DATASET)
    ranges = {r.statement_date: (r.target_low, r.target_high) for r in stored.itertuples()}
    rows, problems = [], []
    for entry in sorted(entries, key=lambda e: e["date"]):
        date = dt.date.fromisoformat(entry["date"])
        if entry["status"] == "failed":
            problems.append({"date": entry["date"], "path": entry["path"], "error": entry["error"]})
            continue
        if entry["status"] not in ("new", "changed"):
            continue
        previous = [ranges[d] for d in sorted(ranges) if d < date]
        try:
            row = statement_row(entry, previous[-1] if previous else None, ingested_at, run_id)
        except (SourceError, statements.StatementParseError) as exc:
            problems.append(
                {
                    "date": entry["date"],
                    "path": entry["path"],
                    "raw_key": entry.get("raw_key"),
                    "error": str(exc),
                }
            )
            continue
        ranges[date] = (row["target_low"], row["target_high"])
        rows.append(row)

    batch = pd.DataFrame(rows, columns=lake.SCHEMAS[DATASET].names)
    checked = checks.validate_statements(batch, run_id=run_id)
    results = checked.results + [
        quality.CheckResult(
            DATASET,
            run_id,
            "statements_read",
            "source",
            not problems,
            len(problems),
            json.dumps(problems),
        )
    ]
    if len(checked.quarantined):
        lake.write_quarantine(day, run_id, checked.quarantined, dataset=DATASET)
    if checked.blocked:
        failed = ", ".join(r.check for r in checked.failures() if r.severity == "batch")
        quality.write_results(results, DATASET, day, run_id)
        raise StatementsFailed(
            f"FOMC statements for {day}: batch blocked by {failed}; "
            f"{len(checked.quarantined)} rows quarantined under {quarantine}/"
        )
    # A changed page replaces its statement as the next version; an unchanged one (a
    # retried load) keeps its row, lineage included.
    merged, replaced = lake.merge(DATASET, stored, checked.good)
    lake.archive(DATASET, replaced, run_id, ingested_at)
    if len(merged) > len(stored) or len(replaced):
        lake.write(DATASET, merged)
    quality.write_results(results, DATASET, day, run_id)
    summary = {
        "day": day.isoformat(),
        "statements": len(merged),
        "new": int(sum(e["status"] == "new" for e in entries)),
        "changed": len(replaced),
        "quarantined": len(checked.quarantined),
        "problems": problems,
    }
    if problems:
        raise StatementsFailed(
            f"FOMC statements for {day}: {len(problems)} could not be read "
            f"(raw kept under raw/federal_reserve/{day}/): "
            + "; ".join(f"{p['path']}: {p['error']}" for p in problems[:3])
        )
    return summary


# ---------------------------------------------------------------- FRED


def load_fred(http: HttpSource, day: dt.date, run_id: str, ingested_at: dt.datetime) -> dict:
    """Target range and Treasury yields through `day` (never later), replaced whole."""
    written = ["fed_funds_target", "treasury_yields"]
    lake.sweep([f"raw/{fred.SOURCE}/{day}", *map(lake.prefix, written)], ingested_at)
    series = {}
    for series_id in (*TARGET, *YIELDS):
        fetched = fred.fetch(http, series_id)
        land(fetched, day, series_id)
        fred.check_status(fetched, http)
        frame = fred.parse(fetched.body, series_id)
        series[series_id] = frame[frame["date"] <= day]
    lineage = {"source": fred.SOURCE, "ingested_at": ingested_at, "run_id": run_id}
    target = (
        series["DFEDTARL"]
        .rename(columns={"value": "lower"})
        .merge(series["DFEDTARU"].rename(columns={"value": "upper"}), on="date", how="outer")
        .dropna(subset=["lower", "upper"], how="all")
        .sort_values("date", ignore_index=True)
        .assign(**lineage)
    )
    yields = (
        pd.concat([series[s].assign(series=s) for s in YIELDS], ignore_index=True)
        .sort_values(["series", "date"], ignore_index=True)
        .assign(**lineage)
    )
    lake.write("fed_funds_target", target)
    lake.write("treasury_yields", yields)
    check = range_check(lake.read(DATASET), target, run_id)
    quality.write_results([check], "fred", day, run_id)
    return {
        "fed_funds_target": len(target),
        "treasury_yields": len(yields),
        "range_mismatches": check.unexpected_count,
    }


def range_check(statements: pd.DataFrame, target: pd.DataFrame, run_id: str) -> quality.CheckResult:
    """Every statement's range equals FRED's range effective the next day."""
    mismatches = []
    target = target.dropna(subset=["lower", "upper"]).sort_values("date")
    for row in statements.itertuples():
        after = target[target["date"] > row.statement_date].head(1)
        if after.empty:
            continue
        lower, upper = after.iloc[0]["lower"], after.iloc[0]["upper"]
        if (lower, upper) != (row.target_low, row.target_high):
            mismatches.append(
                {
                    "statement_date": str(row.statement_date),
                    "statement": [row.target_low, row.target_high],
                    "fred": [lower, upper],
                    "fred_date": str(after.iloc[0]["date"]),
                }
            )
    return quality.CheckResult(
        DATASET,
        run_id,
        "range_matches_fred",
        "warning",
        not mismatches,
        len(mismatches),
        json.dumps(mismatches),
    )
