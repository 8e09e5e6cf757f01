"""The whole offline world's source responses: prices (generate_prices), the Fed's pages
and FRED (generate_fed), iShares holdings (generate_ishares) and SEC EDGAR (generate_sec).

Usage: python -m devtools.replay.generate OUT_DIR   (`make replay` writes include/replay)
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from devtools.replay.generate_fed import generate_fed
from devtools.replay.generate_fed import readme as fed_readme
from devtools.replay.generate_ishares import generate_ishares
from devtools.replay.generate_ishares import readme as ishares_readme
from devtools.replay.generate_prices import (
    DEFAULT_SPEC,
    END,
    NVDA_RECORDED_BEFORE_SPLIT,
    SPECS,
    START,
    History,
    simulate,
    stooq_csv,
    unsplit_before,
    write_json,
    yahoo_chart,
)
from devtools.replay.generate_sec import generate_sec
from devtools.replay.generate_sec import readme as sec_readme
from rotation_radar.core import sessions
from rotation_radar.core.settings import load_universe
from rotation_radar.core.symbols import to_stooq

README = """\
# Replay recordings (synthetic)

These files are synthetic, not recorded from the real sources: `make replay`
(`python -m devtools.replay.generate include/replay`) generates them
deterministically (a seeded random walk per symbol, bridged through plausible
levels) in the sources' true formats: `yahoo/<SYMBOL>.json` is a Yahoo chart v8
response for NYSE sessions from {start} to {end} (for the universe's symbols; the
holdings' members below start later), `yahoo/NVDA@2024-06-07.json`
is NVDA as Yahoo served it before its 10-for-1 split of 2024-06-10 (unadjusted,
no split event), and `stooq/<symbol>.csv` is Stooq's daily CSV (split- and
dividend-adjusted). The story they contain: ^RUT's record close of 2442.74 on
2021-11-08; a record intraday high of 2466.49 on 2024-11-25 with a close of
2442.03, below the record; on 2025-09-17 a high of 2453.36 and a close of
2407.34 (tested and failed); a new record close of 2467.70 on 2025-09-18 and a
higher close on 2025-09-19. Before the FOMC meeting ^RUT pulls back from 2391.81
(2025-09-05) to 2287.97 (2025-09-12) and rebounds, so that ^RUT/^GSPC and IWM/SPY
turn `leading` in the rotation graph on 2025-09-17. ETFs and AAPL/MSFT pay quarterly
dividends (so `adjclose` < `close` early on), IWM and SPY track ^RUT/10 and
^GSPC/10, and META has one all-null bar on 2023-03-15, as real Yahoo data
sometimes does.
"""


def generate(
    out_dir: Path, symbols: list[str] | None = None, start: dt.date | None = None
) -> list[Path]:
    """Write yahoo/, stooq/, fed/, fred/ and README.md under out_dir; returns the files written."""
    symbols = list(symbols or load_universe().symbols)
    start = start or START
    days = sessions.sessions_between(start, END)
    # Bases first, so that ETFs can track them.
    ordered = sorted(symbols, key=lambda s: SPECS.get(s, DEFAULT_SPEC).base is not None)
    out_dir = Path(out_dir)
    (out_dir / "yahoo").mkdir(parents=True, exist_ok=True)
    (out_dir / "stooq").mkdir(parents=True, exist_ok=True)
    done: dict[str, History] = {}
    written = []
    for symbol in ordered:
        spec = SPECS.get(symbol, DEFAULT_SPEC)
        if spec.base and spec.base not in done:
            done[spec.base] = simulate(spec.base, days, done)
        history = done[symbol] = done.get(symbol) or simulate(symbol, days, done)
        path = out_dir / "yahoo" / f"{symbol}.json"
        write_json(path, yahoo_chart(history))
        written.append(path)
        path = out_dir / "stooq" / f"{to_stooq(symbol)}.csv"
        path.write_text(stooq_csv(history))
        written.append(path)
        if history.splits and history.symbol == "NVDA":
            path = out_dir / "yahoo" / f"NVDA@{NVDA_RECORDED_BEFORE_SPLIT}.json"
            write_json(path, yahoo_chart(unsplit_before(history, NVDA_RECORDED_BEFORE_SPLIT)))
            written.append(path)
    written += generate_fed(out_dir)
    written += generate_ishares(out_dir)
    written += generate_sec(out_dir)
    readme = out_dir / "README.md"
    readme.write_text(
        README.format(start=days[0], end=days[-1]) + fed_readme() + ishares_readme() + sec_readme()
    )
    written.append(readme)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write (e.g. include/replay)")
    args = parser.parse_args(argv)
    written = generate(args.out_dir)
    size = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files ({size / 1e6:.1f} MB) under {args.out_dir}")


if __name__ == "__main__":
    main()
