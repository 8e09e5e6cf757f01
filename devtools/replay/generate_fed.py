"""Deterministic synthetic Federal Reserve pages and FRED series for the replay server.

Usage: python -m devtools.replay.generate_fed OUT_DIR   (generate.py calls it too)

Writes `fed/` (the monetary press-release RSS feed, the FOMC calendar pages, a statement
page and an implementation note for every FOMC statement from 2019 through 2025-09-17,
and the projections page of every meeting with projections: generate_sep)
and `fred/` (DFEDTARL, DFEDTARU, DGS2, DGS10 as fredgraph.csv). Decisions, target ranges,
meeting dates, voters and dissents follow the public record; the statement texts are
written here from templates in the Fed's style (a few sentences change from one meeting
to the next, as they do), not copied. Yields are a seeded random walk through plausible
levels.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email.utils
import html
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from devtools.replay import generate_sep
from devtools.replay.generate_prices import END, bridge, rng_for
from rotation_radar.core import sessions

SITE = "https://www.federalreserve.gov"
NEW_YORK = ZoneInfo("America/New_York")
D = dt.date.fromisoformat
NBH = "\u2011"  # non-breaking hyphen, as the Fed's HTML writes "4‑1/4" from 2023 on
FIRST_RANGE = (2.25, 2.50)  # in effect on 2019-01-01
FRED_START = D("2019-01-01")
FEED_ITEMS = 16
HISTORICAL_YEARS = (2019, 2020)
CALENDAR_YEARS = range(2025, 2020, -1)  # newest first, as on the real page
CALENDAR_UPDATED = D("2025-09-17")
HISTORICAL_UPDATED = D("2025-02-03")

# Meetings: release (last) day, calendar month label, days ("*": projections), flags.
# "unscheduled" meetings issued statements; a "call" issued none.
# fmt: off
MEETING_TABLE = """
2019-01-30 January 29-30
2019-03-20 March 19-20*
2019-05-01 Apr/May 30-1
2019-06-19 June 18-19*
2019-07-31 July 30-31
2019-09-18 September 17-18*
2019-10-04 October 4 call
2019-10-30 October 29-30
2019-12-11 December 10-11*
2020-01-29 January 28-29
2020-03-03 March 3 unscheduled
2020-03-15 March 15 unscheduled
2020-03-23 March 23 unscheduled
2020-04-29 April 28-29
2020-06-10 June 9-10*
2020-07-29 July 28-29
2020-09-16 September 15-16*
2020-11-05 November 4-5
2020-12-16 December 15-16*
2021-01-27 January 26-27
2021-03-17 March 16-17*
2021-04-28 April 27-28
2021-06-16 June 15-16*
2021-07-28 July 27-28
2021-09-22 September 21-22*
2021-11-03 November 2-3
2021-12-15 December 14-15*
2022-01-26 January 25-26
2022-03-16 March 15-16*
2022-05-04 May 3-4
2022-06-15 June 14-15*
2022-07-27 July 26-27
2022-09-21 September 20-21*
2022-11-02 November 1-2
2022-12-14 December 13-14*
2023-02-01 Jan/Feb 31-1
2023-03-22 March 21-22*
2023-05-03 May 2-3
2023-06-14 June 13-14*
2023-07-26 July 25-26
2023-09-20 September 19-20*
2023-11-01 Oct/Nov 31-1
2023-12-13 December 12-13*
2024-01-31 January 30-31
2024-03-20 March 19-20*
2024-05-01 Apr/May 30-1
2024-06-12 June 11-12*
2024-07-31 July 30-31
2024-09-18 September 17-18*
2024-11-07 November 6-7
2024-12-18 December 17-18*
2025-01-29 January 28-29
2025-03-19 March 18-19*
2025-05-07 May 6-7
2025-06-18 June 17-18*
2025-07-30 July 29-30
2025-09-17 September 16-17*
2025-10-29 October 28-29
2025-12-10 December 9-10*
"""

CHANGES_BPS = {
    "2019-07-31": -25, "2019-09-18": -25, "2019-10-30": -25,
    "2020-03-03": -50, "2020-03-15": -100,
    "2022-03-16": 25, "2022-05-04": 50, "2022-06-15": 75, "2022-07-27": 75,
    "2022-09-21": 75, "2022-11-02": 75, "2022-12-14": 50,
    "2023-02-01": 25, "2023-03-22": 25, "2023-05-03": 25, "2023-07-26": 25,
    "2024-09-18": -50, "2024-11-07": -25, "2024-12-18": -25,
    "2025-09-17": -25,
}

# (voters against, what they preferred): the "who ..." clause of the vote paragraph.
DISSENTS = {
    "2019-06-19": [(("James Bullard",), "preferred at this meeting to lower the target range for the federal funds rate by 1/4 percentage point")],
    "2019-07-31": [(("Esther L. George", "Eric S. Rosengren"), "preferred at this meeting to maintain the target range for the federal funds rate at 2-1/4 percent to 2-1/2 percent")],
    "2019-09-18": [
        (("James Bullard",), "preferred at this meeting to lower the target range for the federal funds rate by 1/2 percentage point to 1-1/2 percent to 1-3/4 percent"),
        (("Esther L. George", "Eric S. Rosengren"), "preferred to maintain the target range at 2 percent to 2-1/4 percent"),
    ],
    "2019-10-30": [(("Esther L. George", "Eric S. Rosengren"), "preferred at this meeting to maintain the target range at 1-3/4 percent to 2 percent")],
    "2020-03-15": [(("Loretta J. Mester",), "supported the Committee’s other actions but preferred at this meeting to lower the target range for the federal funds rate to 1/2 to 3/4 percent")],
    "2020-09-16": [
        (("Robert S. Kaplan",), "expects that it will be appropriate to maintain the current target range until the Committee is confident that the economy has weathered recent events but prefers that the Committee retain greater flexibility over the policy rate beyond that point"),
        (("Neel Kashkari",), "prefers that the Committee indicate that it expects to maintain the current target range until core inflation has reached 2 percent on a sustained basis"),
    ],
    "2022-03-16": [(("James Bullard",), "preferred at this meeting to raise the target range for the federal funds rate by 1/2 percentage point to 1/2 to 3/4 percent")],
    "2022-06-15": [(("Esther L. George",), "preferred at this meeting to raise the target range for the federal funds rate by 1/2 percentage point to 1-1/4 to 1-1/2 percent")],
    "2024-09-18": [(("Michelle W. Bowman",), "preferred at this meeting to lower the target range for the federal funds rate by 1/4 percentage point")],
    "2024-12-18": [(("Beth M. Hammack",), "preferred to maintain the target range for the federal funds rate at 4-1/2 to 4-3/4 percent")],
    "2025-03-19": [(("Christopher J. Waller",), "supported the Committee’s decision on the target range for the federal funds rate but preferred to continue the current pace of decline in securities holdings")],
    "2025-07-30": [(("Michelle W. Bowman", "Christopher J. Waller"), "preferred to lower the target range for the federal funds rate by 1/4 percentage point at this meeting")],
    "2025-09-17": [(("Stephen I. Miran",), "preferred to lower the target range for the federal funds rate by 1/2 percentage point at this meeting")],
}
ABSENT = {"2025-07-30": ("Adriana D. Kugler",)}
# Statements whose vote paragraph gives only a count of the members voting for.
COUNT_ONLY = {"2019-10-30", "2021-01-27", "2021-04-28", "2021-07-28", "2021-11-03"}

# Board members (name, from, until) and the Reserve Bank presidents voting each year.
BOARD = [
    ("Jerome H. Powell", None, None),
    ("Richard H. Clarida", None, "2022-01-14"),
    ("Randal K. Quarles", None, "2021-12-25"),
    ("Lael Brainard", None, "2023-02-18"),
    ("Michelle W. Bowman", None, None),
    ("Christopher J. Waller", "2020-12-18", None),
    ("Philip N. Jefferson", "2022-05-23", None),
    ("Lisa D. Cook", "2022-05-23", None),
    ("Michael S. Barr", "2022-07-19", None),
    ("Adriana D. Kugler", "2023-09-13", "2025-08-08"),
    ("Stephen I. Miran", "2025-09-16", None),
]
VICE_CHAIR = "John C. Williams"
PRESIDENTS = [  # (name, from, until): voting members other than New York's
    ("James Bullard", "2019-01-01", "2019-12-31"), ("Charles L. Evans", "2019-01-01", "2019-12-31"),
    ("Esther L. George", "2019-01-01", "2019-12-31"), ("Eric S. Rosengren", "2019-01-01", "2019-12-31"),
    ("Patrick T. Harker", "2020-01-01", "2020-12-31"), ("Robert S. Kaplan", "2020-01-01", "2020-12-31"),
    ("Neel Kashkari", "2020-01-01", "2020-12-31"), ("Loretta J. Mester", "2020-01-01", "2020-12-31"),
    ("Thomas I. Barkin", "2021-01-01", "2021-12-31"), ("Raphael W. Bostic", "2021-01-01", "2021-12-31"),
    ("Mary C. Daly", "2021-01-01", "2021-12-31"), ("Charles L. Evans", "2021-01-01", "2021-12-31"),
    ("James Bullard", "2022-01-01", "2022-12-31"), ("Esther L. George", "2022-01-01", "2022-12-31"),
    ("Loretta J. Mester", "2022-01-01", "2022-12-31"), ("Patrick T. Harker", "2022-01-01", "2022-06-30"),
    ("Susan M. Collins", "2022-07-01", "2022-12-31"),
    ("Austan D. Goolsbee", "2023-01-01", "2023-12-31"), ("Patrick T. Harker", "2023-01-01", "2023-12-31"),
    ("Neel Kashkari", "2023-01-01", "2023-12-31"), ("Lorie K. Logan", "2023-01-01", "2023-12-31"),
    ("Thomas I. Barkin", "2024-01-01", "2024-12-31"), ("Raphael W. Bostic", "2024-01-01", "2024-12-31"),
    ("Mary C. Daly", "2024-01-01", "2024-12-31"), ("Loretta J. Mester", "2024-01-01", "2024-06-30"),
    ("Beth M. Hammack", "2024-08-21", "2024-12-31"),
    ("Susan M. Collins", "2025-01-01", "2025-12-31"), ("Austan D. Goolsbee", "2025-01-01", "2025-12-31"),
    ("Alberto G. Musalem", "2025-01-01", "2025-12-31"), ("Jeffrey R. Schmid", "2025-01-01", "2025-12-31"),
]
# fmt: on

MONTH_NAMES = {
    name[:3]: name
    for name in [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
}


@dataclass
class Meeting:
    release: dt.date
    month: str  # as the calendar labels it: "March", "Apr/May"
    days: str  # "30-1", "3"
    projections: bool
    unscheduled: bool
    has_statement: bool
    lower: float = 0.0
    upper: float = 0.0
    change_bps: int = 0
    previous: Meeting | None = field(default=None, repr=False)  # previous statement

    @property
    def iso(self) -> str:
        return self.release.isoformat()

    @property
    def stamp(self) -> str:
        return f"{self.release:%Y%m%d}"

    @property
    def statement_path(self) -> str:
        return f"/newsevents/pressreleases/monetary{self.stamp}a.htm"

    @property
    def note_path(self) -> str:
        return f"/newsevents/pressreleases/monetary{self.stamp}a1.htm"

    @property
    def effective(self) -> dt.date:
        """The new range is in effect from the day after the decision."""
        return self.release + dt.timedelta(days=1)

    @property
    def released_at(self) -> dt.datetime:
        hour, minute = {"2020-03-03": (10, 0), "2020-03-15": (17, 0), "2020-03-23": (8, 0)}.get(
            self.iso, (14, 0)
        )
        return dt.datetime.combine(self.release, dt.time(hour, minute), NEW_YORK)

    @property
    def full_month(self) -> str:
        """ "April/May" for "Apr/May"."""
        return "/".join(MONTH_NAMES[m[:3]] for m in self.month.split("/"))


def meetings() -> list[Meeting]:
    """Every meeting of 2019-2025 with the target range it left in place."""
    lower, upper = FIRST_RANGE
    out: list[Meeting] = []
    previous = None
    for line in MEETING_TABLE.strip().splitlines():
        day, month, days, *flags = line.split()
        release = D(day)
        meeting = Meeting(
            release,
            month,
            days.rstrip("*"),
            projections=days.endswith("*"),
            unscheduled=bool(flags),
            has_statement="call" not in flags and release <= END,
        )
        if meeting.has_statement:
            bps = CHANGES_BPS.get(day, 0)
            lower, upper = lower + bps / 100, upper + bps / 100
            meeting.lower, meeting.upper, meeting.change_bps = lower, upper, bps
            meeting.previous, previous = previous, meeting
        out.append(meeting)
    return out


# ---------------------------------------------------------------- statement text


def quarters(value: float, hyphen: str = "-") -> str:
    """1.75 -> "1-3/4", 0.25 -> "1/4", 4.0 -> "4" (the Fed's way of writing rates)."""
    whole, rest = divmod(round(value * 4), 4)
    fraction = {0: "", 1: "1/4", 2: "1/2", 3: "3/4"}[rest]
    if not fraction:
        return str(whole)
    return fraction if whole == 0 else f"{whole}{hyphen}{fraction}"


def range_text(m: Meeting, hyphen: str) -> str:
    return f"{quarters(m.lower, hyphen)} to {quarters(m.upper, hyphen)} percent"


def decision(m: Meeting, lead: str, hyphen: str, subject: str = "the Committee") -> str:
    """The sentence that states the decision ("..., the Committee decided to lower the
    target range for the federal funds rate by 1/4 percentage point to 4 to 4-1/4 percent.")."""
    start = f"{lead}, {subject}" if lead else subject[0].upper() + subject[1:]
    if m.change_bps == 0:
        return f"{start} decided to maintain the target range for the federal funds rate at {range_text(m, hyphen)}."
    verb = "lower" if m.change_bps < 0 else "raise"
    size = abs(m.change_bps) / 100
    by = f" by {quarters(size)} percentage point" if m.iso != "2020-03-15" else ""
    return f"{start} decided to {verb} the target range for the federal funds rate{by} to {range_text(m, hyphen)}."


def voters(day: dt.date) -> list[str]:
    """Voting members on a day: the Chair, the Vice Chair, then the others by surname."""

    def serving(since, until):
        return (since is None or D(since) <= day) and (until is None or day <= D(until))

    others = [n for n, a, b in BOARD[1:] if serving(a, b)] + [
        n for n, a, b in PRESIDENTS if serving(a, b)
    ]
    return [BOARD[0][0], VICE_CHAIR, *sorted(set(others), key=lambda n: n.split()[-1])]


def names(items: list[str] | tuple[str, ...]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else " and ".join([", ".join(items[:-1]), items[-1]])


def vote_paragraph(m: Meeting) -> str:
    against = DISSENTS.get(m.iso, [])
    absent = ABSENT.get(m.iso, ())
    dissenters = {n for group, _ in against for n in group}
    yes = [n for n in voters(m.release) if n not in dissenters and n not in absent]
    if m.iso in COUNT_ONLY:
        text = f"Voting for the monetary policy action were {len(yes)} members of the Committee."
    else:
        listed = [f"{yes[0]}, Chair", f"{yes[1]}, Vice Chair", *yes[2:]]
        text = (
            "Voting for the monetary policy action were "
            + "; ".join(listed[:-1])
            + f"; and {listed[-1]}."
        )
    this = "this" if m.release.year % 2 else "the"
    if len(against) == 1:
        group, clause = against[0]
        verb = "was" if len(group) == 1 else "were"
        text += f" Voting against {this} action {verb} {names(group)}, who {clause}."
    elif against:
        parts = [f"{names(group)}, who {clause}" for group, clause in against]
        text += f" Voting against {this} action were " + "; and ".join(parts) + "."
    if absent:
        text += f" Absent and not voting {'was' if len(absent) == 1 else 'were'} {names(absent)}."
    return text


ASSESS_2019 = (
    "In determining the timing and size of future adjustments to the target range for the "
    "federal funds rate, the Committee will assess realized and expected economic conditions "
    "relative to its maximum employment objective and its symmetric 2 percent inflation "
    "objective. This assessment will take into account a wide range of information, including "
    "measures of labor market conditions, indicators of inflation pressures and inflation "
    "expectations, and readings on financial and international developments."
)


def assess(public_health: bool) -> str:
    readings = (
        "readings on public health, labor market conditions"
        if public_health
        else "readings on labor market conditions"
    )
    return (
        "In assessing the appropriate stance of monetary policy, the Committee will continue to "
        "monitor the implications of incoming information for the economic outlook. The Committee "
        "would be prepared to adjust the stance of monetary policy as appropriate if risks emerge "
        "that could impede the attainment of the Committee’s goals. The Committee’s assessments "
        f"will take into account a wide range of information, including {readings}, inflation "
        "pressures and inflation expectations, and financial and international developments."
    )


GOALS = "The Committee seeks to achieve maximum employment and inflation at the rate of 2 percent over the longer run."
MANDATE = "Consistent with its statutory mandate, the Committee seeks to foster maximum employment and price stability."
FULL_RANGE = (
    "The Federal Reserve is committed to using its full range of tools to support the U.S. "
    "economy in this challenging time, thereby promoting its maximum employment and price "
    "stability goals."
)


def pick(day: dt.date, table: list[tuple[str, str]]) -> str:
    """The text of the last entry dated on or before `day` (entries: (from date, text))."""
    return [text for since, text in table if D(since) <= day][-1]


def statement(m: Meeting) -> list[str]:
    """The statement's paragraphs (vote included), plain text."""
    h = NBH if m.release.year >= 2023 else "-"
    prev = m.previous.full_month.split("/")[-1] if m.previous else "December"
    d = m.release
    if d < D("2019-07-01"):
        body = _patient_2019(m, prev, h)
    elif d < D("2019-12-01"):
        body = _cuts_2019(m, prev, h)
    elif d < D("2020-03-01"):
        body = _steady_2020(m, prev, h)
    elif m.iso == "2020-03-03":
        body = [
            "The U.S. economy remains on a sound footing. The coronavirus, however, poses evolving "
            "risks to economic activity. "
            + decision(
                m,
                "In light of these risks and in support of achieving its maximum employment and price stability goals",
                h,
                "the Federal Open Market Committee",
            )
            .replace(" decided to", " decided today to")
            .replace(" percentage point to", " percentage point, to")
            + " The Committee is monitoring developments and their implications for the economic "
            "outlook closely and will use its tools and act as appropriate to support the economy."
        ]
    elif m.iso == "2020-03-15":
        body = _emergency_2020(m, h)
    elif m.iso == "2020-03-23":
        body = [
            "The Federal Reserve is committed to using its full range of tools to support "
            "households, businesses, and the U.S. economy overall in this challenging time. The "
            "coronavirus pandemic is causing tremendous hardship across the United States and "
            "around the world, and determined efforts are needed to contain the virus and support "
            "the economy.",
            decision(m, "", h, "the Federal Open Market Committee")
            + " The Committee will continue "
            "to purchase Treasury securities and agency mortgage-backed securities in the amounts "
            "needed to support smooth market functioning and effective transmission of monetary "
            "policy to broader financial conditions.",
        ]
    elif d < D("2021-01-01"):
        body = _pandemic_2020(m, h)
    elif d < D("2022-01-01"):
        body = _recovery_2021(m, h)
    elif d < D("2023-01-01"):
        body = _tightening_2022(m, h)
    elif d < D("2024-01-01"):
        body = _tightening_2023(m, h)
    elif d < D("2025-01-01"):
        body = _easing_2024(m, h)
    else:
        body = _year_2025(m, h)
    return [*body, vote_paragraph(m)]


def _patient_2019(m: Meeting, prev: str, h: str) -> list[str]:
    d = m.release
    pace = pick(
        d,
        [
            ("2019-01-01", "solid"),
            ("2019-03-01", "slower"),
            ("2019-04-15", "solid"),
            ("2019-06-01", "moderate"),
        ],
    )
    spending = pick(
        d,
        [
            (
                "2019-01-01",
                "Household spending has kept growing strongly, while business fixed investment has grown more slowly than earlier last year.",
            ),
            (
                "2019-03-01",
                "Recent indicators point to slower growth of household spending and business fixed investment in the first quarter.",
            ),
            (
                "2019-04-15",
                "Growth of household spending and business fixed investment slowed in the first quarter.",
            ),
            (
                "2019-06-01",
                "Household spending appears to have picked up from earlier in the year, but indicators of business fixed investment have been soft.",
            ),
        ],
    )
    inflation = pick(
        d,
        [
            (
                "2019-01-01",
                "On a 12-month basis, headline inflation and inflation excluding food and energy remain near 2 percent.",
            ),
            (
                "2019-03-01",
                "Headline inflation has declined, largely because energy prices fell; inflation excluding food and energy remains near 2 percent.",
            ),
            (
                "2019-04-15",
                "On a 12-month basis, headline inflation and inflation excluding food and energy have declined and are running below 2 percent.",
            ),
        ],
    )
    outlook = (
        "The Committee continues to see sustained expansion of economic activity, strong labor "
        "market conditions, and inflation near its symmetric 2 percent objective as the most "
        "likely outcomes."
    )
    if d >= D("2019-06-01"):
        outlook += " Uncertainties about this outlook have increased, however."
    guidance = pick(
        d,
        [
            (
                "2019-01-01",
                "Given global economic and financial developments and muted inflation pressures, the Committee will be patient as it determines what future adjustments to the target range for the federal funds rate may be appropriate.",
            ),
            (
                "2019-06-01",
                "The Committee will closely monitor the implications of incoming information for the economic outlook and will act as appropriate to sustain the expansion.",
            ),
        ],
    )
    return [
        f"Information received since the Federal Open Market Committee met in {prev} indicates "
        f"that the labor market remains strong and that economic activity has grown at a {pace} "
        "rate. Payroll gains have been solid, on average, over recent months, and the unemployment "
        f"rate has stayed low. {spending} {inflation} Survey measures of longer-term inflation "
        "expectations have changed little.",
        f"{MANDATE} {outlook}",
        f"{decision(m, 'In support of these goals', h)} {guidance}",
        "The Committee will continue to reduce its holdings of Treasury securities and agency "
        "mortgage-backed securities in line with its balance sheet normalization principles.",
        ASSESS_2019,
    ]


def _cuts_2019(m: Meeting, prev: str, h: str) -> list[str]:
    d = m.release
    demand = pick(
        d,
        [
            (
                "2019-07-01",
                "Household spending has picked up from earlier in the year, but business fixed investment has been soft.",
            ),
            (
                "2019-09-01",
                "Household spending has been rising at a strong pace, but business fixed investment and exports have weakened.",
            ),
            (
                "2019-10-15",
                "Household spending has been rising at a strong pace, but business fixed investment and exports remain weak.",
            ),
        ],
    )
    path = pick(
        d,
        [
            (
                "2019-07-01",
                "As the Committee contemplates the future path of the target range, it will continue to monitor the implications of incoming information for the economic outlook and will act as appropriate to sustain the expansion.",
            ),
            (
                "2019-10-15",
                "The Committee will continue to monitor the implications of incoming information for the economic outlook as it assesses the appropriate path of the target range for the federal funds rate.",
            ),
        ],
    )
    paragraphs = [
        f"Information received since the Federal Open Market Committee met in {prev} indicates "
        "that the labor market remains strong and that economic activity has been rising at a "
        "moderate rate. Job gains have been solid, on average, in recent months, and the "
        f"unemployment rate has stayed low. {demand} On a 12-month basis, headline inflation and "
        "inflation excluding food and energy are running below 2 percent. Market-based measures "
        "of inflation compensation remain low; survey measures of longer-term inflation "
        "expectations have changed little.",
        f"{MANDATE} "
        + decision(
            m,
            "In light of the implications of global developments for the economic outlook as well as muted inflation pressures",
            h,
        )
        + " This action supports the Committee’s view that sustained expansion of economic "
        "activity, strong labor market conditions, and inflation near its symmetric 2 percent "
        f"objective are the most likely outcomes, but uncertainties about this outlook remain. {path}",
    ]
    if m.iso == "2019-07-31":
        paragraphs.append(
            "The Committee will conclude the reduction of its aggregate securities holdings in the "
            "System Open Market Account in August, two months earlier than previously indicated."
        )
    return [*paragraphs, ASSESS_2019]


def _steady_2020(m: Meeting, prev: str, h: str) -> list[str]:
    pace = "strong" if m.release.year == 2019 else "moderate"
    returning = "near" if m.release.year == 2019 else "returning to"
    return [
        f"Information received since the Federal Open Market Committee met in {prev} indicates "
        "that the labor market remains strong and that economic activity has been rising at a "
        "moderate rate. Job gains have been solid, on average, in recent months, and the "
        f"unemployment rate has stayed low. Although household spending has been rising at a {pace} "
        "pace, business fixed investment and exports remain weak. On a 12-month basis, headline "
        "inflation and inflation excluding food and energy are running below 2 percent. Survey "
        "measures of longer-term inflation expectations have changed little.",
        f"{MANDATE} {decision(m, '', h)} The Committee judges that the current stance of monetary "
        "policy is appropriate to support sustained expansion of economic activity, strong labor "
        f"market conditions, and inflation {returning} the Committee’s symmetric 2 percent "
        "objective. The Committee will continue to monitor the implications of incoming "
        "information for the economic outlook, including global developments and muted "
        "inflation pressures, as it assesses the appropriate path of the target range for the "
        "federal funds rate.",
        ASSESS_2019,
    ]


def _emergency_2020(m: Meeting, h: str) -> list[str]:
    return [
        "The coronavirus outbreak has harmed communities and disrupted economic activity in many "
        "countries, including the United States, and global financial conditions have been "
        "significantly affected. Available data show that the U.S. economy came into this "
        "challenging period on a strong footing. Information received since the Federal Open "
        "Market Committee met in January indicates that the labor market remained strong through "
        "February and that economic activity rose at a moderate rate. Job gains have been solid, "
        "on average, in recent months, and the unemployment rate has stayed low. Headline "
        "inflation and inflation excluding food and energy are running below 2 percent.",
        f"{MANDATE} The effects of the coronavirus will weigh on economic activity in the near "
        f"term and pose risks to the economic outlook. {decision(m, 'In light of these developments', h)} "
        "The Committee expects to maintain this target range until it is confident that the "
        "economy has weathered recent events and is on track to achieve its maximum employment "
        "and price stability goals.",
        "To support the smooth functioning of markets for Treasury securities and agency "
        "mortgage-backed securities that are central to the flow of credit to households and "
        "businesses, over coming months the Committee will increase its holdings of Treasury "
        "securities by at least $500 billion and its holdings of agency mortgage-backed "
        "securities by at least $200 billion.",
        "The Committee will continue to monitor the implications of incoming information for the "
        "economic outlook, including information related to public health, as well as global "
        "developments and muted inflation pressures, and will use its tools and act as "
        "appropriate to support the economy.",
    ]


def _pandemic_2020(m: Meeting, h: str) -> list[str]:
    d = m.release
    activity = pick(
        d,
        [
            (
                "2020-04-01",
                "The virus and the measures taken to protect public health are causing steep declines in economic activity and a surge in job losses.",
            ),
            (
                "2020-06-01",
                "The virus and the measures taken to protect public health have caused steep declines in economic activity and a surge in job losses.",
            ),
            (
                "2020-07-01",
                "Following steep declines, economic activity and employment have picked up somewhat in recent months but remain well below their levels at the beginning of the year.",
            ),
            (
                "2020-09-01",
                "Economic activity and employment have picked up in recent months but remain well below their levels at the beginning of the year.",
            ),
            (
                "2020-11-01",
                "Economic activity and employment have continued to recover but remain well below their levels at the beginning of the year.",
            ),
        ],
    )
    prices = pick(
        d,
        [
            (
                "2020-04-01",
                "Weaker demand and significantly lower oil prices are holding down consumer price inflation.",
            ),
            (
                "2020-09-01",
                "Weaker demand and earlier declines in oil prices have been holding down consumer price inflation.",
            ),
        ],
    )
    finance = pick(
        d,
        [
            (
                "2020-04-01",
                "Financial conditions have improved, in part reflecting policy measures to support the economy and the flow of credit to U.S. households and businesses.",
            ),
            (
                "2020-09-01",
                "Overall financial conditions remain accommodative, in part reflecting policy measures to support the economy and the flow of credit to U.S. households and businesses.",
            ),
        ],
    )
    virus = "The coronavirus outbreak" if d < D("2020-09-01") else "The COVID-19 pandemic"
    course = (
        ""
        if d < D("2020-07-01")
        else "The path of the economy will depend significantly on the course of the virus. "
    )
    weigh = "weigh heavily on" if d < D("2020-09-01") else "continue to weigh on"
    paragraphs = [
        FULL_RANGE,
        f"{virus} is causing tremendous human and economic hardship across the United States and "
        f"around the world. {activity} {prices} {finance}",
    ]
    if d < D("2020-09-01"):
        paragraphs.append(
            f"{course}The ongoing public health crisis will {weigh} economic activity, employment, "
            "and inflation in the near term, and poses considerable risks to the economic outlook "
            f"over the medium term. {decision(m, 'In light of these developments', h)} The "
            "Committee expects to maintain this target range until it is confident that the "
            "economy has weathered recent events and is on track to achieve its maximum employment "
            "and price stability goals."
        )
    else:
        paragraphs += [
            f"{course}The ongoing public health crisis will {weigh} economic activity, employment, "
            "and inflation in the near term, and poses considerable risks to the economic outlook "
            "over the medium term.",
            f"{GOALS} With inflation running persistently below this longer-run goal, the "
            "Committee will aim to achieve inflation moderately above 2 percent for some time so "
            "that inflation averages 2 percent over time and longer-term inflation expectations "
            "remain well anchored at 2 percent. The Committee expects to maintain an accommodative "
            f"stance of monetary policy until these outcomes are achieved. {decision(m, '', h)} "
            "It expects it will be appropriate to maintain this target range until labor market "
            "conditions have reached levels consistent with the Committee’s assessments of maximum "
            "employment and inflation has risen to 2 percent and is on track to moderately exceed "
            "2 percent for some time.",
        ]
    purchases = pick(
        d,
        [
            (
                "2020-04-01",
                "The Committee will continue to monitor the implications of incoming information for the economic outlook, including information related to public health, as well as global developments and muted inflation pressures, and will use its full range of tools to support the economy and help ensure that the recovery from this difficult period will be as robust as possible.",
            ),
            (
                "2020-06-01",
                "To support the flow of credit to households and businesses, over coming months the Federal Reserve will increase its holdings of Treasury securities and agency residential and commercial mortgage-backed securities at least at the current pace to sustain smooth market functioning, thereby fostering effective transmission of monetary policy to broader financial conditions.",
            ),
            (
                "2020-09-01",
                "In addition, over coming months the Federal Reserve will increase its holdings of Treasury securities and agency mortgage-backed securities at least at the current pace to sustain smooth market functioning and help foster accommodative financial conditions, thereby supporting the flow of credit to households and businesses.",
            ),
            (
                "2020-12-01",
                "In addition, the Federal Reserve will continue to increase its holdings of Treasury securities by at least $80 billion per month and of agency mortgage-backed securities by at least $40 billion per month until substantial further progress has been made toward the Committee’s maximum employment and price stability goals. These asset purchases help foster smooth market functioning and accommodative financial conditions, thereby supporting the flow of credit to households and businesses.",
            ),
        ],
    )
    paragraphs.append(purchases)
    if d >= D("2020-06-01"):
        paragraphs.append(assess(public_health=True))
    return paragraphs


def _recovery_2021(m: Meeting, h: str) -> list[str]:
    d = m.release
    activity = pick(
        d,
        [
            (
                "2021-01-01",
                "The pace of the recovery in economic activity and employment has slowed in recent months, with weakness concentrated in the sectors most hurt by the pandemic.",
            ),
            (
                "2021-03-01",
                "Following a moderation in the pace of the recovery, indicators of economic activity and employment have turned up recently, although the sectors most hurt by the pandemic remain weak.",
            ),
            (
                "2021-04-01",
                "Amid progress on vaccinations and strong policy support, indicators of economic activity and employment have strengthened. The sectors most hurt by the pandemic remain weak but have shown improvement.",
            ),
            (
                "2021-06-01",
                "Progress on vaccinations has reduced the spread of COVID-19 in the United States. Amid this progress and strong policy support, indicators of economic activity and employment have strengthened. The sectors most hurt by the pandemic have shown improvement but have not fully recovered.",
            ),
            (
                "2021-07-01",
                "With progress on vaccinations and strong policy support, indicators of economic activity and employment have continued to strengthen. The sectors most hurt by the pandemic have shown improvement but have not fully recovered.",
            ),
            (
                "2021-09-01",
                "With progress on vaccinations and strong policy support, indicators of economic activity and employment have continued to strengthen. The sectors most hurt by the pandemic have improved in recent months, but the rise in COVID-19 cases has slowed their recovery.",
            ),
            (
                "2021-11-01",
                "With progress on vaccinations and strong policy support, indicators of economic activity and employment have continued to strengthen. The sectors most hurt by the pandemic have improved in recent months but continue to be affected by COVID-19. Job gains have been solid in recent months, and the unemployment rate has declined.",
            ),
            (
                "2021-12-01",
                "With progress on vaccinations and strong policy support, indicators of economic activity and employment have continued to strengthen. Job gains have been solid in recent months, and the unemployment rate has declined substantially.",
            ),
        ],
    )
    inflation = pick(
        d,
        [
            ("2021-01-01", "Inflation continues to run below 2 percent."),
            ("2021-04-01", "Inflation has risen, largely reflecting transitory factors."),
            (
                "2021-11-01",
                "Inflation is elevated, largely reflecting factors that are expected to be transitory. Supply and demand imbalances related to the pandemic and the reopening of the economy have contributed to sizable price increases in some sectors.",
            ),
            (
                "2021-12-01",
                "Supply and demand imbalances related to the pandemic and the reopening of the economy have continued to contribute to elevated levels of inflation.",
            ),
        ],
    )
    risk = pick(
        d,
        [
            (
                "2021-01-01",
                "The ongoing public health crisis continues to weigh on economic activity, employment, and inflation, and poses considerable risks to the economic outlook.",
            ),
            (
                "2021-04-01",
                "Progress on vaccinations will likely continue to reduce the effects of the public health crisis on the economy, but risks to the economic outlook remain.",
            ),
            (
                "2021-12-01",
                "Progress on vaccinations and an easing of supply constraints are expected to support continued gains in economic activity and employment as well as a reduction in inflation. Risks to the economic outlook remain, including from new variants of the virus.",
            ),
        ],
    )
    guidance = pick(
        d,
        [
            (
                "2021-01-01",
                "It expects it will be appropriate to maintain this target range until labor market conditions have reached levels consistent with the Committee’s assessments of maximum employment and inflation has risen to 2 percent and is on track to moderately exceed 2 percent for some time.",
            ),
            (
                "2021-12-01",
                "With inflation having exceeded 2 percent for some time, the Committee expects it will be appropriate to maintain this target range until labor market conditions have reached levels consistent with the Committee’s assessments of maximum employment.",
            ),
        ],
    )
    purchases = pick(
        d,
        [
            (
                "2021-01-01",
                "In addition, the Federal Reserve will continue to increase its holdings of Treasury securities by at least $80 billion per month and of agency mortgage-backed securities by at least $40 billion per month until substantial further progress has been made toward the Committee’s maximum employment and price stability goals. These asset purchases help foster smooth market functioning and accommodative financial conditions, thereby supporting the flow of credit to households and businesses.",
            ),
            (
                "2021-07-01",
                "Last December, the Committee indicated that it would continue to increase its holdings of Treasury securities by at least $80 billion per month and of agency mortgage-backed securities by at least $40 billion per month until substantial further progress has been made toward its maximum employment and price stability goals. Since then, the economy has made progress toward these goals, and the Committee will continue to assess progress in coming meetings.",
            ),
            (
                "2021-09-01",
                "Last December, the Committee indicated that it would continue to increase its holdings of Treasury securities by at least $80 billion per month and of agency mortgage-backed securities by at least $40 billion per month until substantial further progress has been made toward its maximum employment and price stability goals. Since then, the economy has made progress toward these goals. If progress continues broadly as expected, the Committee judges that a moderation in the pace of asset purchases may soon be warranted.",
            ),
            (
                "2021-11-01",
                "In light of the substantial further progress the economy has made toward the Committee’s goals since last December, the Committee decided to begin reducing the monthly pace of its net asset purchases by $10 billion for Treasury securities and $5 billion for agency mortgage-backed securities.",
            ),
            (
                "2021-12-01",
                "In light of inflation developments and the further improvement in the labor market, the Committee decided to reduce the monthly pace of its net asset purchases by $20 billion for Treasury securities and $10 billion for agency mortgage-backed securities.",
            ),
        ],
    )
    return [
        FULL_RANGE,
        f"{activity} {inflation} Overall financial conditions remain accommodative, in part "
        "reflecting policy measures to support the economy and the flow of credit to U.S. "
        "households and businesses.",
        f"The path of the economy continues to depend on the course of the virus. {risk}",
        f"{GOALS} With inflation running persistently below this longer-run goal, the Committee "
        "will aim to achieve inflation moderately above 2 percent for some time so that inflation "
        "averages 2 percent over time and longer-term inflation expectations remain well anchored "
        "at 2 percent. The Committee expects to maintain an accommodative stance of monetary policy "
        f"until these outcomes are achieved. {decision(m, '', h)} {guidance} {purchases}",
        assess(public_health=True),
    ]


def _tightening_2022(m: Meeting, h: str) -> list[str]:
    d = m.release
    if d < D("2022-02-01"):
        return [
            "Indicators of economic activity and employment have continued to strengthen. The "
            "sectors most hurt by the pandemic have improved in recent months but are being "
            "affected by the recent sharp rise in COVID-19 cases. Job gains have been solid in "
            "recent months, and the unemployment rate has declined substantially. Supply and "
            "demand imbalances related to the pandemic and the reopening of the economy have "
            "continued to contribute to elevated levels of inflation. Overall financial conditions "
            "remain accommodative, in part reflecting policy measures to support the economy and "
            "the flow of credit to U.S. households and businesses.",
            "The path of the economy continues to depend on the course of the virus. Progress on "
            "vaccinations and an easing of supply constraints are expected to support continued "
            "gains in economic activity and employment as well as a reduction in inflation. Risks "
            "to the economic outlook remain, including from new variants of the virus.",
            f"{GOALS} {decision(m, 'In support of these goals', h)} With inflation well above 2 "
            "percent and a strong labor market, the Committee expects it will soon be appropriate "
            "to raise the target range for the federal funds rate. The Committee decided to "
            "continue to reduce the monthly pace of its net asset purchases, bringing them to an "
            "end in early March.",
            assess(public_health=True),
        ]
    activity = pick(
        d,
        [
            (
                "2022-03-01",
                "Indicators of economic activity and employment have continued to strengthen. Job gains have been strong in recent months, and the unemployment rate has declined substantially.",
            ),
            (
                "2022-05-01",
                "Although overall economic activity edged down in the first quarter, household spending and business fixed investment remained strong. Job gains have been robust in recent months, and the unemployment rate has declined substantially.",
            ),
            (
                "2022-06-01",
                "Overall economic activity appears to have picked up after edging down in the first quarter. Job gains have been robust in recent months, and the unemployment rate has remained low.",
            ),
            (
                "2022-07-01",
                "Recent indicators of spending and production have softened. Nonetheless, job gains have been robust in recent months, and the unemployment rate has remained low.",
            ),
            (
                "2022-09-01",
                "Recent indicators point to modest growth in spending and production. Job gains have been robust in recent months, and the unemployment rate has remained low.",
            ),
        ],
    )
    war = pick(
        d,
        [
            (
                "2022-03-01",
                "The invasion of Ukraine by Russia is causing tremendous human and economic hardship. The implications for the U.S. economy are highly uncertain, but in the near term the invasion and related events are likely to create additional upward pressure on inflation and weigh on economic activity.",
            ),
            (
                "2022-05-01",
                "The invasion of Ukraine by Russia is causing tremendous human and economic hardship. The invasion and related events are creating additional upward pressure on inflation and are weighing on global economic activity. In addition, COVID-related lockdowns in China are likely to exacerbate supply chain disruptions. The Committee is highly attentive to inflation risks.",
            ),
            (
                "2022-06-01",
                "Russia’s war against Ukraine is causing tremendous human and economic hardship. The war and related events are creating additional upward pressure on inflation and are weighing on global economic activity. The Committee is highly attentive to inflation risks.",
            ),
        ],
    )
    guidance = pick(
        d,
        [
            (
                "2022-03-01",
                "With appropriate firming in the stance of monetary policy, the Committee expects inflation to return to its 2 percent objective and the labor market to remain strong. The Committee anticipates that ongoing increases in the target range will be appropriate.",
            ),
            (
                "2022-05-01",
                "The Committee anticipates that ongoing increases in the target range will be appropriate.",
            ),
            (
                "2022-11-01",
                "The Committee anticipates that ongoing increases in the target range will be appropriate in order to attain a stance of monetary policy that is sufficiently restrictive to return inflation to 2 percent over time. In determining the pace of future increases in the target range, the Committee will take into account the cumulative tightening of monetary policy, the lags with which monetary policy affects economic activity and inflation, and economic and financial developments.",
            ),
        ],
    )
    balance = pick(
        d,
        [
            (
                "2022-03-01",
                "In addition, the Committee expects to begin reducing its holdings of Treasury securities and agency debt and agency mortgage-backed securities at a coming meeting.",
            ),
            (
                "2022-05-01",
                "In addition, the Committee decided to begin reducing its holdings of Treasury securities and agency debt and agency mortgage-backed securities on June 1, as described in the Plans for Reducing the Size of the Federal Reserve’s Balance Sheet that were issued in conjunction with this statement.",
            ),
            (
                "2022-06-01",
                "In addition, the Committee will continue reducing its holdings of Treasury securities and agency debt and agency mortgage-backed securities, as described in the Plans for Reducing the Size of the Federal Reserve’s Balance Sheet that were issued in May.",
            ),
        ],
    )
    commitment = (
        ""
        if d < D("2022-06-01")
        else " The Committee is strongly committed to returning inflation to its 2 percent objective."
    )
    return [
        f"{activity} Inflation remains elevated, reflecting supply and demand imbalances related to "
        "the pandemic, higher food and energy prices, and broader price pressures.",
        war,
        f"{GOALS} {decision(m, 'In support of these goals', h)} {guidance} {balance}{commitment}",
        assess(public_health=True),
    ]


def _tightening_2023(m: Meeting, h: str) -> list[str]:
    d = m.release
    activity = pick(
        d,
        [
            (
                "2023-02-01",
                "Recent indicators point to modest growth in spending and production. Job gains have been robust in recent months, and the unemployment rate has remained low. Inflation has eased somewhat but remains elevated.",
            ),
            (
                "2023-03-01",
                "Recent indicators point to modest growth in spending and production. Job gains have picked up in recent months and are running at a robust pace; the unemployment rate has remained low. Inflation remains elevated.",
            ),
            (
                "2023-05-01",
                "Economic activity expanded at a modest pace in the first quarter. Job gains have been robust in recent months, and the unemployment rate has remained low. Inflation remains elevated.",
            ),
            (
                "2023-06-01",
                "Recent indicators suggest that economic activity has continued to expand at a modest pace. Job gains have been robust in recent months, and the unemployment rate has remained low. Inflation remains elevated.",
            ),
            (
                "2023-07-01",
                "Recent indicators suggest that economic activity has been expanding at a moderate pace. Job gains have been robust in recent months, and the unemployment rate has remained low. Inflation remains elevated.",
            ),
            (
                "2023-09-01",
                "Recent indicators suggest that economic activity has been expanding at a solid pace. Job gains have slowed in recent months but remain strong, and the unemployment rate has remained low. Inflation remains elevated.",
            ),
            (
                "2023-10-15",
                "Recent indicators suggest that economic activity expanded at a strong pace in the third quarter. Job gains have moderated since earlier in the year but remain strong, and the unemployment rate has remained low. Inflation remains elevated.",
            ),
            (
                "2023-12-01",
                "Recent indicators suggest that growth of economic activity has slowed from its strong pace in the third quarter. Job gains have moderated since earlier in the year but remain strong, and the unemployment rate has remained low. Inflation has eased over the past year but remains elevated.",
            ),
        ],
    )
    conditions = pick(
        d,
        [
            (
                "2023-02-01",
                "Russia’s war against Ukraine is causing tremendous human and economic hardship and is contributing to elevated global uncertainty. The Committee is highly attentive to inflation risks.",
            ),
            (
                "2023-03-01",
                "The U.S. banking system is sound and resilient. Recent developments are likely to result in tighter credit conditions for households and businesses and to weigh on economic activity, hiring, and inflation. The extent of these effects is uncertain. The Committee remains highly attentive to inflation risks.",
            ),
            (
                "2023-05-01",
                "The U.S. banking system is sound and resilient. Tighter credit conditions for households and businesses are likely to weigh on economic activity, hiring, and inflation. The extent of these effects remains uncertain. The Committee remains highly attentive to inflation risks.",
            ),
        ],
    )
    guidance = pick(
        d,
        [
            (
                "2023-02-01",
                "The Committee anticipates that ongoing increases in the target range will be appropriate in order to attain a stance of monetary policy that is sufficiently restrictive to return inflation to 2 percent over time.",
            ),
            (
                "2023-03-01",
                "The Committee will closely monitor incoming information and assess the implications for monetary policy. The Committee anticipates that some additional policy firming may be appropriate in order to attain a stance of monetary policy that is sufficiently restrictive to return inflation to 2 percent over time.",
            ),
            (
                "2023-05-01",
                "The Committee will closely monitor incoming information and assess the implications for monetary policy. In determining the extent to which additional policy firming may be appropriate to return inflation to 2 percent over time, the Committee will take into account the cumulative tightening of monetary policy, the lags with which monetary policy affects economic activity and inflation, and economic and financial developments.",
            ),
            (
                "2023-06-01",
                "Holding the target range steady at this meeting allows the Committee to assess additional information and its implications for monetary policy. In determining the extent of additional policy firming that may be appropriate to return inflation to 2 percent over time, the Committee will take into account the cumulative tightening of monetary policy, the lags with which monetary policy affects economic activity and inflation, and economic and financial developments.",
            ),
            (
                "2023-07-01",
                "The Committee will continue to assess additional information and its implications for monetary policy. In determining the extent of additional policy firming that may be appropriate to return inflation to 2 percent over time, the Committee will take into account the cumulative tightening of monetary policy, the lags with which monetary policy affects economic activity and inflation, and economic and financial developments.",
            ),
            (
                "2023-12-01",
                "In determining the extent of any additional policy firming that may be appropriate to return inflation to 2 percent over time, the Committee will take into account the cumulative tightening of monetary policy, the lags with which monetary policy affects economic activity and inflation, and economic and financial developments.",
            ),
        ],
    )
    return [
        activity,
        conditions,
        f"{GOALS} {decision(m, 'In support of these goals', h)} {guidance} In addition, the "
        "Committee will continue reducing its holdings of Treasury securities and agency debt and "
        f"agency mortgage{h}backed securities, as described in its previously announced plans. "
        "The Committee is strongly committed to returning inflation to its 2 percent objective.",
        assess(public_health=False),
    ]


def _easing_2024(m: Meeting, h: str) -> list[str]:
    d = m.release
    activity = pick(
        d,
        [
            (
                "2024-01-01",
                "Recent indicators suggest that economic activity has been expanding at a solid pace. Job gains have moderated since early last year but remain strong, and the unemployment rate has remained low. Inflation has eased over the past year but remains elevated.",
            ),
            (
                "2024-04-15",
                "Recent indicators suggest that economic activity has continued to expand at a solid pace. Job gains have remained strong, and the unemployment rate has remained low. Inflation has eased over the past year but remains elevated. In recent months, there has been a lack of further progress toward the Committee’s 2 percent inflation objective.",
            ),
            (
                "2024-06-01",
                "Recent indicators suggest that economic activity has continued to expand at a solid pace. Job gains have remained strong, and the unemployment rate has remained low. Inflation has eased over the past year but remains elevated. In recent months, there has been modest further progress toward the Committee’s 2 percent inflation objective.",
            ),
            (
                "2024-07-01",
                "Recent indicators suggest that economic activity has continued to expand at a solid pace. Job gains have moderated, and the unemployment rate has moved up but remains low. Inflation has eased over the past year but remains somewhat elevated. In recent months, there has been some further progress toward the Committee’s 2 percent inflation objective.",
            ),
            (
                "2024-09-01",
                "Recent indicators suggest that economic activity has continued to expand at a solid pace. Job gains have slowed, and the unemployment rate has moved up but remains low. Inflation has made further progress toward the Committee’s 2 percent objective but remains somewhat elevated.",
            ),
            (
                "2024-11-01",
                "Recent indicators suggest that economic activity has continued to expand at a solid pace. Since earlier in the year, labor market conditions have generally eased, and the unemployment rate has moved up but remains low. Inflation has made progress toward the Committee’s 2 percent objective but remains somewhat elevated.",
            ),
        ],
    )
    risks = pick(
        d,
        [
            (
                "2024-01-01",
                "The Committee judges that the risks to achieving its employment and inflation goals are moving into better balance. The economic outlook is uncertain, and the Committee remains highly attentive to inflation risks.",
            ),
            (
                "2024-04-15",
                "The Committee judges that the risks to achieving its employment and inflation goals have moved toward better balance over the past year. The economic outlook is uncertain, and the Committee remains highly attentive to inflation risks.",
            ),
            (
                "2024-07-01",
                "The Committee judges that the risks to achieving its employment and inflation goals continue to move into better balance. The economic outlook is uncertain, and the Committee is attentive to the risks to both sides of its dual mandate.",
            ),
            (
                "2024-09-01",
                "The Committee has gained greater confidence that inflation is moving sustainably toward 2 percent, and judges that the risks to achieving its employment and inflation goals are roughly in balance. The economic outlook is uncertain, and the Committee is attentive to the risks to both sides of its dual mandate.",
            ),
            (
                "2024-11-01",
                "The Committee judges that the risks to achieving its employment and inflation goals are roughly in balance. The economic outlook is uncertain, and the Committee is attentive to the risks to both sides of its dual mandate.",
            ),
        ],
    )
    lead = (
        "In light of the progress on inflation and the balance of risks"
        if m.iso == "2024-09-18"
        else "In support of its goals"
    )
    guidance = pick(
        d,
        [
            (
                "2024-01-01",
                "In considering any adjustments to the target range for the federal funds rate, the Committee will carefully assess incoming data, the evolving outlook, and the balance of risks. The Committee does not expect it will be appropriate to reduce the target range until it has gained greater confidence that inflation is moving sustainably toward 2 percent.",
            ),
            (
                "2024-09-01",
                "In considering additional adjustments to the target range for the federal funds rate, the Committee will carefully assess incoming data, the evolving outlook, and the balance of risks.",
            ),
            (
                "2024-12-01",
                "In considering the extent and timing of additional adjustments to the target range for the federal funds rate, the Committee will carefully assess incoming data, the evolving outlook, and the balance of risks.",
            ),
        ],
    )
    balance = pick(
        d,
        [
            (
                "2024-01-01",
                f"In addition, the Committee will continue reducing its holdings of Treasury securities and agency debt and agency mortgage{h}backed securities, as described in its previously announced plans.",
            ),
            (
                "2024-04-15",
                f"In addition, the Committee will continue reducing its holdings of Treasury securities and agency debt and agency mortgage{h}backed securities. Beginning in June, the Committee will slow the pace of decline of its securities holdings by reducing the monthly redemption cap on Treasury securities from $60 billion to $25 billion. The Committee will maintain the monthly redemption cap on agency debt and agency mortgage{h}backed securities at $35 billion and will reinvest any principal payments in excess of this cap into Treasury securities.",
            ),
            (
                "2024-06-01",
                f"In addition, the Committee will continue reducing its holdings of Treasury securities and agency debt and agency mortgage{h}backed securities.",
            ),
        ],
    )
    commitment = pick(
        d,
        [
            (
                "2024-01-01",
                "The Committee is strongly committed to returning inflation to its 2 percent objective.",
            ),
            (
                "2024-09-01",
                "The Committee is strongly committed to supporting maximum employment and returning inflation to its 2 percent objective.",
            ),
        ],
    )
    return [
        activity,
        f"{GOALS} {risks}",
        f"{decision(m, lead, h)} {guidance} {balance} {commitment}",
        assess(public_health=False),
    ]


def _year_2025(m: Meeting, h: str) -> list[str]:
    d = m.release
    activity = pick(
        d,
        [
            (
                "2025-01-01",
                "Recent indicators suggest that economic activity has continued to expand at a solid pace. The unemployment rate has stabilized at a low level in recent months, and labor market conditions remain solid. Inflation remains somewhat elevated.",
            ),
            (
                "2025-05-01",
                "Although swings in net exports have affected the data, recent indicators suggest that economic activity has continued to expand at a solid pace. The unemployment rate has stabilized at a low level in recent months, and labor market conditions remain solid. Inflation remains somewhat elevated.",
            ),
            (
                "2025-06-01",
                "Although swings in net exports have continued to affect the data, recent indicators suggest that economic activity has continued to expand at a solid pace. The unemployment rate remains low, and labor market conditions remain solid. Inflation remains somewhat elevated.",
            ),
            (
                "2025-07-01",
                "Although swings in net exports continue to affect the data, recent indicators suggest that growth of economic activity moderated in the first half of the year. The unemployment rate remains low, and labor market conditions remain solid. Inflation remains somewhat elevated.",
            ),
            # The labor market sentence loses "remain solid"; job gains have slowed.
            (
                "2025-09-01",
                "Recent indicators suggest that growth of economic activity moderated in the first half of the year. Job gains have slowed, and the unemployment rate has edged up but remains low. Inflation has moved up and remains somewhat elevated.",
            ),
        ],
    )
    risks = pick(
        d,
        [
            (
                "2025-01-01",
                "The Committee judges that the risks to achieving its employment and inflation goals are roughly in balance. The economic outlook is uncertain, and the Committee is attentive to the risks to both sides of its dual mandate.",
            ),
            (
                "2025-03-01",
                "Uncertainty around the economic outlook has increased. The Committee is attentive to the risks to both sides of its dual mandate.",
            ),
            (
                "2025-05-01",
                "Uncertainty about the economic outlook has increased further. The Committee is attentive to the risks to both sides of its dual mandate and judges that the risks of higher unemployment and higher inflation have risen.",
            ),
            (
                "2025-06-01",
                "Uncertainty about the economic outlook has diminished but remains elevated. The Committee is attentive to the risks to both sides of its dual mandate.",
            ),
            (
                "2025-07-01",
                "Uncertainty about the economic outlook remains elevated. The Committee is attentive to the risks to both sides of its dual mandate.",
            ),
            (
                "2025-09-01",
                "Uncertainty about the economic outlook remains elevated. The Committee is attentive to the risks to both sides of its dual mandate and judges that downside risks to employment have risen.",
            ),
        ],
    )
    lead = (
        "In support of its goals and in light of the shift in the balance of risks"
        if m.change_bps
        else "In support of its goals"
    )
    guidance = pick(
        d,
        [
            (
                "2025-01-01",
                "In considering the extent and timing of additional adjustments to the target range for the federal funds rate, the Committee will carefully assess incoming data, the evolving outlook, and the balance of risks.",
            ),
            (
                "2025-09-01",
                "In considering additional adjustments to the target range for the federal funds rate, the Committee will carefully assess incoming data, the evolving outlook, and the balance of risks.",
            ),
        ],
    )
    balance = pick(
        d,
        [
            (
                "2025-01-01",
                f"The Committee will continue reducing its holdings of Treasury securities and agency debt and agency mortgage{h}backed securities.",
            ),
            (
                "2025-03-01",
                f"The Committee will continue reducing its holdings of Treasury securities and agency debt and agency mortgage{h}backed securities. Beginning in April, the Committee will slow the pace of decline of its securities holdings by reducing the monthly redemption cap on Treasury securities from $25 billion to $5 billion. The Committee will maintain the monthly redemption cap on agency debt and agency mortgage{h}backed securities at $35 billion and will reinvest any principal payments in excess of this cap into Treasury securities.",
            ),
            (
                "2025-05-01",
                f"The Committee will continue reducing its holdings of Treasury securities and agency debt and agency mortgage{h}backed securities.",
            ),
        ],
    )
    return [
        activity,
        f"{GOALS} {risks}",
        f"{decision(m, lead, h)} {guidance} {balance} The Committee is strongly committed to "
        "supporting maximum employment and returning inflation to its 2 percent objective.",
        assess(public_health=False),
    ]


def primary_credit_rate(m: Meeting) -> float:
    """The discount window's rate: 1/2 point above the range's top until March 2020,
    at the top since."""
    return m.upper + (0.50 if m.release < D("2020-03-15") else 0.0)


def implementation_note(m: Meeting) -> list[str]:
    """The implementation note's paragraphs: the administered rates that carry the decision."""
    h = NBH if m.release.year >= 2023 else "-"
    offset = 0.15 if D("2019-05-01") <= m.release <= D("2021-06-15") else 0.10
    reserves = m.upper - offset
    reserves_name = (
        "interest rate paid on required and excess reserve balances"
        if m.release < D("2021-07-28")
        else "interest rate paid on reserve balances"
    )
    primary = primary_credit_rate(m)
    effective = long_date(m.effective)
    verb = "maintain" if m.change_bps == 0 else ("lower" if m.change_bps < 0 else "raise")
    paragraphs = [
        "The Federal Reserve has made the following decisions to implement the monetary policy "
        f"stance announced by the Federal Open Market Committee in its statement on {long_date(m.release)}:",
        f"The Board of Governors of the Federal Reserve System voted unanimously to {verb} the "
        f"{reserves_name} {'at' if verb == 'maintain' else 'to'} {reserves:.2f} percent, effective {effective}.",
        "As part of its policy decision, the Federal Open Market Committee voted to authorize and "
        "direct the Open Market Desk at the Federal Reserve Bank of New York, until instructed "
        "otherwise, to execute transactions in the System Open Market Account in accordance with "
        f"the following domestic policy directive: “Effective {effective}, the Federal Open Market "
        "Committee directs the Desk to undertake open market operations as necessary to maintain "
        f"the federal funds rate in a target range of {range_text(m, h)}.”",
    ]
    before = primary_credit_rate(m.previous) if m.previous else primary
    if primary != before:
        size = quarters(abs(primary - before))
        direction = "decrease" if primary < before else "increase"
        paragraphs.append(
            "In a related action, the Board of Governors of the Federal Reserve System voted "
            f"unanimously to approve a {size} percentage point {direction} in the primary credit "
            f"rate to {primary:.2f} percent, effective {effective}."
        )
    else:
        paragraphs.append(
            "In a related action, the Board of Governors of the Federal Reserve System voted "
            f"unanimously to approve establishment of the primary credit rate at the existing level "
            f"of {primary:.2f} percent."
        )
    return paragraphs


# ---------------------------------------------------------------- HTML pages


def long_date(day: dt.date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def http_date(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment.astimezone(dt.UTC), usegmt=True)


def to_html(text: str, year: int, wrap: bool) -> str:
    """Plain text as the Fed's HTML writes it; the entity style changes with the year
    (as the site's did), and older pages are hard-wrapped in the source."""
    out = html.escape(text, quote=False)
    if year % 2 == 0:
        out = out.replace("\u2019", "&rsquo;").replace(NBH, "&#8209;")
        out = out.replace("\u201c", "&ldquo;").replace("\u201d", "&rdquo;")
    if year >= 2024:
        out = out.replace(" percent", "&nbsp;percent")
    if wrap:
        out = textwrap.fill(out, 96, break_on_hyphens=False, break_long_words=False)
    return out


NAV = """<nav class="nav-main" aria-label="Main menu">
<ul class="nav-main__list">
<li><a href="/aboutthefed.htm">About the Fed</a></li>
<li><a href="/newsevents.htm">News &amp; Events</a></li>
<li><a href="/monetarypolicy.htm">Monetary Policy</a></li>
<li><a href="/supervisionreg.htm">Supervision &amp; Regulation</a></li>
<li><a href="/financial-stability.htm">Financial Stability</a></li>
<li><a href="/paymentsystems.htm">Payment Systems</a></li>
<li><a href="/econres.htm">Economic Research</a></li>
<li><a href="/data.htm">Data</a></li>
<li><a href="/consumerscommunities.htm">Consumers &amp; Communities</a></li>
</ul>
</nav>"""


def page(title: str, crumbs: list[tuple[str, str]], main: str, updated: dt.date) -> str:
    """A page in the site's frame: header, navigation, breadcrumb, content, footer."""
    trail = "".join(f'<li><a href="{href}">{html.escape(name)}</a></li>' for href, name in crumbs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Federal Reserve Board - {html.escape(title)}</title>
<link rel="stylesheet" href="/css/main.css">
<script src="/js/jquery.min.js"></script>
<script>
  if (window.innerWidth < 768) {{ document.documentElement.className += " mobile"; }}
  var pageSection = "<p>not a paragraph</p>";
</script>
</head>
<body>
<a class="sr-only sr-only-focusable" href="#content">Skip to main content</a>
<div id="header" class="header">
<div class="container">
<div class="header__logo"><a href="/default.htm"><img src="/images/fedlogo.svg" alt="Board of Governors of the Federal Reserve System"></a></div>
<p class="header__tagline">The Federal Reserve, the central bank of the United States, provides the nation with a safe, flexible, and stable monetary and financial system.</p>
<form class="header__search" action="/search.htm" method="get"><input type="search" name="q" aria-label="Search"><button type="submit">Search</button></form>
</div>
</div>
{NAV}
<div id="content" class="container container__main" role="main">
<div class="row">
<div class="page-header col-xs-12">
<ol class="breadcrumb">{trail}</ol>
</div>
</div>
{main}
</div>
<footer class="footer">
<div class="container">
<ul class="footer__links"><li><a href="/disclaimer.htm">Disclaimer</a></li><li><a href="/privacy.htm">Website Policies</a></li><li><a href="/foia/about_foia.htm">FOIA</a></li><li><a href="/accessibility.htm">Accessibility</a></li><li><a href="/aboutthefed/contact-us-topics.htm">Contact</a></li></ul>
<p class="lastUpdate">Last Update: {long_date(updated)}</p>
<p class="footer__address">Board of Governors of the Federal Reserve System<br>20th Street and Constitution Avenue N.W., Washington, DC 20551</p>
</div>
</footer>
</body>
</html>
"""


PRESS_CRUMBS = [
    ("/default.htm", "Home"),
    ("/newsevents.htm", "News & Events"),
    ("/newsevents/pressreleases.htm", "Press Releases"),
]


def release_page(m: Meeting, title: str, paragraphs: list[str], extra: str) -> str:
    """A press-release page: heading (date, title, release time), then the release."""
    zone = m.released_at.tzname()
    clock = m.released_at.strftime("%I:%M").lstrip("0") + (
        " a.m." if m.released_at.hour < 12 else " p.m."
    )
    year = m.release.year
    wrap = year <= 2020
    body = "\n".join(f"<p>{to_html(p, year, wrap)}</p>" for p in paragraphs)
    main = f"""<div id="article">
<div class="heading col-xs-12 col-sm-8 col-md-8">
<p class="article__time">{long_date(m.release)}</p>
<h3 class="title"><em>{html.escape(title)}</em></h3>
<p class="releaseTime">For release at {clock} {zone}</p>
<div class="shareDL">
<p><a class="shareDL__link" href="{SITE}/monetarypolicy/files/monetary{m.stamp}a1.pdf">PDF</a> | <a class="shareDL__link" href="mailto:?subject={html.escape(title)}">Share</a></p>
</div>
</div>
<div class="col-xs-12 col-sm-8 col-md-8">
{body}
{extra}<p>For media inquiries, please email <a href="mailto:media@frb.gov">media@frb.gov</a> or call 202-452-2955.</p>
</div>
<div class="col-xs-12 col-sm-4 col-md-4">
<div class="panel panel-related">
<div class="panel-heading"><h4>Related Information</h4></div>
<ul class="list-unstyled">
<li><a href="/monetarypolicy/fomccalendars.htm">Meeting calendars and information</a></li>
<li><a href="/monetarypolicy/openmarket.htm">Open market operations</a></li>
</ul>
</div>
</div>
</div>"""
    return page(title, PRESS_CRUMBS, main, m.release)


def statement_page(m: Meeting) -> str:
    note = f'<p><a href="{m.note_path}">Implementation Note issued {long_date(m.release)}</a></p>\n'
    return release_page(m, "Federal Reserve issues FOMC statement", statement(m), note)


def note_page(m: Meeting) -> str:
    paragraphs = implementation_note(m)
    title = f"Implementation Note issued {long_date(m.release)}"
    return release_page(
        m, title, ["Decisions Regarding Monetary Policy Implementation", *paragraphs], ""
    )


def _links(m: Meeting, absolute: bool) -> tuple[str, str]:
    """The statement and minutes cells of a calendar row (absolute URLs in some years,
    as the real page mixes both)."""
    base = SITE if absolute else ""
    if not m.has_statement:
        return "", ""
    statement = (
        f'<strong>Statement:</strong><br><a href="{base}/monetarypolicy/files/monetary{m.stamp}a1.pdf">PDF</a>'
        f' | <a href="{base}{m.statement_path}">HTML</a><br>'
        f'<a href="{base}{m.note_path}">Implementation Note</a>'
    )
    released = m.release + dt.timedelta(days=21)
    minutes = ""
    if released <= END:
        minutes = (
            f'<strong>Minutes:</strong><br><a href="{base}/monetarypolicy/files/fomcminutes{m.stamp}.pdf">PDF</a>'
            f' | <a href="{base}/monetarypolicy/fomcminutes{m.stamp}.htm">HTML</a><br>(Released {long_date(released)})'
        )
    return statement, minutes


def calendar_page(all_meetings: list[Meeting]) -> str:
    panels = []
    for year in CALENDAR_YEARS:
        rows = []
        for m in (m for m in all_meetings if m.release.year == year):
            statement, minutes = _links(m, absolute=year % 2 == 1)
            star = "*" if m.projections else ""
            extra = ""
            if m.has_statement:
                materials = ""
                if m.projections:  # the accessible SEP page, absolute where the statement is
                    base = SITE if year % 2 == 1 else ""
                    materials = f'<br><a href="{base}{generate_sep.path_of(m.release)}">Projection Materials</a>'
                extra = f'<div class="col-xs-12 col-md-4 col-lg-3"><a href="/monetarypolicy/fomcpresconf{m.stamp}.htm">Press Conference</a>{materials}</div>\n'
            rows.append(f"""<div class="row fomc-meeting">
<div class="fomc-meeting__month col-xs-5 col-sm-3 col-md-2"><strong>{m.month}</strong></div>
<div class="fomc-meeting__date col-xs-4 col-sm-9 col-md-10 col-lg-1">{m.days}{star}</div>
<div class="col-xs-12 col-md-4 col-lg-2">{statement}</div>
{extra}<div class="fomc-meeting__minutes col-xs-12 col-md-4 col-lg-3">{minutes}</div>
</div>""")
        panels.append(f"""<div class="panel panel-default">
<div class="panel-heading"><h4><a id="{year}">{year} FOMC Meetings</a></h4></div>
{chr(10).join(rows)}
<div class="fomc-meeting__footnote"><p>* Meeting associated with a Summary of Economic Projections.</p></div>
</div>""")
    main = f"""<div id="article">
<div class="row"><div class="col-xs-12">
<h3>Meeting calendars, statements, and minutes ({min(CALENDAR_YEARS)}-{max(CALENDAR_YEARS)})</h3>
<p>The FOMC holds eight regularly scheduled meetings during the year and other meetings as needed. Links to policy statements and minutes are in the calendars below. For earlier years, see the <a href="/monetarypolicy/fomc_historical_year.htm">FOMC historical materials</a>.</p>
</div></div>
{chr(10).join(panels)}
</div>"""
    crumbs = [
        ("/default.htm", "Home"),
        ("/monetarypolicy.htm", "Monetary Policy"),
        ("/monetarypolicy/fomc.htm", "FOMC"),
    ]
    return page("Meeting calendars and information", crumbs, main, CALENDAR_UPDATED)


def historical_page(all_meetings: list[Meeting], year: int) -> str:
    panels = []
    for m in (m for m in all_meetings if m.release.year == year):
        kind = (
            "Conference Call"
            if not m.has_statement
            else ("Unscheduled Meeting" if m.unscheduled else "Meeting")
        )
        statement, minutes = _links(m, absolute=False)
        cells = [f"<p>{statement}</p>" if statement else ""]
        if m.projections:
            cells.append(
                f'<p><a href="{generate_sep.path_of(m.release)}">Projection Materials</a></p>'
            )
        if m.has_statement and not m.unscheduled:
            cells.append(
                f'<p><a href="/monetarypolicy/fomcpresconf{m.stamp}.htm">Press Conference</a></p>'
            )
        panels.append(f"""<div class="panel panel-default">
<div class="panel-heading"><h5>{m.month} {m.days} {kind}</h5></div>
<div class="panel-body">
<div class="row">
<div class="col-xs-12 col-md-6">{"".join(cells)}</div>
<div class="col-xs-12 col-md-6"><p>{minutes or "Minutes of the conference call are included in the minutes of the next meeting."}</p>
<p><a href="/monetarypolicy/files/FOMC{m.stamp}meeting.pdf">Transcript</a></p></div>
</div>
</div>
</div>""")
    main = f"""<div id="article">
<div class="page-header"><h3>{year} FOMC Meetings</h3></div>
{chr(10).join(panels)}
</div>"""
    crumbs = [
        ("/default.htm", "Home"),
        ("/monetarypolicy.htm", "Monetary Policy"),
        ("/monetarypolicy/fomc_historical_year.htm", "FOMC Historical Materials"),
    ]
    return page(f"FOMC {year}", crumbs, main, HISTORICAL_UPDATED)


# ---------------------------------------------------------------- RSS feed


@dataclass(frozen=True)
class Release:
    moment: dt.datetime
    title: str
    path: str
    description: str


def releases(all_meetings: list[Meeting]) -> list[Release]:
    """Monetary press releases (statements, projections, minutes, a discount-rate item)."""
    out = []
    for m in all_meetings:
        if not m.has_statement:
            continue
        out.append(
            Release(
                m.released_at,
                "Federal Reserve issues FOMC statement",
                m.statement_path,
                "Federal Reserve issues FOMC statement",
            )
        )
        if m.projections:
            title = (
                "Federal Reserve Board and Federal Open Market Committee release economic "
                f"projections from the {m.full_month} {m.days} FOMC meeting"
            )
            out.append(
                Release(
                    m.released_at, title, f"/newsevents/pressreleases/monetary{m.stamp}b.htm", title
                )
            )
        minutes_at = m.released_at + dt.timedelta(days=21)
        if not m.unscheduled and minutes_at.date() <= END:
            title = f"Minutes of the Federal Open Market Committee, {m.full_month} {m.days}, {m.release.year}"
            out.append(
                Release(minutes_at, title, f"/monetarypolicy/fomcminutes{m.stamp}.htm", title)
            )
    discount = dt.datetime(2025, 8, 26, 16, 30, tzinfo=NEW_YORK)
    title = "Minutes of the Board’s discount rate meetings on July 21 and July 30, 2025"
    out.append(Release(discount, title, "/newsevents/pressreleases/monetary20250826a.htm", title))
    return sorted(out, key=lambda r: (r.moment, r.path), reverse=True)


def feed(all_meetings: list[Meeting]) -> str:
    items = [r for r in releases(all_meetings) if r.moment.date() <= END][:FEED_ITEMS]

    def esc(text: str) -> str:
        return html.escape(text, quote=False)

    entries = "".join(
        f"""<item>
<title>{esc(r.title)}</title>
<link>{SITE}{r.path}</link>
<guid isPermaLink="true">{SITE}{r.path}</guid>
<description><![CDATA[{r.description}]]></description>
<category>Monetary Policy</category>
<pubDate>{http_date(r.moment)}</pubDate>
</item>
"""
        for r in items
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>FRB: Press Release - Monetary Policy</title>
<link>{SITE}/feeds/press_monetary.htm</link>
<description>Federal Reserve Board Press Releases - Monetary Policy</description>
<language>en</language>
<copyright>Board of Governors of the Federal Reserve System</copyright>
<atom:link href="{SITE}/feeds/press_monetary.xml" rel="self" type="application/rss+xml" />
<lastBuildDate>{http_date(items[0].moment)}</lastBuildDate>
{entries}</channel>
</rss>
"""


# ---------------------------------------------------------------- FRED


def target_range_rows(all_meetings: list[Meeting]) -> list[tuple[dt.date, float, float]]:
    """(day, lower, upper) for every calendar day: a decision takes effect the next day."""
    changes = {m.effective: (m.lower, m.upper) for m in all_meetings if m.has_statement}
    lower, upper = FIRST_RANGE
    rows, day = [], FRED_START
    while day <= END:
        lower, upper = changes.get(day, (lower, upper))
        rows.append((day, lower, upper))
        day += dt.timedelta(days=1)
    return rows


def bond_market_closed(day: dt.date) -> bool:
    """US bond-market holidays among weekdays: the NYSE's holidays (not the 2025-01-09 day
    of mourning, when bonds traded), plus Columbus Day and Veterans Day."""
    if day.weekday() >= 5:
        return False
    if day.month == 10 and day.weekday() == 0 and 8 <= day.day <= 14:
        return True  # Columbus Day: second Monday of October
    veterans = dt.date(day.year, 11, 11)
    if veterans.weekday() == 6:
        veterans += dt.timedelta(days=1)
    if day == veterans:
        return True
    return not sessions.is_session(day) and day != D("2025-01-09")


# Plausible yield levels (percent) the random walks pass through.
YIELD_WAYPOINTS = {
    "DGS2": "2019-01-02 2.50, 2019-09-03 1.43, 2020-03-09 0.39, 2020-04-30 0.20, 2021-02-10 0.11,"
    "2021-12-31 0.73, 2022-06-14 3.43, 2022-11-07 4.72, 2023-03-08 5.07, 2023-05-04 3.78,"
    "2023-10-18 5.21, 2023-12-29 4.23, 2024-04-30 5.04, 2024-09-24 3.55, 2025-01-10 4.38,"
    "2025-04-04 3.66, 2025-07-31 3.96, 2025-09-16 3.51, 2025-09-19 3.57",
    "DGS10": "2019-01-02 2.66, 2019-09-03 1.47, 2020-03-09 0.54, 2020-08-04 0.52, 2021-03-31 1.74,"
    "2021-12-31 1.52, 2022-06-14 3.48, 2022-10-24 4.25, 2023-04-05 3.30, 2023-10-19 4.98,"
    "2023-12-27 3.79, 2024-04-25 4.70, 2024-09-16 3.62, 2025-01-14 4.79, 2025-04-04 4.01,"
    "2025-07-31 4.37, 2025-09-16 4.03, 2025-09-19 4.14",
}
YIELD_SIGMA = {"DGS2": 0.035, "DGS10": 0.04}  # daily change, percentage points


def yield_rows(series: str) -> list[tuple[dt.date, float | None]]:
    """Every weekday; None where the bond market was closed."""
    days = [FRED_START + dt.timedelta(days=i) for i in range((END - FRED_START).days + 1)]
    days = [d for d in days if d.weekday() < 5]
    index = {d: i for i, d in enumerate(days)}
    pins = {}
    for item in YIELD_WAYPOINTS[series].split(","):
        day, value = item.split()
        pins[index[D(day)]] = float(value)
    pins.setdefault(0, pins[min(pins)])  # 2019-01-01: where the first waypoint is
    path = bridge(rng_for(series), len(days), pins, YIELD_SIGMA[series])
    path = np.maximum(path, 0.05)
    return [
        (d, None if bond_market_closed(d) else round(float(v), 2))
        for d, v in zip(days, path, strict=True)
    ]


# FRED's two header styles, as its downloads have had over the years.
FRED_HEADER = {
    "DFEDTARL": "DATE",
    "DFEDTARU": "observation_date",
    "DGS2": "observation_date",
    "DGS10": "DATE",
}


def fred_csv(series: str, rows) -> str:
    lines = [f"{FRED_HEADER[series]},{series}"]
    lines += [
        f"{day.isoformat()},{'.' if value is None else f'{value:.2f}'}" for day, value in rows
    ]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- output

README = """
## Federal Reserve and FRED (synthetic)

`fed/` mirrors paths of www.federalreserve.gov: `feeds/press_monetary.xml` (RSS 2.0, the
last {feed_items} monetary press releases up to {end}: FOMC statements, projections, minutes
and a discount-rate item; links are absolute URLs, as on the real feed),
`monetarypolicy/fomccalendars.htm` ({first}-{last}, one panel per year, an asterisk for
meetings with projections and a "Projection Materials" link once they are out) and
`monetarypolicy/fomchistorical2019.htm`, `...2020.htm`
(one panel per meeting), and `newsevents/pressreleases/monetaryYYYYMMDDa.htm` (statement)
plus `...a1.htm` (implementation note) for each of the {statements} FOMC statements from
2019-01-30 to 2025-09-17, the 2020 unscheduled meetings included. Decisions, ranges, meeting
dates, voters and dissents follow the public record (e.g. the 2025-09-17 cut to 4 to
4-1/4 percent with one dissent for 1/2 point); the statement texts are generated from
templates in the Fed's style and are not the Fed's words. `fred/` holds fredgraph.csv
answers: DFEDTARL and DFEDTARU (calendar days, the new range from the day after each
decision) and DGS2 and DGS10 (weekdays, a seeded random walk, "." on bond-market
holidays), with both of FRED's header styles.

`monetarypolicy/fomcprojtablYYYYMMDD.htm` (generate_sep) is the accessible Summary of
Economic Projections page of each of the {seps} meetings with projections from {first_sep}
to {last_sep} (March, June, September, December; none in March 2020), 2022-03-16 spelled
`fomcprojtable` as on the real site. They have the real pages' structure (UTF-8 with a
byte-order mark, CRLF; Table 1 with each variable's previous-SEP row, Figure 2 the dot
plot) and invented but consistent numbers: the dots add up to the participants (16 to 19,
the longer run one fewer where the real SEP had one fewer), Table 1's federal funds rate
median, central tendency and range are the dots' rounded half up, the previous-SEP rows
are the previous page's Table 1, and the federal funds rate medians of 2024-09-18 to
2025-09-17 are the public record's: on 2025-09-17 the median for 2025 is 3.625 (3.6),
three cuts in 2025, one more than in June (3.875).
"""


def readme(out: list[Meeting] | None = None) -> str:
    all_meetings = out or meetings()
    seps = sorted(m.release for m in all_meetings if m.projections and m.has_statement)
    return README.format(
        feed_items=FEED_ITEMS,
        end=END,
        first=min(CALENDAR_YEARS),
        last=max(CALENDAR_YEARS),
        statements=sum(m.has_statement for m in all_meetings),
        seps=len(seps),
        first_sep=seps[0],
        last_sep=seps[-1],
    )


def generate_fed(out_dir: Path) -> list[Path]:
    """Write fed/ and fred/ under out_dir; returns the files written."""
    out_dir = Path(out_dir)
    all_meetings = meetings()
    files: dict[str, str | bytes] = {
        "fed/feeds/press_monetary.xml": feed(all_meetings),
        "fed/monetarypolicy/fomccalendars.htm": calendar_page(all_meetings),
    }
    for year in HISTORICAL_YEARS:
        files[f"fed/monetarypolicy/fomchistorical{year}.htm"] = historical_page(all_meetings, year)
    for m in all_meetings:
        if m.has_statement:
            files[f"fed{m.statement_path}"] = statement_page(m)
            files[f"fed{m.note_path}"] = note_page(m)
    files.update(generate_sep.pages(all_meetings))
    ranges = target_range_rows(all_meetings)
    files["fred/DFEDTARL.csv"] = fred_csv("DFEDTARL", [(d, lo) for d, lo, _ in ranges])
    files["fred/DFEDTARU.csv"] = fred_csv("DFEDTARU", [(d, up) for d, _, up in ranges])
    for series in ("DGS2", "DGS10"):
        files[f"fred/{series}.csv"] = fred_csv(series, yield_rows(series))
    written = []
    for name, text in files.items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, help="folder to write (e.g. include/replay)")
    args = parser.parse_args(argv)
    written = generate_fed(args.out_dir)
    size = sum(p.stat().st_size for p in written)
    print(f"wrote {len(written)} files ({size / 1e6:.1f} MB) under {args.out_dir}")


if __name__ == "__main__":
    main()
