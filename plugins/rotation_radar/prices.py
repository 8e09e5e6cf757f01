"""Daily prices: from source responses, through validation, into the lake.

Two stages, one Airflow task each:
- `fetch_all` asks the sources for each symbol's window and lands the exact
  bytes under raw/, with a manifest of what was fetched;
- `load` parses the landed bytes, quarantines what cannot be a final bar,
  validates the batch with Great Expectations and merges the good rows into
  the lake, archiving every row it replaces.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import pandas as pd

from rotation_radar import lake, sessions, storage
from rotation_radar.sources import Fetched, stooq, yahoo
from rotation_radar.transport import HttpSource, SourceError, SourceUnavailable, UnknownSymbol

log = logging.getLogger(__name__)
DATASET = "prices_daily"
COMPARED = [*lake.PRICE_VALUES, "currency", "adjustment"]
PARSERS = {
    yahoo.SOURCE: lambda fetched: yahoo.parse(fetched.body, fetched.symbol),
    stooq.SOURCE: lambda fetched: stooq.parse(fetched.body, fetched.symbol, fetched.served_at),
}


class BatchBlocked(RuntimeError):
    """A batch check failed: nothing of the batch reached the lake."""


@dataclass
class Entry:
    """What one symbol's fetch produced, as recorded in the run's manifest."""

    symbol: str
    status: str  # ok | unknown | failed
    source: str = yahoo.SOURCE
    start: str | None = None
    full: bool = False
    raw_key: str | None = None
    note: str = ""


# ---------------------------------------------------------------- planning


def fetch_start(
    last_stored: dt.date | None, session: dt.date, history_start: dt.date, lookback: int
) -> tuple[dt.date, bool]:
    """First date to ask for, and whether that is the symbol's full history.

    A new symbol starts at history_start; a known one `lookback` sessions before
    the last stored session (or the run's session, for a run of an older date),
    so that late revisions are caught without refetching everything.
    """
    if last_stored is None:
        return history_start, True
    start = sessions.sessions_back(sessions.session_on_or_before(min(last_stored, session)), lookback)
    if start <= history_start:
        return history_start, True
    return start, False


def last_stored(symbol: str) -> dt.date | None:
    dates = lake.read_symbol(DATASET, symbol)["date"]
    return max(dates) if len(dates) else None


# ---------------------------------------------------------------- fetch stage


def land(fetched: Fetched, session: dt.date, start: dt.date) -> str:
    ext = ".json" if fetched.source == yahoo.SOURCE else ".csv"
    return fetched.land(f"{session.isoformat()}/{fetched.symbol}", f"{start:%Y%m%d}-{session:%Y%m%d}", ext)


def fetch_symbol(
    symbol: str,
    session: dt.date,
    history_start: dt.date,
    lookback: int,
    yahoo_http: HttpSource,
    stooq_http: HttpSource | None,
) -> Entry:
    """Fetch one symbol's window (and its full history when a new split or dividend shows)."""
    start, full = fetch_start(last_stored(symbol), session, history_start, lookback)
    fetched = yahoo.fetch(yahoo_http, symbol, start, session)
    key = land(fetched, session, start)
    try:
        yahoo.check_status(fetched, yahoo_http)
        chart = yahoo.parse(fetched.body, symbol)
    except UnknownSymbol as exc:
        if stooq_http is None:
            return Entry(symbol, "unknown", raw_key=key, note=str(exc))
        return fetch_stooq(symbol, session, start, full, stooq_http, str(exc))
    except SourceError as exc:
        return Entry(symbol, "failed", start=start.isoformat(), raw_key=key, note=str(exc))

    note = ""
    if not full:
        new = new_events(chart.events)
        if not new.empty:
            first = new.iloc[0]
            note = f"new {first.kind} on {first.date} ({first.value:g}): refetched full history"
            log.info("%s: %s", symbol, note)
            start, full = history_start, True
            fetched = yahoo.fetch(yahoo_http, symbol, start, session)
            key = land(fetched, session, start)
            try:
                yahoo.check_status(fetched, yahoo_http)
            except SourceError as exc:
                return Entry(symbol, "failed", start=start.isoformat(), raw_key=key, note=str(exc))
    return Entry(symbol, "ok", yahoo.SOURCE, start.isoformat(), full, key, note)


def fetch_stooq(
    symbol: str, session: dt.date, start: dt.date, full: bool, http: HttpSource, why: str
) -> Entry:
    """Stooq serves only what Yahoo cannot; an unreachable Stooq is recorded, not fatal."""
    try:
        fetched = stooq.fetch(http, symbol, start, session)
    except SourceUnavailable as exc:
        return Entry(symbol, "unknown", stooq.SOURCE, note=f"{why}; {exc}")
    key = land(fetched, session, start)
    try:
        stooq.check_status(fetched, http)
    except SourceError as exc:
        return Entry(symbol, "unknown", stooq.SOURCE, raw_key=key, note=f"{why}; {exc}")
    return Entry(symbol, "ok", stooq.SOURCE, start.isoformat(), full, key, f"{why}; served by Stooq")


def new_events(events: pd.DataFrame) -> pd.DataFrame:
    """Corporate actions in a response that the lake does not hold yet."""
    if events.empty:
        return events
    known = lake.read_symbol("corporate_actions", events["symbol"].iloc[0])
    seen = set(zip(known["date"], known["kind"], strict=True))
    mask = [(d, k) not in seen for d, k in zip(events["date"], events["kind"], strict=True)]
    return events[mask]


def fetch_all(
    symbols: list[str],
    session: dt.date,
    history_start: dt.date,
    lookback: int,
    yahoo_http: HttpSource,
    stooq_http: HttpSource | None,
    run_id: str,
    workers: int = 4,
) -> str:
    """Fetch every symbol (threads share the source's rate limit); returns the manifest key.

    A symbol the source does not know is recorded and the run goes on; a source
    that fails for every symbol fails the run.
    """

    def one(symbol: str) -> Entry:
        try:
            return fetch_symbol(symbol, session, history_start, lookback, yahoo_http, stooq_http)
        except SourceUnavailable as exc:
            return Entry(symbol, "failed", note=str(exc))

    with ThreadPoolExecutor(max_workers=workers) as pool:
        entries = list(pool.map(one, symbols))
    key = f"raw/manifests/{DATASET}/{session.isoformat()}/{lake.run_key(run_id)}.json"
    storage.write_bytes(key, json.dumps([asdict(e) for e in entries], indent=1).encode())
    if not any(e.status == "ok" for e in entries):
        problems = "; ".join(f"{e.symbol}: {e.note}" for e in entries[:5])
        raise SourceUnavailable(
            f"prices for {session}: every symbol failed ({len(entries)}), e.g. {problems}; "
            f"the next run resumes from each symbol's last stored session"
        )
    return key


def read_manifest(key: str) -> list[Entry]:
    return [Entry(**item) for item in json.loads(storage.read_bytes(key))]


# ---------------------------------------------------------------- load stage


def final_bars(bars: pd.DataFrame, as_of: dt.datetime | None, session: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split bars into final ones and rejects (with a reason).

    Rejected: bars after the run's session (never ingest later than it), bars of
    a session not closed when the source answered (partial), and all but the
    last of duplicated dates.
    """
    bars = bars[bars["date"] <= session].reset_index(drop=True)
    reasons = pd.Series("", index=bars.index)
    if as_of is not None:
        closes = {d: sessions.open_close(d)[1] for d in set(bars["date"]) if sessions.is_session(d)}
        partial = [d in closes and closes[d] > as_of for d in bars["date"]]
        reasons[partial] = f"partial bar: session not closed when the source answered ({as_of:%Y-%m-%dT%H:%MZ})"
    duplicated = bars.duplicated(["symbol", "date"], keep="last")
    reasons[duplicated & (reasons == "")] = "duplicate date in the response; the last bar was kept"
    rejected = bars[reasons != ""].assign(reason=reasons[reasons != ""])
    return bars[reasons == ""].reset_index(drop=True), rejected.reset_index(drop=True)


def with_lineage(frame: pd.DataFrame, source: str, adjustment: str, ingested_at, run_id: str) -> pd.DataFrame:
    return frame.assign(adjustment=adjustment, source=source, ingested_at=ingested_at, run_id=run_id)


def merge(existing: pd.DataFrame, incoming: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Merge incoming rows over a symbol's stored rows.

    Returns the new contents and the stored rows that were replaced by
    different values. Unchanged rows keep their original lineage, so a rerun
    leaves the lake as it was.
    """
    if existing.empty:
        return incoming.reset_index(drop=True), existing.iloc[0:0]
    old = existing.set_index("date")
    new = incoming.set_index("date")
    common = old.index.intersection(new.index)
    a, b = old.loc[common, COMPARED], new.loc[common, COMPARED]
    same = ((a == b) | (a.isna() & b.isna())).all(axis=1)
    changed = same.index[~same]
    added = new.index.difference(old.index)
    merged = pd.concat([old.drop(index=changed), new.loc[changed], new.loc[added]]).sort_index()
    columns = list(existing.columns)
    return merged.reset_index()[columns], old.loc[changed].reset_index()[columns]


def merge_events(existing: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame | None:
    """Stored corporate actions plus new ones; None when nothing changed."""
    if incoming.empty:
        return None
    keys = ["date", "kind"]
    merged = pd.concat([existing, incoming]).drop_duplicates(keys, keep="first")
    if len(merged) == len(existing):
        return None
    return merged.sort_values(keys, ignore_index=True)


@dataclass
class LoadSummary:
    session: str
    symbols_loaded: int
    rows_received: int
    rows_new: int
    rows_replaced: int
    rows_quarantined: int
    symbols_unknown: list[str]
    symbols_failed: list[str]


def load(manifest_key: str, session: dt.date, run_id: str, ingested_at: dt.datetime) -> LoadSummary:
    """Validate the landed responses of a run and merge the good rows into the lake."""
    from rotation_radar import quality

    entries = read_manifest(manifest_key)
    ok = [e for e in entries if e.status == "ok"]
    batches, rejected, events = [], [], []
    for entry in ok:
        fetched_body = storage.read_bytes(entry.raw_key)
        meta = json.loads(storage.read_bytes(entry.raw_key + ".meta.json"))
        fetched = Fetched(entry.source, entry.symbol, meta["url"], meta["status"], meta["headers"], fetched_body)
        chart = PARSERS[entry.source](fetched)
        good, bad = final_bars(chart.bars, chart.as_of, session)
        stamp = {"source": entry.source, "adjustment": chart.adjustment, "ingested_at": ingested_at, "run_id": run_id}
        batches.append(with_lineage(good, **stamp))
        rejected.append(with_lineage(bad, **stamp).assign(raw_key=entry.raw_key))
        events.append(chart.events.assign(source=entry.source, ingested_at=ingested_at, run_id=run_id))

    batch = _concat(batches, lake.SCHEMAS[DATASET].names)
    history = _history(batch)
    span = pd.concat([history["date"], batch["date"]]) if len(history) or len(batch) else pd.Series([session])
    valid = sessions.sessions_between(min(min(span), session), session)
    checked = quality.validate_prices(batch, run_id=run_id, sessions=valid, expect_rows=bool(ok), history=history)

    raw_of = {e.symbol: e.raw_key for e in ok}
    quarantined = pd.concat(
        [r for r in rejected if not r.empty]
        + [checked.quarantined.assign(raw_key=checked.quarantined["symbol"].map(raw_of))],
        ignore_index=True,
    )
    results = checked.results + source_results(entries, batch, session, run_id, rejected)
    if checked.blocked:
        failed = ", ".join(r.check for r in checked.failures() if r.severity == "batch")
        quarantined = pd.concat(
            [quarantined, batch.assign(reason=f"batch blocked: {failed}", raw_key=batch["symbol"].map(raw_of))],
            ignore_index=True,
        )
    if not quarantined.empty:
        lake.write_quarantine(session, run_id, quarantined)
    quality.write_results(results, DATASET, session, run_id)
    if checked.blocked:
        raise BatchBlocked(
            f"prices for {session}: batch blocked by {failed}; {len(batch)} rows quarantined under "
            f"quarantine/prices_daily/{session}/, raw responses kept under raw/"
        )

    new_rows = replaced_rows = 0
    good = checked.good
    for symbol, rows in good.groupby("symbol", sort=True):
        existing = lake.read_symbol(DATASET, symbol)
        merged, replaced = merge(existing, rows)
        if len(replaced):
            versions = replaced.assign(replaced_at=ingested_at, replaced_by_run_id=run_id)
            lake.write_run_file("prices_daily_versions", f"symbol={symbol}", run_id, versions)
        new_rows += len(merged) - len(existing)
        replaced_rows += len(replaced)
        if len(merged) != len(existing) or len(replaced):
            lake.write_symbol(DATASET, symbol, merged)
    for frame in events:
        if frame.empty:
            continue
        symbol = frame["symbol"].iloc[0]
        merged_events = merge_events(lake.read_symbol("corporate_actions", symbol), frame)
        if merged_events is not None:
            lake.write_symbol("corporate_actions", symbol, merged_events)

    return LoadSummary(
        session=session.isoformat(),
        symbols_loaded=good["symbol"].nunique(),
        rows_received=len(batch) + sum(len(r) for r in rejected),
        rows_new=new_rows,
        rows_replaced=replaced_rows,
        rows_quarantined=len(quarantined),
        symbols_unknown=[e.symbol for e in entries if e.status == "unknown"],
        symbols_failed=[e.symbol for e in entries if e.status == "failed"],
    )


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return lake.to_frame(None, DATASET)
    return pd.concat(frames, ignore_index=True)[columns]


def _history(batch: pd.DataFrame, sessions_before: int = 10) -> pd.DataFrame:
    """Stored rows just before each symbol's new rows: context for jump and gap checks."""
    frames = []
    for symbol, rows in batch.groupby("symbol"):
        stored = lake.read_symbol(DATASET, symbol)
        if stored.empty:
            continue
        start = sessions.sessions_back(sessions.session_on_or_after(min(rows["date"])), sessions_before)
        frames.append(stored[(stored["date"] >= start) & (~stored["date"].isin(set(rows["date"])))])
    return _concat(frames, lake.SCHEMAS[DATASET].names)


def source_results(entries, batch, session, run_id, rejected):
    """Data-quality records of the fetch stage: unknown symbols, failures, rejects, stale bars."""
    from rotation_radar.quality import CheckResult

    def result(check, offenders, detail):
        return CheckResult(DATASET, run_id, check, "source", not offenders, len(offenders), json.dumps(detail))

    unknown = [e for e in entries if e.status == "unknown"]
    failed = [e for e in entries if e.status == "failed"]
    refetched = [e for e in entries if e.note.startswith("new ")]
    loaded = {e.symbol for e in entries if e.status == "ok"}
    have_session = set(batch.loc[batch["date"] == session, "symbol"])
    stale = sorted(loaded - have_session)
    rejects = pd.concat([r for r in rejected if not r.empty] or [pd.DataFrame(columns=["symbol", "date", "reason"])])
    return [
        result("unknown_symbols", unknown, [{"symbol": e.symbol, "error": e.note} for e in unknown]),
        result("fetch_failures", failed, [{"symbol": e.symbol, "error": e.note} for e in failed]),
        result("bar_for_session", stale, {"session": str(session), "symbols_without_bar": stale[:50]}),
        result(
            "final_bars",
            list(rejects.index),
            [{"symbol": r.symbol, "date": str(r.date), "reason": r.reason} for r in rejects.head(20).itertuples()],
        ),
        CheckResult(
            DATASET, run_id, "history_refetched", "source", True, len(refetched),
            json.dumps([{"symbol": e.symbol, "why": e.note} for e in refetched]),
        ),
    ]
