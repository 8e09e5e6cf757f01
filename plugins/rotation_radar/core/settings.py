"""Settings: every RADAR_* environment variable is read here, and the universe file
(validated on load)."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from rotation_radar.core.sessions import CALENDAR_START

REPO_ROOT = Path(__file__).resolve().parents[3]
INCLUDE_DIR = REPO_ROOT / "include"
SQL_DIR = INCLUDE_DIR / "sql"
DEFAULT_UNIVERSE = INCLUDE_DIR / "config" / "universe.yaml"
DEFAULT_ALERTS = INCLUDE_DIR / "config" / "alerts.yaml"
# The Airflow pool of every task that calls SEC EDGAR (include/config/pools.json).
SEC_POOL = "sec_edgar"
# The price a relative-strength pair compares: close (indices) or adj_close (ETFs, baskets).
PAIR_PRICES = ("close", "adj_close")
# Baskets whose members come from ETF holdings files (universe_members), not the file.
HOLDINGS_BASKETS = ("IWM", "IVV")
DEFAULT_HOLDINGS_START = dt.date(2024, 12, 31)
# `history_start: max`: each symbol's whole history, from its first trade date at the source.
WHOLE_HISTORY = "max"
# A close this many times the previous one (or below its reciprocal), with no split to
# explain it, is quarantined until the symbol's next bar confirms the new level.
DEFAULT_JUMP_FACTOR = 4.0
# The FOMC has released a statement after each decision since February 1994.
FIRST_STATEMENT_DAY = dt.date(1994, 1, 1)


class ConfigError(ValueError):
    """A configuration file is malformed; the message names the file and the key."""


def data_url() -> str | None:
    """RADAR_DATA_DIR when it is an object-storage URL (s3://bucket/prefix, no trailing
    slash), else None."""
    value = os.environ.get("RADAR_DATA_DIR") or ""
    return value.rstrip("/") if is_url(value) else None


def is_url(value: str) -> bool:
    return "://" in value


def data_dir() -> Path:
    """Root of raw/, lake/, quarantine/ and warehouse/ (RADAR_DATA_DIR, default ./data)
    when it is a local folder; an object-storage URL has none (use rotation_radar.core.storage)."""
    if url := data_url():
        raise ValueError(
            f"RADAR_DATA_DIR={url} is an object-storage URL, not a local folder: "
            "read it through storage"
        )
    return Path(os.environ.get("RADAR_DATA_DIR") or REPO_ROOT / "data").resolve()


def data_root() -> str:
    """RADAR_DATA_DIR as a string: the URL as given, or the resolved local folder."""
    return data_url() or str(data_dir())


def universe_path() -> Path:
    return Path(os.environ.get("RADAR_UNIVERSE") or DEFAULT_UNIVERSE)


def alerts_path() -> Path:
    """The alert rules file (RADAR_ALERTS)."""
    return Path(os.environ.get("RADAR_ALERTS") or DEFAULT_ALERTS)


def alert_backoff_seconds() -> float | None:
    """The alert channels' first retry delay when RADAR_ALERT_BACKOFF_SECONDS sets one (tests)."""
    value = os.environ.get("RADAR_ALERT_BACKOFF_SECONDS")
    return float(value) if value else None


def warehouse_keep() -> int:
    """Previous warehouses kept for rollback (RADAR_WAREHOUSE_KEEP, default 5)."""
    return int(os.environ.get("RADAR_WAREHOUSE_KEEP", "5"))


def cache_dir() -> Path:
    """Local scratch of an object-storage root (lake mirrors, downloaded warehouses):
    RADAR_CACHE_DIR, by default rotation-radar/ under the system temp dir."""
    return Path(os.environ.get("RADAR_CACHE_DIR") or Path(tempfile.gettempdir()) / "rotation-radar")


def retry_delay() -> dt.timedelta:
    """First retry delay of every task (RADAR_RETRY_DELAY_SECONDS; short in tests)."""
    return dt.timedelta(seconds=float(os.environ.get("RADAR_RETRY_DELAY_SECONDS", "120")))


def task_timeout() -> dt.timedelta:
    return dt.timedelta(minutes=float(os.environ.get("RADAR_TASK_TIMEOUT_MINUTES", "60")))


@dataclass(frozen=True)
class Pair:
    numerator: str
    denominator: str
    price: str  # "close" for index pairs, "adj_close" for ETF and basket pairs

    @property
    def id(self) -> str:
        return f"{self.numerator}/{self.denominator}"


@dataclass(frozen=True)
class Valuation:
    """Point-in-time valuation spreads: basket pairs (small, large), the basket weight
    with usable fundamentals below which a date is flagged, and the z-score's settings."""

    pairs: tuple[tuple[str, str], ...] = (("IWM", "IVV"), ("IWM", "MAG7"))
    min_coverage: float = 0.8
    zscore_min_history: int = 20
    zscore_threshold: float = 2.0


@dataclass(frozen=True)
class Universe:
    """`history_start` is the first date a new symbol is fetched from: the calendar's
    first day when the file says `max` (`whole_history`), so that the source serves each
    symbol from its first trade date and records are all-time."""

    history_start: dt.date
    groups: dict[str, tuple[str, ...]]
    baskets: dict[str, tuple[str, ...]]
    pairs: tuple[Pair, ...]
    lookback_sessions: int = 5
    source: Path = field(default=DEFAULT_UNIVERSE, compare=False)
    holdings_start: dt.date = DEFAULT_HOLDINGS_START
    valuation: Valuation = field(default_factory=Valuation)
    whole_history: bool = False
    fomc_start: dt.date = FIRST_STATEMENT_DAY
    jump_factor: float = DEFAULT_JUMP_FACTOR

    @property
    def symbols(self) -> tuple[str, ...]:
        """Every symbol to ingest, in file order, without repeats (basket members included)."""
        ordered = [s for group in self.groups.values() for s in group]
        ordered += [s for members in self.baskets.values() for s in members]
        return tuple(dict.fromkeys(ordered))


def read_yaml(path: Path, what: str) -> dict:
    """A configuration file's top-level mapping; a ConfigError names the file."""
    try:
        doc = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read {what} ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    return doc


def load_universe(path: Path | str | None = None) -> Universe:
    """Read and validate the universe file; a ConfigError names the file and the key."""
    path = Path(path) if path else universe_path()
    doc = read_yaml(path, "universe file")

    def fail(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{path}: key '{key}': {problem}")

    def date_of(key: str, default: dt.date | None = None) -> dt.date:
        value = doc.get(key, default)
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise fail(key, f"{value!r} is not a date (YYYY-MM-DD)") from None
        if not isinstance(value, dt.date):
            raise fail(key, "required, a date (YYYY-MM-DD)")
        return value

    whole_history = doc.get("history_start") == WHOLE_HISTORY
    start = CALENDAR_START if whole_history else date_of("history_start")
    if start < CALENDAR_START:
        raise fail(
            "history_start",
            f"{start} is before the NYSE calendar's first day ({CALENDAR_START}); "
            f"say '{WHOLE_HISTORY}' for each symbol's whole history",
        )
    holdings_start = date_of("holdings_start", DEFAULT_HOLDINGS_START)
    fomc_start = date_of("fomc_start", FIRST_STATEMENT_DAY if whole_history else start)

    def symbol_list(key: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, list) or not value:
            raise fail(key, "expected a non-empty list of symbols")
        for item in value:
            if not isinstance(item, str) or not item.strip() or item != item.strip():
                raise fail(key, f"{item!r} is not a symbol")
        return tuple(value)

    groups = doc.get("symbols")
    if not isinstance(groups, dict) or not groups:
        raise fail("symbols", "required, a mapping of group name to a list of symbols")
    groups = {name: symbol_list(f"symbols.{name}", v) for name, v in groups.items()}

    baskets = doc.get("baskets") or {}
    if not isinstance(baskets, dict):
        raise fail("baskets", "expected a mapping of basket name to a list of symbols")
    baskets = {name: symbol_list(f"baskets.{name}", v) for name, v in baskets.items()}
    known = {s for g in groups.values() for s in g} | {s for b in baskets.values() for s in b}

    raw_pairs = doc.get("pairs")
    if not isinstance(raw_pairs, list) or not raw_pairs:
        raise fail("pairs", "required, a non-empty list of {numerator, denominator, price}")
    pairs = []
    for i, item in enumerate(raw_pairs):
        key = f"pairs[{i}]"
        if not isinstance(item, dict):
            raise fail(key, "expected a mapping with numerator, denominator and price")
        legs = []
        for leg in ("numerator", "denominator"):
            value = item.get(leg)
            if value not in known and value not in baskets:
                raise fail(f"{key}.{leg}", f"{value!r} is neither a listed symbol nor a basket")
            legs.append(value)
        price = item.get("price", "adj_close")
        if price not in PAIR_PRICES:
            raise fail(f"{key}.price", f"{price!r} is not one of {', '.join(PAIR_PRICES)}")
        pairs.append(Pair(legs[0], legs[1], price))

    jump_factor = doc.get("jump_factor", DEFAULT_JUMP_FACTOR)
    if (
        isinstance(jump_factor, bool)
        or not isinstance(jump_factor, (int, float))
        or jump_factor <= 1
    ):
        raise fail(
            "jump_factor",
            f"{jump_factor!r} is not a number above 1 (a close this many times the previous one)",
        )

    lookback = doc.get("lookback_sessions", 5)
    if not isinstance(lookback, int) or isinstance(lookback, bool) or lookback < 0:
        raise fail("lookback_sessions", f"{lookback!r} is not a whole number of sessions >= 0")

    valuation = _valuation(doc.get("valuation") or {}, set(baskets) | set(HOLDINGS_BASKETS), fail)
    return Universe(
        start,
        groups,
        baskets,
        tuple(pairs),
        lookback,
        source=path,
        holdings_start=holdings_start,
        valuation=valuation,
        whole_history=whole_history,
        fomc_start=fomc_start,
        jump_factor=float(jump_factor),
    )


def _valuation(doc: object, baskets: set[str], fail) -> Valuation:
    if not isinstance(doc, dict):
        raise fail(
            "valuation",
            "expected a mapping (pairs, min_coverage, zscore_min_history, zscore_threshold)",
        )
    default = Valuation()
    if "pairs" not in doc:  # the default pairs whose baskets this universe has
        doc = {
            **doc,
            "pairs": [{"small": s, "large": b} for s, b in default.pairs if {s, b} <= baskets],
        }
    if not isinstance(doc["pairs"], list):
        raise fail("valuation.pairs", "expected a list of {small, large}")
    pairs = []
    for i, item in enumerate(doc["pairs"]):
        key = f"valuation.pairs[{i}]"
        if (
            not isinstance(item, dict)
            or item.get("small") not in baskets
            or item.get("large") not in baskets
        ):
            raise fail(
                key,
                f"{item!r}: expected {{small, large}}, each one of {', '.join(sorted(baskets))}",
            )
        pairs.append((item["small"], item["large"]))

    def number(key: str, low: float, high: float | None = None) -> float:
        value = doc.get(key, getattr(default, key))
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or value < low
            or (high and value > high)
        ):
            raise fail(f"valuation.{key}", f"{value!r} is not a number in [{low}, {high or 'inf'}]")
        return value

    return Valuation(
        tuple(pairs),
        float(number("min_coverage", 0, 1)),
        int(number("zscore_min_history", 2)),
        float(number("zscore_threshold", 0)),
    )
