"""SEC earnings against the replay server: real HTTP, real files, real GX.

The basket members come from the replay's holdings files (loaded first, as the
universe_holdings DAG does). A bootstrap fetches every member company once (share
classes once); a nightly run reads the new daily indexes and fetches only companies
that filed; bad answers are retried, recorded or quarantined, never lost.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from devtools.replay.server import ReplayServer
from rotation_radar.core import lake, settings, storage
from rotation_radar.core.transport import HttpSource, SourceError
from rotation_radar.earnings import ingest as earnings_ingest
from rotation_radar.sources import sec
from rotation_radar.universe import ingest as universe_ingest
from tests.integration.conftest import REPLAY_DIR, SEC_USER_AGENT

BOOTSTRAP_DAY = dt.date(2025, 9, 5)
NIGHT = dt.date(2025, 9, 19)
NOW = dt.datetime(2025, 9, 20, tzinfo=dt.UTC)
ALPHABET = 1652044


def sources(server, user_agent=SEC_USER_AGENT, retries=2):
    extra = {
        "user_agent": user_agent,
        "www_base_url": server.url,
        "retries": retries,
        "backoff_factor": 0.01,
    }
    return sec.sources_from_connection(server.url, extra)


def run(server, day, run_id, universe=None):
    """The DAG's two stages for `day`, as its tasks call them."""
    data, www = sources(server)
    plan = earnings_ingest.plan(www, universe or settings.load_universe(), day, run_id, NOW)
    plan = json.loads(json.dumps(plan))  # through XCom: JSON
    return plan, earnings_ingest.fetch_and_load(data, plan, day, run_id, NOW)


def checks(run_id):
    frame = lake.read_all("data_quality")
    return {r.check: r for r in frame[frame["run_id"] == run_id].itertuples()}


def replay_filers(first: dt.date, last: dt.date) -> set[int]:
    """CIKs with a 10-Q/10-K in the replay's daily indexes between two days."""
    found = set()
    for path in (REPLAY_DIR / "sec" / "Archives" / "edgar" / "daily-index").rglob("form.*.idx"):
        day = dt.datetime.strptime(path.name[5:13], "%Y%m%d").date()
        if first <= day <= last:
            rows = sec.parse_daily_index(path.read_bytes(), day)
            found |= set(rows.loc[rows["form_type"].isin(earnings_ingest.EARNINGS_FORMS), "cik"])
    return found


def load_members(replay):
    """Holdings of both funds through the nightly day, as universe_holdings stores them."""
    http = HttpSource("ishares", replay.url, retries=2, backoff_factor=0.01)
    universe_ingest.fetch_and_load(
        http, ["IWM", "IVV"], NIGHT, dt.date(2024, 12, 31), "holdings", NOW
    )
    replay.clear_requests()


@pytest.fixture
def members(data_dir, replay):
    load_members(replay)
    return replay


def test_bootstrap_then_a_nightly_run_fetches_only_new_filers(members, capsys):
    replay = members
    plan, loaded = run(replay, BOOTSTRAP_DAY, "boot")
    ciks = plan["ciks"]
    assert (
        ciks.count(ALPHABET) == 1 and plan["symbols"][str(ALPHABET)] == "GOOGL"
    )  # GOOG + GOOGL: once
    assert loaded["stored"] + loaded["without_facts"] == len(ciks) and loaded["failed"] == 0
    facts = lake.read_all("earnings_facts")
    assert max(facts["filed"]) <= BOOTSTRAP_DAY  # a run for a past day sees only the past
    assert set(facts["cik"]) <= set(ciks)
    boot_requests = [r["path"] for r in replay.requests]
    assert sum("/companyfacts/" in p for p in boot_requests) == len(ciks)

    # the nightly run two weeks later: indexes since the first read, companies that filed
    replay.clear_requests()
    started = time.perf_counter()
    plan, loaded = run(replay, NIGHT, "night")
    elapsed = time.perf_counter() - started
    requests = [r["path"] for r in replay.requests]
    expected = replay_filers(
        BOOTSTRAP_DAY - dt.timedelta(days=earnings_ingest.FIRST_INDEX_DAYS - 1), NIGHT
    ) & set(ciks)
    # filers whose filing came after the bootstrap's day (the bootstrap saw everything before it)
    expected = {
        c for c in expected if c in replay_filers(BOOTSTRAP_DAY + dt.timedelta(days=1), NIGHT)
    }
    assert expected and set(plan["ciks"]) & set(ciks) == expected
    new_members = set(plan["ciks"]) - set(ciks)  # joined the baskets in the 2025-09-19 files
    assert len(new_members) == plan["bootstrap"]
    assert sum("/companyfacts/" in p for p in requests) == len(plan["ciks"])
    assert sum("/daily-index/" in p for p in requests) == len(plan["index_days"])
    assert sum("company_tickers" in p for p in requests) == 1
    with capsys.disabled():
        print(
            f"\nnightly earnings run against the replay: {len(requests)} requests "
            f"({len(plan['index_days'])} daily indexes, "
            f"{len(plan['ciks'])} companyfacts, 1 ticker map) "
            f"in {elapsed:.2f}s"
        )
    # their new filings are in the lake now, and the next night asks for nothing more
    facts = lake.read_all("earnings_facts")
    assert max(facts["filed"]) > BOOTSTRAP_DAY
    replay.clear_requests()
    plan, _ = run(replay, NIGHT, "again")
    assert plan["ciks"] == [] and plan["index_days"] == {}


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """One bootstrap for the run's night, shared by the tests that only read it."""
    with pytest.MonkeyPatch.context() as patch, ReplayServer(REPLAY_DIR).start() as replay:
        patch.setenv("RADAR_DATA_DIR", str(tmp_path_factory.mktemp("night") / "data"))
        load_members(replay)
        plan, loaded = run(replay, NIGHT, "boot")
        yield plan, loaded


def test_ttm_history_is_point_in_time(night):
    ttm = lake.read_all("earnings_ttm")
    apple = ttm[ttm["cik"] == 320193].sort_values("known_from")
    assert apple["known_from"].is_unique and max(apple["known_from"]) <= NIGHT
    assert apple["net_income"].notna().iloc[-1] and apple["shares_outstanding"].iloc[-1] > 1e9


def test_company_without_us_gaap_facts_is_recorded(night):
    _, loaded = night
    assert loaded["without_us_gaap"] >= 1
    check = checks("boot")["companies_without_us_gaap"]
    assert check.unexpected_count == loaded["without_us_gaap"]
    cik = json.loads(check.detail)[0]["cik"]
    ttm = lake.read_all("earnings_ttm")
    assert ttm.loc[ttm["cik"] == cik, "net_income"].isna().all()  # no guess


def test_members_without_a_cik_are_recorded(night):
    plan, _ = night
    assert plan["members_without_cik"] == ["FYYO"]  # the replay's member unknown to SEC
    check = checks("boot")["members_without_cik"]
    assert check.unexpected_count == 1 and not check.success


def test_split_share_counts_stay_on_their_filing_basis(night):
    """JOY splits 2-for-1 on 2025-06-02: the lake keeps SEC's counts as filed (the
    valuation mart puts them on one basis with the split events)."""
    ttm = lake.read_all("earnings_ttm")
    joy = ttm[ttm["symbol"] == "JOY"].sort_values("known_from").set_index("known_from")
    before = joy.loc[: dt.date(2025, 5, 31), "shares_outstanding"].iloc[-1]
    after = joy.loc[dt.date(2025, 8, 1) :, "shares_outstanding"].iloc[-1]
    assert after / before == pytest.approx(2, rel=0.02)


def test_no_user_agent_contact_is_refused_before_asking(data_dir, replay):
    data, www = sources(replay, user_agent="python-requests/2.32")
    with pytest.raises(SourceError, match="no contact e-mail.*sec_edgar"):
        earnings_ingest.plan(www, settings.load_universe(), NIGHT, "r", NOW)
    assert replay.requests == []


def test_sec_403_names_the_user_agent_rule(data_dir, replay):
    replay.inject("/files/company_tickers.json", [403])
    _, www = sources(replay)
    with pytest.raises(SourceError, match="HTTP 403, SEC refused"):
        earnings_ingest.plan(www, settings.load_universe(), NIGHT, "r", NOW)
    assert storage.keys(f"raw/{sec.SOURCE}/{NIGHT}", "company_tickers*")  # the refusal is kept


def test_429_is_retried_and_a_company_that_keeps_failing_fails_the_run_last(data_dir, replay):
    # no holdings stored: the members are the universe's MAG7 basket
    replay.inject(
        "/api/xbrl/companyfacts/CIK0000320193.json", [429, 429]
    )  # Apple: retried, then fine
    replay.inject(
        "/api/xbrl/companyfacts/CIK0001318605.json", [503, 503, 503]
    )  # Tesla: out of retries
    with pytest.raises(earnings_ingest.EarningsFailed, match=r"TSLA \(CIK 1318605\): .*HTTP 503"):
        run(replay, NIGHT, "boot")
    stored = set(lake.read_all("earnings_facts")["cik"])
    assert 320193 in stored and 1318605 not in stored  # the others are stored
    statuses = [r["status"] for r in replay.requests if r["path"].endswith("CIK0000320193.json")]
    assert statuses == [429, 429, 200]
    assert storage.keys(f"raw/{sec.SOURCE}/{NIGHT}/companyfacts", "CIK0001318605*.json")  # raw kept
    # the next run fetches Tesla (never stored), not the others again
    plan, _ = run(replay, NIGHT, "retry")
    assert plan["ciks"] == [1318605]


def test_bad_facts_are_quarantined_and_the_rest_stored(data_dir, replay):
    path = "/api/xbrl/companyfacts/CIK0000320193.json"
    doc = json.loads((REPLAY_DIR / "sec" / path.lstrip("/")).read_bytes())
    income = doc["facts"]["us-gaap"]["NetIncomeLoss"]["units"]["USD"]
    income[0]["val"] = "12,3x4"  # garbled: not a number
    income.append({**income[1], "val": income[1]["val"] + 1})  # same fact, another value
    doc["facts"]["us-gaap"]["NetIncomeLoss"]["units"]["EUR"] = [dict(income[2])]  # wrong unit
    revenue = next(
        iter(
            doc["facts"]["us-gaap"][c]
            for c in ("Revenues", "RevenueFromContractWithCustomerExcludingAssessedTax")
            if c in doc["facts"]["us-gaap"]
        )
    )
    bad_period = dict(next(iter(revenue["units"]["USD"])))
    bad_period["start"], bad_period["end"] = (
        bad_period["end"],
        bad_period["start"],
    )  # ends before it starts
    revenue["units"]["USD"].append(bad_period)
    replay.inject(path, [200], body=json.dumps(doc).encode())
    _, loaded = run(replay, NIGHT, "boot")
    quarantined = lake.read_all("quarantine_earnings_facts", prefix="quarantine/earnings_facts")
    reasons = " ".join(quarantined["reason"])
    for check in ("value_numeric", "unique_fact", "unit_of_metric", "period_valid"):
        assert check in reasons
        assert not checks("boot")[check].success
    garbled = quarantined[quarantined["reason"].str.contains("value_numeric")]
    assert garbled["value_raw"].tolist() == ["12,3x4"] and garbled["cik"].tolist() == [320193]
    assert loaded["quarantined"] == len(quarantined) == 5  # 1 + 2 conflicting + 1 + 1
    stored = lake.read_all("earnings_facts")
    assert (stored["cik"] == 320193).sum() > 100  # Apple's good facts are in
    assert not stored["unit"].eq("EUR").any()


def test_companyfacts_answer_that_is_not_json_fails_naming_the_company(data_dir, replay):
    replay.inject(
        "/api/xbrl/companyfacts/CIK0000789019.json", [200], body=b"<html>maintenance</html>"
    )
    with pytest.raises(earnings_ingest.EarningsFailed, match=r"MSFT \(CIK 789019\): .*not JSON"):
        run(replay, NIGHT, "boot")
    assert len(lake.read_all("earnings_facts")) > 0
    assert storage.keys(f"raw/{sec.SOURCE}/{NIGHT}/companyfacts", "CIK0000789019*.json")  # kept
