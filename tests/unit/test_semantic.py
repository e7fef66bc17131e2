"""The reworded tier's pure parts: sentence units, acceptance checks, the vector cache."""

from __future__ import annotations

import numpy as np
import pytest

from server.matching import Passage
from server.matching.page import read_page
from server.semantic.cache import VectorCache
from server.semantic.checks import disagreement
from server.semantic.sentences import sentence_spans, units


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("One two three. Four five six.", ["One two three.", "Four five six."]),
        (
            "Mr. Lund met Dr. Aas in the U.S. capital.",
            ["Mr. Lund met Dr. Aas in the U.S. capital."],
        ),
        ("It grew 2.5 percent! Then it fell?", ["It grew 2.5 percent!", "Then it fell?"]),
        ("A line\nand another", ["A line", "and another"]),
        ('He said "stop." Then left.', ['He said "stop."', "Then left."]),
    ],
)
def test_sentences_are_split_where_a_reader_would(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == sentences


def test_units_drop_links_and_signs_but_keep_the_span_of_the_page_text() -> None:
    text = "Short one. The mayor banned #bicycles on the bridge https://t.co/x1 today."

    found = units("p1", text)

    assert [(u.start, u.end, u.text) for u in found] == [
        (11, len(text), "The mayor banned bicycles on the bridge today."),
        (0, len(text), "Short one. The mayor banned bicycles on the bridge today."),
    ]


def test_units_made_from_the_words_the_quote_tier_read_are_the_units_of_the_text() -> None:
    passages = [
        Passage("p0", "Short one. The mayor banned #bicycles on the bridge https://t.co/x1 today."),
        Passage("p1", ""),
        Passage("p2", "Mr. Lund (the mayor) said: 2,000 houses¹ flooded.\nTerror-\nism rose."),
    ]
    page = read_page(passages)

    for number, passage in enumerate(passages):
        first = page.passage.index(number) if number in page.passage else len(page.words)
        last = first + page.passage.count(number)
        tokens = (page.starts[first:last], page.words[first:last])
        assert units(passage.id, passage.text, tokens) == units(passage.id, passage.text)


@pytest.mark.parametrize(
    ("claim", "sentence", "why"),
    [
        (
            "Floods destroyed 37 houses in Brenmoor.",
            "Floods wrecked 59 homes in Brenmoor.",
            "numbers",
        ),
        ("Floods destroyed 2,000 houses.", "Floods wrecked 2000 homes.", None),
        ("Floods destroyed 37 houses in 1911.", "Thirty-seven homes were lost to floods.", None),
        ("The flood came in 1911.", "The flood came in 1912.", "numbers"),
        ("The flood came in 1911 and took 37 houses.", "37 houses went in the 1911 flood.", None),
        ("Mayor Lund closed the bridge.", "Mayor Holm closed the bridge.", "names"),
        ("Mayor Lund closed the bridge.", "The mayor closed the bridge.", None),
        ("The council approved the plan.", "The council did not approve the plan.", "negation"),
        ("The council approved the plan.", "The council didn't approve the plan.", "negation"),
        ("The council never approved it.", "The council did not approve it.", None),
        ("Not only did they approve it, they paid.", "They approved it and paid.", None),
        # Evidence of the same thing only: an extra name, or a denial in other words, is not.
        (
            "A photograph shows rings taken from Holocaust victims.",
            "Picture of rings taken from the fingers of World War II victims.",
            None,
        ),
        (
            "Iran has offered a bounty for the head of President Donald Trump.",
            "Iran's regime announced a bounty for the head of realDonaldTrump.",
            None,
        ),
        ("The game Minecraft is shutting down in 2020.", "Minecraft is NOT stopping.", None),
        ("The Army is sending draft texts.", "Fact check: the Army is not sending them.", None),
        (
            "The Army sends draft texts.",
            "Fact check: the Army does not send draft texts.",
            "negation",
        ),
        ("Senator Vance voted for the bill.", "Senator Ortiz voted for the bill in May.", "names"),
    ],
)
def test_pairs_that_disagree_on_a_fact_are_rejected(
    claim: str, sentence: str, why: str | None
) -> None:
    assert disagreement(claim, sentence) == why


def test_the_cache_is_bounded_by_bytes_and_forgets_the_oldest_first() -> None:
    cache = VectorCache(max_bytes=3 * 2000)
    vectors = {t: np.full(384, i, dtype=np.float32) for i, t in enumerate("abcd")}

    for text, vector in vectors.items():
        cache.put(cache.key(text), vector)

    assert len(cache) == 3
    assert cache.nbytes <= 3 * 2000
    assert cache.get(cache.key("a")) is None
    assert np.array_equal(cache.get(cache.key("d")), vectors["d"])  # type: ignore[arg-type]


def test_cache_keys_hold_no_text_and_differ_between_processes() -> None:
    one, two = VectorCache(1 << 20), VectorCache(1 << 20)

    key = one.key("The mayor banned bicycles")

    assert b"mayor" not in key
    assert len(key) == 64
    assert key != two.key("The mayor banned bicycles")
