"""iShares holdings against the replay server: real HTTP, real files. Each fund's
month-end files since holdings_start are stored once; a failing fund fails the run
after the other is stored, its raw bytes kept."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from rotation_radar.core import lake, storage
from rotation_radar.core.transport import HttpSource
from rotation_radar.sources import ishares
from rotation_radar.universe import ingest

DAY = dt.date(2025, 9, 19)
START = dt.date(2024, 12, 31)
NOW = dt.datetime(2025, 9, 20, tzinfo=dt.UTC)
MONTH_ENDS = [
    "2024-12-31",
    "2025-01-31",
    "2025-02-28",
    "2025-03-31",
    "2025-04-30",
    "2025-05-30",
    "2025-06-30",
    "2025-07-31",
    "2025-08-29",
    "2025-09-19",
]


def http(server):
    return HttpSource("ishares", server.url, retries=2, backoff_factor=0.01)


def load(server, run_id="run1", day=DAY, funds=("IWM", "IVV")):
    return ingest.fetch_and_load(http(server), list(funds), day, START, run_id, NOW)


def members():
    return lake.read_all("universe_members")


def quality(run_id="run1"):
    frame = lake.read_all("data_quality")
    return {r.check: r for r in frame[frame["run_id"] == run_id].itertuples()}


def test_history_loads_for_both_funds_and_rerun_is_identical(data_dir, replay):
    summary = load(replay)
    assert summary["IWM"]["stored"] == MONTH_ENDS and summary["IVV"]["stored"] == MONTH_ENDS
    frame = members()
    dates = {b: sorted(d.isoformat() for d in set(g["as_of"])) for b, g in frame.groupby("basket")}
    assert dates == {"IWM": MONTH_ENDS, "IVV": MONTH_ENDS}
    ivv = frame[(frame.basket == "IVV") & (frame.as_of == DAY)].set_index("symbol")
    top = ivv.sort_values("weight", ascending=False).index[:8]
    assert set(top) == {"AAPL", "MSFT", "GOOGL", "GOOG", "AMZN", "NVDA", "META", "TSLA"}
    assert "BRK-B" in ivv.index and "BRKB" not in ivv.index
    iwm = frame[frame.basket == "IWM"]
    assert 55 <= len(iwm[iwm.as_of == DAY]) <= 65
    first, last = (
        set(iwm[iwm.as_of == dt.date.fromisoformat(d)].symbol) for d in ("2025-01-31", "2025-02-28")
    )
    assert first != last and len(first ^ last) <= 4  # a member joins, another leaves
    checks = quality()
    assert checks["files_read:IWM"].success and checks["not_members:IWM"].unexpected_count == 3 * 10
    assert not checks["members_without_ticker:IWM"].success  # the unlisted "-" stub, reported
    assert "ARCELLX" in checks["members_without_ticker:IWM"].detail

    replay.clear_requests()
    load(replay, run_id="run2")
    asked = [r["query"].get("asOfDate") for r in replay.requests]
    assert asked == ["20250919", "20250919"]  # only the run's day again
    again = members()
    columns = [c for c in again.columns if c not in ("ingested_at", "run_id", "raw_key")]
    key = ["basket", "as_of", "symbol"]
    pd_equal = (
        again[columns]
        .sort_values(key, ignore_index=True)
        .equals(frame[columns].sort_values(key, ignore_index=True))
    )
    assert pd_equal


def test_a_past_day_sees_the_past(data_dir, replay):
    summary = load(replay, day=dt.date(2025, 3, 14), funds=("IWM",))
    assert summary["IWM"]["stored"] == ["2024-12-31", "2025-01-31", "2025-02-28"]
    assert members()["as_of"].max() == dt.date(2025, 2, 28)


def test_before_the_first_file_is_an_empty_table(replay):
    response = requests.get(
        replay.url + ishares.holdings_path("IWM"),
        params=ishares.params("IWM", dt.date(2020, 1, 31)),
        timeout=10,
    )
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/csv"
    assert response.text.rstrip().endswith("Accrual Date") and '"Jan 31, 2020"' in response.text


def reordered(server) -> bytes:
    text = requests.get(
        server.url + ishares.holdings_path("IWM"), params=ishares.params("IWM"), timeout=10
    ).text
    server.clear_requests()
    lines = text.split("\n")
    import csv
    import io

    out = []
    for line in lines:
        cells = (
            next(csv.reader(io.StringIO(line)), [])
            if line.count(",") >= 14 and "\u00a0" not in line
            else None
        )
        if cells and len(cells) == 15:
            cells = cells[1:3] + cells[:1] + cells[3:]  # Name, Sector, Ticker, ...
            line = ",".join(
                f'"{c}"' if not c.startswith("Name") and c not in ("Sector", "Ticker") else c
                for c in cells
            )
        out.append(line)
    return "\n".join(out).encode("utf-8")


def test_changed_column_order_still_loads(data_dir, replay):
    body = reordered(replay)
    assert b"\nName,Sector,Ticker," in body
    replay.inject(ishares.holdings_path("IWM"), [200], body=body)
    load(replay, day=DAY, funds=("IWM",))
    latest = members().query("as_of == @DAY")
    assert 55 <= len(latest) <= 65 and latest["name"].str.len().min() > 3
    assert set(latest["sector"]) <= {
        "Information Technology",
        "Health Care",
        "Financials",
        "Industrials",
        "Consumer Discretionary",
        "Energy",
        "Materials",
        "Real Estate",
        "Utilities",
        "Communication",
        "Consumer Staples",
    }


def test_503_storm_on_one_fund_fails_naming_it_and_stores_the_other(data_dir, replay):
    replay.inject("/us/products/239710/", [503] * 200)
    with pytest.raises(ingest.HoldingsFailed) as err:
        load(replay)
    message = str(err.value)
    assert "IWM" in message and "IVV" not in message.split(":")[0] and "503" in message
    assert set(members()["basket"]) == {"IVV"}
    raw = [k for k in storage.keys(f"raw/ishares/{DAY}", "IWM-*") if not k.endswith(".json")]
    assert raw and b"503" in storage.read_bytes(raw[0])
    assert not quality()["files_read:IWM"].success and quality()["files_read:IVV"].success
