"""The morning report, rendered from a real warehouse and opened in headless Chromium.

The warehouse is built once for the module from the replay server, as the DAGs' tasks
build it (real HTTP, real files, real GX): ^RUT, ^GSPC, IWM and SPY since 2019, the IWM
and IVV holdings and their members' prices since 2024 and SEC filings (so
marts.valuation_spread, marts.breadth, marts.concentration and marts.rotation have
rows, and the MAG7 basket is a pair leg and a drawdowns subject), the FOMC statements,
their SEPs (so the Fed's path has the medians of 2022-2025's projections) and FRED's
series (the 2-year yield classifies each decision's surprise);
then a first alerts run that delivers only the latest two sessions goes to local
receivers (the webhook answers 500, so the log holds delivered, failed and suppressed
keys) and the warehouse is rebuilt with that log. Chromium (Debian's `chromium`, `make
chromium`) renders the page; the test reads the DOM after plotly ran and decodes the
screenshot's PNG (zlib, no imaging library) to check that the plot areas are drawn.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html.parser
import json
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import duckdb
import pytest

from devtools.replay import receivers
from devtools.replay.server import ReplayServer
from rotation_radar.alerts import delivery, rules
from rotation_radar.core import storage
from rotation_radar.core.settings import Pair, Universe, Valuation
from rotation_radar.core.transport import HttpSource
from rotation_radar.earnings import ingest as earnings_ingest
from rotation_radar.fomc import ingest as fomc_ingest
from rotation_radar.fomc import sep
from rotation_radar.prices import ingest as prices_ingest
from rotation_radar.report import morning
from rotation_radar.sources import sec
from rotation_radar.universe import ingest as universe_ingest
from rotation_radar.warehouse import publish, read
from tests.integration.conftest import REPLAY_DIR, SEC_USER_AGENT

pytestmark = pytest.mark.integration

SESSION = dt.date(2025, 9, 19)
NOW = dt.datetime(2025, 9, 19, 22, 0, tzinfo=dt.UTC)
MAG7 = ("AAPL", "MSFT", "GOOGL", "AMZN", "NVDA", "META", "TSLA")
UNIVERSE = Universe(
    history_start=dt.date(2019, 1, 2),
    groups={"indices": ("^RUT", "^GSPC"), "etfs": ("IWM", "SPY")},
    baskets={"MAG7": MAG7},
    pairs=(
        Pair("^RUT", "^GSPC", "close"),
        Pair("IWM", "SPY", "adj_close"),
        Pair("IWM", "MAG7", "adj_close"),
    ),
    valuation=Valuation(pairs=(("IWM", "IVV"),)),
)
MEMBERS_START = dt.date(2024, 1, 2)  # the replay's first member bar: 200-session averages
# from the first holdings file (2024-12-31) on
CHARTS = {  # chart element id: the start of its h2 title
    "rut-records": "^RUT close against its record close",
    "rs-rut-gspc": "Relative strength ^RUT/^GSPC: ratio with its 50- and 200-session averages",
    "rs-iwm-spy": "Relative strength IWM/SPY: ratio",
    "rs-iwm-mag7": "Relative strength IWM/MAG7: ratio",
    "rotation-pairs": "Relative rotation graph of the pairs: RS-Ratio against RS-Momentum, "
    "tails of the last 10 sessions",
    "breadth": "Breadth IWM vs IVV: % of members above their 200-session average",
    "concentration-ivv": "MAG7 weight in IVV: the seven stocks' share of the ETF",
    "valuation-iwm-ivv": "Valuation spread IWM vs IVV: earnings-yield spread with z-score bands",
    "fed-path": "The Fed's path: each SEP's federal funds rate median per target year since 2022",
}
SECTORS = {  # a sector graph when marts.rotation has sector rows, else a note
    "rotation-sectors-iwm": "Relative rotation graph of the IWM sectors against IWM",
    "rotation-sectors": "Relative rotation graph of the sectors",
}
TABLES = {  # table section id: its h2 title
    "drawdowns": "Drawdowns and records: each symbol's distance from its record close, "
    "its 52-week low and its records this year",
    "signals": "Signals of the last 5 sessions and their delivery",
    "fomc-event-summary": "FOMC event study: excess return of small over large caps after each "
    "decision, by surprise (the 2-year yield's move on the day) and horizon",
}
WINDOW = (1400, 7000)  # tall enough for every chart of the page


def find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def build_world(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Lake, alerts and warehouse under root/data through SESSION; returns the warehouse."""
    monkeypatch.setenv("RADAR_DATA_DIR", str(root / "data"))
    monkeypatch.setenv("RADAR_ALERT_BACKOFF_SECONDS", "0.01")
    with ReplayServer(REPLAY_DIR).start() as server:

        def http(name: str) -> HttpSource:
            return HttpSource(name, server.url, retries=1, backoff_factor=0.01)

        universe_ingest.fetch_and_load(
            http("ishares"), ["IWM", "IVV"], SESSION, dt.date(2024, 12, 31), "h1", NOW
        )
        for symbols, start, run_id in (
            (["^RUT", "^GSPC", "IWM", "SPY"], UNIVERSE.history_start, "p1"),
            (universe_ingest.current_members(SESSION), MEMBERS_START, "p2"),
        ):
            key = prices_ingest.fetch_all(
                symbols, SESSION, start, 5, http("yahoo_finance"), None, run_id
            )
            prices_ingest.load(key, SESSION, run_id, NOW)
        pages = fomc_ingest.discover(http("federal_reserve"), SESSION, 2019)
        statements = fomc_ingest.fetch_statements(http("federal_reserve"), pages, SESSION, "f1")
        fomc_ingest.load_statements(statements, SESSION, "f1", NOW)
        meetings = sep.discover_projections(http("federal_reserve"), SESSION, 2019)
        projections = sep.fetch_projections(http("federal_reserve"), meetings, SESSION, "f1")
        sep.load_projections(projections, SESSION, "f1", NOW)
        fomc_ingest.load_fred(http("fred"), SESSION, "f1", NOW)
        extra = {
            "user_agent": SEC_USER_AGENT,
            "www_base_url": server.url,
            "retries": 1,
            "backoff_factor": 0.01,
        }
        data, www = sec.sources_from_connection(server.url, extra)
        plan = json.loads(json.dumps(earnings_ingest.plan(www, UNIVERSE, SESSION, "e1", NOW)))
        earnings_ingest.fetch_and_load(data, plan, SESSION, "e1", NOW)
    publish.build_and_publish(UNIVERSE, "b1")
    with (
        receivers.Receiver() as slack,
        receivers.Receiver(statuses=(500,)) as webhook,
        receivers.MailServer() as mail,
    ):
        for name, value in receivers.connections(slack, webhook, mail, "secret", retries=0).items():
            monkeypatch.setenv(name, value)
        # a first run that delivers the latest two sessions only: 2025-09-17 is suppressed
        config = dataclasses.replace(rules.load_config(), first_run_sessions=2)
        with pytest.raises(delivery.DeliveryFailed, match="webhook"):
            delivery.deliver_signals("a1", NOW, config)
    publish.build_and_publish(UNIVERSE, "b2")  # marts.alert_log now holds the outcomes
    return storage.path(read.WAREHOUSE_KEY)


def chromium(binary: str, url: str, *args: str, profile: Path) -> subprocess.CompletedProcess:
    command = [
        binary,
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=15000",
        *args,
        url,
    ]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, (
        f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-3000:]}"
    )
    return done


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The report rendered from the world, its DOM after scripts ran, and a screenshot."""
    binary = find_chromium()
    if binary is None:
        pytest.skip("chromium not found on PATH: `make chromium` installs Debian's package")
    root = tmp_path_factory.mktemp("report")
    with pytest.MonkeyPatch.context() as monkeypatch:
        path = build_world(root, monkeypatch)
        out = root / "data" / morning.REPORTS_KEY
        page = morning.render(path, out)
    url = page.resolve().as_uri()
    dom = chromium(binary, url, "--dump-dom", profile=root / "chromium-dom").stdout
    screenshot = root / "report.png"
    chromium(
        binary,
        url,
        f"--screenshot={screenshot}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        profile=root / "chromium-shot",
    )
    print(f"\nreport: {page} ({page.stat().st_size:,} bytes)\nscreenshot: {screenshot}")
    return {"page": page, "out": out, "dom": dom, "screenshot": screenshot, "warehouse": path}


def test_report_files_are_written_beside_their_script(rendered):
    page, out = rendered["page"], rendered["out"]
    assert page.name == f"{SESSION.isoformat()}.html"
    assert (out / "latest.html").read_bytes() == page.read_bytes()
    assert (out / morning.PLOTLY_JS).stat().st_size > 1_000_000
    assert not [p.name for p in out.iterdir() if p.name.startswith(".")]  # no temporary file left
    text = page.read_text()
    assert '<script src="plotly.min.js"></script>' in text
    assert not re.search(r"""src=["']https?:""", text)  # offline: nothing from a CDN


def test_rerender_is_identical(rendered, tmp_path):
    again = morning.render(rendered["warehouse"], tmp_path)
    assert again.read_bytes() == rendered["page"].read_bytes()


class Outline(html.parser.HTMLParser):
    """The h2 titles, the plotted chart divs and the table cells of a DOM."""

    def __init__(self):
        super().__init__()
        self.h2, self.plotted, self.statuses, self.main_svgs = [], set(), [], 0
        self._text: list[str] | None = None
        self._status = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "h2":
            self._text = []
        if "js-plotly-plot" in classes:
            self.plotted.add(attrs.get("id"))
        if tag == "svg" and "main-svg" in classes:
            self.main_svgs += 1
        self._status = tag == "td" and "status" in classes

    def handle_data(self, data):
        if self._text is not None:
            self._text.append(data)
        if self._status:
            self.statuses.append(data)

    def handle_endtag(self, tag):
        if tag == "h2" and self._text is not None:
            self.h2.append("".join(self._text))
            self._text = None
        self._status = False


def test_chart_titles_and_plotted_charts_in_the_rendered_dom(rendered):
    outline = Outline()
    outline.feed(rendered["dom"])
    for section_id, title in CHARTS.items():
        assert any(h.startswith(title) for h in outline.h2), (title, outline.h2)
        assert f"{section_id}-chart" in outline.plotted, f"plotly did not draw #{section_id}-chart"
    for section_id, title in TABLES.items():
        assert title in outline.h2, (title, outline.h2)
        assert f'<h2 id="{section_id}-title">' in rendered["dom"], section_id
    # a sector graph when the replay's IWM has sectors big enough for marts.rotation
    with duckdb.connect(str(rendered["warehouse"]), read_only=True) as con:
        (sector_rows,) = con.execute(
            "select count(rs_momentum) from marts.rotation where kind = 'sector'"
        ).fetchall()[0]
    graph, note = SECTORS
    if sector_rows:
        assert f"{graph}-chart" in outline.plotted
    else:
        assert SECTORS[note] in outline.h2 and f'<h2 id="{note}-title">' in rendered["dom"]
    assert outline.main_svgs >= len(CHARTS), outline.main_svgs
    assert "Rotation Radar: morning report for the 2025-09-19 session" in rendered["dom"]
    # the breakouts and FOMC decisions are drawn: legend entries and axis labels
    for text in ("tested and failed", "record close", "cut -25 bp", "hike +75 bp", "mean ± 2 SD"):
        assert text in rendered["dom"], text
    # the rotation graph's quadrants and tails, breadth's baskets, the MAG7 weight
    for text in ("leading", "weakening", "lagging", "improving", "RS-Ratio", "RS-Momentum"):
        assert text in rendered["dom"], text
    for text in ("^RUT/^GSPC", "IWM/SPY", "IWM/MAG7", "IVV: by weight", "MAG7 weight in IVV"):
        assert text in rendered["dom"], text
    # the Fed's path: a line per target year 2022..2028 and the longer run, over the range;
    # the September 2025 SEP's three cuts (3.6%), one more than June's
    for text in [f"median for {year}" for year in range(2022, 2029)] + [
        "median for longer run",
        "target range",
        "SEP of 2025-09-17 (",
        "median 3.6% (dots 3.625%) for 2025 (-25 bp against the SEP of 2025-06-18)",
    ]:
        assert text in rendered["dom"], text
    # the event study's table: both leg pairs, the pooled row first, surprises from DGS2
    for text in ("^RUT vs ^GSPC", "IWM vs SPY", "<td>cut</td><td>all</td>", "<td>hawkish</td>"):
        assert text in rendered["dom"], text
    # the first run delivered the latest sessions, suppressed older ones, the webhook failed,
    # and rules off for a channel were not alerted there
    assert {"delivered", "failed", "suppressed", "not alerted"} <= set(outline.statuses)


def decode_png(data: bytes) -> tuple[int, int, list[bytearray]]:
    """Width, height and RGB rows of an 8-bit RGB or RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", data[pos + 8 : pos + 8 + length])
        elif kind == b"IDAT":
            idat.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and not interlace, f"unexpected PNG format {header}"
    bpp = 3 if color == 2 else 4
    stride = width * bpp
    raw = zlib.decompress(b"".join(idat))
    rows, prior = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:  # Sub
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:  # Up
            line = bytearray((a + b) & 0xFF for a, b in zip(line, prior, strict=True))
        elif kind == 3:  # Average
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + prior[i]) >> 1)) & 0xFF
        elif kind == 4:  # Paeth
            for i in range(stride):
                a, c = (line[i - bpp], prior[i - bpp]) if i >= bpp else (0, 0)
                b = prior[i]
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(line if bpp == 3 else bytearray(v for i, v in enumerate(line) if i % 4 != 3))
        prior = line
    return width, height, rows


def plot_areas(width: int, rows: list[bytearray], min_height: int = 150) -> list[tuple[int, int]]:
    """(top, bottom) of each block of at least `min_height` consecutive rows that all
    have something drawn: a plot area (its grid lines cross every row of it), never a
    heading, a line of text or a table row."""
    white = bytes([255]) * 3
    blocks, top = [], None
    for y, row in enumerate([*rows, bytearray(white * width)]):
        drawn = sum(1 for x in range(0, 3 * width, 3) if row[x : x + 3] != white) >= 5
        if drawn and top is None:
            top = y
        elif not drawn and top is not None:
            if y - top >= min_height:
                blocks.append((top, y - 1))
            top = None
    return blocks


def test_screenshot_shows_drawn_charts(rendered):
    width, height, rows = decode_png(rendered["screenshot"].read_bytes())
    assert (width, height) == WINDOW
    areas = plot_areas(width, rows)
    assert len(areas) >= len(CHARTS), (
        f"{len(areas)} plot areas found in {rendered['screenshot']}: {areas}"
    )
    print(f"\nscreenshot {rendered['screenshot']}: {len(areas)} plot areas")
    for top, bottom in areas:
        pixels = [
            tuple(rows[y][x : x + 3])
            for y in range(top, bottom + 1)
            for x in range(0, 3 * width, 3)
        ]
        drawn = sum(1 for p in pixels if p != (255, 255, 255)) / len(pixels)
        # lines, markers, text: not grid or fill
        marks = sum(1 for p in pixels if min(p) < 200) / len(pixels)
        colours = len(set(pixels))
        print(
            f"  rows {top}-{bottom}: {drawn:.1%} non-white, {marks:.1%} dark marks, "
            f"{colours} colours"
        )
        assert drawn > 0.05 and marks > 0.01 and colours > 50, (top, bottom, drawn, marks, colours)
    whole = [tuple(row[i : i + 3]) for row in rows[::4] for i in range(0, 3 * width, 12)]
    non_white = sum(1 for p in whole if p != (255, 255, 255)) / len(whole)
    print(f"  whole page: {non_white:.1%} non-white, {len(set(whole))} colours (1 pixel in 16)")
    assert non_white > 0.05 and len(set(whole)) > 100
