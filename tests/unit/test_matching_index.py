"""QuoteIndex: incremental writes, and agreement with the brute-force reference."""

from __future__ import annotations

import random

import pytest

from server.matching import Passage, QuoteIndex, QuoteMatch, brute_force_match
from server.matching.page import read_page

FOX = "The quick brown fox jumps over the lazy dog by the river bank."
FLOOD = "Officials said the flooding had destroyed more than two hundred homes."
PAGE = [Passage("a", "Yesterday: " + FOX), Passage("b", FLOOD)]


def _keys(found: list[QuoteMatch]) -> list[object]:
    """Keys of accepted matches (a quote sharing most of its words may also show as partial)."""
    return [m.key for m in found if not m.partial]


def test_added_quotes_are_found_in_page_order() -> None:
    index = QuoteIndex()
    index.add(("note-2", 1), FLOOD)
    index.add(("note-1", 1), FOX)

    found = index.match(PAGE)

    assert _keys(found) == [("note-1", 1), ("note-2", 1)]
    assert len(index) == 2
    assert ("note-1", 1) in index


def test_removed_quote_is_no_longer_found() -> None:
    index = QuoteIndex()
    index.add("fox", FOX)
    index.add("flood", FLOOD)
    index.match(PAGE)

    index.remove("fox")

    assert _keys(index.match(PAGE)) == ["flood"]
    assert "fox" not in index
    assert len(index) == 1


def test_remove_of_unknown_key_is_a_no_op() -> None:
    index = QuoteIndex()
    index.add("fox", FOX)

    index.remove("nothing")

    assert len(index) == 1


def test_re_adding_a_key_replaces_its_quote() -> None:
    index = QuoteIndex()
    index.add("q", FOX)
    index.match(PAGE)

    index.add("q", FLOOD)

    found = index.match(PAGE)
    assert [(m.key, m.spans[0].passage_id) for m in found] == [("q", "b")]
    assert len(index) == 1


def test_many_writes_between_matches_stay_consistent() -> None:
    index = QuoteIndex()
    for i in range(300):
        index.add(i, f"Sentence number {i} is about the weather in the hills today.")
    for i in range(0, 300, 2):
        index.remove(i)
    index.add(1, FLOOD)

    found = index.match(PAGE)

    assert len(index) == 150
    assert _keys(found) == [1]
    page = [Passage("x", "Sentence number 7 is about the weather in the hills today.")]
    assert _keys(index.match(page)) == [7]


def test_compaction_keeps_live_quotes() -> None:
    index = QuoteIndex()
    for i in range(50):
        index.add(i, f"Sentence number {i} is about the weather in the hills today.")
    index.match(PAGE)
    for i in range(40):
        index.remove(i)

    index.compact()

    page = [Passage("p", "Sentence number 45 is about the weather in the hills today.")]
    assert _keys(index.match(page)) == [45]


def _edition(number: int) -> str:
    """A quote whose wording changes with ``number``: two words of its own each time."""
    return f"The council said edition w{number} of the budget plan x{number} was final."


def test_an_index_edited_again_and_again_stays_its_size() -> None:
    index = QuoteIndex()
    for i in range(20):
        index.add(("other", i), f"Sentence number {i} is about the weather in the hills today.")
    index.add(("edited", 0), _edition(0))
    index.match(PAGE)
    settled_bytes, settled_words = index.nbytes, len(index._vocabulary)

    for number in range(1, 3001):
        index.add(("edited", 0), _edition(number))
        if number % 10 == 0:
            index.match(PAGE)  # indexes the queued edits, as requests do between writes
    index.match(PAGE)

    assert index.nbytes <= 2 * settled_bytes
    assert len(index._vocabulary) <= settled_words + 50
    page = [Passage("p", _edition(3000)), Passage("q", _edition(2999))]
    assert _keys(index.match(page)) == [("edited", 0)]


def test_a_plan_started_before_a_compaction_still_finds_its_quotes() -> None:
    index = QuoteIndex()
    for i in range(50):
        index.add(i, f"Sentence number {i} is about the weather in the hills today.")
    index.match(PAGE)
    page = read_page([Passage("p", "Sentence number 45 is about the weather in the hills today.")])
    compacting = _CompactOnEnter(index)

    found = index.verify(index.plan(page, guard=compacting), page)

    assert compacting.compactions == 1
    assert _keys(found) == [45]


class _CompactOnEnter:
    """A guard that removes most quotes (so the index compacts) the first time it is taken
    after the plan's first flush: a writer that got the lock between two windows."""

    def __init__(self, index: QuoteIndex) -> None:
        self.index, self.entered, self.compactions = index, 0, 0

    def __enter__(self) -> None:
        self.entered += 1
        if self.entered == 2:
            for i in range(40):
                self.index.remove(i)
            self.compactions += 1

    def __exit__(self, *exc: object) -> None:
        return None


# --- index == brute force on a seeded random corpus -------------------------------------

_SYLLABLES = ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "zu", "pe", "da", "gi"]


def _corpus(seed: int) -> tuple[dict[int, str], list[list[Passage]]]:
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choices(_SYLLABLES, k=rng.randint(1, 3))) for _ in range(2000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]

    def words(count: int) -> list[str]:
        return rng.choices(vocabulary, weights=weights, k=count)

    quotes = {i: " ".join(words(rng.randint(6, 40))) for i in range(250)}
    pages = []
    for _ in range(12):
        body = words(400)
        for qid in rng.sample(sorted(quotes), 6):
            planted = _edit(quotes[qid].split(), rng, vocabulary)
            at = rng.randrange(len(body))
            body[at:at] = planted
        cut = sorted(rng.sample(range(1, len(body)), 5))
        bounds = [0, *cut, len(body)]
        page = [
            Passage(f"p{i}", " ".join(body[a:b]))
            for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))
        ]
        pages.append(page)
    return quotes, pages


def _edit(words: list[str], rng: random.Random, vocabulary: list[str]) -> list[str]:
    words = list(words)
    kind = rng.choice(["exact", "sub", "del", "ins", "typo", "upper", "truncate", "two"])
    if kind in ("sub", "two"):
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
    if kind in ("del", "two") and len(words) > 6:
        del words[rng.randrange(len(words))]
    if kind == "ins":
        words.insert(rng.randrange(len(words)), rng.choice(vocabulary))
    if kind == "typo":
        i = rng.randrange(len(words))
        words[i] = words[i] + "x"
    if kind == "upper":
        words = [w.upper() for w in words]
    if kind == "truncate":
        words = words[: max(3, len(words) * 2 // 3)]
    return words


def _accepted(found: list[QuoteMatch]) -> list[tuple[object, ...]]:
    return [(m.key, m.spans, m.score, m.coverage) for m in found if not m.partial]


@pytest.mark.parametrize("seed", [1, 7])
def test_index_finds_exactly_what_brute_force_finds(seed: int) -> None:
    quotes, pages = _corpus(seed)
    index = QuoteIndex()
    for key, text in quotes.items():
        index.add(key, text)

    by_index = [_accepted(index.match(page)) for page in pages]
    by_brute_force = [_accepted(brute_force_match(quotes, page)) for page in pages]

    assert by_index == by_brute_force
    assert sum(len(rows) for rows in by_index) >= 45


def test_add_many_equals_adding_one_by_one() -> None:
    items: list[tuple[object, str]] = [
        ("fox", FOX),
        ("flood", FLOOD),
        ("note", "Witnesses described the attack1 as the worst the town had ever seen."),
        ("aside", "The minister (who resigned) said the law would protect workers."),
        ("lines", "Officials said the flood-\ning had destroyed more than two hundred homes."),
        ("fox", "Yesterday: The quick brown fox jumps over the lazy dog by the river bank."),
        ("marker", "Officials said the flooding¹ had destroyed more than two hundred homes ²."),
    ]
    page = [*PAGE, Passage("c", "The minister said the law would protect workers today.")]
    one_by_one, bulk = QuoteIndex(), QuoteIndex()
    for key, text in items:
        one_by_one.add(key, text)

    bulk.add_many(items)

    def in_order(found: list[QuoteMatch]) -> list[QuoteMatch]:
        return sorted(found, key=lambda m: (m.spans[0].passage_id, m.spans[0].start, str(m.key)))

    assert in_order(bulk.match(page)) == in_order(one_by_one.match(page))
    assert len(bulk) == len(one_by_one) == 6


def test_a_very_long_quote_is_indexed_past_the_packed_positions() -> None:
    words = [f"w{i}z" for i in range(600)]
    index = QuoteIndex()
    index.add("long", " ".join(words))

    found = index.match([Passage("p", " ".join(words[250:]))])

    assert [(m.key, m.partial) for m in found] == [("long", True)]
