"""FOMC statements: read the decision, the vote and the dissents, and diff two statements.

Pure functions over the statement text (standard library only), so the ingest DAG,
the marts and a notebook read a statement the same way:

- `parse_statement(text, previous_range)` -> `StatementFacts` (action, change in bps,
  target range, votes for by name, counts, dissents with the move each preferred);
- `diff_statements(previous, current)` -> `StatementDiff` (sentences added and
  removed, and a word-level redline for each edited sentence).

The text is normalised first: the Fed's pages use non-breaking hyphens in ranges
(`4 to 4-1/4 percent`) that scraped copies store garbled, as U+2014 followed by a C1
control character, and fractions come as `4-1/4`, `4 1/4` or `4¼`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass


class StatementParseError(ValueError):
    """The decision could not be read; the message quotes the sentences looked at."""


@dataclass(frozen=True)
class Dissent:
    """One vote against the action and the move that member preferred.

    `preferred_change_bps` is the move wanted from the range in force before the
    meeting (-50 for a half-point cut; 0 for no change or a dissent that is not about
    the rate). It is None only when the dissent names a range but not a size and the
    range before the meeting is unknown (pass `previous_range`)."""

    name: str
    preferred_action: str  # "cut" | "hike" | "hold" | "other"
    preferred_change_bps: int | None


@dataclass(frozen=True)
class StatementFacts:
    """What a statement decided and how the Committee voted."""

    action: str  # "cut" | "hike" | "hold"
    change_bps: int | None  # negative for a cut, 0 for a hold, None when not stated
    target_low: float  # percent
    target_high: float
    votes_for: tuple[str, ...]  # empty when the statement gives only a count
    votes_for_count: int
    votes_against_count: int
    dissents: tuple[Dissent, ...]


@dataclass(frozen=True)
class StatementDiff:
    """Sentence-level changes from one statement to the next, in document order."""

    added: list[str]
    removed: list[str]
    redlines: list[str]  # "... [-remain solid-] {+have softened+} ..." per edited sentence


# --- normalisation ------------------------------------------------------------------

_VULGAR = {
    "¼": "1/4",
    "½": "1/2",
    "¾": "3/4",
    "⅓": "1/3",
    "⅔": "2/3",
    "⅛": "1/8",
    "⅜": "3/8",
    "⅝": "5/8",
    "⅞": "7/8",
}
_HYPHENS = "\u2010\u2011\u2012\u2212\ufe63\uff0d"
_SINGLE_QUOTES = "\u2018\u2019\u201a\u201b\u2032"
_DOUBLE_QUOTES = "\u201c\u201d\u201e\u201f\u2033"
# cp1252 punctuation left as C1 control characters by a wrong decode.
_C1 = {
    "\x91": "'",
    "\x92": "'",
    "\x93": '"',
    "\x94": '"',
    "\x96": "\u2013",
    "\x97": "\u2014",
    "\x85": "...",
    "\xa0": " ",
}
# UTF-8 read as cp1252 (mojibake) for the punctuation the Fed uses.
_MOJIBAKE = {
    "â€™": "'",
    "â€˜": "'",
    "â€œ": '"',
    "â€\x9d": '"',
    "â€“": "\u2013",
    "â€”": "\u2014",
    "â€‘": "-",
    "Â ": " ",
}


def normalize(text: str) -> str:
    """Statement text with garbled and non-breaking hyphens, fractions, quotes and
    whitespace made uniform: `4 to 4—\\x911/4 percent` -> `4 to 4-1/4 percent`."""
    # U+2014 followed by a C1 character is the last two bytes of a U+20xx character
    # (E2 80 xx) mis-decoded: U+2011 (non-breaking hyphen) -> "—\x91", U+2019 -> "—\x99".
    text = re.sub("\u2014([\x80-\xbf])", lambda m: chr(0x2000 + ord(m.group(1)) - 0x80), text)
    for bad, good in _MOJIBAKE.items():
        text = text.replace(bad, good)
    text = "".join(_C1.get(ch, ch) for ch in text)
    text = re.sub("[\x80-\x9f\u200b\u200c\u200d\u2060\ufeff]", "", text)
    text = re.sub(f"[{_HYPHENS}]", "-", text)
    text = re.sub("(?<=\\d)\u00ad(?=\\d)", "-", text).replace("\u00ad", "")
    text = re.sub(f"[{_SINGLE_QUOTES}]", "'", text)
    text = re.sub(f"[{_DOUBLE_QUOTES}]", '"', text)
    text = text.replace("\u2044", "/")  # fraction slash
    # Unicode fractions: "4¼" / "4 ¼" -> "4-1/4", a lone "¼" -> "1/4".
    vulgar = "".join(_VULGAR)
    text = re.sub(f"(\\d)[ -]?([{vulgar}])", lambda m: f"{m.group(1)}-{_VULGAR[m.group(2)]}", text)
    text = re.sub(f"[{vulgar}]", lambda m: _VULGAR[m.group(0)], text)
    text = re.sub(r"\s+", " ", text).strip()
    # A dash between numbers is a hyphen: "4—1/4", "4 – 1/4", "12—month", "9 — 3".
    text = re.sub("(?<=\\d) ?[\u2013\u2014] ?(?=\\d)", "-", text)
    # "4 1/4" and "4 - 1/4" -> "4-1/4" (a whole number then a fraction is one number).
    text = re.sub(r"(?<![\d/.])(\d+)(?: | ?- ?)(\d+/\d+)\b", r"\1-\2", text)
    # No space before closing punctuation ("website ." from a line break in the page).
    text = re.sub(r" ([.,;:!?])(?= |$)", r"\1", text)
    return text


# --- sentences ----------------------------------------------------------------------

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "jr",
    "sr",
    "st",
    "prof",
    "gov",
    "sen",
    "rep",
    "gen",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "no",
    "nos",
    "inc",
    "corp",
    "co",
    "ltd",
    "vs",
    "approx",
    "fig",
    "e.g",
    "i.e",
}
_TIME_ZONE_WORDS = {"eastern", "et", "est", "edt", "central", "ct", "pacific", "gmt", "utc"}
# A candidate end: terminal punctuation, closing quotes/brackets, space, then a capital,
# a digit or an opening quote/bracket.
_END = re.compile(r"[.!?][\"')\]]*(?= [\"'(\[]?[A-Z0-9])")


def _is_abbreviation(before: str, after: str) -> bool:
    """Whether the period ending `before` belongs to an abbreviation or an initial."""
    token = before.rsplit(" ", 1)[-1].lstrip("\"'([")
    word = token.removesuffix(".")
    if re.fullmatch(r"[A-Z]", word):  # an initial: "Jerome H. Powell"
        return True
    if word.lower() in ("a.m", "p.m"):
        return after.split(" ", 1)[0].strip("\"'(),.").lower() in _TIME_ZONE_WORDS
    if re.fullmatch(r"(?:[A-Za-z]{1,3}\.)+[A-Za-z]{1,3}", word):  # U.S., Ph.D., e.g.
        return True
    return word.lower() in _ABBREVIATIONS


def sentences(text: str) -> list[str]:
    """The statement's sentences, each normalised; periods of initials ("Jerome H.
    Powell") and abbreviations ("U.S.", "Ph.D.", "Jan. 1", "p.m.") do not end one.
    A line break after a colon and a blank line also end a sentence."""
    out: list[str] = []
    for block in re.split(r"(?<=:)(?<!were:)(?<!was:)[ \t]*\r?\n|\r?\n[ \t]*\r?\n", text):
        block = normalize(block)
        start = 0
        for match in _END.finditer(block):
            end = match.end()
            if match.group(0)[0] == "." and _is_abbreviation(
                block[start:end].rstrip("\"')]"), block[end + 1 :]
            ):
                continue
            out.append(block[start:end].strip())
            start = end + 1
        if block[start:].strip():
            out.append(block[start:].strip())
    return [s for s in out if s]


# --- numbers ------------------------------------------------------------------------

_NUM = r"\d+(?:\.\d+)?(?:-\d+/\d+)?|\d+/\d+"
_WORD_AMOUNTS = {
    "a quarter": 0.25,
    "one quarter": 0.25,
    "one-quarter": 0.25,
    "a half": 0.5,
    "one half": 0.5,
    "one-half": 0.5,
    "half a": 0.5,
    "three quarters": 0.75,
    "three-quarters": 0.75,
}
_AMOUNT = (
    rf"(?P<amount>{_NUM}|{'|'.join(sorted(_WORD_AMOUNTS, key=len, reverse=True))})"
    r"(?: of a)? (?P<unit>percentage points?|basis points?)"
)
_RANGE = rf"(?P<low>{_NUM})(?: percent(?!age))?(?: to (?P<high>{_NUM}))? percent(?!age)"
_TARGET = (
    r"(?:the |its |a )?(?:target range for the federal funds rate|federal funds target range"
    r"|target range|target for the federal funds rate)"
)
_VERBS = {
    "lower": "cut",
    "reduce": "cut",
    "cut": "cut",
    "decrease": "cut",
    "raise": "hike",
    "increase": "hike",
    "maintain": "hold",
    "keep": "hold",
    "leave": "hold",
    "hold": "hold",
    "reaffirm": "hold",
    "establish": None,
    "set": None,  # direction only from the range before
}
_DECISION = re.compile(
    rf"\b(?:decided|voted|agreed)(?: today)? to (?P<verb>{'|'.join(_VERBS)}) {_TARGET}"
    rf"(?: by {_AMOUNT})?(?:,? (?:at|to|of) {_RANGE})?",
    re.IGNORECASE,
)
_DIRECTIVE = re.compile(
    rf"\bmaintain the federal funds rate (?:in|within) a target range of {_RANGE}", re.IGNORECASE
)


def _number(token: str) -> float:
    """'4-1/4' -> 4.25, '1/2' -> 0.5, '2.5' -> 2.5, 'a quarter' -> 0.25."""
    token = token.lower()
    if token in _WORD_AMOUNTS:
        return _WORD_AMOUNTS[token]
    whole, _, fraction = token.rpartition("-") if "/" in token else (token, "", "")
    if "/" in token and not whole:
        whole, fraction = "0", token
    value = float(whole or 0)
    if fraction:
        num, den = fraction.split("/")
        value += int(num) / int(den)
    return value


def _bps(amount: str, unit: str) -> int:
    value = _number(amount)
    return round(value * 100) if unit.lower().startswith("percentage") else round(value)


def _range(match: re.Match) -> tuple[float, float]:
    low = _number(match.group("low"))
    high = _number(match.group("high")) if match.group("high") else low
    return low, high


def _move(new: tuple[float, float], before: tuple[float, float]) -> int:
    return round((new[0] - before[0]) * 100)


def _direction(bps: int) -> str:
    return "cut" if bps < 0 else "hike" if bps > 0 else "hold"


# --- votes --------------------------------------------------------------------------

_VOTING_FOR = re.compile(
    r"^Voting (?:\(by notation\) )?for (?:the |this )?(?:FOMC )?(?:monetary policy )?action"
    r"(?: (?:were|was))?:? (?P<names>.+?)\.?$"
)
_VOTING_AGAINST = re.compile(
    r"^Voting (?:\(by notation\) )?against (?:the |this )?(?:FOMC )?(?:monetary policy )?action"
    r"(?: (?:were|was))?:? (?P<body>.+?)\.?$"
)
_COUNTS = (
    re.compile(r"\bvote was (\d+)(?:-| to )(\d+)\b", re.IGNORECASE),
    re.compile(r"\bby an? (\d+)-(\d+) vote\b", re.IGNORECASE),
    re.compile(r"\bby a vote of (\d+)(?:-| to )(\d+)\b", re.IGNORECASE),
    re.compile(r"\bvoted (\d+)(?:-| to )(\d+)\b", re.IGNORECASE),
)
_TITLE = re.compile(r",\s*(?:Vice\s+)?Chair(?:man|woman|person)?\s*$")
# A name: capitalised words with particles (de, van, ...) and a suffix (Jr., III).
_NAME = (
    r"[A-Z][\w'.-]*(?:\s+(?:(?:de|van|von|der|la|du|da)\s+)?[A-Z][\w'.-]*)*"
    r"(?:,\s+(?:Jr\.|Sr\.|II|III))?"
)
_NAME_LIST = re.compile(rf"{_NAME}(?:(?:,\s+|,?\s+and\s+){_NAME})*$")
_WHO = re.compile(r",?\s+who\s+")
_PREFERS = r"prefer(?:s|red)?(?: at this meeting)?"
_PREFER_HOLD = re.compile(
    rf"\b(?:{_PREFERS} no change\b|{_PREFERS} to (?:maintain|keep|leave|hold) {_TARGET})",
    re.IGNORECASE,
)
_PREFER_MOVE = re.compile(
    rf"\b{_PREFERS} to (?P<verb>lower|reduce|cut|decrease|raise|increase) "
    rf"(?:{_TARGET}|the federal funds rate|the policy rate)"
    rf"(?: by {_AMOUNT})?(?:,? (?:at|to) {_RANGE})?",
    re.IGNORECASE,
)


def _names(text: str) -> list[str]:
    """'A, B, and C' / 'A and B' / 'A' -> names."""
    parts = re.split(r",\s+and\s+|\s+and\s+|,\s+(?!(?:Jr|Sr|II|III)\b)", text.strip())
    return [p.strip() for p in parts if p.strip()]


def _votes_for(sentence: str) -> tuple[str, ...]:
    """Names in 'Voting for the monetary policy action were Jerome H. Powell, Chair; ...'."""
    listed = _VOTING_FOR.match(sentence).group("names")
    parts = listed.split(";") if ";" in listed else _names(listed)
    names = []
    for part in parts:
        part = re.sub(r"^\s*and\s+", "", part.strip())
        part = _TITLE.sub("", part).strip()
        if part:
            names.append(part)
    return tuple(names)


def _preference(clause: str, before: tuple[float, float] | None) -> tuple[str, int | None]:
    """The move a dissenter preferred, from the clause after 'who'."""
    if _PREFER_HOLD.search(clause):
        return "hold", 0
    match = _PREFER_MOVE.search(clause)
    if not match:
        return "other", 0
    action = _VERBS[match.group("verb").lower()]
    sign = -1 if action == "cut" else 1
    if match.group("amount"):
        return action, sign * _bps(match.group("amount"), match.group("unit"))
    if match.group("low") and before is not None:
        return action, _move(_range(match), before)
    return action, None


def _dissents(sentence: str, before: tuple[float, float] | None) -> tuple[Dissent, ...]:
    """'Voting against this action were A, who preferred ...; and B and C, who ...'."""
    body = _VOTING_AGAINST.match(sentence).group("body")
    whos = list(_WHO.finditer(body))
    if not whos:
        return tuple(Dissent(name, "other", 0) for name in _names(body))
    groups: list[tuple[str, str]] = []  # (names, clause)
    names_start = 0
    for i, who in enumerate(whos):
        names = body[names_start : who.start()]
        clause_end = len(body)
        if i + 1 < len(whos):
            region_start, region_end = who.end(), whos[i + 1].start()
            region = body[region_start:region_end]
            cut = region.rfind(";") + 1  # a semicolon separates dissenters when present
            listed = _NAME_LIST.search(region, cut)
            if listed is None:
                raise StatementParseError(f"cannot find who dissented in {sentence!r}")
            names_start = region_start + listed.start()
            clause_end = region_start + (cut - 1 if cut else listed.start())
        groups.append((re.sub(r"^(?:and\s+)", "", names.strip()), body[who.end() : clause_end]))
    dissents = []
    for names, clause in groups:
        action, bps = _preference(clause, before)
        dissents.extend(Dissent(name, action, bps) for name in _names(names))
    return tuple(dissents)


# --- the decision -------------------------------------------------------------------


def _quote(found: list[str]) -> str:
    return "; ".join(repr(s) for s in found)


def parse_statement(text: str, previous_range: tuple[float, float] | None = None) -> StatementFacts:
    """The decision, target range and vote of one FOMC statement.

    `previous_range` is the range in force before the meeting (the previous
    statement's); it gives the size of a move the statement states only as a new
    range ("decided to lower the target range ... to 0 to 1/4 percent"), and the
    move when the range appears only in the domestic policy directive (whose
    "maintain ... in a target range of" is read as a hold when it is not given).
    Raises StatementParseError, quoting the sentences looked at, when the decision
    cannot be read; nothing is guessed."""
    found = sentences(text)
    policy = [s for s in found if not s.startswith("Voting")]
    decision = next((m for s in policy if (m := _DECISION.search(s))), None)
    directive = next((m for s in policy if (m := _DIRECTIVE.search(s))), None)
    looked_at = [s for s in policy if re.search(r"federal funds|target range", s, re.IGNORECASE)]

    if decision is not None and decision.group("low"):
        target = _range(decision)
    elif directive is not None:
        target = _range(directive)
    else:
        where = _quote([decision.string] if decision else looked_at) or "no sentence names it"
        raise StatementParseError(f"cannot read the federal funds target range: {where}")

    if decision is not None:
        action = _VERBS[decision.group("verb").lower()]
        if action == "hold":
            change: int | None = 0
        elif decision.group("amount"):
            size = _bps(decision.group("amount"), decision.group("unit"))
            change = -size if action == "cut" else size
        elif previous_range is not None:
            change = _move(target, previous_range)
        else:
            change = None
        if action is None:  # "establish" / "set": no direction in the words
            if change is None:
                raise StatementParseError(
                    "the decision gives no direction; pass previous_range: "
                    f"{_quote([decision.string])}"
                )
            action = _direction(change)
        elif change is not None and _direction(change) != action:
            raise StatementParseError(
                f"the decision says {decision.group('verb')!r} but the range moved {change:+d} bps "
                f"from {previous_range}: {_quote([decision.string])}"
            )
    else:
        # Only the directive names the range; it always says "maintain", whatever moved.
        change = 0 if previous_range is None else _move(target, previous_range)
        action = _direction(change)

    before = previous_range
    if before is None and change is not None:
        before = (target[0] - change / 100, target[1] - change / 100)

    votes_for: tuple[str, ...] = ()
    dissents: tuple[Dissent, ...] = ()
    for sentence in found:
        if _VOTING_FOR.match(sentence):
            votes_for = _votes_for(sentence)
        elif _VOTING_AGAINST.match(sentence):
            dissents += _dissents(sentence, before)
    counts = next((m for rx in _COUNTS if (m := rx.search(" ".join(found)))), None)
    count_for, count_against = (int(counts.group(1)), int(counts.group(2))) if counts else (0, 0)
    return StatementFacts(
        action=action,
        change_bps=change,
        target_low=target[0],
        target_high=target[1],
        votes_for=votes_for,
        votes_for_count=len(votes_for) if votes_for else count_for,
        votes_against_count=count_against if counts else len(dissents),
        dissents=dissents,
    )


# --- diff ---------------------------------------------------------------------------


def _key(sentence: str) -> str:
    """A sentence for comparison: case, punctuation and spacing do not count."""
    folded = unicodedata.normalize("NFKC", sentence).casefold()
    return " ".join(re.sub(r"[^\w\s]", "", folded).split())


def redline(old: str, new: str) -> str:
    """A word-level redline: kept words as they are, `[-removed-]`, `{+added+}`."""
    a, b = old.split(), new.split()
    matcher = difflib.SequenceMatcher(
        None, [_key(w) for w in a], [_key(w) for w in b], autojunk=False
    )
    out = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(b[j1:j2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)


def _similarity(old: str, new: str) -> float:
    return difflib.SequenceMatcher(
        None, _key(old).split(), _key(new).split(), autojunk=False
    ).ratio()


EDIT_SIMILARITY = 0.5  # word-level similarity above which a removed+added pair is one edit


def diff_statements(previous: str, current: str) -> StatementDiff:
    """Sentences added and removed from `previous` to `current`, in document order.

    Sentences are compared normalised (case, punctuation and whitespace do not
    count); a sentence that only moved is not a change. An edited sentence is one
    removed plus one added, and gets a word-level redline."""
    old, new = sentences(previous), sentences(current)
    old_keys, new_keys = [_key(s) for s in old], [_key(s) for s in new]
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    removed_at: list[int] = []
    added_at: list[int] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            removed_at.extend(range(i1, i2))
            added_at.extend(range(j1, j2))
    # A sentence deleted in one place and inserted in another only moved.
    for i in list(removed_at):
        j = next((j for j in added_at if new_keys[j] == old_keys[i]), None)
        if j is not None:
            removed_at.remove(i)
            added_at.remove(j)
    # Pair edited sentences: most similar first, each sentence in at most one pair.
    candidates = sorted(
        ((_similarity(old[i], new[j]), i, j) for i in removed_at for j in added_at),
        key=lambda c: (-c[0], c[2], c[1]),
    )
    paired: dict[int, int] = {}
    used_old: set[int] = set()
    for score, i, j in candidates:
        if score < EDIT_SIMILARITY:
            break
        if i not in used_old and j not in paired:
            paired[j] = i
            used_old.add(i)
    return StatementDiff(
        added=[new[j] for j in added_at],
        removed=[old[i] for i in removed_at],
        redlines=[redline(old[paired[j]], new[j]) for j in added_at if j in paired],
    )
