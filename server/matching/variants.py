"""Word differences that republished copies introduce without changing the fact quoted.

Alignment (``align.py``) asks these rules about the words left unmatched between two
matched stretches, or at either end of a quote, before it treats a difference as another
fact. Each rule covers one word (or one dropped word), so a quote is still accepted only
when the rest of it agrees with the page:

* **a footnote glued to a word or number by copy-paste**: "2,0003" for "2,000" followed
  by footnote 3, "UK12" for "UK" (footnotes after lower-case letters, "attack1", are
  already dropped by ``tokens``). A well-formed group facing the same digits with one to
  three more is a footnote; "20,000" or "3,000" for "2,000" is another number;
* **a transliteration variant of a name**: "Uyghur"/"Uighur", "Kandahar"/"Kandagar",
  "Herat"/"Gerat". Names of five letters or more are compared by a skeleton that folds
  the letter groups transliteration systems disagree on (Russian г/х for Latin h, kh/gh,
  zh/dzh/j, ou/u, y/i next to a vowel, doubled consonants...), so the rule is general, not
  a list of known pairs;
* **a word dropped inside a long name**: "Islamic Revolutionary Corps" for "Islamic
  Revolutionary Guard Corps", "John Kennedy" for "John Fitzgerald Kennedy": one name
  word, with names on both sides on the quote and on the page, joined by spaces (a name
  dropped from a comma-separated list is another list).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from server.matching.tokens import GROUP, LINKED, NAME

FOOTNOTE_MAX_DIGITS = 3
"""A glued footnote reference has at most this many digits (as ``tokens`` assumes)."""
GROUP_DIGITS = 3
"""Digits in a well-formed thousands group."""
ACRONYM_MIN_CHARS = 2
"""A single letter with digits ("G7", "F16") is a name of its own, not a glued footnote."""
TRANSLITERATION_MIN_CHARS = 5
"""Shorter names differ by too few letters for the folding to leave them distinct."""

_VOWEL = "aeiou"
# Applied in order to a normalized (lower-case, accent-free) word.
_SKELETON_STEPS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"^ye|(?<=[{_VOWEL}])[iy]e"), "e"),  # Yevgeny / Evgeny, Sergeyev / Sergeiev
    (re.compile(r"dzh|dj|zh"), "j"),  # Dzhokhar / Jokhar
    (re.compile(r"sch"), "sh"),  # Shchedrin / Schedrin
    (re.compile(r"^tch"), "ch"),  # Tchaikovsky / Chaikovsky
    (re.compile(r"kh|gh|g"), "h"),  # Herat / Gerat, Uighur / Uygur, Khamas / Hamas
    (re.compile(r"ou"), "u"),  # Yousef / Yusuf
    (re.compile(r"ph"), "f"),
    (re.compile(r"ck|q"), "k"),  # Iraq / Irak
    (re.compile(rf"(?<=[{_VOWEL}])y|y(?=[{_VOWEL}])|y$"), "i"),  # Uyghur / Uighur, Sergey
    (re.compile(r"ii+"), "i"),  # Dostoevskiy / Dostoevsky
    (re.compile(rf"([^{_VOWEL}])\1+"), r"\1"),  # Gaddafi / Gadafi, Mohammed / Mohamed
)
"""Kept to the groups that transliteration systems disagree on. On the 7,825 distinct
names of five letters or more on the republished-news pages, 50 skeletons are shared by two
or three of them; 16 of those pairs were not already equal under the name-typo rule (ratio
>= 85), mostly spellings of one name (Terri / Terry, Brian / Bryan), five different names
that differ by g / h (Gerald / Herald, Gunter / Hunter): the price of Herat / Gerat."""


def skeleton(word: str) -> str:
    """``word`` with the letter groups transliterations disagree on folded together.

    Not cached: page words must not outlive their request (see ``wordcache``), and only a
    name facing another name in a gap gets here."""
    for pattern, replacement in _SKELETON_STEPS:
        word = pattern.sub(replacement, word)
    return word


def glued_footnote(a: str, a_kind: int, b: str, b_kind: int) -> bool:
    """Whether one word is the other with footnote digits glued on ("2,0003", "UK12")."""
    if len(a) > len(b):
        a, a_kind, b, b_kind = b, b_kind, a, a_kind
    extra = b[len(a) :]
    if not (0 < len(extra) <= FOOTNOTE_MAX_DIGITS and extra.isdigit() and b.startswith(a)):
        return False
    if a.isdigit():
        # Only a malformed group can carry a footnote: "2,0003" is no number, "20003" is.
        return len(a) == GROUP_DIGITS and bool(a_kind & b_kind & GROUP)
    return len(a) >= ACRONYM_MIN_CHARS and a.isalpha()


def transliterated(a: str, a_kind: int, b: str, b_kind: int) -> bool:
    """Whether two words are spellings of one name in different transliterations."""
    if not (a_kind | b_kind) & NAME:
        return False
    if min(len(a), len(b)) < TRANSLITERATION_MIN_CHARS or not (a.isalpha() and b.isalpha()):
        return False
    return skeleton(a) == skeleton(b)


def same_words(
    a_words: Sequence[str], a_kinds: Sequence[int], b_words: Sequence[str], b_kinds: Sequence[int]
) -> bool:
    """Whether two equally long runs of words differ only by glued footnotes and
    transliterations (word for word, at least one such difference)."""
    if len(a_words) != len(b_words):
        return False
    varied = False
    for a, a_kind, b, b_kind in zip(a_words, a_kinds, b_words, b_kinds, strict=True):
        if a == b:
            continue
        if not (glued_footnote(a, a_kind, b, b_kind) or transliterated(a, a_kind, b, b_kind)):
            return False
        varied = True
    return varied


def dropped_from_name(left: int, word: int, right: int, other_left: int, other_right: int) -> bool:
    """Whether a word held by one side only was dropped from inside a name.

    Arguments are kinds: ``word`` of the word, ``left`` and ``right`` of its neighbours,
    ``other_left`` and ``other_right`` of the same neighbours on the other side. All are
    names, and the word, its right neighbour and the other side's right neighbour are each
    joined to the name before them by a space (not a comma: a list is not a name).
    """
    linked = NAME | LINKED
    joined = word & right & other_right & linked == linked
    return joined and bool(left & other_left & NAME)
