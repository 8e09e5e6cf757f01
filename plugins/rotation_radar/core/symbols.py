"""One symbol map: Yahoo spellings (the project's own) to and from each source's spelling.

Share classes are where sources disagree: Berkshire class B is `BRKB` in iShares
holdings files, `BRK-B` at Yahoo and in SEC `company_tickers.json`, `BRK.B` on the
NYSE tape and `brk-b.us` at Stooq.
"""

from __future__ import annotations

import re

# Stooq names most US indices differently from Yahoo; the rest are lowercase.
_STOOQ_INDICES = {"^GSPC": "^spx", "^RUT": "^rut"}

# iShares drops the separator of NYSE share classes (`BRK.B` -> `BRKB`), so the
# class letter cannot be told from the ticker itself: `BRKB` is Berkshire B but
# `RUSHB` is a Nasdaq symbol spelled that way everywhere. Known NYSE/NYSE American
# dual-class tickers are therefore listed; anything else passes through unchanged.
_ISHARES_SHARE_CLASSES = {
    "AKOA": "AKO-A",
    "AKOB": "AKO-B",
    "BFA": "BF-A",
    "BFB": "BF-B",
    "BIOB": "BIO-B",
    "BRKA": "BRK-A",
    "BRKB": "BRK-B",
    "CRDA": "CRD-A",
    "CRDB": "CRD-B",
    "CWENA": "CWEN-A",
    "GEFB": "GEF-B",
    "GTNA": "GTN-A",
    "HEIA": "HEI-A",
    "HVTA": "HVT-A",
    "LENB": "LEN-B",
    "MKCV": "MKC-V",
    "MOGA": "MOG-A",
    "MOGB": "MOG-B",
    "PBRA": "PBR-A",
    "TAPA": "TAP-A",
    "UHALB": "UHAL-B",
    "WSOB": "WSO-B",
}

# Placeholders iShares writes instead of a ticker (unlisted stubs, cash lines). `CASH`
# is not one: it is Pathward Financial's Nasdaq symbol, an IWM member; cash lines are
# told apart by their asset class, not their ticker.
_NOT_TICKERS = {"", "-", "--", "N/A"}

_PLAIN = re.compile(r"[A-Z]{1,5}")
# `BRK.B`, `BRK B`, `BRK/B`, `BRK-B`: a root, a separator and a one-letter class.
_CLASS_FORM = re.compile(r"([A-Z]{1,5})[.\s/-]+([A-Z])")


def from_ishares(ticker: str | None) -> str | None:
    """Yahoo spelling of an iShares holdings ticker (`BRKB` -> `BRK-B`), or None when
    the cell is not a usable ticker (`-`, empty, numeric or CUSIP-like codes such as
    `P5N994`, futures like `RTYM6`)."""
    if ticker is None:
        return None
    raw = str(ticker).strip().upper()
    if raw in _NOT_TICKERS:
        return None
    if raw in _ISHARES_SHARE_CLASSES:
        return _ISHARES_SHARE_CLASSES[raw]
    if _PLAIN.fullmatch(raw):
        return raw
    match = _CLASS_FORM.fullmatch(raw)
    if match:
        return f"{match[1]}-{match[2]}"
    return None


def to_yahoo(symbol: str) -> str:
    """Yahoo's spelling from any common one: `brk.b`, `BRK/B`, `BRK B`, `brk-b.us` -> `BRK-B`.

    Indices (`^RUT`) keep their caret; Yahoo uses `-` for share classes.
    """
    text = symbol.strip()
    if text.startswith("^"):
        return text.upper()
    text = text.upper()
    if text.endswith(".US"):  # Stooq's market suffix
        text = text[: -len(".US")]
    return re.sub(r"[.\s/]+", "-", text)


def to_sec(symbol: str) -> str | None:
    """SEC `company_tickers.json` spelling (`BRK-B`, dash like Yahoo); None for indices,
    which have no filer."""
    yahoo = to_yahoo(symbol)
    return None if yahoo.startswith("^") else yahoo


def to_stooq(symbol: str) -> str:
    """Stooq's spelling: `^GSPC` -> `^spx`, `SPY` -> `spy.us`, `BRK-B`/`BRK.B` -> `brk-b.us`."""
    if symbol in _STOOQ_INDICES:
        return _STOOQ_INDICES[symbol]
    if symbol.startswith("^"):
        return symbol.lower()
    return symbol.lower().replace(".", "-") + ".us"
