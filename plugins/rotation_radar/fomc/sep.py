"""The Summary of Economic Projections (SEP) into the lake: Table 1 (`fomc_projections`)
and the dot plot (`fomc_dots`), one file of each per meeting.

Stages, one Airflow task each (in the fomc_statements DAG, beside the statements):
- `discover_projections`: the FOMC calendar page (and, for the years it no longer
  lists, the historical pages) gives the meetings with projections (starred, or linking
  an accessible projections page) decided on or before the run's date;
- `fetch_projections`: new pages are fetched, stored ones re-requested only
  conditionally (ETag / Last-Modified); every answer lands byte-exact in raw/;
- `load_projections`: pages are parsed (`fomc.projections`), cross-checked
  (`check_projections`) and validated with Great Expectations; each meeting's files are
  replaced whole by its new or changed page. A meeting whose Table 1 and dots disagree
  is left out (quarantined, recorded in data_quality); a page that cannot be fetched or
  read fails the task after the other meetings are loaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging

import pandas as pd

from rotation_radar.core import lake, quality, storage
from rotation_radar.core.transport import HttpSource, SourceError
from rotation_radar.fomc import checks, ingest, projections
from rotation_radar.sources import fed

log = logging.getLogger(__name__)
DATASET = "fomc_projections"
DOTS = "fomc_dots"
CALENDAR = fed.CALENDAR_PATH
UNPUBLISHED = "starred on the calendar, but no projections page is linked"


class ProjectionsFailed(RuntimeError):
    """Some projections pages could not be fetched or read; the other meetings were loaded."""


def _text(value) -> str | None:
    """A stored string column's value, None for any kind of missing value."""
    return value if isinstance(value, str) and value else None


# ---------------------------------------------------------------- discover


def discover_projections(http: HttpSource, day: dt.date, first_year: int) -> list[dict]:
    """Meetings with projections decided on or before `day`, from `first_year` on:
    {"date", "path", "starred"}, oldest first; `path` is None for a meeting the calendar
    stars but whose projections page it does not link (yet)."""
    body = ingest.get_page(http, CALENDAR, day).body
    listed = {m.year for m in fed.parse_calendar(body, CALENDAR)}
    links = fed.projection_links(body, CALENDAR)
    for year in range(first_year, min(listed or {day.year})):
        page = fed.historical_path(year)
        links += fed.projection_links(ingest.get_page(http, page, day).body, page, year)
    found: dict[dt.date, fed.ProjectionsLink] = {}
    for link in links:
        if link.meeting_date > day or link.meeting_date.year < first_year:
            continue
        known = found.get(link.meeting_date)
        if known is None or (known.path is None and link.path):
            found[link.meeting_date] = link
    return [
        {"date": d.isoformat(), "path": found[d].path, "starred": found[d].starred}
        for d in sorted(found)
    ]


# ---------------------------------------------------------------- fetch


def stored_pages() -> dict[dt.date, dict]:
    """Each stored meeting's page: url, sha256, etag, last_modified (from its Table 1 file)."""
    frame = lake.read_all(DATASET).drop_duplicates("meeting_date")
    return {
        row.meeting_date: {
            "url": _text(row.url),
            "sha256": _text(row.sha256),
            "etag": _text(row.etag),
            "last_modified": _text(row.last_modified),
        }
        for row in frame.itertuples()
    }


def fetch_projections(http: HttpSource, meetings: list[dict], day: dt.date, run_id: str) -> str:
    """Fetch new projections pages, re-request stored ones conditionally; returns the
    manifest key (one entry per meeting: status new, changed, unchanged, failed or
    unpublished)."""
    lake.sweep(
        [f"raw/{fed.SOURCE}/{day}", f"raw/manifests/{DATASET}/{day}"], dt.datetime.now(dt.UTC)
    )
    stored = stored_pages()
    entries = []
    for meeting in meetings:
        entry = {"date": meeting["date"], "path": meeting["path"]}
        if meeting["path"] is None:
            entries.append({**entry, "status": "unpublished"})
            continue
        known = stored.get(dt.date.fromisoformat(meeting["date"]))
        if known is not None and known["url"] != meeting["path"]:
            known = None  # linked under another path: fetched as a new page
        entry["status"] = "new" if known is None else "unchanged"
        name = ingest.page_name(meeting["path"])
        try:
            fetched = fed.fetch(
                http,
                meeting["path"],
                etag=None if known is None else known["etag"],
                last_modified=None if known is None else known["last_modified"],
            )
            if fetched.status != 304:
                entry["raw_key"] = fetched.land(day.isoformat(), name)
            else:  # a 304 has no bytes to keep; the answers retried before it have
                fetched.land_attempts(day.isoformat(), name)
            fed.check_status(fetched, http)
        except SourceError as exc:
            entries.append({**entry, "status": "failed", "error": str(exc)})
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


def meeting_rows(
    entry: dict, body: bytes, p: projections.Projections, lineage: dict
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A parsed page as rows of `fomc_projections` (Table 1 with the page's provenance)
    and of `fomc_dots`."""
    table1 = p.table1.assign(
        url=entry["path"],
        sha256=hashlib.sha256(body).hexdigest(),
        etag=entry.get("etag"),
        last_modified=entry.get("last_modified"),
        raw_key=entry["raw_key"],
        **lineage,
    )
    return table1[lake.SCHEMAS[DATASET].names], p.dots.assign(**lineage)[lake.SCHEMAS[DOTS].names]


def _stored_sep(meeting_date: dt.date) -> projections.Projections:
    """A stored meeting's Table 1 as a Projections (what check_previous compares with)."""
    table1 = lake.read(DATASET, meeting_date=meeting_date)[projections.TABLE1_COLUMNS]
    empty = pd.DataFrame(columns=projections.DOTS_COLUMNS)
    return projections.Projections(meeting_date, "", table1, table1.iloc[0:0], empty, "", (), ())


def previous_problems(
    loaded: dict[dt.date, projections.Projections], stored: set[dt.date]
) -> list[dict]:
    """Each loaded page's previous-projection rows against the SEP before it (loaded in
    this batch, else stored), when that is the SEP the page names ("June projection")."""
    out = []
    known = sorted(stored | set(loaded))
    for date, p in loaded.items():
        before = [d for d in known if d < date]
        if not before:
            continue
        named = (p.previous_label or "").split(" ")[0].lower()
        if named not in ("", "previous", f"{before[-1]:%B}".lower()):
            continue  # the SEP the page names is not in the lake: nothing to compare
        earlier = loaded.get(before[-1]) or _stored_sep(before[-1])
        problems = projections.check_previous(p, earlier)
        if problems:
            out.append(
                {
                    "meeting_date": date.isoformat(),
                    "previous_meeting": before[-1].isoformat(),
                    "problems": problems,
                }
            )
    return out


def _quarantine(frame: pd.DataFrame, reasons: dict) -> pd.DataFrame:
    """The rows of the meetings in `reasons` (meeting_date -> reason), each with its
    meeting's reason."""
    rows = frame[frame["meeting_date"].isin(list(reasons))]
    return rows.assign(reason=rows["meeting_date"].map(reasons).astype("str"))


def load_projections(
    manifest_key: str, day: dt.date, run_id: str, ingested_at: dt.datetime
) -> dict:
    """Parse new and changed pages, check and validate them, replace their meetings'
    files; record every problem in data_quality (dataset fomc_projections)."""
    quarantines = [lake.prefix(f"quarantine_{n}", session=day) for n in (DATASET, DOTS)]
    lake.sweep(
        [
            lake.prefix(DATASET),
            lake.prefix(DOTS),
            *quarantines,
            lake.prefix("data_quality", dataset=DATASET),
        ],
        ingested_at,
    )
    entries = sorted(json.loads(storage.read_bytes(manifest_key)), key=lambda e: e["date"])
    lineage = {"source": fed.SOURCE, "ingested_at": ingested_at, "run_id": run_id}
    unreadable, unpublished, inconsistent = [], [], []
    loaded: dict[dt.date, projections.Projections] = {}
    tables, dots, left_out = [], [], {}
    for entry in entries:
        meeting = {"meeting_date": entry["date"], "path": entry["path"]}
        if entry["status"] == "unpublished":
            unpublished.append({**meeting, "error": UNPUBLISHED})
            continue
        if entry["status"] == "failed":
            unreadable.append({**meeting, "raw_key": entry.get("raw_key"), "error": entry["error"]})
            continue
        if entry["status"] not in ("new", "changed"):
            continue
        date = dt.date.fromisoformat(entry["date"])
        body = storage.read_bytes(entry["raw_key"])
        try:
            p = projections.parse_projections(body, date, entry["path"])
        except projections.ProjectionsLayoutError as exc:
            unreadable.append(
                {**meeting, "raw_key": entry["raw_key"], "table": exc.table, "error": str(exc)}
            )
            continue
        table1, dot_rows = meeting_rows(entry, body, p, lineage)
        tables.append(table1)
        dots.append(dot_rows)
        problems = projections.check_projections(p)
        if problems:
            inconsistent.append({**meeting, "raw_key": entry["raw_key"], "problems": problems})
            left_out[date] = "projections_consistent: " + "; ".join(problems)
        else:
            loaded[date] = p

    table = _concat(tables, DATASET)
    dot_table = _concat(dots, DOTS)
    good_table = table[~table["meeting_date"].isin(list(left_out))]
    good_dots = dot_table[~dot_table["meeting_date"].isin(list(left_out))]
    checked = checks.validate_projections(good_table, run_id=run_id)
    checked_dots = checks.validate_dots(good_dots, run_id=run_id)
    stored = set(stored_pages())
    mismatched = previous_problems(loaded, stored)
    results = [
        *checked.results,
        *checked_dots.results,
        _result(run_id, "projections_read", "source", unreadable),
        _result(run_id, "projections_consistent", quality.ROW, inconsistent),
        _result(run_id, "projections_published", quality.WARNING, unpublished),
        _result(run_id, "projections_match_previous", quality.WARNING, mismatched),
    ]
    blocked = checked.blocked or checked_dots.blocked
    if blocked:
        failed = [r.check for r in results if r.severity == quality.BATCH and not r.success]
        left_out |= {d: "batch blocked: " + ", ".join(failed) for d in loaded}
    else:  # a row that fails a check leaves its whole meeting out
        for frame in (checked.quarantined, checked_dots.quarantined):
            for date, reasons in frame.groupby("meeting_date")["reason"]:
                left_out.setdefault(date, "; ".join(sorted(set(reasons))))
    if left_out:
        lake.write_quarantine(day, run_id, _quarantine(table, left_out), dataset=DATASET)
        lake.write_quarantine(day, run_id, _quarantine(dot_table, left_out), dataset=DOTS)
    if blocked:
        quality.write_results(results, DATASET, day, run_id)
        raise ProjectionsFailed(
            f"FOMC projections for {day}: batch blocked by {', '.join(failed)}; "
            f"{len(left_out)} meetings quarantined under {quarantines[0]}/"
        )
    written = sorted(set(good_table["meeting_date"]) - set(left_out))
    for date in written:
        # the dots first: a meeting's Table 1 file (with the page's ETag) marks it stored
        lake.write(DOTS, good_dots[good_dots["meeting_date"] == date], meeting_date=date)
        lake.write(DATASET, good_table[good_table["meeting_date"] == date], meeting_date=date)
    quality.write_results(results, DATASET, day, run_id)
    summary = {
        "day": day.isoformat(),
        "meetings": len(stored | set(written)),
        "written": [d.isoformat() for d in written],
        "new": sum(e["status"] == "new" for e in entries),
        "changed": sum(e["status"] == "changed" for e in entries),
        "unchanged": sum(e["status"] == "unchanged" for e in entries),
        "left_out": sorted(d.isoformat() for d in left_out),
        "unpublished": [u["meeting_date"] for u in unpublished],
        "problems": unreadable,
    }
    if unreadable:
        raise ProjectionsFailed(
            f"FOMC projections for {day}: {len(unreadable)} could not be fetched or read "
            f"(raw kept under raw/{fed.SOURCE}/{day}/; the next run fetches them again): "
            + "; ".join(f"meeting {u['meeting_date']}: {u['error']}" for u in unreadable[:3])
        )
    return summary


def _concat(frames: list[pd.DataFrame], name: str) -> pd.DataFrame:
    if not frames:
        return lake.to_frame(None, name)
    return pd.concat(frames, ignore_index=True)


def _result(run_id: str, check: str, severity: str, offenders: list[dict]) -> quality.CheckResult:
    """A check of whole meetings: one offender (a dict naming the meeting) per meeting."""
    return quality.CheckResult(
        DATASET, run_id, check, severity, not offenders, len(offenders), json.dumps(offenders)
    )
