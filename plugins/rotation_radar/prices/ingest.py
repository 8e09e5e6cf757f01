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
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from rotation_radar.core import lake, sessions, storage
from rotation_radar.core.settings import DEFAULT_JUMP_FACTOR
from rotation_radar.core.transport import HttpSource, SourceError, SourceUnavailable, UnknownSymbol
from rotation_radar.prices import adjust
from rotation_radar.sources import Fetched, stooq, yahoo

log = logging.getLogger(__name__)
DATASET = "prices_daily"
# Threads reading and rewriting the lake's symbol files (Parquet I/O releases the GIL).
LOAD_THREADS = 4
HISTORY_SESSIONS = 10  # stored sessions before a symbol's new rows that its checks see
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
    # New splits and dividends (date, kind, value) that `load` applies to the stored
    # history, which the answer's restated window bars were found to agree with.
    restate: list[dict] = field(default_factory=list)


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
    start = sessions.sessions_back(
        sessions.session_on_or_before(min(last_stored, session)), lookback
    )
    if start <= history_start:
        return history_start, True
    return start, False


def last_stored(symbol: str) -> dt.date | None:
    return lake.last_date(DATASET, symbol)


# ---------------------------------------------------------------- fetch stage


def land(fetched: Fetched, session: dt.date, start: dt.date) -> str:
    ext = ".json" if fetched.source == yahoo.SOURCE else ".csv"
    return fetched.land(
        f"{session.isoformat()}/{fetched.symbol}", f"{start:%Y%m%d}-{session:%Y%m%d}", ext
    )


def fetch_symbol(
    symbol: str,
    session: dt.date,
    history_start: dt.date,
    lookback: int,
    yahoo_http: HttpSource,
    stooq_http: HttpSource | None,
) -> Entry:
    """Fetch one symbol's window. A split or dividend new to the lake restates the stored
    history: locally at load when the restatement agrees with the answer's own restated
    bars of the window, else by refetching the full history (a second request)."""
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
    if not full and chart.event_rows:
        new = new_events(chart.events)
        if not new.empty:
            stored = lake.read_symbol(DATASET, symbol)
            restated = adjust.restate(stored, new, chart.bars)
            check = adjust.compare(restated, chart.bars, new)
            what = ", ".join(f"new {e.kind} on {e.date} ({e.value:g})" for e in new.itertuples())
            if check.agrees:
                restate = [
                    {"date": e.date.isoformat(), "kind": e.kind, "value": float(e.value)}
                    for e in new.itertuples()
                ]
                note = f"history to be restated locally at load for {what}: {check.describe()}"
                log.info("%s: %s", symbol, note)
                return Entry(
                    symbol, "ok", yahoo.SOURCE, start.isoformat(), full, key, note, restate
                )
            note = f"{what}: {check.describe()}; refetched full history"
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
    return Entry(
        symbol, "ok", stooq.SOURCE, start.isoformat(), full, key, f"{why}; served by Stooq"
    )


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

    day = session.isoformat()
    lake.sweep(
        [
            f"raw/{yahoo.SOURCE}/{day}",
            f"raw/{stooq.SOURCE}/{day}",
            f"raw/manifests/{DATASET}/{day}",
        ],
        dt.datetime.now(dt.UTC),
    )

    def one(symbol: str) -> Entry:
        try:
            return fetch_symbol(symbol, session, history_start, lookback, yahoo_http, stooq_http)
        except SourceUnavailable as exc:
            return Entry(symbol, "failed", note=str(exc))

    # every answer on disk before the manifest that commits them (one sync, not one each)
    with storage.synced_once(), ThreadPoolExecutor(max_workers=workers) as pool:
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


def final_bars(
    bars: pd.DataFrame, as_of: dt.datetime | pd.Series | None, session: dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split bars into final ones and rejects (with a reason).

    Rejected: bars after the run's session (never ingest later than it), bars of
    a session not closed when the source answered (partial), and all but the
    last of duplicated dates. `as_of` is when the source answered: one time, or a
    Series aligned with `bars` (bars of several responses; None where unknown).
    """
    kept = (bars["date"] <= session).to_numpy()
    if isinstance(as_of, pd.Series):
        answered = as_of[kept].reset_index(drop=True)
    else:
        answered = pd.Series([as_of] * int(kept.sum()), dtype=object)
    answered = pd.to_datetime(answered, utc=True)
    bars = bars[kept].reset_index(drop=True)
    reasons = pd.Series("", index=bars.index, dtype=object)
    closes = {d: sessions.open_close(d)[1] for d in set(bars["date"]) if sessions.is_session(d)}
    partial = (pd.to_datetime(bars["date"].map(closes), utc=True) > answered).to_numpy()
    if partial.any():
        when = answered[partial].dt.strftime("%Y-%m-%dT%H:%MZ")
        reasons[partial] = "partial bar: session not closed when the source answered (" + when + ")"
    duplicated = bars.duplicated(["symbol", "date"], keep="last")
    reasons[duplicated & (reasons == "")] = "duplicate date in the response; the last bar was kept"
    rejected = bars[reasons != ""].assign(reason=reasons[reasons != ""])
    return bars[reasons == ""].reset_index(drop=True), rejected.reset_index(drop=True)


def parse_landed(
    entries: list[Entry], ingested_at: dt.datetime, run_id: str
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    """The landed responses of `entries` parsed into one frame of bars (built once, from
    every response's values) with lineage, the response's raw_key and when the source
    answered (answered_at); and the corporate actions of each response that has any."""
    columns: dict[str, list] = {name: [] for name in yahoo.BAR_COLUMNS}
    landed: dict[str, list] = {"adjustment": [], "source": [], "raw_key": [], "answered_at": []}
    events = []
    for entry in entries:
        meta = json.loads(storage.read_bytes(entry.raw_key + ".meta.json"))
        body = storage.read_bytes(entry.raw_key)
        fetched = Fetched(
            entry.source, entry.symbol, meta["url"], meta["status"], meta["headers"], body
        )
        chart = PARSERS[entry.source](fetched)
        for name in yahoo.BAR_COLUMNS:
            columns[name] += chart.columns[name]
        bars = len(chart.columns["date"])
        for name, value in zip(
            landed, (chart.adjustment, entry.source, entry.raw_key, chart.as_of), strict=True
        ):
            landed[name] += [value] * bars
        if chart.event_rows:
            events.append(
                chart.events.assign(source=entry.source, ingested_at=ingested_at, run_id=run_id)
            )
    frame = yahoo.bars_frame(columns).assign(
        adjustment=landed["adjustment"],
        source=landed["source"],
        ingested_at=ingested_at,
        run_id=run_id,
        raw_key=landed["raw_key"],
        answered_at=pd.Series(landed["answered_at"], dtype=object),
    )
    return frame, events


def merge_events(existing: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame | None:
    """Stored corporate actions plus new ones (an action is kept as first seen); None
    when nothing changed."""
    if incoming.empty:
        return None
    incoming = incoming.drop_duplicates(list(lake.dataset("corporate_actions").key), keep="first")
    merged, _ = lake.merge("corporate_actions", existing, incoming)
    return None if len(merged) == len(existing) else merged


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


def load(
    manifest_key: str,
    session: dt.date,
    run_id: str,
    ingested_at: dt.datetime,
    jump_factor: float = DEFAULT_JUMP_FACTOR,
) -> LoadSummary:
    """Validate the landed responses of a run and merge the good rows into the lake
    (a close more than `jump_factor` times the previous one waits for confirmation)."""
    from rotation_radar.core import quality
    from rotation_radar.prices import checks

    quarantine = lake.prefix(f"quarantine_{DATASET}", session=session)
    written = [DATASET, f"{DATASET}_versions", "corporate_actions"]
    lake.sweep(
        [*map(lake.prefix, written), quarantine, lake.prefix("data_quality", dataset=DATASET)],
        ingested_at,
    )
    entries = read_manifest(manifest_key)
    ok = [e for e in entries if e.status == "ok"]
    bars, events = parse_landed(ok, ingested_at, run_id)
    good, rejected = final_bars(bars, bars["answered_at"], session)
    batch = _concat([good], lake.SCHEMAS[DATASET].names)
    recent = read_recent(batch)
    # Stored histories restated locally for new splits and dividends (no second request):
    # the checks see their context on the answer's basis.
    local = restate_locally([e for e in ok if e.restate], batch, ingested_at, run_id)
    history = _history(batch, local.context(recent))
    span = (
        pd.concat([history["date"], batch["date"]])
        if len(history) or len(batch)
        else pd.Series([session])
    )
    valid = sessions.sessions_between(min(min(span), session), session)
    # A response's events cover its window, so a split that explains a jump is among them.
    splits = [
        (e.symbol, e.date) for frame in events for e in frame.itertuples() if e.kind == "split"
    ]
    checked = checks.validate_prices(
        batch,
        run_id=run_id,
        sessions=valid,
        expect_rows=bool(ok),
        history=history,
        jump_factor=jump_factor,
        splits=splits,
    )

    raw_of = {e.symbol: e.raw_key for e in ok}
    quarantined = checked.quarantined.assign(raw_key=checked.quarantined["symbol"].map(raw_of))
    if not rejected.empty:
        quarantined = pd.concat([rejected, quarantined], ignore_index=True)
    results = checked.results + source_results(
        entries, batch, session, run_id, [rejected], local.records
    )
    if not quarantined.empty:
        lake.write_quarantine(session, run_id, quarantined)
    quality.write_results(results, DATASET, session, run_id)
    if checked.blocked:
        failed = ", ".join(r.check for r in checked.failures() if r.severity == "batch")
        raise BatchBlocked(
            f"prices for {session}: batch blocked by {failed}; {len(batch)} rows quarantined under "
            f"{quarantine}/, raw responses kept under raw/"
        )

    good, recent = local.merged(checked.good, recent)
    events = [f for f in events if f["symbol"].iloc[0] not in local.withheld]
    rows_new, rows_replaced = merge_into_lake(good, recent, ingested_at, run_id)
    folded = lake.compact(DATASET, threads=LOAD_THREADS)
    if folded:
        log.info("folded the increments of %s into %d symbols' files", DATASET, folded)
    for frame in events:
        symbol = frame["symbol"].iloc[0]
        merged_events = merge_events(lake.read_symbol("corporate_actions", symbol), frame)
        if merged_events is not None:
            lake.write_symbol("corporate_actions", symbol, merged_events)

    return LoadSummary(
        session=session.isoformat(),
        symbols_loaded=good["symbol"].nunique(),
        rows_received=len(batch) + len(rejected),
        rows_new=rows_new,
        rows_replaced=rows_replaced,
        rows_quarantined=len(quarantined),
        symbols_unknown=[e.symbol for e in entries if e.status == "unknown"],
        symbols_failed=[e.symbol for e in entries if e.status == "failed"],
    )


def read_recent(batch: pd.DataFrame, sessions_before: int = HISTORY_SESSIONS) -> pd.DataFrame:
    """Each batch symbol's stored rows from `sessions_before` sessions before its first
    incoming date on: the context of the batch's checks and the rows it may replace."""

    increments = lake.read_increments(DATASET)
    firsts = batch.groupby("symbol")["date"].min()
    # one calendar lookup per first date (a night's symbols share a few), not per symbol
    starts = {
        first: sessions.sessions_back(sessions.session_on_or_after(first), sessions_before)
        for first in set(firsts)
    }

    def stored(item: tuple[str, dt.date]) -> pa.Table:
        symbol, first = item
        return lake.read_symbol_table(DATASET, symbol, since=starts[first], increments=increments)

    with ThreadPoolExecutor(LOAD_THREADS) as pool:
        tables = list(pool.map(stored, firsts.items()))
    return lake.to_frame(pa.concat_tables(tables) if tables else None, DATASET)


def merge_into_lake(
    good: pd.DataFrame, recent: pd.DataFrame, ingested_at: dt.datetime, run_id: str
) -> tuple[int, int]:
    """Merge validated rows into the lake: one `lake.merge` of the whole batch over the
    stored rows it overlaps (`recent` from each symbol's first incoming date), replaced
    rows archived to prices_daily_versions. A symbol that only gains rows after its last
    stored date gets them in this run's increment file (one file for the night); a new
    symbol, or one whose stored rows changed (restated, or a bar inserted before its
    last date), has its file rewritten whole. Returns (rows added, rows replaced)."""
    firsts = good.groupby("symbol")["date"].min()
    overlapped = recent[recent["date"] >= recent["symbol"].map(firsts)]
    merged, replaced = lake.merge(DATASET, overlapped, good)
    lake.archive(DATASET, replaced, run_id, ingested_at)
    stored_keys = pd.MultiIndex.from_frame(overlapped[["symbol", "date"]])
    added = merged[~pd.MultiIndex.from_frame(merged[["symbol", "date"]]).isin(stored_keys)]
    last_stored = recent.groupby("symbol")["date"].max()
    first_added = added.groupby("symbol")["date"].min()
    appended = first_added.index[
        first_added > last_stored.reindex(first_added.index).fillna(dt.date.min)
    ]
    appended = appended[appended.isin(last_stored.index) & ~appended.isin(replaced["symbol"])]
    rewritten = set(first_added.index.difference(appended)) | set(replaced["symbol"])
    lake.append_increment(
        DATASET, lake.to_table(added[added["symbol"].isin(appended)], DATASET), run_id
    )
    if rewritten:
        histories = _histories(merged[merged["symbol"].isin(rewritten)], firsts)
        lake.rewrite_symbols(DATASET, histories, run=lake.run_key(run_id), threads=LOAD_THREADS)
    return len(merged) - len(overlapped), len(replaced)


def _histories(merged: pd.DataFrame, firsts: pd.Series) -> dict[str, pa.Table]:
    """Each symbol's whole history: its stored rows before its first incoming date
    followed by its merged rows (read in threads)."""
    table = lake.to_table(merged, DATASET)  # in the dataset's order: by symbol, date
    increments = lake.read_increments(DATASET, set(firsts.index))
    symbols = merged["symbol"].to_numpy()
    starts = (
        [0, *(np.flatnonzero(symbols[1:] != symbols[:-1]) + 1).tolist()] if len(symbols) else []
    )

    def history(start: int, end: int) -> tuple[str, pa.Table]:
        symbol = symbols[start]
        stored = lake.read_symbol_table(DATASET, symbol, increments=increments)
        earlier = stored.filter(pc.less(stored["date"], pa.scalar(firsts[symbol], pa.date32())))
        return symbol, pa.concat_tables([earlier, table.slice(start, end - start)])

    with ThreadPoolExecutor(LOAD_THREADS) as pool:
        return dict(pool.map(history, starts, [*starts[1:], len(symbols)]))


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f for f in frames if not f.empty]
    if not frames:
        return lake.to_frame(None, DATASET)
    return pd.concat(frames, ignore_index=True)[columns]


def _history(batch: pd.DataFrame, recent: pd.DataFrame) -> pd.DataFrame:
    """Stored rows just before each symbol's new rows: context for jump and gap checks."""
    incoming = pd.MultiIndex.from_frame(batch[["symbol", "date"]])
    return recent[~pd.MultiIndex.from_frame(recent[["symbol", "date"]]).isin(incoming)].reset_index(
        drop=True
    )


def source_results(entries, batch, session, run_id, rejected, restated=()):
    """Data-quality records of the fetch stage: unknown symbols, failures, rejects, stale
    bars, histories refetched and histories restated locally (`restated`: their records)."""
    from rotation_radar.core.quality import CheckResult

    def result(check, offenders, detail):
        return CheckResult(
            DATASET, run_id, check, "source", not offenders, len(offenders), json.dumps(detail)
        )

    unknown = [e for e in entries if e.status == "unknown"]
    failed = [e for e in entries if e.status == "failed"]
    refetched = [e for e in entries if e.note.startswith("new ")]
    loaded = {e.symbol for e in entries if e.status == "ok"}
    have_session = set(batch.loc[batch["date"] == session, "symbol"])
    stale = sorted(loaded - have_session)
    rejects = pd.concat(
        [r for r in rejected if not r.empty] or [pd.DataFrame(columns=["symbol", "date", "reason"])]
    )
    return [
        result(
            "unknown_symbols", unknown, [{"symbol": e.symbol, "error": e.note} for e in unknown]
        ),
        result("fetch_failures", failed, [{"symbol": e.symbol, "error": e.note} for e in failed]),
        result(
            "bar_for_session", stale, {"session": str(session), "symbols_without_bar": stale[:50]}
        ),
        result(
            "final_bars",
            list(rejects.index),
            [
                {"symbol": r.symbol, "date": str(r.date), "reason": r.reason}
                for r in rejects.head(20).itertuples()
            ],
        ),
        CheckResult(
            DATASET,
            run_id,
            "history_refetched",
            "source",
            True,
            len(refetched),
            json.dumps([{"symbol": e.symbol, "why": e.note} for e in refetched]),
        ),
        CheckResult(
            DATASET,
            run_id,
            "history_restated_locally",
            "source",
            all(r["outcome"] != WITHHELD for r in restated),
            len(restated),
            json.dumps(list(restated)),
        ),
    ]


# ---------------------------------------------------------------- local restatement

WITHHELD = "withheld"


@dataclass
class LocalRestatement:
    """The stored histories a load restates for new splits and dividends: each symbol's
    stored rows, the same rows restated (this run's lineage), the symbols withheld from
    the merge and a data-quality record per symbol."""

    stored: pd.DataFrame
    restated: pd.DataFrame
    withheld: set[str]
    records: list[dict]

    def context(self, recent: pd.DataFrame) -> pd.DataFrame:
        """`recent` with the restated symbols' rows on the answer's basis (the checks'
        context: a split is no jump)."""
        if self.restated.empty:
            return recent
        keys = pd.MultiIndex.from_frame(recent[["symbol", "date"]])
        restated = self.restated[
            pd.MultiIndex.from_frame(self.restated[["symbol", "date"]]).isin(keys)
        ]
        mine = recent["symbol"].isin(set(self.restated["symbol"]))
        return pd.concat([recent[~mine], restated[recent.columns]], ignore_index=True)

    def merged(self, good: pd.DataFrame, recent: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """What to merge: the good rows plus each restated stored row the answer does not
        replace, over `recent` extended to those symbols' whole stored history (so that the
        merge archives every row the restatement replaces); withheld symbols left out."""
        good = good[~good["symbol"].isin(self.withheld)]
        if self.restated.empty:
            return good, recent
        answered = pd.MultiIndex.from_frame(good[["symbol", "date"]])
        earlier = self.restated[
            ~pd.MultiIndex.from_frame(self.restated[["symbol", "date"]]).isin(answered)
        ]
        symbols = set(self.stored["symbol"])
        return (
            pd.concat([good, earlier[good.columns]], ignore_index=True),
            pd.concat(
                [recent[~recent["symbol"].isin(symbols)], self.stored[recent.columns]],
                ignore_index=True,
            ),
        )


def restate_locally(
    entries: list[Entry], batch: pd.DataFrame, ingested_at: dt.datetime, run_id: str
) -> LocalRestatement:
    """Restate the stored history of each entry for its new events (`Entry.restate`),
    checked again against the landed answer: a stored history that already agrees with
    it (a retried load after the merge) is left alone; one whose restatement no longer
    agrees with it (the lake changed since the fetch) is withheld, its bars and events
    not merged, so that the next run sees the events as new again."""
    stored, restated, withheld, records = [], [], set(), []
    for entry in entries:
        history = lake.read_symbol(DATASET, entry.symbol)
        answer = batch[batch["symbol"] == entry.symbol]
        events = adjust.events_frame(entry.restate)
        after = adjust.restate(history, events, answer)
        check = adjust.compare(after, answer, events)
        as_stored = adjust.compare(history, answer, events)
        if as_stored.agrees and as_stored.rows:
            outcome, check = "already restated (a retried load): left as stored", as_stored
        elif check.agrees:
            outcome = "restated"
            stored.append(history)
            restated.append(after.assign(ingested_at=ingested_at, run_id=run_id))
        else:
            outcome = WITHHELD
            withheld.add(entry.symbol)
            log.warning(
                "%s: %s; its bars and events are not loaded, the next run sees them as new",
                entry.symbol,
                check.describe(),
            )
        factors = adjust.factors(history, events, answer)
        records.append(
            {
                "symbol": entry.symbol,
                "outcome": outcome,
                "events": [
                    {
                        "date": str(f.date),
                        "kind": f.kind,
                        "value": f.value,
                        "factor": None if pd.isna(f.factor) else round(float(f.factor), 10),
                    }
                    for f in factors.itertuples()
                ],
                "rows_restated": check.changed,
                "rows_checked": check.rows,
                "check": check.describe(),
            }
        )
    columns = lake.SCHEMAS[DATASET].names
    return LocalRestatement(_concat(stored, columns), _concat(restated, columns), withheld, records)
