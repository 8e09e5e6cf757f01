"""One symbol map: Yahoo spellings (the project's own) to each source's spelling."""

from __future__ import annotations

# Stooq names most US indices differently from Yahoo; the rest are lowercase.
_STOOQ_INDICES = {"^GSPC": "^spx", "^RUT": "^rut"}


def to_stooq(symbol: str) -> str:
    """Stooq's spelling: `^GSPC` -> `^spx`, `SPY` -> `spy.us`, `BRK-B`/`BRK.B` -> `brk-b.us`."""
    if symbol in _STOOQ_INDICES:
        return _STOOQ_INDICES[symbol]
    if symbol.startswith("^"):
        return symbol.lower()
    return symbol.lower().replace(".", "-") + ".us"
