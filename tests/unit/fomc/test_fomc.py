"""FOMC statement parsing and diffing on short synthetic statements in the Fed's style
(fictional members; the real statements are read by the acceptance test)."""

from __future__ import annotations

import pytest

from rotation_radar.fomc.statements import (
    Dissent,
    StatementDiff,
    StatementParseError,
    diff_statements,
    normalize,
    parse_statement,
    sentences,
)

VOTE_FOR = (
    "Voting for the monetary policy action were Ada B. Lovelace, Chair; Carl F. Gauss, "
    "Vice Chair; Emmy Noether; and Alan M. Turing."
)


def decision(verb_phrase: str) -> str:
    return f"In support of its goals, the Committee decided to {verb_phrase}."


# --- normalize -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("4 to 4\u2014\x911/4 percent", "4 to 4-1/4 percent"),  # garbled non-breaking hyphen
        ("4 to 4\u20111/4 percent", "4 to 4-1/4 percent"),  # non-breaking hyphen
        ("4 to 4\u00ad1/4 percent", "4 to 4-1/4 percent"),  # soft hyphen between numbers
        ("mortgage\u00adbacked", "mortgagebacked"),  # soft hyphen elsewhere is invisible
        ("4 to 4\u20131/4 percent", "4 to 4-1/4 percent"),  # en dash
        ("4 to 4 \u2014 1/4 percent", "4 to 4-1/4 percent"),  # spaced em dash
        ("4 to 4-1/4 percent", "4 to 4-1/4 percent"),
        ("4 to 4 1/4 percent", "4 to 4-1/4 percent"),
        ("4 to 4¼ percent", "4 to 4-1/4 percent"),
        ("4½ to 4¾ percent", "4-1/2 to 4-3/4 percent"),
        ("0 to ¼ percent", "0 to 1/4 percent"),
        ("4 to 4 - 1/4 percent", "4 to 4-1/4 percent"),
        ("the Committee\u2019s goals", "the Committee's goals"),
        ("the Committee\u2014\x99s goals", "the Committee's goals"),  # garbled apostrophe
        ("the \u201cdual mandate\u201d", 'the "dual mandate"'),
        ("on a 12\u2014\x91month basis", "on a 12-month basis"),
        ("a 9 \u2014 3 vote", "a 9-3 vote"),
        ("  Inflation\u00a0remains \n\t elevated.  ", "Inflation remains elevated."),
        ("the Board's\nwebsite\n.", "the Board's website."),
        ("and\u2014in coordination\u2014the", "and\u2014in coordination\u2014the"),  # a real dash
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected
    assert normalize(expected) == expected  # idempotent


# --- sentences -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Inflation eased. Job gains slowed.", ["Inflation eased.", "Job gains slowed."]),
        (
            f"{VOTE_FOR} Voting against was Jane Q. Doe.",
            [VOTE_FOR, "Voting against was Jane Q. Doe."],
        ),
        ("The U.S. economy grew. Spending rose.", ["The U.S. economy grew.", "Spending rose."]),
        (
            "Ada Lovelace, Ph.D. Economist, spoke. Rates held.",
            ["Ada Lovelace, Ph.D. Economist, spoke.", "Rates held."],
        ),
        (
            "Effective Jan. 1 the rate is 2.5 percent. Markets rose.",
            ["Effective Jan. 1 the rate is 2.5 percent.", "Markets rose."],
        ),
        (
            "Released at 2 p.m. Eastern Time. Then a press conference.",
            ["Released at 2 p.m. Eastern Time.", "Then a press conference."],
        ),
        ("Released at 2 p.m. The chair spoke.", ["Released at 2 p.m.", "The chair spoke."]),
        (
            'It said "rates will fall." Markets rose.',
            ['It said "rates will fall."', "Markets rose."],
        ),
        ("Is policy tight? It is.", ["Is policy tight?", "It is."]),
        (
            "Inflation  is\n elevated.\n\nJob gains slowed",
            ["Inflation is elevated.", "Job gains slowed"],
        ),
        (
            "approved by a 9 \u2014 3 vote:\nThe Committee decided",
            ["approved by a 9-3 vote:", "The Committee decided"],
        ),
        ("", []),
    ],
)
def test_sentences(text, expected):
    assert sentences(text) == expected


# --- the decision --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "previous", "expected"),
    [
        (
            decision(
                "lower the target range for the federal funds rate by 1/4 percentage point to 4 to 4-1/4 percent"
            ),
            None,
            ("cut", -25, 4.0, 4.25),
        ),
        (
            decision(
                "lower the target range for the federal funds rate by 1/4 percentage point to 4 to 4\u2014\x911/4 percent"
            ),
            None,
            ("cut", -25, 4.0, 4.25),
        ),
        (
            decision(
                "lower the target range for the federal funds rate by 1/2 percentage point, to 1 to 1-1/4 percent"
            ),
            None,
            ("cut", -50, 1.0, 1.25),
        ),
        (
            decision(
                "reduce the target range for the federal funds rate by 3/4 percentage point to 2 to 2-1/4 percent"
            ),
            None,
            ("cut", -75, 2.0, 2.25),
        ),
        (
            decision(
                "raise the target range for the federal funds rate by 3/4 percentage point to 3 to 3-1/4 percent"
            ),
            None,
            ("hike", 75, 3.0, 3.25),
        ),
        (
            decision(
                "increase the target range for the federal funds rate by 1/2 percentage point to 4\u00bd to 4\u00be percent"
            ),
            None,
            ("hike", 50, 4.5, 4.75),
        ),
        (
            decision(
                "lower the target range for the federal funds rate by 50 basis points to 4 1/2 to 4 3/4 percent"
            ),
            None,
            ("cut", -50, 4.5, 4.75),
        ),
        (
            decision(
                "raise the target range for the federal funds rate to 1/4 to 1/2 percent and anticipates that ongoing increases will be appropriate"
            ),
            (0.0, 0.25),
            ("hike", 25, 0.25, 0.5),
        ),
        (
            decision("raise the target range for the federal funds rate to 1/4 to 1/2 percent"),
            None,
            ("hike", None, 0.25, 0.5),
        ),  # the size is not stated and nothing is guessed
        (
            decision("lower the target range for the federal funds rate to 0 to 1/4 percent"),
            (1.0, 1.25),
            ("cut", -100, 0.0, 0.25),
        ),
        (
            decision("lower the target range for the federal funds rate to 0 to 1/4 percent"),
            None,
            ("cut", None, 0.0, 0.25),
        ),
        (
            decision(
                "maintain the target range for the federal funds rate at 5-1/4 to 5-1/2 percent"
            ),
            None,
            ("hold", 0, 5.25, 5.5),
        ),
        (
            decision(
                "maintain the target range for the federal funds rate at 3-1/2 to 3-3/4 percent, in support of the dual mandate"
            ),
            (3.5, 3.75),
            ("hold", 0, 3.5, 3.75),
        ),
        (
            (
                "The Committee decided to keep the target range for the federal funds rate at 0 to 1/4 percent and "
                "expects it will be appropriate to maintain this target range until labor market conditions improve."
            ),
            None,
            ("hold", 0, 0.0, 0.25),
        ),
        (
            decision(
                "raise the target range for the federal funds rate by 0.5 percentage point to 1-1/4 percent to 1-1/2 percent"
            ),
            None,
            ("hike", 50, 1.25, 1.5),
        ),
        (
            "The Committee decided today to establish a target range for the federal funds rate of 0 to 1/4 percent.",
            (1.0, 1.0),
            ("cut", -100, 0.0, 0.25),
        ),
    ],
)
def test_decision_sentence(text, previous, expected):
    facts = parse_statement(text, previous)
    assert (facts.action, facts.change_bps, facts.target_low, facts.target_high) == expected


DIRECTIVE = (
    "The Committee voted unanimously to authorize and direct the Federal Reserve Bank of New York "
    "to execute transactions in accordance with the following domestic policy directive:\n"
    '"Effective May 7, 2031, the Federal Open Market Committee directs the Desk to undertake open '
    "market operations as necessary to maintain the federal funds rate in a target range of "
    '4-1/4 to 4-1/2 percent. The Committee directs the Desk to roll over all principal payments."'
)


@pytest.mark.parametrize(
    ("previous", "expected"),
    [
        (None, ("hold", 0, 4.25, 4.5)),
        ((4.25, 4.5), ("hold", 0, 4.25, 4.5)),
        ((4.5, 4.75), ("cut", -25, 4.25, 4.5)),  # the directive always says "maintain"
    ],
)
def test_range_only_in_the_directive(previous, expected):
    facts = parse_statement(
        f"The Federal Reserve will purchase Treasury securities. {DIRECTIVE}", previous
    )
    assert (facts.action, facts.change_bps, facts.target_low, facts.target_high) == expected


def test_the_decision_is_not_the_first_sentence_naming_a_range():
    text = (
        "At its previous meeting the Committee held the target range at 4-1/4 to 4-1/2 percent. "
        "Voting against the action was Ada B. Lovelace, who preferred to lower the target range for "
        "the federal funds rate by 1/2 percentage point at this meeting. "
        + decision(
            "lower the target range for the federal funds rate by 1/4 percentage point to 4 to 4-1/4 percent"
        )
        + " The Committee expects it will be appropriate to raise the target range for the federal funds rate. "
        + DIRECTIVE.replace("4-1/4 to 4-1/2", "4 to 4-1/4")
    )
    facts = parse_statement(text)
    assert (facts.action, facts.change_bps, facts.target_low, facts.target_high) == (
        "cut",
        -25,
        4.0,
        4.25,
    )
    assert facts.dissents == (Dissent("Ada B. Lovelace", "cut", -50),)


@pytest.mark.parametrize(
    ("text", "previous", "quoted"),
    [
        (
            "Inflation remains elevated. The Committee will assess the target range for the federal funds rate.",
            None,
            "The Committee will assess the target range for the federal funds rate.",
        ),
        (
            decision("lower the target range for the federal funds rate by 1/4 percentage point"),
            None,
            "decided to lower the target range for the federal funds rate by 1/4 percentage point",
        ),
        ("Inflation remains elevated. Job gains have slowed.", None, "no sentence names it"),
        (
            "The Committee decided today to establish a target range for the federal funds rate of 0 to 1/4 percent.",
            None,
            "establish a target range for the federal funds rate of 0 to 1/4 percent",
        ),
        (
            decision("lower the target range for the federal funds rate to 4 to 4-1/4 percent"),
            (3.75, 4.0),
            "decided to lower the target range",
        ),  # "lower" but the range went up
        ("", None, "no sentence names it"),
    ],
)
def test_unreadable_decision_raises_quoting_the_sentence(text, previous, quoted):
    with pytest.raises(StatementParseError, match=r"target range|direction|moved") as error:
        parse_statement(text, previous)
    assert quoted in str(error.value)
    assert isinstance(error.value, ValueError)


# --- votes and dissents --------------------------------------------------------------

HOLD = decision("maintain the target range for the federal funds rate at 4-1/4 to 4-1/2 percent")
CUT = decision(
    "lower the target range for the federal funds rate by 1/4 percentage point to 4 to 4-1/4 percent"
)


@pytest.mark.parametrize(
    ("statement", "against", "previous", "expected"),
    [
        (
            CUT,
            (
                "Voting against the action was Jane Q. Doe, who preferred no change to the target range "
                "for the federal funds rate at this meeting."
            ),
            None,
            [("Jane Q. Doe", "hold", 0)],
        ),
        (
            HOLD,
            (
                "Voting against this action was Jane Q. Doe, who preferred to lower the target range for "
                "the federal funds rate by 1/4 percentage point at this meeting."
            ),
            None,
            [("Jane Q. Doe", "cut", -25)],
        ),
        (
            CUT,
            (
                "Voting against this action was Jane Q. Doe, who preferred to lower the target range for "
                "the federal funds rate by 1/2 percentage point at this meeting."
            ),
            None,
            [("Jane Q. Doe", "cut", -50)],
        ),
        (
            HOLD,
            (
                "Voting against the monetary policy action was Jane Q. Doe, who preferred to raise the target "
                "range for the federal funds rate by 1/4 percentage point at this meeting."
            ),
            None,
            [("Jane Q. Doe", "hike", 25)],
        ),
        (
            HOLD,
            (
                "Voting against this action was Jane Q. Doe, who preferred at this meeting to raise the target "
                "range for the federal funds rate by 0.5 percentage point to 4-1/2 to 4-3/4 percent."
            ),
            None,
            [("Jane Q. Doe", "hike", 50)],
        ),
        (
            CUT,
            (
                "Voting against the action was Jane Q. Doe, who preferred to maintain the target range for "
                "the federal funds rate at 4-1/4 to 4-1/2 percent."
            ),
            None,
            [("Jane Q. Doe", "hold", 0)],
        ),
        # a range without a size: the move from the range before the meeting
        (
            CUT,
            (
                "Voting against this action was Jane Q. Doe, who was supportive of the other actions but "
                "preferred to reduce the target range for the federal funds rate to 3-3/4 to 4 percent at "
                "this meeting."
            ),
            None,
            [("Jane Q. Doe", "cut", -50)],
        ),
        (
            decision("lower the target range for the federal funds rate to 0 to 1/4 percent"),
            (
                "Voting against this action was Jane Q. Doe, who preferred to reduce the target range for the "
                "federal funds rate to 1/2 to 3/4 percent at this meeting."
            ),
            (1.0, 1.25),
            [("Jane Q. Doe", "cut", -50)],
        ),
        (
            decision("lower the target range for the federal funds rate to 0 to 1/4 percent"),
            (
                "Voting against this action was Jane Q. Doe, who preferred to reduce the target range for the "
                "federal funds rate to 1/2 to 3/4 percent at this meeting."
            ),
            None,
            [("Jane Q. Doe", "cut", None)],
        ),
        # dissents about something other than the rate
        (
            HOLD,
            (
                "Voting against this action was Jane Q. Doe, who supported no change for the federal funds "
                "target range but preferred to continue the current pace of decline in securities holdings."
            ),
            None,
            [("Jane Q. Doe", "other", 0)],
        ),
        (
            HOLD,
            (
                "Voting against this action was Jane Q. Doe, who supported maintaining the target range for "
                "the federal funds rate but did not support inclusion of an easing bias in the statement."
            ),
            None,
            [("Jane Q. Doe", "other", 0)],
        ),
        (
            HOLD,
            (
                "Voting against the action were Jane Q. Doe, who expects that it will be appropriate to "
                "maintain the current target range until the outlook clears, but prefers that the Committee "
                "retain greater flexibility; and John Roe, who prefers that the Committee indicate that it "
                "expects to maintain the current target range until core inflation has reached 2 percent."
            ),
            None,
            [("Jane Q. Doe", "other", 0), ("John Roe", "other", 0)],
        ),
        (HOLD, "Voting against the action was Jane Q. Doe.", None, [("Jane Q. Doe", "other", 0)]),
        # several dissenters
        (
            HOLD,
            (
                "Voting against this action were Jane Q. Doe and John P. Roe, who preferred to lower the target "
                "range for the federal funds rate by 1/4 percentage point at this meeting."
            ),
            None,
            [("Jane Q. Doe", "cut", -25), ("John P. Roe", "cut", -25)],
        ),
        (
            CUT,
            (
                "Voting against this action were Jane Q. Doe, who preferred to lower the target range for the "
                "federal funds rate by 1/2 percentage point at this meeting, and John P. Roe, who preferred no "
                "change to the target range for the federal funds rate at this meeting."
            ),
            None,
            [("Jane Q. Doe", "cut", -50), ("John P. Roe", "hold", 0)],
        ),
        (
            CUT,
            (
                "Voting against this action were Jane Q. Doe, who preferred to lower the target range for the "
                "federal funds rate by 1/2 percentage point at this meeting; and Max Planck and John P. Roe, "
                "who preferred no change to the target range for the federal funds rate at this meeting."
            ),
            None,
            [("Jane Q. Doe", "cut", -50), ("Max Planck", "hold", 0), ("John P. Roe", "hold", 0)],
        ),
        (
            HOLD,
            (
                "Voting against this action were Jane Q. Doe, who preferred to lower the target range for the "
                "federal funds rate by 1/4 percentage point at this meeting; and Ann B. Cee, Max Planck, and "
                "John P. Roe, who supported maintaining the target range but did not support the easing bias."
            ),
            None,
            [
                ("Jane Q. Doe", "cut", -25),
                ("Ann B. Cee", "other", 0),
                ("Max Planck", "other", 0),
                ("John P. Roe", "other", 0),
            ],
        ),
    ],
)
def test_dissents(statement, against, previous, expected):
    facts = parse_statement(f"{statement} {VOTE_FOR} {against}", previous)
    assert [
        (d.name, d.preferred_action, d.preferred_change_bps) for d in facts.dissents
    ] == expected
    assert facts.votes_against_count == len(expected)
    assert facts.votes_for_count == 4


@pytest.mark.parametrize(
    ("votes", "names"),
    [
        (VOTE_FOR, ("Ada B. Lovelace", "Carl F. Gauss", "Emmy Noether", "Alan M. Turing")),
        (
            VOTE_FOR.replace("Voting for", "Voting (by notation) for"),
            ("Ada B. Lovelace", "Carl F. Gauss", "Emmy Noether", "Alan M. Turing"),
        ),
        (
            (
                "Voting for the FOMC monetary policy action were: Ada B. Lovelace, Chairman; Carl F. Gauss, "
                "Vice Chairman; and Emmy Noether."
            ),
            ("Ada B. Lovelace", "Carl F. Gauss", "Emmy Noether"),
        ),
        (
            "Voting for this action were Ada Lovelace, Carl Gauss and Emmy Noether.",
            ("Ada Lovelace", "Carl Gauss", "Emmy Noether"),
        ),
        (
            (
                "Voting for the monetary policy action were Ada B. Lovelace, Chair; Carl F. Gauss, Vice Chair; "
                "Emmy Noether; and Alan M. Turing. Max Planck voted as an alternate member at this meeting. "
                "Absent and not voting was Jane Q. Doe."
            ),
            ("Ada B. Lovelace", "Carl F. Gauss", "Emmy Noether", "Alan M. Turing"),
        ),
    ],
)
def test_vote_line(votes, names):
    facts = parse_statement(f"{HOLD} {votes}")
    assert facts.votes_for == names
    assert facts.votes_for_count == len(names)
    assert (facts.votes_against_count, facts.dissents) == (0, ())


@pytest.mark.parametrize(
    ("text", "counts", "dissents"),
    [
        (f"{HOLD} The vote was 9 \u2014 3.", (9, 3), 0),
        (f"{HOLD} The vote was 9-3.", (9, 3), 0),
        (f"The Committee approved the following statement by a 9-3 vote: {HOLD}", (9, 3), 0),
        (f"{HOLD} The Committee voted 10-2 for the action.", (10, 2), 0),
        (
            (
                f"The Federal Open Market Committee approved the following statement for release by a 12 \u2014 0 "
                f"vote:\n{HOLD}"
            ),
            (12, 0),
            0,
        ),
        (
            (
                f"The Federal Open Market Committee approved the following statement for release by a 9 \u2014 3 "
                f"vote:\n{HOLD} Voting against the monetary policy action were Ann B. Cee, Max Planck, and John P. "
                "Roe, who preferred to raise the target range for the federal funds rate by 1/4 percentage point at "
                "this meeting."
            ),
            (9, 3),
            3,
        ),
        (HOLD, (0, 0), 0),  # no vote given at all
    ],
)
def test_count_only_votes(text, counts, dissents):
    facts = parse_statement(text)
    assert facts.votes_for == ()
    assert (facts.votes_for_count, facts.votes_against_count) == counts
    assert len(facts.dissents) == dissents
    assert all(
        d.preferred_action == "hike" and d.preferred_change_bps == 25 for d in facts.dissents
    )


def test_facts_are_frozen():
    facts = parse_statement(HOLD)
    with pytest.raises(AttributeError):
        facts.action = "cut"  # type: ignore[misc]


# --- diff ----------------------------------------------------------------------------

PREVIOUS = (
    "Recent indicators suggest that economic activity expanded at a solid pace. The unemployment rate "
    "remains low, and labor market conditions remain solid. Inflation remains somewhat elevated.\n"
    f"{HOLD} The Committee is attentive to the risks to both sides of its dual mandate.\n{VOTE_FOR}"
)


def test_identical_statements_have_no_changes():
    assert diff_statements(PREVIOUS, PREVIOUS) == StatementDiff(added=[], removed=[], redlines=[])


@pytest.mark.parametrize(
    "noisy",
    [
        PREVIOUS.replace(" ", "  ").replace("\n", "\n\n"),
        PREVIOUS.replace("remain solid.", "remain solid ."),  # a space before the period
        PREVIOUS.replace("dual mandate.", '"dual mandate."'),  # quotes added
        PREVIOUS.replace("Recent", "recent").replace("low,", "low"),
        PREVIOUS.replace("4-1/4", "4\u2014\x911/4").replace("4-1/2", "4\u00bd"),
        PREVIOUS.replace("Committee is", "Committee\u00a0is").replace("'", "\u2019"),
    ],
)
def test_whitespace_and_punctuation_noise_is_no_change(noisy):
    assert diff_statements(PREVIOUS, noisy) == StatementDiff(added=[], removed=[], redlines=[])


def test_an_edited_sentence_is_one_removed_one_added_and_a_redline():
    current = PREVIOUS.replace(
        "labor market conditions remain solid", "labor market conditions have softened"
    )
    diff = diff_statements(PREVIOUS, current)
    assert diff.removed == [
        "The unemployment rate remains low, and labor market conditions remain solid."
    ]
    assert diff.added == [
        "The unemployment rate remains low, and labor market conditions have softened."
    ]
    assert diff.redlines == [
        "The unemployment rate remains low, and labor market conditions [-remain solid.-] {+have softened.+}"
    ]


def test_added_and_removed_paragraphs_in_document_order():
    added = "Uncertainty about the outlook has increased. Downside risks to employment have risen."
    current = PREVIOUS.replace(f"{HOLD}", f"{added}\n{HOLD}").replace(
        "Recent indicators suggest that economic activity expanded at a solid pace. ", ""
    )
    diff = diff_statements(PREVIOUS, current)
    assert diff.added == [
        "Uncertainty about the outlook has increased.",
        "Downside risks to employment have risen.",
    ]
    assert diff.removed == [
        "Recent indicators suggest that economic activity expanded at a solid pace."
    ]
    assert diff.redlines == []


def test_several_edits_and_a_moved_sentence():
    current = (
        "The Committee is attentive to the risks to both sides of its dual mandate.\n"
        "Recent indicators suggest that economic activity moderated. The unemployment rate "
        "remains low, and labor market conditions remain solid. Inflation has moved up and remains "
        "somewhat elevated.\n" + CUT + "\n" + VOTE_FOR
    )
    diff = diff_statements(PREVIOUS, current)
    assert diff.removed == [
        "Recent indicators suggest that economic activity expanded at a solid pace.",
        "Inflation remains somewhat elevated.",
        HOLD,
    ]
    assert diff.added == [
        "Recent indicators suggest that economic activity moderated.",
        "Inflation has moved up and remains somewhat elevated.",
        CUT,
    ]
    assert diff.redlines[0] == (
        "Recent indicators suggest that economic activity [-expanded at a solid pace.-] {+moderated.+}"
    )
    assert diff.redlines[1] == "Inflation {+has moved up and+} remains somewhat elevated."
    assert "[-maintain-] {+lower+}" in diff.redlines[2]


def test_unrelated_sentences_are_not_paired():
    current = PREVIOUS.replace(
        "Inflation remains somewhat elevated.", "Energy prices jumped in May."
    )
    diff = diff_statements(PREVIOUS, current)
    assert (diff.removed, diff.added, diff.redlines) == (
        ["Inflation remains somewhat elevated."],
        ["Energy prices jumped in May."],
        [],
    )


def test_empty_statements():
    assert diff_statements("", "") == StatementDiff([], [], [])
    assert diff_statements("", "Rates held.") == StatementDiff(["Rates held."], [], [])
