"""The benchmark's synthetic universe (devtools.replay.generate_scale): a tiny one
(20 symbols x 2 years: companies report from the first fiscal year starting in the span,
so two years give a TTM at the end) is read back by the real source parsers, its counts
add up, the replay server serves it, and it does not depend on the number of workers."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from devtools.replay import generate_scale
from devtools.replay.server import ReplayServer
from rotation_radar.core import settings
from rotation_radar.core.transport import HttpSource
from rotation_radar.earnings import fundamentals
from rotation_radar.sources import ishares, sec, yahoo

SYMBOLS, YEARS, END = 20, 2, dt.date(2025, 9, 19)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("scale") / "universe-20x2"
    doc = generate_scale.generate(out, SYMBOLS, YEARS, END, workers=2, log=lambda _m: None)
    return out, doc


def test_counts_and_universe_file(tiny):
    out, doc = tiny
    days = generate_scale.span(YEARS, END)
    ivv_invented, iwm = generate_scale.fund_sizes(SYMBOLS)
    latest = [p for p in (out / "yahoo").glob("*.json") if "@" not in p.name]
    assert doc["counts"]["symbols"] == SYMBOLS == len(latest)
    assert doc["counts"]["members"] == {"IWM": iwm, "IVV": ivv_invented + 7}
    assert doc["sessions"] == len(days) and days[-1] == END
    holdings_days = generate_scale.month_end_sessions(days[0], END)
    assert doc["counts"]["holdings_files"] == 2 * len(holdings_days)
    assert doc["counts"]["companies"] == 7 + ivv_invented + iwm
    loaded = settings.load_universe(out / "universe.yaml")
    assert loaded.history_start == days[0]
    assert loaded.holdings_start == max(settings.DEFAULT_HOLDINGS_START, holdings_days[0])
    assert doc["holdings_files_start"] == holdings_days[0].isoformat()
    assert set(loaded.symbols) == set(generate_scale.UNIVERSE)


def test_every_yahoo_recording_parses(tiny):
    out, doc = tiny
    days = generate_scale.span(YEARS, END)
    rows = 0
    for path in sorted((out / "yahoo").glob("*.json")):
        if "@" in path.name:  # as recorded before a split (test_the_last_two_sessions)
            continue
        chart = yahoo.parse(path.read_bytes(), path.stem)
        assert list(chart.bars["date"]) == days, path.name  # every session, first to last
        assert (chart.bars["adj_close"] <= chart.bars["close"] + 1e-9).all()
        valid = chart.bars.dropna(subset=["close"])
        assert (valid["low"] <= valid[["open", "close"]].min(axis=1) + 1e-9).all(), path.name
        assert (valid["high"] >= valid[["open", "close"]].max(axis=1) - 1e-9).all(), path.name
        rows += len(valid)
    assert rows == doc["counts"]["price_rows"]


def test_every_holdings_file_parses_with_its_members(tiny):
    out, doc = tiny
    members = {fund: {t for t, f in doc["members"] if f == fund} for fund in ("IWM", "IVV")}
    members["IVV"] |= set(generate_scale.MAG7)
    charts = {
        p.stem: yahoo.parse(p.read_bytes(), p.stem)
        for p in (out / "yahoo").glob("*.json")
        if "@" not in p.name
    }

    def traded(symbol: str, day: dt.date) -> float:
        """Yahoo's close (split-adjusted) as traded that day: times the later splits."""
        chart = charts[symbol]
        splits = chart.events[(chart.events["kind"] == "split") & (chart.events["date"] > day)]
        return chart.bars.set_index("date")["close"][day] * splits["value"].prod()

    for fund, (product, *_rest) in ishares.PRODUCTS.items():
        files = sorted((out / "ishares" / product).glob("*.csv"))
        assert len(files) == doc["counts"]["holdings_files"] // 2
        for path in files:
            parsed = ishares.parse_holdings(path.read_bytes())
            as_of = dt.date.fromisoformat(path.stem)
            assert parsed.attrs["as_of"] == as_of
            assert set(parsed["symbol"]) == members[fund], path
            assert abs(parsed["weight"].sum() - 99.6) < 0.5  # cash and the stub make the rest
            for row in parsed.itertuples():  # the price as traded that day
                assert row.market_value / row.shares_held == pytest.approx(
                    traded(row.symbol, as_of), rel=1e-3
                )


def test_every_member_has_companyfacts_with_ttm(tiny):
    out, doc = tiny
    tickers = sec.parse_tickers((out / "sec" / "files" / "company_tickers.json").read_bytes())
    cik_of = dict(zip(tickers["ticker"], tickers["cik"], strict=True))
    members = [t for t, _fund in doc["members"]] + list(generate_scale.MAG7)
    assert set(members) <= set(cik_of)
    for symbol in members:
        path = out / "sec" / "api" / "xbrl" / "companyfacts" / f"{sec.cik_key(cik_of[symbol])}.json"
        facts = sec.parse_companyfacts(path.read_bytes(), cik_of[symbol])
        frame = fundamentals.facts_frame(facts)
        assert set(frame["metric"]) == set(fundamentals.METRICS), symbol
        assert set(frame["form"]) <= {"10-Q", "10-K"}
        assert frame["filed"].max().date() <= END
        ttm = fundamentals.ttm_fundamentals(facts, END)
        assert ttm["net_income"] is not None and ttm["shares_outstanding"] is not None, symbol
    indexes = sorted((out / "sec" / "Archives").rglob("form.*.idx"))
    assert indexes and all(p.stem[5:] <= f"{END:%Y%m%d}" for p in indexes)
    listed = [sec.parse_daily_index(p.read_bytes()) for p in indexes]
    ours = {int(c) for frame in listed for c in frame["cik"]} & {int(c) for c in cik_of.values()}
    assert ours, "the recent daily indexes list some of our filers"


def test_the_last_two_sessions_are_the_benchmarks_nights(tiny):
    """The session before the last brings no split or dividend; the last one brings one
    3:1 split (the first member paying no dividend) and the dividends drawn on it; the
    replay serves the splitter's history unsplit for a period2 up to the day before."""
    out, doc = tiny
    days = generate_scale.span(YEARS, END)
    before, last = days[-2].isoformat(), days[-1].isoformat()
    assert doc["last_sessions"][before] == {"dividend": [], "split": []}
    (splitter,) = doc["last_sessions"][last]["split"]
    assert "SPY" in doc["last_sessions"][last]["dividend"]  # its third Friday
    assert splitter == [t for t, _fund in doc["members"]][0]  # the first, paying none
    charts = {}
    for path in sorted((out / "yahoo").glob("*.json")):
        chart = yahoo.parse(path.read_bytes(), path.stem.split("@")[0])
        charts[path.stem] = chart
        on = chart.events[chart.events["date"].isin(days[-2:])]
        found = sorted(zip(on["date"].astype(str), on["kind"], strict=True))
        symbol = path.stem.split("@")[0]
        if "@" in path.name:
            assert path.stem == f"{splitter}@{before}" and found == []
            continue
        expected = [(last, kind) for kind in ("dividend", "split")]
        expected = [e for e in expected if symbol in doc["last_sessions"][last][e[1]]]
        assert found == expected, symbol
    now, then = charts[splitter].bars, charts[f"{splitter}@{before}"].bars
    assert list(then["date"]) == days[:-1]
    assert then["close"].to_numpy() == pytest.approx(3 * now["close"].to_numpy()[:-1], abs=0.01)
    with ReplayServer(out).start() as server:
        http = HttpSource("yahoo_finance", server.url)
        for day, recording in ((days[-2], f"{splitter}@{before}"), (END, splitter)):
            fetched = yahoo.parse(yahoo.fetch(http, splitter, days[-6], day).body, splitter)
            served = charts[recording].bars
            assert list(fetched.bars["date"]) == [d for d in days[-6:] if d <= day]
            assert fetched.bars["close"].tolist() == served["close"].tolist()[-len(fetched.bars) :]


def test_replay_server_serves_the_universe(tiny):
    out, _doc = tiny
    with ReplayServer(out).start() as server:
        http = HttpSource("yahoo_finance", server.url)
        fetched = yahoo.fetch(http, "^RUT", END - dt.timedelta(days=10), END)
        assert (
            fetched.status == 200 and yahoo.parse(fetched.body, "^RUT").bars["date"].iloc[-1] == END
        )
        holdings = ishares.fetch(http, "IWM", END)
        assert (
            holdings.status == 200 and ishares.parse_holdings(holdings.body).attrs["as_of"] == END
        )


def test_deterministic_whatever_the_workers(tiny, tmp_path):
    out, doc = tiny
    again = generate_scale.generate(
        tmp_path / "again", SYMBOLS, YEARS, END, workers=1, log=lambda _m: None
    )
    assert again["members"] == doc["members"] and again["counts"] == doc["counts"]

    def digest(root):
        return {
            str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "universe.json"
        }

    assert digest(out) == digest(tmp_path / "again")


def test_a_matching_folder_is_reused(tiny):
    out, doc = tiny
    stamp = (out / "universe.json").stat().st_mtime_ns
    assert generate_scale.generate(out, SYMBOLS, YEARS, END, log=lambda _m: None) == doc
    assert (out / "universe.json").stat().st_mtime_ns == stamp
    assert json.loads((out / "universe.json").read_text())["parameters"]["symbols"] == SYMBOLS


def test_members_are_prefix_stable():
    """A smaller universe's members are the first ones of a larger one (growth subsets)."""
    assert generate_scale.tickers(50)[:20] == generate_scale.tickers(20)
    assert not set(generate_scale.tickers(3000)) & generate_scale.RESERVED
