"""Company earnings into the lake: SEC EDGAR companyfacts as `earnings_facts`.

Two stages, one Airflow task each:

- `plan` maps every basket member (each stored holdings file's members and the
  universe's own baskets) to its CIK through SEC's `company_tickers.json` (share
  classes such as GOOG and GOOGL share a CIK and are fetched once), reads EDGAR's
  daily form indexes not read yet, and picks the companies to fetch: those never
  fetched (the bootstrap) and those with a 10-Q or 10-K listed in the recent indexes
  whose accession the lake does not hold yet (so a filing that SEC's XBRL API has not
  caught up with is looked for again the next night).
- `fetch_and_load` fetches each company's companyfacts (landed byte-exact under raw/),
  keeps the facts filed on or before the run's day, validates them with Great
  Expectations, merges the good ones into `lake/earnings_facts/cik=<cik>/` (a changed
  value is archived to `earnings_facts_versions`; a restatement by a later filing is a
  new row anyway) and rewrites the company's point-in-time TTM history, `earnings_ttm`.
  Companies are processed in chunks, fetched concurrently under SEC's rate limit.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pandas as pd

from rotation_radar.core import lake, settings, symbols
from rotation_radar.core.transport import HttpSource, SourceError, UnknownSymbol
from rotation_radar.earnings import fundamentals
from rotation_radar.sources import sec

log = logging.getLogger(__name__)
DATASET = "earnings_facts"
# Filings that carry financial statements (and so new facts).
EARNINGS_FORMS = ("10-Q", "10-K", "10-Q/A", "10-K/A", "10-QT", "10-KT")
FIRST_INDEX_DAYS = 7  # index days read by the first run after a bootstrap
MAX_INDEX_DAYS = 400  # how far back a run looks for index days it has not read
PENDING_DAYS = 30  # a listed filing missing from companyfacts is looked for this long
CHUNK = 50  # companies per fetch-validate-store round (bounds memory)
KEY = list(lake.dataset(DATASET).key)


class EarningsFailed(RuntimeError):
    """Some companies could not be fetched or read; the rest were stored."""


# ---------------------------------------------------------------- lake files


def stored_ciks() -> set[int]:
    return {int(parts["cik"]) for parts in lake.stored(DATASET)}


def stored_index_days() -> set[dt.date]:
    return {dt.date.fromisoformat(parts["index_date"]) for parts in lake.stored("sec_daily_index")}


# ---------------------------------------------------------------- plan stage


def member_symbols(universe: settings.Universe, day: dt.date) -> list[str]:
    """Every symbol that was a basket member on or before `day`: the members of each
    stored holdings file (past members too, for survivorship-free history) and the
    universe's own baskets."""
    members = lake.read_all("universe_members")
    held = members.loc[pd.to_datetime(members["as_of"]).dt.date <= day, "symbol"]
    config = [s for basket in universe.baskets.values() for s in basket]
    return sorted(set(held) | set(config))


def companies(tickers: pd.DataFrame) -> pd.DataFrame:
    """SEC's ticker map with the Yahoo spelling of each ticker, in SEC's order (a
    company's first ticker is its main one)."""
    return tickers.assign(symbol=tickers["ticker"].map(symbols.to_yahoo))[
        ["cik", "ticker", "symbol", "title"]
    ]


def map_members(members: list[str], company_map: pd.DataFrame) -> tuple[dict[int, str], list[str]]:
    """({cik: the company's first ticker in Yahoo spelling}, members without a CIK).
    Share classes of one company map to one CIK."""
    by_ticker = dict(zip(company_map["ticker"], company_map["cik"], strict=True))
    first_symbol = company_map.drop_duplicates("cik").set_index("cik")["symbol"]
    mapped, unmapped = {}, []
    for symbol in members:
        cik = by_ticker.get(symbols.to_sec(symbol) or "")
        if cik is None:
            unmapped.append(symbol)
        else:
            mapped[int(cik)] = first_symbol[cik]
    return dict(sorted(mapped.items())), unmapped


def index_days(stored: set[dt.date], day: dt.date) -> list[dt.date]:
    """Weekdays through `day` whose index has not been read: since the first index read
    (at most MAX_INDEX_DAYS back), or the last FIRST_INDEX_DAYS on a first run."""
    first = min(stored) if stored else day - dt.timedelta(days=FIRST_INDEX_DAYS - 1)
    first = max(first, day - dt.timedelta(days=MAX_INDEX_DAYS))
    days = (first + dt.timedelta(days=n) for n in range((day - first).days + 1))
    return [d for d in days if d.weekday() < 5 and d not in stored]


def accession_of(file_name: str) -> str:
    """`edgar/data/1652044/0001652044-25-000062.txt` -> `0001652044-25-000062`."""
    return file_name.rsplit("/", 1)[-1].removesuffix(".txt")


def read_index(
    http_www: HttpSource, index_day: dt.date, day: dt.date, run_id: str, ingested_at
) -> str:
    """Fetch, land and store one daily index; returns 'read', 'closed' (SEC answered 404
    for a past day: no filings that day) or 'not yet' (404 for the run's own day: the
    index is posted late in the evening, the next run reads it)."""
    fetched = sec.fetch_daily_index(http_www, index_day)
    fetched.land(f"{day.isoformat()}/daily-index", f"form.{index_day:%Y%m%d}", ".idx")
    if not sec.check_status(fetched, http_www):
        if index_day >= day:
            return "not yet"
        rows = pd.DataFrame(columns=sec.INDEX_COLUMNS)
    else:
        rows = sec.parse_daily_index(fetched.body, index_day)
    frame = rows.assign(
        index_date=index_day,
        accession=rows["file_name"].map(accession_of),
        source=sec.SOURCE,
        ingested_at=ingested_at,
        run_id=run_id,
    )
    lake.write("sec_daily_index", frame, index_date=index_day)
    return "read" if len(rows) else "closed"


def pending_filings(ciks, day: dt.date) -> dict[int, list[str]]:
    """Earnings filings of these companies listed in the indexes of the last PENDING_DAYS
    whose accession the lake does not hold: {cik: [accession, ...]}."""
    recent = [d for d in stored_index_days() if day - dt.timedelta(days=PENDING_DAYS) < d <= day]
    if not recent:
        return {}
    rows = pd.concat([lake.read("sec_daily_index", index_date=d) for d in recent])
    rows = rows[rows["cik"].isin(set(ciks)) & rows["form_type"].isin(EARNINGS_FORMS)]
    pending = {}
    for cik, filings in rows.groupby("cik"):
        have = set(lake.read(DATASET, cik=cik)["accession"])
        missing = sorted(set(filings["accession"]) - have)
        if missing:
            pending[int(cik)] = missing
    return pending


def plan(
    http_www: HttpSource,
    universe: settings.Universe,
    day: dt.date,
    run_id: str,
    ingested_at: dt.datetime,
) -> dict:
    """Map members to CIKs, read new daily indexes, choose the companies to fetch."""
    from rotation_radar.core import quality

    fetched = sec.fetch_tickers(http_www)
    raw_key = fetched.land(day.isoformat(), "company_tickers", ".json")
    sec.check_status(fetched, http_www)
    company_map = companies(sec.parse_tickers(fetched.body))
    lake.write(
        "sec_companies",
        company_map.assign(
            raw_key=raw_key, source=sec.SOURCE, ingested_at=ingested_at, run_id=run_id
        ),
    )
    members = member_symbols(universe, day)
    mapped, unmapped = map_members(members, company_map)

    outcomes, failures = {}, []
    for index_day in index_days(stored_index_days(), day):
        try:
            outcomes[index_day.isoformat()] = read_index(
                http_www, index_day, day, run_id, ingested_at
            )
        except SourceError as exc:  # recorded; the day stays unread and the next run retries it
            failures.append({"index_date": index_day.isoformat(), "error": str(exc)})

    have = stored_ciks()
    bootstrap = [c for c in mapped if c not in have]
    pending = pending_filings([c for c in mapped if c in have], day)
    quality.write_results(
        [
            quality.CheckResult(
                DATASET,
                run_id,
                "members_without_cik",
                "warning",
                not unmapped,
                len(unmapped),
                json.dumps(unmapped[: quality.SAMPLE_SIZE]),
            ),
            quality.CheckResult(
                DATASET,
                run_id,
                "daily_index_read",
                "source",
                not failures,
                len(failures),
                json.dumps({"days": outcomes, "failures": failures}),
            ),
        ],
        DATASET,
        day,
        run_id,
        stage="plan",
    )
    chosen = sorted(set(bootstrap) | set(pending))
    log.info(
        "earnings for %s: %d members, %d companies (%d new, %d with new filings), "
        "%d members without a CIK",
        day,
        len(members),
        len(mapped),
        len(bootstrap),
        len(pending),
        len(unmapped),
    )
    return {
        "day": day.isoformat(),
        "ciks": chosen,
        "symbols": {str(c): mapped[c] for c in chosen},
        "bootstrap": len(bootstrap),
        "new_filings": {str(c): a for c, a in pending.items()},
        "members": len(members),
        "members_without_cik": unmapped,
        "index_days": outcomes,
    }


# ---------------------------------------------------------------- load stage


@dataclass
class Company:
    """What one company's fetch produced."""

    cik: int
    symbol: str
    status: str  # ok | no_facts | failed
    raw_key: str | None = None
    facts: pd.DataFrame | None = field(default=None, repr=False)
    note: str = ""


def fetch_company(http: HttpSource, cik: int, symbol: str, day: dt.date) -> Company:
    """One company's companyfacts: landed, parsed, cut to the facts filed by `day`."""
    try:
        fetched = sec.fetch_companyfacts(http, cik)
        raw_key = fetched.land(f"{day.isoformat()}/companyfacts", sec.cik_key(cik), ".json")
        sec.check_status(fetched, http)
        doc = sec.parse_companyfacts(fetched.body, cik)
    except UnknownSymbol as exc:  # no XBRL financial data at all (e.g. a new registrant)
        return Company(cik, symbol, "no_facts", note=str(exc))
    except SourceError as exc:
        return Company(cik, symbol, "failed", note=str(exc))
    facts = fundamentals.raw_facts(doc)
    facts = facts[facts["filed"].isna() | (facts["filed"] <= pd.Timestamp(day))]
    note = "" if "us-gaap" in (doc.get("facts") or {}) else "no us-gaap facts (dei only)"
    return Company(
        cik, symbol, "ok", raw_key, facts.assign(cik=cik, symbol=symbol, raw_key=raw_key), note
    )


def _as_dates(frame: pd.DataFrame, columns) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column]).dt.date.astype(object)
    return frame


def store_company(cik: int, symbol: str, good: pd.DataFrame, run_id: str, ingested_at) -> dict:
    """Merge a company's validated facts into the lake (a changed value archived, facts
    absent from the answer kept: nothing is lost) and rewrite its TTM history."""
    stamp = {"source": sec.SOURCE, "ingested_at": ingested_at, "run_id": run_id}
    raw_key = good["raw_key"].iloc[0] if len(good) else None
    facts = fundamentals.consolidate(good).assign(symbol=symbol, raw_key=raw_key, **stamp)
    facts = _as_dates(facts, ("period_start", "period_end", "filed"))
    existing = lake.read(DATASET, cik=cik)
    merged, replaced = lake.merge(DATASET, existing, facts[lake.SCHEMAS[DATASET].names])
    lake.archive(DATASET, replaced, run_id, ingested_at)
    lake.write(DATASET, merged, cik=cik)
    history = fundamentals.ttm_history(_as_timestamps(merged))
    history = history.assign(cik=cik, symbol=symbol, **stamp)
    lake.write("earnings_ttm", history, cik=cik)
    return {"facts_new": len(merged) - len(existing), "facts_replaced": len(replaced)}


def _as_timestamps(facts: pd.DataFrame) -> pd.DataFrame:
    """Lake rows (date objects) as the datetime64 frame `earnings` works on."""
    frame = facts.copy()
    for column in ("period_start", "period_end", "filed"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def fetch_and_load(
    http: HttpSource,
    plan_doc: dict,
    day: dt.date,
    run_id: str,
    ingested_at: dt.datetime,
    workers: int = 4,
) -> dict:
    """Fetch, validate and store the planned companies, CHUNK at a time; raises
    EarningsFailed naming the companies that failed, after storing the others."""
    from rotation_radar.core import quality
    from rotation_radar.earnings import checks

    written = [DATASET, f"{DATASET}_versions", "earnings_ttm"]
    quarantine = lake.prefix(f"quarantine_{DATASET}", session=day)
    lake.sweep([f"raw/{sec.SOURCE}/{day}", *map(lake.prefix, written), quarantine], ingested_at)
    ciks = [int(c) for c in plan_doc["ciks"]]
    names = {int(c): s for c, s in plan_doc["symbols"].items()}
    totals = {
        "companies": len(ciks),
        "stored": 0,
        "facts_new": 0,
        "facts_replaced": 0,
        "quarantined": 0,
    }
    results: dict[str, quality.CheckResult] = {}
    problems, no_facts, dei_only, repeats = [], [], [], 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for start in range(0, len(ciks), CHUNK):
            chunk = ciks[start : start + CHUNK]
            fetched = list(pool.map(lambda c: fetch_company(http, c, names[c], day), chunk))
            problems += [
                {"cik": c.cik, "symbol": c.symbol, "error": c.note}
                for c in fetched
                if c.status == "failed"
            ]
            for company in fetched:
                if company.status == "no_facts":
                    no_facts.append(
                        {"cik": company.cik, "symbol": company.symbol, "error": company.note}
                    )
                    lake.write(DATASET, lake.to_frame(None, DATASET), cik=company.cik)
                elif company.note:
                    dei_only.append({"cik": company.cik, "symbol": company.symbol})
            ok = [c for c in fetched if c.status == "ok"]
            if not ok:
                continue
            batch = pd.concat([c.facts for c in ok], ignore_index=True)
            exact = batch.duplicated([*KEY, "unit", "value_raw"])
            repeats += int(exact.sum())
            checked = checks.validate_facts(batch[~exact], run_id=run_id)
            _accumulate(results, checked.results)
            quarantined = checked.quarantined
            if checked.blocked:  # nothing of the chunk is stored; the next run retries it
                failed = ", ".join(
                    r.check for r in checked.failures() if r.severity == quality.BATCH
                )
                problems += [
                    {"cik": c.cik, "symbol": c.symbol, "error": f"batch blocked: {failed}"}
                    for c in ok
                ]
            if not quarantined.empty:
                totals["quarantined"] += len(quarantined)
                bad = _as_dates(
                    quarantined.assign(source=sec.SOURCE, ingested_at=ingested_at, run_id=run_id),
                    ("period_start", "period_end", "filed"),
                )
                lake.write_quarantine(day, f"{run_id}-{start // CHUNK}", bad, DATASET)
            if checked.blocked:
                continue
            for company in ok:
                good = checked.good[checked.good["cik"] == company.cik]
                counts = store_company(company.cik, company.symbol, good, run_id, ingested_at)
                totals["stored"] += 1
                totals["facts_new"] += counts["facts_new"]
                totals["facts_replaced"] += counts["facts_replaced"]
    extra = [
        quality.CheckResult(
            DATASET,
            run_id,
            "companies_fetched",
            "source",
            not problems,
            len(problems),
            json.dumps(problems[: quality.SAMPLE_SIZE]),
        ),
        quality.CheckResult(
            DATASET,
            run_id,
            "companies_without_facts",
            "warning",
            not no_facts,
            len(no_facts),
            json.dumps(no_facts[: quality.SAMPLE_SIZE]),
        ),
        quality.CheckResult(
            DATASET,
            run_id,
            "companies_without_us_gaap",
            "warning",
            not dei_only,
            len(dei_only),
            json.dumps(dei_only[: quality.SAMPLE_SIZE]),
        ),
        quality.CheckResult(DATASET, run_id, "exact_repeats_dropped", "warning", True, repeats, ""),
    ]
    quality.write_results(list(results.values()) + extra, DATASET, day, run_id)
    totals.update(failed=len(problems), without_facts=len(no_facts), without_us_gaap=len(dei_only))
    if problems:
        raise EarningsFailed(
            f"earnings for {day} from {sec.SOURCE}: {len(problems)} of {len(ciks)} companies "
            "not loaded "
            f"(raw kept under raw/{sec.SOURCE}/{day}/; the next run retries them): "
            + "; ".join(f"{p['symbol']} (CIK {p['cik']}): {p['error']}" for p in problems[:3])
        )
    return totals


def _accumulate(results: dict, new) -> None:
    """Merge one chunk's check results into the run's (counts add up, samples are kept)."""
    for result in new:
        previous = results.get(result.check)
        first_failure = previous is None or (previous.success and not result.success)
        merged = result if first_failure else previous
        count = result.unexpected_count + (previous.unexpected_count if previous else 0)
        results[result.check] = type(result)(
            merged.dataset,
            merged.run_id,
            merged.check,
            merged.severity,
            merged.success and result.success,
            count,
            merged.detail,
        )
