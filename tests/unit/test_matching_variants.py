"""Copy-paste variants the quote tier tolerates: glued footnotes, transliterated names and a
word dropped inside a long name, each accepted only where the rest of the quote agrees.

Sentences are invented for these tests. Each table row is a quote, a page passage and the
stretch the engine must accept (start, end, highlighted text), or None for a near miss
that must not be accepted.
"""

from __future__ import annotations

import pytest

from server.matching import Passage, QuoteIndex, brute_force_match
from server.matching.quotes import Vocabulary, prepare_plain_batch, prepare_quote, quote_tokens
from server.matching.tokens import GROUP, LINKED, NAME, NUMBER, tokenize
from server.matching.variants import glued_footnote, skeleton, transliterated

Accepted = tuple[int, int, str] | None

FLED = "More than 2,000 people left the valley before the dam burst."
TRUCKS = "Aid trucks from Herat reached the camp near Kandahar before dawn on Sunday."
GUARD = "The Islamic Revolutionary Guard Corps said on Monday"

CASES = [
    pytest.param(
        FLED,
        "By Friday more than 2,0003 people left the valley before the dam burst.",
        (10, 70, "more than 2,0003 people left the valley before the dam burst"),
        id="footnote_glued_to_thousands_group",
    ),
    pytest.param(
        "More than 2,0003 people left the valley before the dam burst.",
        "By Friday more than 2,000 people left the valley before the dam burst.",
        (10, 69, "more than 2,000 people left the valley before the dam burst"),
        id="footnote_copied_into_the_quote",
    ),
    pytest.param(
        "Officials counted the families who had fled, more than 1,500",
        "Officials counted the families who had fled, more than 1,50027.",
        (0, 62, "Officials counted the families who had fled, more than 1,50027"),
        id="footnote_on_the_last_word",
    ),
    pytest.param(
        "The inspectors signed the report. Next they visited the mill.",
        "The inspectors signed the report.12 Next they visited the mill.",
        (0, 62, "The inspectors signed the report.12 Next they visited the mill"),
        id="footnote_after_a_full_stop",
    ),
    pytest.param(
        "Exports to the UK fell sharply in the spring",
        "Exports to the UK12 fell sharply in the spring.",
        (0, 46, "Exports to the UK12 fell sharply in the spring"),
        id="footnote_glued_to_an_acronym",
    ),
    pytest.param(
        FLED,
        "By Friday more than 3,000 people left the valley before the dam burst.",
        None,
        id="neg_other_thousands",
    ),
    pytest.param(
        FLED,
        "By Friday more than 20,000 people left the valley before the dam burst.",
        None,
        id="neg_ten_times_more",
    ),
    pytest.param(
        FLED,
        "By Friday more than 2,0503 people left the valley before the dam burst.",
        None,
        id="neg_group_with_other_digits",
    ),
    pytest.param(
        "The rate stood at 1.892 dollars against the euro on Monday",
        "The rate stood at 1.8923 dollars against the euro on Monday.",
        None,
        id="neg_decimals_are_no_footnote",
    ),
    pytest.param(
        TRUCKS,
        "Aid trucks from Gerat reached the camp near Kandagar before dawn on Sunday.",
        (0, 74, "Aid trucks from Gerat reached the camp near Kandagar before dawn on Sunday"),
        id="transliterated_h_as_g",
    ),
    pytest.param(
        "The report says Uyghur workers were moved to coastal factories.",
        "The report says Uighur workers were moved to coastal factories.",
        (0, 62, "The report says Uighur workers were moved to coastal factories"),
        id="transliterated_y_as_i",
    ),
    pytest.param(
        "Officials said Dzhokhar and Sergey had left the country",
        "Officials said Jokhar and Sergei had left the country.",
        (0, 53, "Officials said Jokhar and Sergei had left the country"),
        id="transliterated_dzh_as_j",
    ),
    pytest.param(
        TRUCKS,
        "Aid trucks from Berat reached the camp near Kandahar before dawn on Sunday.",
        None,
        id="neg_other_place",
    ),
    pytest.param(
        "The delegation from Hama arrived in the capital on Friday",
        "The delegation from Gama arrived in the capital on Friday.",
        None,
        id="neg_name_too_short_to_fold",
    ),
    pytest.param(
        TRUCKS,
        "Aid trucks from Gerat reached the camp near Kandagar before dawn on Monday.",
        None,
        id="neg_transliterated_but_other_day",
    ),
    pytest.param(
        GUARD,
        "Yesterday the Islamic Revolutionary Corps said on Monday that it would respond.",
        (10, 56, "the Islamic Revolutionary Corps said on Monday"),
        id="word_dropped_inside_a_name",
    ),
    pytest.param(
        "Mary Ellen Hartley opened the new library in town",
        "In 1931 Mary Hartley opened the new library in town.",
        (8, 51, "Mary Hartley opened the new library in town"),
        id="middle_name_dropped",
    ),
    pytest.param(
        "Abbott, Brennan, Carter and Dalton signed the new treaty",
        "Abbott, Carter and Dalton signed the new treaty.",
        None,
        id="neg_name_dropped_from_a_list",
    ),
    pytest.param(
        GUARD,
        "The Islamic Revolutionary Guard Corps said Monday.",
        None,
        id="neg_other_word_dropped",
    ),
    pytest.param(
        "Islamic Revolutionary Guard Corps commanders said on Monday",
        "Revolutionary Guard Corps commanders said on Monday.",
        None,
        id="neg_first_word_of_the_name_dropped",
    ),
    pytest.param(
        GUARD,
        "The Islamic Revolutionary Corps said on Tuesday.",
        None,
        id="neg_name_word_dropped_and_other_day",
    ),
    pytest.param(
        GUARD,
        "The Islamic Corps said on Monday.",
        None,
        id="neg_two_name_words_dropped",
    ),
]


def _accepted(quote: str, page: str, use_index: bool) -> list[tuple[int, int, str]]:
    passages = [Passage("p", page)]
    if use_index:
        index = QuoteIndex()
        index.add("q", quote)
        found = index.match(passages)
    else:
        found = brute_force_match({"q": quote}, passages)
    return [
        (m.spans[0].start, m.spans[-1].end, page[m.spans[0].start : m.spans[-1].end])
        for m in found
        if not m.partial
    ]


@pytest.mark.parametrize(("quote", "page", "expected"), CASES)
def test_index_accepts_exactly_these_variants(quote: str, page: str, expected: Accepted) -> None:
    found = _accepted(quote, page, use_index=True)

    assert found == ([expected] if expected else [])


@pytest.mark.parametrize(("quote", "page", "expected"), CASES)
def test_brute_force_accepts_exactly_these_variants(
    quote: str, page: str, expected: Accepted
) -> None:
    found = _accepted(quote, page, use_index=False)

    assert found == ([expected] if expected else [])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("uyghur", "uighur"),
        ("uighur", "uygur"),
        ("kandahar", "kandagar"),
        ("herat", "gerat"),
        ("khamenei", "hamenei"),
        ("dzhokhar", "jokhar"),
        ("yevgeny", "evgeny"),
        ("sergeyev", "sergeiev"),
        ("dostoyevsky", "dostoevskiy"),
        ("tchaikovsky", "chaikovsky"),
        ("gaddafi", "gadafi"),
        ("yousef", "yusef"),
    ],
)
def test_transliterations_share_a_skeleton(a: str, b: str) -> None:
    assert skeleton(a) == skeleton(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("herat", "berat"),
        ("smith", "smyth"),
        ("cameron", "cameroon"),
        ("cooper", "copper"),
        ("fewer", "fever"),
        ("kandahar", "kunduz"),
    ],
)
def test_other_names_keep_their_own_skeleton(a: str, b: str) -> None:
    assert skeleton(a) != skeleton(b)


def test_only_names_of_five_letters_or_more_are_transliterated() -> None:
    assert transliterated("herat", NAME, "gerat", NAME)
    assert transliterated("herat", NAME, "gerat", 0)
    assert not transliterated("herat", 0, "gerat", 0)
    assert not transliterated("hama", NAME, "gama", NAME)


@pytest.mark.parametrize(
    ("a", "a_kind", "b", "b_kind", "glued"),
    [
        ("000", NUMBER | GROUP, "0003", NUMBER | GROUP, True),
        ("000", NUMBER | GROUP, "00012", NUMBER | GROUP, True),
        ("0003", NUMBER | GROUP, "000", NUMBER | GROUP, True),
        ("000", NUMBER | GROUP, "0001234", NUMBER | GROUP, False),
        ("000", NUMBER | GROUP, "0003", NUMBER, False),
        ("2000", NUMBER, "20003", NUMBER, False),
        ("00", NUMBER | GROUP, "003", NUMBER | GROUP, False),
        ("uk", 0, "uk12", NUMBER, True),
        ("g", 0, "g7", NUMBER, False),
        ("uk", 0, "ukr", 0, False),
    ],
)
def test_glued_footnotes(a: str, a_kind: int, b: str, b_kind: int, glued: bool) -> None:
    assert glued_footnote(a, a_kind, b, b_kind) is glued


def test_groups_and_linked_names_are_flagged() -> None:
    text = "Mary Ellen Hartley, Abbott and 2,0003 or 1.892 or 12\u202f500 or 2 000 and 1998,3"

    tokens = tokenize(text)

    flagged = {w: k & (GROUP | LINKED) for w, k in zip(tokens.words, tokens.kinds, strict=True)}
    assert flagged == {
        "mary": 0,
        "ellen": LINKED,
        "hartley": LINKED,
        "abbott": 0,
        "and": 0,
        "2": 0,
        "0003": GROUP,
        "or": 0,
        "1": 0,
        "892": 0,
        "12": 0,
        "500": GROUP,
        "000": 0,
        "1998": 0,
        "3": 0,
    }


@pytest.mark.parametrize(
    "text",
    [
        "Mary Ellen Hartley said 2,0003 people, 1,500 cars and 3,000 homes were lost",
        "2,000 people met Anna Lee Brown, Abbott and Carter in 1998,3 on 12\u202f500 acres",
    ],
)
def test_every_way_of_preparing_a_quote_flags_the_same_words(text: str) -> None:
    vocabulary = Vocabulary()

    one = prepare_quote(text, vocabulary).kinds
    _, batch, _ = prepare_plain_batch(["Another quote of 1,000 words", text], vocabulary)
    tokens = quote_tokens(text)

    assert list(one) == batch[6:] == tokens.kinds
    assert any(kind & GROUP for kind in one)
    assert any(kind & LINKED for kind in one)
