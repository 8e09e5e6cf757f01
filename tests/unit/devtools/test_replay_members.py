"""The replay's basket members: a Yahoo recording for every holdings member (but one),
holdings prices that are those recordings' closes, a 2-for-1 split seen by Yahoo, iShares
and SEC alike, SEC files for every member (but one) and the September 2025 filers; and the
signals the demo shows in its last sessions (breadth thrust, rotation, MAG7 weight record)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest

from devtools.replay import generate_ishares as ishares_gen
from devtools.replay import generate_sec as sec_gen
from devtools.replay.generate import generate
from devtools.replay.generate_prices import END, SPECS
from rotation_radar.core import sessions
from rotation_radar.core.symbols import from_ishares
from rotation_radar.earnings import fundamentals
from rotation_radar.sources import sec

NEW_YORK = ZoneInfo("America/New_York")
D = dt.date.fromisoformat
SPLIT_DAY, NUMERATOR, DENOMINATOR = ishares_gen.SPLIT
PRODUCTS = {"IWM": "239710", "IVV": "239726"}


@pytest.fixture(scope="module")
def replay_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("replay")
    generate(out)
    return out


def holdings(root: Path, fund: str) -> dict[dt.date, list[dict]]:
    """as-of date -> the file's equity lines (Yahoo symbol, quantity, price, market value)."""
    files = {}
    for path in sorted((root / "ishares" / PRODUCTS[fund]).glob("*.csv")):
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith("Ticker,"))
        rows = []
        for cells in csv.reader(lines[start + 1 :]):
            if len(cells) != 15 or cells[3] != "Equity" or from_ishares(cells[0]) is None:
                continue

            def number(text: str) -> float:
                return float(text.replace(",", ""))

            rows.append(
                {
                    "symbol": from_ishares(cells[0]),
                    "value": number(cells[4]),
                    "quantity": number(cells[7]),
                    "price": number(cells[8]),
                    "weight": number(cells[5]),
                }
            )
        files[D(path.stem)] = rows
    return files


@cache
def closes(path: Path) -> dict[dt.date, float | None]:
    result = json.loads(path.read_text())["chart"]["result"][0]
    quote = result["indicators"]["quote"][0]
    return {
        dt.datetime.fromtimestamp(ts, NEW_YORK).date(): quote["close"][i]
        for i, ts in enumerate(result["timestamp"])
    }


def chart(root: Path, name: str) -> dict:
    return json.loads((root / "yahoo" / f"{name}.json").read_text())["chart"]["result"][0]


def symbols(root: Path, fund: str | None = None) -> set[str]:
    funds = [fund] if fund else list(PRODUCTS)
    return {r["symbol"] for f in funds for rows in holdings(root, f).values() for r in rows}


def companyfacts(root: Path, cik: int) -> dict:
    return json.loads((root / "sec/api/xbrl/companyfacts" / f"CIK{cik:010d}.json").read_text())


def tickers(root: Path) -> dict[str, int]:
    body = (root / "sec/files/company_tickers.json").read_bytes()
    return sec.parse_tickers(body).set_index("ticker")["cik"].to_dict()


# ------------------------------------------------------------------ prices


def test_every_member_but_one_has_a_yahoo_recording(replay_dir):
    members = symbols(replay_dir)
    assert len(symbols(replay_dir, "IWM")) == 66 and len(symbols(replay_dir, "IVV")) == 53
    assert ishares_gen.UNKNOWN_TO_YAHOO in symbols(replay_dir, "IWM")
    assert {"BRK-B", "GOOG"} <= members and "BRKB" not in members
    for symbol in members - {ishares_gen.UNKNOWN_TO_YAHOO}:
        result = chart(replay_dir, symbol)
        assert result["meta"]["symbol"] == symbol
        days = sorted(closes(replay_dir / "yahoo" / f"{symbol}.json"))
        assert days[-1] == END
        if symbol not in SPECS:  # a member's own recording starts in 2024
            assert days[0] == ishares_gen.MEMBERS_START, symbol
            assert days == sessions.sessions_between(ishares_gen.MEMBERS_START, END)
    assert not (replay_dir / "yahoo" / f"{ishares_gen.UNKNOWN_TO_YAHOO}.json").exists()
    assert not list(
        (replay_dir / "stooq").glob(f"{ishares_gen.SPLITTER.lower()}*")
    )  # no Stooq files


@pytest.mark.parametrize("fund", ["IWM", "IVV"])
def test_holdings_price_is_the_recorded_close(replay_dir, fund):
    for as_of, rows in holdings(replay_dir, fund).items():
        for row in rows:
            symbol = row["symbol"]
            if symbol == ishares_gen.UNKNOWN_TO_YAHOO:
                continue
            close = closes(replay_dir / "yahoo" / f"{symbol}.json")[as_of]
            if symbol == ishares_gen.SPLITTER and as_of < SPLIT_DAY:
                # iShares shows the price as traded: the recording before the split.
                before = f"{symbol}@{ishares_gen.SPLITTER_RECORDED_BEFORE_SPLIT}.json"
                assert row["price"] == closes(replay_dir / "yahoo" / before)[as_of]
                close = round(close * NUMERATOR / DENOMINATOR, 2)
            # iShares writes cents (NVDA's recording has thousandths of a dollar).
            assert row["price"] == round(close, 2), (fund, as_of, symbol)
            assert row["value"] == pytest.approx(row["quantity"] * row["price"], abs=0.01)


def test_holdings_weights_and_market_values_are_plausible(replay_dir):
    iwm, ivv = holdings(replay_dir, "IWM"), holdings(replay_dir, "IVV")
    for rows in iwm.values():
        assert all(0.1e9 < r["value"] < 10e9 and 1 < r["price"] < 500 for r in rows)
    for rows in ivv.values():
        top = {r["symbol"] for r in sorted(rows, key=lambda r: -r["value"])[:9]}
        assert {"AAPL", "MSFT", "NVDA", "AMZN", "META", "GOOGL", "GOOG", "BRK-B"} <= top


def test_splitter_split_as_yahoo_serves_it(replay_dir):
    symbol = ishares_gen.SPLITTER
    final = chart(replay_dir, symbol)
    ts = int(sessions.open_close(SPLIT_DAY)[0].timestamp())
    assert final["events"]["splits"] == {
        str(ts): {"date": ts, "numerator": 2, "denominator": 1, "splitRatio": "2:1"}
    }
    before = chart(replay_dir, f"{symbol}@{ishares_gen.SPLITTER_RECORDED_BEFORE_SPLIT}")
    assert "events" not in before
    old = closes(
        replay_dir / "yahoo" / f"{symbol}@{ishares_gen.SPLITTER_RECORDED_BEFORE_SPLIT}.json"
    )
    new = closes(replay_dir / "yahoo" / f"{symbol}.json")
    assert max(old) == ishares_gen.SPLITTER_RECORDED_BEFORE_SPLIT
    assert all(old[d] == pytest.approx(2 * new[d], abs=1e-9) for d in old)
    # The holdings' share count doubles and the market value carries on.
    rows = {
        d: next(r for r in rs if r["symbol"] == symbol)
        for d, rs in holdings(replay_dir, "IWM").items()
    }
    may, june = rows[D("2025-05-30")], rows[D("2025-06-30")]
    assert june["quantity"] == pytest.approx(2 * may["quantity"], rel=0.01)


# ------------------------------------------------------------------ the demo's signals
# Computed here from the recordings by the definitions of the rules breadth_thrust,
# rotation_quadrant_change and concentration_record (include/sql/alerts), so
# that the demo's first alerts run (the latest 3 sessions) has each of them to deliver.


def adjusted(root: Path, symbol: str) -> pd.Series:
    result = chart(root, symbol)
    days = [dt.datetime.fromtimestamp(ts, NEW_YORK).date() for ts in result["timestamp"]]
    return pd.Series(result["indicators"]["adjclose"][0]["adjclose"], index=days, dtype=float)


def test_iwm_members_make_a_breadth_thrust_on_the_thrust_day(replay_dir):
    """The 10-session EMA (alpha 2/11) of advances / (advances + declines) of IWM's members
    (as of the latest holdings file) crosses above 0.615 on THRUST_DAY, after a value below
    0.40 in the 10 sessions before, and on no later session."""
    files = holdings(replay_dir, "IWM")
    members = {
        s: adjusted(replay_dir, s)
        for s in symbols(replay_dir, "IWM") - {ishares_gen.UNKNOWN_TO_YAHOO}
    }
    days = sessions.sessions_between(min(files), END)
    ratios = []
    for previous, day in zip(days, days[1:], strict=False):
        as_of = max(d for d in files if d <= day)
        moves = [
            members[r["symbol"]][day] - members[r["symbol"]][previous]
            for r in files[as_of]
            if r["symbol"] in members
        ]
        advances, declines = sum(m > 0 for m in moves), sum(m < 0 for m in moves)
        ratios.append(advances / (advances + declines))
    ema = pd.Series(ratios, index=days[1:]).ewm(alpha=2 / 11, adjust=False).mean()
    thrust = ishares_gen.THRUST_DAY
    at = ema.index.get_loc(thrust)
    assert ema.iloc[at - 1] <= 0.615 < ema.iloc[at]
    assert ema.iloc[at - 10 : at].min() < 0.40
    assert (ema.iloc[at:] > 0.615).all()  # no second crossing after it
    assert thrust > sessions.sessions_back(END, 3)  # among the first run's alerts (latest 3)


def rotation(ratio: pd.Series) -> pd.DataFrame:
    """The relative rotation graph of marts.rotation: z-scores over 63 observations."""
    rs_ratio = 100 + (ratio - ratio.rolling(63).mean()) / ratio.rolling(63).std(ddof=0)
    roc = 100 * (rs_ratio / rs_ratio.shift(10) - 1)
    rs_momentum = 100 + (roc - roc.rolling(63).mean()) / roc.rolling(63).std(ddof=0)
    return pd.DataFrame({"rs_ratio": rs_ratio, "rs_momentum": rs_momentum})


@pytest.mark.parametrize(
    ("numerator", "denominator", "price"),
    [("^RUT", "^GSPC", "close"), ("IWM", "SPY", "adjclose")],
)
def test_small_caps_turn_leading_on_the_fomc_day(replay_dir, numerator, denominator, price):
    """^RUT/^GSPC and IWM/SPY are `weakening` (rs_ratio >= 100, rs_momentum < 100) on
    2025-09-16 and `leading` (both >= 100) from 2025-09-17 to the end."""

    def prices(symbol: str) -> pd.Series:
        if price == "adjclose":
            return adjusted(replay_dir, symbol)
        return pd.Series(closes(replay_dir / "yahoo" / f"{symbol}.json"), dtype=float)

    graph = rotation(prices(numerator) / prices(denominator))
    before = graph.loc[D("2025-09-16")]
    assert before["rs_ratio"] >= 100 > before["rs_momentum"]
    after = graph.loc[D("2025-09-17") :]
    assert list(after.index)[-1] == END
    assert (after["rs_ratio"] >= 100).all() and (after["rs_momentum"] >= 100).all()


def test_mag7_weight_in_ivv_is_a_record_on_the_last_file(replay_dir):
    """The Magnificent Seven's weight (GOOGL and GOOG added) in IVV's last file is above
    every earlier file's."""
    mag7 = {"AAPL", "MSFT", "GOOGL", "GOOG", "AMZN", "NVDA", "META", "TSLA"}
    weights = {
        as_of: sum(r["weight"] for r in rows if r["symbol"] in mag7)
        for as_of, rows in holdings(replay_dir, "IVV").items()
    }
    assert max(weights) == END
    assert weights[END] > max(w for as_of, w in weights.items() if as_of < END)


# ------------------------------------------------------------------ SEC


def test_every_member_but_one_is_at_sec(replay_dir):
    ciks = tickers(replay_dir)
    missing = symbols(replay_dir) - set(ciks)
    assert missing == {sec_gen.NOT_AT_SEC}
    assert sec_gen.NOT_AT_SEC in symbols(replay_dir, "IWM")
    assert ishares_gen.UNKNOWN_TO_YAHOO in ciks  # unknown to Yahoo, known to SEC
    assert len(ciks) == 119 and len(set(ciks.values())) == 117
    assert ciks["GOOG"] == ciks["GOOGL"] and ciks["BRK-A"] == ciks["BRK-B"]
    for symbol, cik in ciks.items():
        assert (replay_dir / "sec/submissions" / f"CIK{cik:010d}.json").is_file(), symbol
        assert companyfacts(replay_dir, cik)["cik"] == cik


def test_share_counts_match_the_holdings(replay_dir):
    """dei shares outstanding (latest on END) ~ the last holdings file's Quantity."""
    ciks = tickers(replay_dir)
    last = {
        r["symbol"]: r for r in holdings(replay_dir, "IWM")[END] + holdings(replay_dir, "IVV")[END]
    }
    invented = [
        s for s, m in ishares_gen.members().items() if m.invented and s in ciks and s in last
    ]
    assert len(invented) > 90
    for symbol in invented:
        shares = fundamentals.ttm_fundamentals(companyfacts(replay_dir, ciks[symbol]), END)[
            "shares_outstanding"
        ]
        assert shares == pytest.approx(last[symbol]["quantity"], rel=0.03), symbol


def test_splitter_share_counts_and_eps_change_basis_at_the_split(replay_dir):
    cik = tickers(replay_dir)[ishares_gen.SPLITTER]
    doc = companyfacts(replay_dir, cik)
    shares = doc["facts"]["dei"]["EntityCommonStockSharesOutstanding"]["units"]["shares"]
    before = [f for f in shares if D(f["end"]) < SPLIT_DAY]
    after = [f for f in shares if D(f["end"]) >= SPLIT_DAY]
    assert before and after
    assert after[0]["val"] / before[-1]["val"] == pytest.approx(2, rel=0.03)
    assert all(D(f["filed"]) >= SPLIT_DAY for f in after)
    # After the split, the comparatives are restated: half the values filed before it.
    eps = doc["facts"]["us-gaap"]["EarningsPerShareDiluted"]["units"]["USD/shares"]
    first_after = min(f["filed"] for f in eps if D(f["filed"]) >= SPLIT_DAY)
    restated = [f for f in eps if f["filed"] == first_after and D(f["end"]) < SPLIT_DAY]
    assert len(restated) >= 2
    for fact in restated:
        old = [
            f
            for f in eps
            if (f["start"], f["end"]) == (fact["start"], fact["end"])
            and f["filed"] < str(SPLIT_DAY)
        ]
        assert old and old[-1]["val"] == pytest.approx(2 * fact["val"]), fact
    # The pipeline reads one basis at every date.
    company = next(c for c in sec_gen.companies() if c.cik == cik)
    for as_of in (D("2025-06-10"), END):
        got = fundamentals.ttm_fundamentals(doc, as_of)
        assert got["eps_diluted"] == pytest.approx(
            sec_gen.expected_ttm(company, as_of)["eps_diluted"]
        )


def test_september_filers_are_in_the_daily_indexes(replay_dir):
    ciks = tickers(replay_dir)
    folder = replay_dir / "sec/Archives/edgar/daily-index/2025/QTR3"
    rows = []
    for path in sorted(folder.glob("form.*.idx")):
        day = dt.datetime.strptime(path.name[5:13], "%Y%m%d").date()
        rows += sec.parse_daily_index(path.read_bytes(), day).to_dict("records")
    reports = [
        r for r in rows if r["form_type"] in ("10-Q", "10-K") and r["cik"] in set(ciks.values())
    ]
    october = {c.cik for c in sec_gen.companies() if c.fye_month == 10}
    planned = {ciks[t] for t in sec_gen.SEPTEMBER_FILERS}
    assert len(planned) == 4 and len(october) == 2
    assert {r["cik"] for r in reports} == planned | october and len(reports) == 6
    ivv = symbols(replay_dir, "IVV") - {
        "AAPL",
        "MSFT",
        "NVDA",
        "AMZN",
        "META",
        "GOOGL",
        "TSLA",
        "GOOG",
        "BRK-B",
    }
    assert len(set(sec_gen.SEPTEMBER_FILERS) & ivv) >= 1  # a large cap among them
    for row in reports:
        accession = row["file_name"].split("/")[-1].removesuffix(".txt")
        assert row["file_name"] == f"edgar/data/{row['cik']}/{accession}.txt"
        doc = companyfacts(replay_dir, row["cik"])
        carried = [
            f
            for t in doc["facts"].values()
            for c in t.values()
            for u in c["units"].values()
            for f in u
            if f["accn"] == accession
        ]
        assert carried, row
        assert {f["filed"] for f in carried} == {row["date_filed"].isoformat()}
        assert {f["form"] for f in carried} == {row["form_type"]}
        submissions = json.loads(
            (replay_dir / "sec/submissions" / f"CIK{row['cik']:010d}.json").read_text()
        )
        assert accession in submissions["filings"]["recent"]["accessionNumber"]


def test_facts_are_complete_and_none_is_filed_after_the_end(replay_dir):
    for path in (replay_dir / "sec/api/xbrl/companyfacts").glob("*.json"):
        doc = json.loads(path.read_text())
        for taxonomy, concepts in doc["facts"].items():
            for name, concept in concepts.items():
                for facts in concept["units"].values():
                    for f in facts:
                        assert {"end", "val", "accn", "fy", "fp", "form", "filed"} <= set(f), (
                            path.name,
                            name,
                        )
                        assert D(f["filed"]) <= END and D(f["end"]) <= END
                        if taxonomy == "us-gaap":
                            assert "start" in f and D(f["start"]) < D(f["end"])


def test_aggregate_pe_per_basket_on_the_last_day():
    """Sum of market caps over sum of TTM net income, as the valuation spread computes it."""
    listed = ishares_gen.members()
    everyone = sec_gen.companies()
    big = {spec[0] for spec in sec_gen.BIG_CAPS}

    def pe(group) -> float:
        ttm = [(c, sec_gen.expected_ttm(c, END)) for c in group]
        ttm = [(c, t) for c, t in ttm if t["net_income"] is not None]
        cap = sum(t["shares_outstanding"] * listed[c.tickers[0]].close(END) for c, t in ttm)
        return cap / sum(t["net_income"] for _c, t in ttm)

    assert 15 < pe([c for c in everyone if c.small]) < 30
    assert 18 < pe([c for c in everyone if not c.small and c.cik not in big]) < 30
    assert 28 < pe([c for c in everyone if c.cik in big and c.tickers[0] != "BRK-B"]) < 40
    losers = [
        c
        for c in everyone
        if c.small
        and sec_gen.expected_ttm(c, END)["net_income"] is not None
        and sec_gen.expected_ttm(c, END)["net_income"] < 0
    ]
    assert 4 <= len(losers) <= 8
