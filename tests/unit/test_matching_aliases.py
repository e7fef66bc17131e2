"""AliasIndex: whole-word, normalized mentions of names, in page order."""

from __future__ import annotations

import pytest

from server.matching import AliasIndex, Mention, Passage, Span


@pytest.fixture
def aliases() -> AliasIndex:
    index = AliasIndex()
    index.add("south-front", "South Front")
    index.add("south-front", "SouthFront")
    index.add("rt", "RT")
    index.add("bbc", "BBC")
    index.add("bbc", "BBC News")
    return index


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Source: South Front.", [("south-front", 8, 19)], id="exact"),
        pytest.param("per SOUTH  FRONT today", [("south-front", 4, 16)], id="case_and_spaces"),
        pytest.param("per South\nFront today", [("south-front", 4, 15)], id="line_break"),
        pytest.param(
            "via SouthFront and southfront",
            [("south-front", 4, 14), ("south-front", 19, 29)],
            id="each_name_of_a_key",
        ),
        pytest.param("via Ѕоuth Frоnt", [("south-front", 4, 15)], id="cyrillic_homoglyphs"),
        pytest.param("via “South Front”", [("south-front", 5, 16)], id="inside_curly_quotes"),
        pytest.param("Southfronts and SouthFrontier", [], id="not_inside_longer_words"),
        pytest.param("a smart reply", [], id="short_name_not_inside_word"),
        pytest.param("RT reported", [("rt", 0, 2)], id="short_name_whole_word"),
        pytest.param("BBC News said", [("bbc", 0, 8)], id="longest_name_of_a_key_wins"),
        pytest.param("🎉🎉 BBC said", [("bbc", 3, 6)], id="astral_offsets_in_code_points"),
    ],
)
def test_mentions(aliases: AliasIndex, text: str, expected: list[tuple[str, int, int]]) -> None:
    found = aliases.match([Passage("p", text)])

    assert found == [Mention(key, Span("p", start, end)) for key, start, end in expected]


def test_mentions_are_in_page_order_across_passages(aliases: AliasIndex) -> None:
    page = [Passage("a", "RT and BBC"), Passage("b", "South Front")]

    found = aliases.match(page)

    assert [(m.key, m.span.passage_id) for m in found] == [
        ("rt", "a"),
        ("bbc", "a"),
        ("south-front", "b"),
    ]


def test_a_name_never_spans_two_passages(aliases: AliasIndex) -> None:
    found = aliases.match([Passage("a", "South"), Passage("b", "Front")])

    assert found == []


def test_remove_drops_every_name_of_the_key(aliases: AliasIndex) -> None:
    aliases.remove("south-front")

    found = aliases.match([Passage("p", "South Front and SouthFront and RT")])

    assert [m.key for m in found] == ["rt"]
    assert "south-front" not in aliases


def test_remove_of_unknown_key_is_a_no_op(aliases: AliasIndex) -> None:
    aliases.remove("nobody")

    assert len(aliases) == 3


def test_two_keys_may_share_a_name() -> None:
    aliases = AliasIndex()
    aliases.add("one", "Daily Star")
    aliases.add("two", "Daily Star")

    found = aliases.match([Passage("p", "the Daily Star")])

    assert sorted(str(m.key) for m in found) == ["one", "two"]


def test_glued_digits_are_part_of_a_name() -> None:
    aliases = AliasIndex()
    aliases.add("c4", "Channel4")

    found = aliases.match([Passage("p", "Channel 5 and Channel4")])

    assert found == [Mention("c4", Span("p", 14, 22))]
