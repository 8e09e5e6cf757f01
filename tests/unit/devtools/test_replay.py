"""The demo-data generator (story, formats, determinism) and the replay HTTP server."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from devtools.replay.generate import generate
from devtools.replay.generate_prices import END
from devtools.replay.server import ReplayServer
from rotation_radar.core import sessions
from rotation_radar.core.symbols import to_stooq

NEW_YORK = ZoneInfo("America/New_York")
D = dt.date.fromisoformat
RECORD_CLOSE = 2442.74


@pytest.fixture(scope="module")
def replay_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("replay")
    generate(out)
    return out


def chart(root: Path, name: str) -> dict:
    return json.loads((root / "yahoo" / f"{name}.json").read_text())["chart"]["result"][0]


def bars(result: dict) -> dict[dt.date, dict]:
    """date -> {open, high, low, close, volume, adjclose} from a chart result."""
    quote = result["indicators"]["quote"][0]
    adj = result["indicators"]["adjclose"][0]["adjclose"]
    out = {}
    for i, ts in enumerate(result["timestamp"]):
        day = dt.datetime.fromtimestamp(ts, NEW_YORK).date()
        out[day] = {k: quote[k][i] for k in ("open", "high", "low", "close", "volume")}
        out[day]["adjclose"] = adj[i]
    return out


def epoch(moment: dt.datetime) -> int:
    return int(moment.timestamp())


def session_close(day: str) -> int:
    return epoch(sessions.open_close(D(day))[1])


def utc_midnight(day: str) -> int:
    return epoch(dt.datetime.combine(D(day), dt.time(), dt.UTC))


# ------------------------------------------------------------------ generator


def test_generator_is_deterministic_and_per_symbol(replay_dir, tmp_path):
    # A second run, for a few symbols only, gives the same bytes: no state leaks between symbols.
    generate(tmp_path, symbols=["IWM", "NVDA", "META"], start=D("2019-01-02"))
    names = [
        "yahoo/IWM.json",
        "yahoo/NVDA.json",
        "yahoo/NVDA@2024-06-07.json",
        "yahoo/META.json",
        "stooq/iwm.us.csv",
        "stooq/nvda.us.csv",
        "stooq/meta.us.csv",
        "README.md",
    ]
    for name in names:
        assert (tmp_path / name).read_bytes() == (replay_dir / name).read_bytes(), name
    assert not (tmp_path / "yahoo" / "^RUT.json").exists()  # the base is simulated, not written


def test_every_universe_symbol_is_written(replay_dir):
    symbols = [
        "^RUT",
        "^GSPC",
        "IWM",
        "SPY",
        "RSP",
        "QQQ",
        "AAPL",
        "MSFT",
        "GOOGL",
        "AMZN",
        "NVDA",
        "META",
        "TSLA",
    ]
    for symbol in symbols:
        assert chart(replay_dir, symbol)["meta"]["symbol"] == symbol
        assert (replay_dir / "stooq" / f"{to_stooq(symbol)}.csv").is_file()
    assert "synthetic" in (replay_dir / "README.md").read_text()
    total = sum(p.stat().st_size for p in replay_dir.rglob("*") if p.is_file())
    assert total < 15_000_000  # basket members' recordings and SEC files included


def test_rut_story(replay_dir):
    rut = bars(chart(replay_dir, "^RUT"))
    days = sorted(rut)

    record = rut[D("2021-11-08")]
    assert record["close"] == RECORD_CLOSE
    assert max(rut[d]["close"] for d in days if d < D("2025-09-18")) == RECORD_CLOSE

    nov25 = rut[D("2024-11-25")]
    assert (nov25["high"], nov25["close"]) == (2466.49, 2442.03)
    assert nov25["high"] > max(rut[d]["high"] for d in days if d < D("2024-11-25"))

    failed = rut[D("2025-09-17")]
    assert (failed["high"], failed["close"]) == (2453.36, 2407.34)
    assert failed["high"] < nov25["high"]

    assert rut[D("2025-09-18")]["close"] > RECORD_CLOSE
    assert rut[D("2025-09-19")]["close"] > rut[D("2025-09-18")]["close"]

    # No other session before the new record tests the record close and fails.
    prior, tested = 0.0, []
    for d in days:
        if rut[d]["high"] > prior >= rut[d]["close"]:
            tested.append(d)
        prior = max(prior, rut[d]["close"])
    assert tested == [D("2024-11-25"), D("2025-09-17")]


@pytest.mark.parametrize(
    "symbol", ["^RUT", "^GSPC", "IWM", "SPY", "RSP", "QQQ", "NVDA", "META", "TSLA"]
)
def test_bars_are_consistent(replay_dir, symbol):
    for day, bar in bars(chart(replay_dir, symbol)).items():
        if bar["close"] is None:
            continue
        assert 0 < bar["low"] <= min(bar["open"], bar["close"]), day
        assert max(bar["open"], bar["close"]) <= bar["high"], day
        assert isinstance(bar["volume"], int) and bar["volume"] > 0, day


def test_etfs_track_their_indices(replay_dir):
    rut, iwm = bars(chart(replay_dir, "^RUT")), bars(chart(replay_dir, "IWM"))
    gspc, spy = bars(chart(replay_dir, "^GSPC")), bars(chart(replay_dir, "SPY"))
    for day in (D("2019-01-02"), D("2022-06-16"), END):
        assert iwm[day]["close"] == pytest.approx(rut[day]["close"] / 10, rel=0.03)
        assert spy[day]["close"] == pytest.approx(gspc[day]["close"] / 10, rel=0.03)
    assert 2400 < gspc[D("2019-01-02")]["close"] < 2600
    assert 6400 < gspc[END]["close"] < 6800


def test_only_nyse_sessions_stamped_at_the_open(replay_dir):
    result = chart(replay_dir, "SPY")
    days = list(bars(result))
    assert days == sessions.sessions_between(D("2019-01-02"), END)
    assert D("2025-01-09") not in days  # national day of mourning, markets closed
    assert D("2024-11-29") in days  # early close, still a session
    assert D("2019-01-02") == days[0] and days[-1] == END
    first_open = sessions.open_close(D("2019-01-02"))[0]
    assert result["timestamp"][0] == epoch(first_open)
    assert result["meta"]["regularMarketTime"] == session_close(END.isoformat())


def test_nvda_split_and_recording_before_it(replay_dir):
    final = chart(replay_dir, "NVDA")
    split_ts = epoch(sessions.open_close(D("2024-06-10"))[0])
    assert final["events"]["splits"] == {
        str(split_ts): {"date": split_ts, "numerator": 10, "denominator": 1, "splitRatio": "10:1"}
    }
    before = chart(replay_dir, "NVDA@2024-06-07")
    assert "events" not in before
    assert before["meta"]["regularMarketTime"] == session_close("2024-06-07")
    old, new = bars(before), bars(final)
    assert max(old) == D("2024-06-07")
    for day in (D("2019-01-02"), D("2024-06-07")):
        for column in ("open", "high", "low", "close"):
            assert old[day][column] == pytest.approx(new[day][column] * 10, abs=1e-6)
        assert old[day]["volume"] * 10 == new[day]["volume"]
    assert new[D("2024-06-10")]["close"] < 200  # after the split, as traded


def test_null_bar_as_yahoo_serves_it(replay_dir):
    meta = bars(chart(replay_dir, "META"))
    assert set(meta[D("2023-03-15")].values()) == {None}
    assert meta[D("2023-03-14")]["close"] is not None
    stooq = (replay_dir / "stooq" / "meta.us.csv").read_text()
    assert "2023-03-15" not in stooq and "2023-03-14" in stooq


def test_dividends_back_adjust_adjclose(replay_dir):
    result = chart(replay_dir, "SPY")
    spy = bars(result)
    days = sorted(spy)
    dividends = result["events"]["dividends"]
    assert 24 <= len(dividends) <= 28  # quarterly
    assert all(1.2 < d["amount"] < 2.2 for d in dividends.values())
    assert spy[days[0]]["adjclose"] < spy[days[0]]["close"] * 0.95
    assert spy[days[-1]]["adjclose"] == spy[days[-1]]["close"]
    # At an ex-date, the factor steps by 1 - dividend / previous close.
    event = dividends[min(dividends)]
    ex = dt.datetime.fromtimestamp(event["date"], NEW_YORK).date()
    prev = days[days.index(ex) - 1]
    step = (spy[prev]["adjclose"] / spy[prev]["close"]) / (spy[ex]["adjclose"] / spy[ex]["close"])
    assert step == pytest.approx(1 - event["amount"] / spy[prev]["close"], abs=1e-5)
    assert "events" not in chart(replay_dir, "^GSPC")


def test_stooq_csv_is_split_and_dividend_adjusted(replay_dir):
    lines = (replay_dir / "stooq" / "spy.us.csv").read_text().splitlines()
    assert lines[0] == "Date,Open,High,Low,Close,Volume"
    first = lines[1].split(",")
    spy = bars(chart(replay_dir, "SPY"))
    assert first[0] == "2019-01-02"
    assert float(first[4]) == pytest.approx(spy[D("2019-01-02")]["adjclose"], abs=1e-3)
    assert sorted(lines[1:]) == lines[1:]
    nvda = (replay_dir / "stooq" / "nvda.us.csv").read_text().splitlines()[1].split(",")
    assert float(nvda[4]) < 10  # split-adjusted


@pytest.mark.parametrize(
    "symbol, expected",
    [
        ("^GSPC", "^spx"),
        ("^RUT", "^rut"),
        ("SPY", "spy.us"),
        ("BRK-B", "brk-b.us"),
        ("BRK.B", "brk-b.us"),
    ],
)
def test_to_stooq(symbol, expected):
    assert to_stooq(symbol) == expected


# ------------------------------------------------------------------ server


@pytest.fixture
def server(replay_dir):
    with ReplayServer(replay_dir) as running:
        yield running


def yahoo(server, symbol: str, period1: int | None, period2: int | None) -> requests.Response:
    params = {"interval": "1d", "events": "div,splits"}
    if period1 is not None:
        params["period1"] = period1
    if period2 is not None:
        params["period2"] = period2
    return requests.get(f"{server.url}/v8/finance/chart/{symbol}", params=params, timeout=10)


def stooq(server, **params) -> requests.Response:
    return requests.get(f"{server.url}/q/d/l/", params={"i": "d", **params}, timeout=10)


def served_days(response: requests.Response) -> list[dt.date]:
    return list(bars(response.json()["chart"]["result"][0]))


def test_yahoo_window_honours_period1_and_period2(server):
    response = yahoo(server, "^RUT", utc_midnight("2025-09-17"), session_close("2025-09-18"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json;charset=utf-8"
    assert "Date" in response.headers
    assert served_days(response) == [D("2025-09-17"), D("2025-09-18")]
    # period2 is exclusive: a bar stamped exactly at period2 is not served.
    next_open = epoch(sessions.open_close(D("2025-09-19"))[0])
    assert served_days(yahoo(server, "^RUT", utc_midnight("2025-09-17"), next_open))[-1] == D(
        "2025-09-18"
    )
    assert served_days(yahoo(server, "^RUT", next_open, next_open + 1)) == [D("2025-09-19")]


def test_yahoo_window_events_and_empty_window(server):
    body = yahoo(server, "SPY", utc_midnight("2025-09-01"), session_close("2025-09-19")).json()
    dividends = body["chart"]["result"][0]["events"]["dividends"]
    assert [dt.datetime.fromtimestamp(d["date"], NEW_YORK).date() for d in dividends.values()] == [
        D("2025-09-19")
    ]
    quiet = yahoo(server, "SPY", utc_midnight("2025-07-01"), session_close("2025-07-31")).json()
    assert "events" not in quiet["chart"]["result"][0]
    weekend = yahoo(server, "SPY", utc_midnight("2025-09-13"), utc_midnight("2025-09-15")).json()
    result = weekend["chart"]["result"][0]
    assert "timestamp" not in result and "events" not in result
    assert result["indicators"] == {"quote": [{}], "adjclose": [{}]}
    assert result["meta"]["symbol"] == "SPY"


def test_yahoo_recording_chosen_by_period2(server):
    def close_on(response, day):
        return bars(response.json()["chart"]["result"][0])[D(day)]["close"]

    start = utc_midnight("2024-06-03")
    before = yahoo(server, "NVDA", start, session_close("2024-06-07"))
    after = yahoo(server, "NVDA", start, session_close("2024-06-10"))
    older = yahoo(server, "NVDA", start, session_close("2024-06-05"))
    assert close_on(before, "2024-06-07") > 1000  # as recorded before the split
    assert close_on(older, "2024-06-05") > 1000
    assert close_on(after, "2024-06-07") < 200  # split-adjusted
    assert "splits" in after.json()["chart"]["result"][0]["events"]
    assert "events" not in before.json()["chart"]["result"][0]


def test_yahoo_unknown_symbol_and_bad_params(server):
    response = yahoo(server, "NOPE", 0, session_close("2025-09-19"))
    assert response.status_code == 404
    assert response.text == (
        '{"chart":{"result":null,"error":{"code":"Not Found",'
        '"description":"No data found, symbol may be delisted"}}}'
    )
    for period1, period2 in [(None, None), (0, None), ("x", 5), (10, 5)]:
        response = yahoo(server, "SPY", period1, period2)
        assert response.status_code == 400
        assert response.json()["chart"]["error"]["code"] == "Bad Request"
        assert response.json()["chart"]["result"] is None


def test_stooq_csv_window_and_unknown_symbol(server, replay_dir):
    full = stooq(server, s="^spx")
    assert full.status_code == 200 and full.headers["Content-Type"].startswith("text/csv")
    assert full.text == (replay_dir / "stooq" / "^spx.csv").read_text()
    window = stooq(server, s="SPY.US", d1="20250917", d2="20250919").text.splitlines()
    assert window[0] == "Date,Open,High,Low,Close,Volume"
    assert [row[:10] for row in window[1:]] == ["2025-09-17", "2025-09-18", "2025-09-19"]
    assert stooq(server, s="nope.us").text == "No data"
    assert stooq(server, s="spy.us", d1="20250913", d2="20250914").text == "No data"


def test_inject_statuses_then_normal(server):
    server.inject("/v8/finance/chart/SPY", [429, 500], retry_after=3)
    period = (utc_midnight("2025-09-18"), session_close("2025-09-19"))
    other = yahoo(server, "IWM", *period)  # another path is not affected
    first, second, third = (yahoo(server, "SPY", *period) for _ in range(3))
    assert other.status_code == 200
    assert first.status_code == 429 and first.headers["Retry-After"] == "3"
    assert "text/html" in first.headers["Content-Type"] and "429" in first.text
    assert second.status_code == 500 and "Retry-After" not in second.headers
    assert third.status_code == 200 and served_days(third) == [D("2025-09-18"), D("2025-09-19")]


def test_inject_malformed_body(server):
    server.inject("/v8/finance/chart/", [200], body=b'{"chart": {"result": [')
    response = yahoo(server, "^RUT", 0, session_close("2025-09-19"))
    assert response.status_code == 200 and response.content == b'{"chart": {"result": ['
    with pytest.raises(ValueError):
        response.json()
    assert yahoo(server, "^RUT", 0, session_close("2025-09-19")).json()["chart"]["error"] is None


def test_request_log(server):
    yahoo(server, "^RUT", 1, 2)
    stooq(server, s="spy.us")
    requests.get(f"{server.url}/nowhere", timeout=10)
    assert server.requests == [
        {
            "method": "GET",
            "path": "/v8/finance/chart/^RUT",
            "query": {"interval": "1d", "events": "div,splits", "period1": "1", "period2": "2"},
            "status": 200,
        },
        {"method": "GET", "path": "/q/d/l/", "query": {"i": "d", "s": "spy.us"}, "status": 200},
        {"method": "GET", "path": "/nowhere", "query": {}, "status": 404},
    ]
    server.clear_requests()
    assert server.requests == []


def test_http_admin_endpoints(server):
    admin = f"{server.url}/_replay"
    yahoo(server, "SPY", 1, 2)
    logged = requests.get(f"{admin}/requests", timeout=10).json()
    assert [(r["path"], r["status"]) for r in logged] == [("/v8/finance/chart/SPY", 200)]
    injected = requests.post(
        f"{admin}/inject",
        json={"path_prefix": "/q/d/l", "statuses": [429, 200], "body": "garbage", "retry_after": 7},
        timeout=10,
    )
    assert injected.status_code == 200
    throttled, garbage, normal = (stooq(server, s="spy.us") for _ in range(3))
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "7"
    assert garbage.status_code == 200 and garbage.text == "garbage"
    assert normal.text.startswith("Date,Open")
    assert requests.post(f"{admin}/inject", data=b"not json", timeout=10).status_code == 400
    assert requests.delete(f"{admin}/requests", timeout=10).status_code == 200
    assert requests.get(f"{admin}/requests", timeout=10).json() == []  # admin calls are not logged


def test_cli_serves_until_sigterm(replay_dir):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3] / "plugins")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devtools.replay.server",
            "--root",
            str(replay_dir),
            "--port",
            "0",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        assert (
            requests.get(f"{url}/q/d/l/", params={"s": "^rut", "i": "d"}, timeout=10).status_code
            == 200
        )
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()


def test_adjclose_reads_as_it_did_at_period2(server, replay_dir):
    """A dividend that goes ex after period2 is not yet in adjclose; once it is, history
    restates."""
    full = chart(replay_dir, "SPY")
    dividends = full["events"]["dividends"].values()
    last = max(dividends, key=lambda item: item["date"])
    ex_day = dt.datetime.fromtimestamp(last["date"], NEW_YORK).date()
    assert ex_day == D("2025-09-19")
    before = bars(
        yahoo(server, "SPY", utc_midnight("2025-09-10"), session_close("2025-09-18")).json()[
            "chart"
        ]["result"][0]
    )
    after = bars(
        yahoo(server, "SPY", utc_midnight("2025-09-10"), session_close("2025-09-19")).json()[
            "chart"
        ]["result"][0]
    )
    day = D("2025-09-17")
    assert before[day]["close"] == after[day]["close"]
    factor = 1 - last["amount"] / after[D("2025-09-18")]["close"]
    assert after[day]["adjclose"] == pytest.approx(before[day]["adjclose"] * factor, abs=1e-3)
    assert after[day]["adjclose"] < before[day]["adjclose"]
    assert after[day]["adjclose"] == bars(full)[day]["adjclose"]


# ------------------------------------------------------------------ Federal Reserve and FRED

FEED = "/feeds/press_monetary.xml"
SEP17 = "/newsevents/pressreleases/monetary20250917a.htm"


def test_fed_and_fred_generation_is_deterministic(replay_dir, tmp_path):
    from devtools.replay.generate_fed import generate_fed

    written = generate_fed(tmp_path)
    names = sorted(str(p.relative_to(tmp_path)) for p in written)
    assert names == sorted(
        str(p.relative_to(replay_dir))
        for folder in ("fed", "fred")
        for p in (replay_dir / folder).rglob("*")
        if p.is_file()
    )
    for name in names:
        assert (tmp_path / name).read_bytes() == (replay_dir / name).read_bytes(), name
    assert "Federal Reserve and FRED (synthetic)" in (replay_dir / "README.md").read_text()
    assert len([n for n in names if n.endswith("a.htm")]) == 56  # statements, 2019-01 .. 2025-09-17
    assert len([n for n in names if n.endswith("a1.htm")]) == 56  # implementation notes
    assert len([n for n in names if "/fomcprojtab" in n]) == 26  # SEP pages, 2019-03 .. 2025-09


def fed_get(server, path: str, **headers) -> requests.Response:
    return requests.get(f"{server.url}{path}", headers=headers, timeout=10)


def test_fed_pages_served_by_path_with_validators(server, replay_dir):
    import hashlib

    feed = fed_get(server, FEED)
    assert feed.status_code == 200 and feed.headers["Content-Type"] == "application/rss+xml"
    assert feed.content == (replay_dir / "fed/feeds/press_monetary.xml").read_bytes()
    assert feed.headers["ETag"] == f'"{hashlib.sha256(feed.content).hexdigest()}"'
    assert feed.headers["Last-Modified"] == "Wed, 17 Sep 2025 18:00:00 GMT"  # its lastBuildDate
    page = fed_get(server, SEP17)
    assert page.status_code == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Last-Modified"] == "Wed, 17 Sep 2025 18:00:00 GMT"  # 2 p.m. EDT
    winter = fed_get(server, "/newsevents/pressreleases/monetary20250129a.htm")
    assert winter.headers["Last-Modified"] == "Wed, 29 Jan 2025 19:00:00 GMT"  # 2 p.m. EST
    calendar = fed_get(server, "/monetarypolicy/fomccalendars.htm")
    assert calendar.status_code == 200 and "fomc-meeting" in calendar.text
    assert fed_get(server, "/monetarypolicy/fomchistorical2019.htm").status_code == 200


def test_fed_projections_pages_served(server, replay_dir):
    page = fed_get(server, "/monetarypolicy/fomcprojtabl20250917.htm")
    assert page.status_code == 200 and page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.content.startswith(b"\xef\xbb\xbf<!doctype html>\r\n")  # BOM and CRLF
    assert page.headers["Last-Modified"] == "Wed, 17 Sep 2025 18:00:00 GMT"  # its release
    assert page.content == (replay_dir / "fed/monetarypolicy/fomcprojtabl20250917.htm").read_bytes()
    spelled = fed_get(server, "/monetarypolicy/fomcprojtable20220316.htm")
    assert spelled.status_code == 200 and b"March 16, 2022" in spelled.content
    assert fed_get(server, "/monetarypolicy/fomcprojtabl20220316.htm").status_code == 404
    assert fed_get(server, "/monetarypolicy/fomcprojtabl20251210.htm").status_code == 404  # later


def test_fed_conditional_get_with_etag(server):
    first = fed_get(server, SEP17)
    etag = first.headers["ETag"]
    same = fed_get(server, SEP17, **{"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b""
    assert same.headers["ETag"] == etag and "Last-Modified" in same.headers
    assert fed_get(server, SEP17, **{"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert fed_get(server, SEP17, **{"If-None-Match": "*"}).status_code == 304
    assert fed_get(server, SEP17, **{"If-None-Match": '"stale"'}).status_code == 200
    # If-None-Match wins over a current If-Modified-Since.
    both = {"If-None-Match": '"stale"', "If-Modified-Since": first.headers["Last-Modified"]}
    assert fed_get(server, SEP17, **both).status_code == 200


def test_fed_conditional_get_with_last_modified(server):
    modified = fed_get(server, FEED).headers["Last-Modified"]
    assert fed_get(server, FEED, **{"If-Modified-Since": modified}).status_code == 304
    later = "Fri, 19 Sep 2025 12:00:00 GMT"
    assert fed_get(server, FEED, **{"If-Modified-Since": later}).status_code == 304
    earlier = "Tue, 16 Sep 2025 18:00:00 GMT"
    response = fed_get(server, FEED, **{"If-Modified-Since": earlier})
    assert response.status_code == 200 and response.content.startswith(b"<?xml")
    assert fed_get(server, FEED, **{"If-Modified-Since": "garbage"}).status_code == 200
    assert [r["status"] for r in server.requests] == [200, 304, 304, 200, 200]


def test_fed_client_conditional_fetch(server):
    from rotation_radar.core.transport import HttpSource
    from rotation_radar.sources import fed

    http = HttpSource("federal_reserve", server.url, retries=0)
    first = fed.fetch(http, "https://www.federalreserve.gov" + FEED)
    assert first.status == 200 and first.symbol == FEED
    again = fed.fetch(http, FEED, etag=first.headers["ETag"])
    by_date = fed.fetch(http, FEED, last_modified=first.headers["Last-Modified"])
    assert again.status == by_date.status == 304 and again.body == b""
    fed.check_status(again, http)  # a 304 is a normal answer
    sent = server.requests
    assert [r["path"] for r in sent] == [FEED] * 3 and [r["status"] for r in sent] == [
        200,
        304,
        304,
    ]


def test_fed_unknown_page_and_no_escape(server):
    missing = fed_get(server, "/newsevents/pressreleases/monetary20250918a.htm")
    assert missing.status_code == 404 and "text/html" in missing.headers["Content-Type"]
    assert "Page Not Found" in missing.text
    assert server.handle("GET", "/%2e%2e/yahoo/SPY.json", b"").status == 404
    assert server.handle("GET", "/feeds/../../fred/DGS2.csv", b"").status == 404
    assert server.handle("GET", "/fed/feeds/press_monetary.xml", b"").status == 404


def test_fed_inject_and_log(server):
    server.inject("/newsevents/", [503])
    failed, served = fed_get(server, SEP17), fed_get(server, SEP17)
    assert failed.status_code == 503 and "text/html" in failed.headers["Content-Type"]
    assert served.status_code == 200
    assert server.requests == [
        {"method": "GET", "path": SEP17, "query": {}, "status": 503},
        {"method": "GET", "path": SEP17, "query": {}, "status": 200},
    ]


def fred_get(server, **params) -> requests.Response:
    return requests.get(f"{server.url}/graph/fredgraph.csv", params=params, timeout=10)


def test_fred_route(server, replay_dir):
    full = fred_get(server, id="DFEDTARU")
    assert full.status_code == 200 and full.headers["Content-Type"] == "text/csv"
    assert full.content == (replay_dir / "fred" / "DFEDTARU.csv").read_bytes()
    window = fred_get(server, id="dfedtarl", cosd="2025-09-16", coed="2025-09-18").text
    assert window == "DATE,DFEDTARL\n2025-09-16,4.25\n2025-09-17,4.25\n2025-09-18,4.00\n"
    unknown = fred_get(server, id="NOPE")
    assert unknown.status_code == 404 and "Series Not Found" in unknown.text
    assert fred_get(server).status_code == 404
    assert server.requests[-1] == {
        "method": "GET",
        "path": "/graph/fredgraph.csv",
        "query": {},
        "status": 404,
    }


def read_fred(root: Path, series: str) -> dict[dt.date, float | None]:
    header, *rows = (root / "fred" / f"{series}.csv").read_text().splitlines()
    assert header.split(",")[0] in ("DATE", "observation_date") and header.endswith(f",{series}")
    out = {}
    for row in rows:
        day, value = row.split(",")
        out[D(day)] = None if value == "." else float(value)
    return out


def test_fred_target_range_follows_the_statements(replay_dir):
    from devtools.replay.generate_fed import meetings

    lower, upper = read_fred(replay_dir, "DFEDTARL"), read_fred(replay_dir, "DFEDTARU")
    days = sorted(upper)
    assert days[0] == D("2019-01-01") and days[-1] == END
    assert len(days) == (END - days[0]).days + 1  # every calendar day
    assert all(round(upper[d] - lower[d], 2) == 0.25 for d in days)
    for m in meetings():
        if m.has_statement:
            assert (lower[m.effective], upper[m.effective]) == (m.lower, m.upper), m.release
            if m.change_bps:
                assert round((upper[m.effective] - upper[m.release]) * 100) == m.change_bps
    assert (lower[D("2020-03-16")], upper[D("2020-03-16")]) == (0.0, 0.25)
    assert upper[D("2025-09-17")] == 4.5 and upper[D("2025-09-18")] == 4.25
    headers = {
        (replay_dir / "fred" / f"{s}.csv").read_text().split(",")[0]
        for s in ("DFEDTARL", "DFEDTARU")
    }
    assert headers == {"DATE", "observation_date"}  # both of FRED's header styles


@pytest.mark.parametrize("series", ["DGS2", "DGS10"])
def test_treasury_yields_on_bond_market_days(replay_dir, series):
    values = read_fred(replay_dir, series)
    assert all(day.weekday() < 5 for day in values)
    assert values[D("2024-10-14")] is None  # Columbus Day: NYSE open, bonds closed
    assert values[D("2024-11-11")] is None  # Veterans Day
    assert values[D("2024-12-25")] is None
    assert values[D("2025-01-09")] is not None  # NYSE closed (day of mourning), bonds traded
    assert sessions.is_session(D("2024-10-14")) and sessions.is_session(D("2024-11-11"))
    known = [v for v in values.values() if v is not None]
    assert all(0 < v < 6 for v in known) and all(round(v, 2) == v for v in known)
    assert 60 < sum(v is None for v in values.values()) < 100
