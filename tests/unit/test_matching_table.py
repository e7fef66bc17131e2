"""The quote-matching specification as a table: each row is a quote, page passages and
every match the engine must report, with exact code-point offsets.

The highlighted text is stored beside each span so that a reader sees what the offsets
mean; the table checks itself against it.
"""

from __future__ import annotations

import pytest

from server.matching import Passage, QuoteIndex, brute_force_match

LONG = (
    "Officials in the northern province said the flooding had destroyed more than two "
    "hundred homes and forced thousands of families to leave their villages."
)

# (passage id, start, end, highlighted text)
SpanRow = tuple[str, int, int, str]
# (partial, spans)
MatchRow = tuple[bool, list[SpanRow]]

CASES = [
    pytest.param(
        LONG,
        [
            ("p1", LONG),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        151,
                        (
                            "Officials in the northern province said the flooding had "
                            "destroyed more than two hundred homes and forced thousands of "
                            "families to leave their villages"
                        ),
                    ),
                ],
            ),
        ],
        id="exact",
    ),
    pytest.param(
        LONG,
        [
            (
                "p1",
                (
                    "The storm arrived late on Sunday night. Officials in the northern "
                    "province said the flooding had destroyed more than two hundred homes "
                    "and forced thousands of families to leave their villages. Aid agencies "
                    "have asked for more tents and clean water."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        40,
                        191,
                        (
                            "Officials in the northern province said the flooding had "
                            "destroyed more than two hundred homes and forced thousands of "
                            "families to leave their villages"
                        ),
                    ),
                ],
            ),
        ],
        id="inside_long_paragraph",
    ),
    pytest.param(
        ('"We will rebuild every house," the governor\'s spokesman told reporters on Monday.'),
        [
            (
                "p1",
                (
                    "“We will rebuild every house,” the governor’s spokesman told reporters "
                    "on Monday."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        1,
                        80,
                        (
                            "We will rebuild every house,” the governor’s spokesman told "
                            "reporters on Monday"
                        ),
                    ),
                ],
            ),
        ],
        id="curly_quotes",
    ),
    pytest.param(
        ("The bridge - built in the last century - was closed to all traffic after the storm."),
        [
            (
                "p1",
                (
                    "The bridge — built in the last century — was closed to all traffic "
                    "after the storm."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        82,
                        (
                            "The bridge — built in the last century — was closed to all "
                            "traffic after the storm"
                        ),
                    ),
                ],
            ),
        ],
        id="dashes",
    ),
    pytest.param(
        ("The report said the damage was severe... and that repairs would take many months."),
        [
            (
                "p1",
                ("The report said the damage was severe… and that repairs would take many months."),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        78,
                        (
                            "The report said the damage was severe… and that repairs would "
                            "take many months"
                        ),
                    ),
                ],
            ),
        ],
        id="ellipsis",
    ),
    pytest.param(
        "Rescue teams worked through the night to reach the stranded villagers.",
        [
            (
                "p1",
                (
                    "Rescue   teams\xa0worked through\n\nthe night  to reach\tthe stranded "
                    "villagers."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        73,
                        (
                            "Rescue   teams\xa0worked through\n\nthe night  to reach\tthe "
                            "stranded villagers"
                        ),
                    ),
                ],
            ),
        ],
        id="whitespace_runs",
    ),
    pytest.param(
        "Rescue teams worked through the night to reach the stranded villagers.",
        [
            ("p1", "RESCUE TEAMS WORKED THROUGH THE NIGHT TO REACH THE STRANDED VILLAGERS."),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        69,
                        ("RESCUE TEAMS WORKED THROUGH THE NIGHT TO REACH THE STRANDED VILLAGERS"),
                    ),
                ],
            ),
        ],
        id="page_uppercase",
    ),
    pytest.param(
        "The official figures were published by the finance ministry on Friday.",
        [
            ("p1", "The oﬃcial ﬁgures were published by the ｆｉｎａｎｃｅ ministry on Friday."),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        66,
                        "The oﬃcial ﬁgures were published by the ｆｉｎａｎｃｅ ministry on Friday",
                    ),
                ],
            ),
        ],
        id="nfkc_fullwidth_and_ligature",
    ),
    pytest.param(
        ("Experts warned that the threat of terrorism in the region was growing every year."),
        [
            (
                "p1",
                (
                    "Experts warned that the threat of terror-\nism in the region was "
                    "growing every year."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        82,
                        (
                            "Experts warned that the threat of terror-\nism in the region "
                            "was growing every year"
                        ),
                    ),
                ],
            ),
        ],
        id="line_break_hyphenation",
    ),
    pytest.param(
        ("Experts warned that the threat of terrorism in the region was growing every year."),
        [
            (
                "p1",
                (
                    "Experts warned that the threat of terror\xadism in the region was "
                    "growing every year."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        81,
                        (
                            "Experts warned that the threat of terror\xadism in the region "
                            "was growing every year"
                        ),
                    ),
                ],
            ),
        ],
        id="soft_hyphen",
    ),
    pytest.param(
        ("Experts warned that the threat of terrorism in the region was growing every year."),
        [
            (
                "p1",
                (
                    "Experts warned that the thr\u200beat of terror\u200dism in the "
                    "re\ufeffgion was growing every year."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        83,
                        (
                            "Experts warned that the thr\u200beat of terror\u200dism in the "
                            "re\ufeffgion was growing every year"
                        ),
                    ),
                ],
            ),
        ],
        id="zero_width_characters",
    ),
    pytest.param(
        "Witnesses described the attack as the worst the town had ever seen.",
        [
            ("p1", "Witnesses described the attack1 as the worst the town had ever seen2."),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        67,
                        "Witnesses described the attack1 as the worst the town had ever seen",
                    ),
                ],
            ),
        ],
        id="footnote_glued_digit",
    ),
    pytest.param(
        "Witnesses described the attack as the worst the town had ever seen.",
        [
            ("p1", "Witnesses described the attack (1) as the worst the town had ever seen (2)."),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        70,
                        ("Witnesses described the attack (1) as the worst the town had ever seen"),
                    ),
                ],
            ),
        ],
        id="footnote_in_parentheses",
    ),
    pytest.param(
        "Witnesses described the attack as the worst the town had ever seen.",
        [
            ("p1", "Witnesses described the attack[12] as the worst the town had ever seen.[a]"),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        70,
                        ("Witnesses described the attack[12] as the worst the town had ever seen"),
                    ),
                ],
            ),
        ],
        id="footnote_in_brackets",
    ),
    pytest.param(
        "Witnesses described the attack as the worst the town had ever seen.",
        [
            ("p1", "Witnesses described the attack¹ as the worst the town had ever seen²."),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        67,
                        "Witnesses described the attack¹ as the worst the town had ever seen",
                    ),
                ],
            ),
        ],
        id="footnote_superscript",
    ),
    pytest.param(
        "The minister said the new law would protect workers and small businesses alike.",
        [
            (
                "p1",
                (
                    "The minister (who took office in March after a long and bitter "
                    "leadership contest) said the new law would protect workers and small "
                    "businesses alike."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        148,
                        (
                            "The minister (who took office in March after a long and bitter "
                            "leadership contest) said the new law would protect workers and "
                            "small businesses alike"
                        ),
                    ),
                ],
            ),
        ],
        id="page_parenthetical_removed_from_quote",
    ),
    pytest.param(
        (
            "The minister (who took office in March after a long leadership contest) "
            "said the new law would protect workers."
        ),
        [
            ("p1", "The minister said the new law would protect workers."),
        ],
        [
            (
                False,
                [
                    ("p1", 0, 51, "The minister said the new law would protect workers"),
                ],
            ),
        ],
        id="quote_parenthetical_removed_from_page",
    ),
    pytest.param(
        "The company reported record profits for the third quarter in a row.",
        [
            ("p1", "Thе соmраnу rероrtеd rесоrd рrоfits fоr thе third quаrtеr in а rоw."),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        66,
                        "Thе соmраnу rероrtеd rесоrd рrоfits fоr thе third quаrtеr in а rоw",
                    ),
                ],
            ),
        ],
        id="cyrillic_homoglyphs_in_page",
    ),
    pytest.param(
        "ΤΗΕ company reported record prοfits for the third quarter in a rοw.",
        [
            ("p1", "The company reported record profits for the third quarter in a row."),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        66,
                        "The company reported record profits for the third quarter in a row",
                    ),
                ],
            ),
        ],
        id="greek_homoglyphs_in_quote",
    ),
    pytest.param(
        "The government announced a new plan to reduce unemployment among young people.",
        [
            (
                "p1",
                ("The goverment announced a new plan to reduce unemployment among young people."),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        76,
                        (
                            "The goverment announced a new plan to reduce unemployment "
                            "among young people"
                        ),
                    ),
                ],
            ),
        ],
        id="typo_in_page",
    ),
    pytest.param(
        "The government announced a new plan to reduce unemployment among young people.",
        [
            (
                "p1",
                ("The government announced a new plan to reduce unemployment among young peolpe."),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        77,
                        (
                            "The government announced a new plan to reduce unemployment "
                            "among young peolpe"
                        ),
                    ),
                ],
            ),
        ],
        id="typo_in_last_word",
    ),
    pytest.param(
        (
            "Supporters of the proposal argue that it will bring much needed investment "
            "to the region over the next decade."
        ),
        [
            (
                "p1",
                (
                    "Supporters of the proposal argue that it will bring badly needed "
                    "investment to the region over the next decade."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        110,
                        (
                            "Supporters of the proposal argue that it will bring badly "
                            "needed investment to the region over the next decade"
                        ),
                    ),
                ],
            ),
        ],
        id="word_substituted",
    ),
    pytest.param(
        (
            "Supporters of the proposal argue that it will bring much needed investment "
            "to the region over the next decade."
        ),
        [
            (
                "p1",
                (
                    "Supporters of the proposal argue that it will bring needed investment "
                    "to the region over the next decade."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        104,
                        (
                            "Supporters of the proposal argue that it will bring needed "
                            "investment to the region over the next decade"
                        ),
                    ),
                ],
            ),
        ],
        id="word_deleted",
    ),
    pytest.param(
        (
            "Supporters of the proposal argue that it will bring much needed investment "
            "to the region over the next decade."
        ),
        [
            (
                "p1",
                (
                    "Supporters of the proposal argue strongly that it will bring much "
                    "needed investment to the region over the next decade."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        118,
                        (
                            "Supporters of the proposal argue strongly that it will bring "
                            "much needed investment to the region over the next decade"
                        ),
                    ),
                ],
            ),
        ],
        id="word_inserted",
    ),
    pytest.param(
        (
            "Supporters of the proposal argue that it will bring much needed investment "
            "to the region over the next decade, while critics say the costs have been "
            "badly underestimated."
        ),
        [
            (
                "p1",
                (
                    "Supporters of the proposal argue that it will bring much needed "
                    "investment to the region over the next…"
                ),
            ),
            ("p2", "Read more about the plan."),
        ],
        [
            (
                True,
                [
                    (
                        "p1",
                        0,
                        102,
                        (
                            "Supporters of the proposal argue that it will bring much "
                            "needed investment to the region over the next"
                        ),
                    ),
                ],
            ),
        ],
        id="truncated_on_page_is_partial",
    ),
    pytest.param(
        "bring much needed investment to the region over the next decade",
        [
            (
                "p1",
                (
                    "Supporters of the proposal argue that it will bring much needed "
                    "investment to the region over the next decade."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        46,
                        109,
                        "bring much needed investment to the region over the next decade",
                    ),
                ],
            ),
        ],
        id="quote_fragment_of_sentence",
    ),
    pytest.param(
        LONG,
        [
            ("p1", "Officials in the northern province said the flooding had destroyed more than"),
            ("p2", "two hundred homes and forced thousands of families to leave their villages."),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        76,
                        (
                            "Officials in the northern province said the flooding had "
                            "destroyed more than"
                        ),
                    ),
                    (
                        "p2",
                        0,
                        74,
                        (
                            "two hundred homes and forced thousands of families to leave "
                            "their villages"
                        ),
                    ),
                ],
            ),
        ],
        id="split_over_two_passages",
    ),
    pytest.param(
        LONG,
        [
            (
                "p1",
                (
                    "Officials in the northern province said the flood-\ning had destroyed "
                    "more than two\nhundred homes and forced thousands of\nfamilies to "
                    "leave their villages."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        153,
                        (
                            "Officials in the northern province said the flood-\ning had "
                            "destroyed more than two\nhundred homes and forced thousands "
                            "of\nfamilies to leave their villages"
                        ),
                    ),
                ],
            ),
        ],
        id="pdf_hard_line_breaks",
    ),
    pytest.param(
        "We had everything before us and nothing to lose in the final.",
        [
            ("p1", "We had every thing before us and nothing to lose in the final."),
        ],
        [
            (
                False,
                [
                    ("p1", 0, 61, "We had every thing before us and nothing to lose in the final"),
                ],
            ),
        ],
        id="joined_words",
    ),
    pytest.param(
        "The club paid 3000 pounds for the painting at the auction last year.",
        [
            ("p1", "The club paid 3,000 pounds for the painting at the auction last year."),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        68,
                        "The club paid 3,000 pounds for the painting at the auction last year",
                    ),
                ],
            ),
        ],
        id="number_separators",
    ),
    pytest.param(
        "The café near the cathedral will reopen its doors to visitors next spring.",
        [
            ("p1", "The cafe near the cathedral will reopen its doors to visitors next spring."),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        73,
                        (
                            "The cafe near the cathedral will reopen its doors to visitors "
                            "next spring"
                        ),
                    ),
                ],
            ),
        ],
        id="accents",
    ),
    pytest.param(
        "The club paid three thousand pounds for the painting at the auction.",
        [
            (
                "p1",
                (
                    "🎨🖼️ Big news 👍🏽! The club paid three thousand pounds for the painting "
                    "at the auction. 🎉"
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        17,
                        84,
                        "The club paid three thousand pounds for the painting at the auction",
                    ),
                ],
            ),
        ],
        id="emoji_before_quote_code_points",
    ),
    pytest.param(
        "The cafe near the cathedral will reopen its doors to visitors next spring.",
        [
            (
                "p1",
                (
                    "Zoë wrote: The café near the cathedral will reopen its doors to "
                    "visitors next spring."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        12,
                        86,
                        (
                            "The café near the cathedral will reopen its doors to visitors "
                            "next spring"
                        ),
                    ),
                ],
            ),
        ],
        id="combining_marks_code_points",
    ),
    pytest.param(
        "Rescue teams worked through the night to reach the stranded villagers.",
        [
            (
                "p1",
                (
                    "Rescue teams worked through the night to reach the stranded villagers. "
                    "Later that week, as the rain went on, rescue teams worked through the "
                    "night to reach the stranded villagers again."
                ),
            ),
        ],
        [
            (
                False,
                [
                    (
                        "p1",
                        0,
                        69,
                        ("Rescue teams worked through the night to reach the stranded villagers"),
                    ),
                ],
            ),
            (
                False,
                [
                    (
                        "p1",
                        109,
                        178,
                        ("rescue teams worked through the night to reach the stranded villagers"),
                    ),
                ],
            ),
        ],
        id="two_occurrences",
    ),
    pytest.param(
        "China's exporters reported record sales in the third quarter of this year.",
        [
            ("p1", "Trade news from China"),
            ("p2", "China's exporters reported strong sales in the third quarter of this year."),
        ],
        [
            (
                False,
                [
                    (
                        "p2",
                        0,
                        73,
                        (
                            "China's exporters reported strong sales in the third quarter "
                            "of this year"
                        ),
                    ),
                ],
            ),
        ],
        id="same_word_ends_previous_passage",
    ),
    pytest.param(
        "The minister said the new law would protect workers and small businesses alike.",
        [
            (
                "p1",
                (
                    "Small businesses said the minister would protect the new law, and "
                    "workers alike said so."
                ),
            ),
        ],
        [],
        id="neg_same_vocabulary",
    ),
    pytest.param(
        "The minister said the new law would protect workers and small businesses alike.",
        [
            ("p1", "New law to protect workers"),
            ("p2", "Weather and sport news in brief."),
        ],
        [],
        id="neg_heading_fragment",
    ),
    pytest.param(
        "The minister said the new law would protect workers and small businesses alike.",
        [
            ("p1", "minister"),
            ("p2", "law"),
            ("p3", "workers"),
            ("p4", "small businesses"),
        ],
        [],
        id="neg_tags",
    ),
    pytest.param(
        "The minister said the new law would protect workers and small businesses alike.",
        [
            ("p1", "the new law would protect workers"),
        ],
        [],
        id="neg_short_passage_inside_quote",
    ),
    pytest.param(
        "Officials said 12 people were killed in the attack on the market on Monday.",
        [
            ("p1", "Officials said 15 people were killed in the attack on the market on Monday."),
        ],
        [],
        id="neg_other_number",
    ),
    pytest.param(
        "The company was founded by two brothers in a small garage in Leeds in 1998.",
        [
            ("p1", "The company was founded by two brothers in a small garage in Leeds in 2004."),
        ],
        [],
        id="neg_other_year_at_end",
    ),
    pytest.param(
        "Speaking in Paris, Mr Johnson said the agreement was a victory for common sense.",
        [
            (
                "p1",
                ("Speaking in Paris, Mr Davies said the agreement was a victory for common sense."),
            ),
        ],
        [],
        id="neg_other_name",
    ),
    pytest.param(
        "Johnson said the agreement reached on Tuesday was a victory for common sense.",
        [
            (
                "p1",
                (
                    "Meanwhile Davies said the agreement reached on Tuesday was a victory "
                    "for common sense."
                ),
            ),
        ],
        [],
        id="neg_other_name_at_start",
    ),
    pytest.param(
        (
            "Supporters of the proposal argue that it will bring much needed investment "
            "to the region over the next decade."
        ),
        [
            (
                "p1",
                (
                    "Opponents of the scheme claim that it could bring little real "
                    "investment into the area during the coming years."
                ),
            ),
        ],
        [],
        id="neg_heavy_rewrite",
    ),
    pytest.param(
        "Rescue teams worked through the night to reach the stranded villagers.",
        [
            (
                "p1",
                ("The stranded villagers reached the rescue teams through the night and worked."),
            ),
        ],
        [],
        id="neg_shuffled_order",
    ),
]


def _run(quote: str, passages: list[tuple[str, str]], use_index: bool) -> list[MatchRow]:
    page = [Passage(pid, text) for pid, text in passages]
    if use_index:
        index = QuoteIndex()
        index.add("q", quote)
        found = index.match(page)
    else:
        found = brute_force_match({"q": quote}, page)
    texts = dict(passages)
    return [
        (
            m.partial,
            [(s.passage_id, s.start, s.end, texts[s.passage_id][s.start : s.end]) for s in m.spans],
        )
        for m in found
    ]


@pytest.mark.parametrize(("quote", "passages", "expected"), CASES)
def test_index_reports_exactly_these_matches(
    quote: str, passages: list[tuple[str, str]], expected: list[MatchRow]
) -> None:
    found = _run(quote, passages, use_index=True)

    assert found == expected


@pytest.mark.parametrize(("quote", "passages", "expected"), CASES)
def test_brute_force_reports_exactly_these_matches(
    quote: str, passages: list[tuple[str, str]], expected: list[MatchRow]
) -> None:
    found = _run(quote, passages, use_index=False)

    assert found == expected


@pytest.mark.parametrize(("quote", "passages", "expected"), CASES)
def test_table_offsets_point_at_the_highlighted_text(
    quote: str, passages: list[tuple[str, str]], expected: list[MatchRow]
) -> None:
    texts = dict(passages)

    spans = [span for _, spans in expected for span in spans]

    assert all(texts[pid][start:end] == shown for pid, start, end, shown in spans)
