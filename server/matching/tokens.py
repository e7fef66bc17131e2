"""Word tokens with spans into the original text.

Matching compares normalized words, never raw characters, so whitespace, punctuation,
quote and dash styles vanish without an offset map: every token remembers the code-point
range it came from. Footnote markers glued to a word ("attack1", "attack¹", "attack (1)",
"attack[2]") are dropped so that the word matches a quote without them. Tokens inside a
short parenthetical are flagged ``optional``: the scorer lets a quote leave them out.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from server.matching.normalize import normalize_word

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_INVISIBLE = "\u00ad\u200b-\u200d\u2060\ufeff"
_WORD = rf"(?:[^\W_]|[{_MARKS}{_INVISIBLE}])+"
# A word may continue across a line break after a hyphen or soft hyphen ("terror-\nism").
_TOKEN = re.compile(rf"{_WORD}(?:(?:[-\u2010]|(?<=\u00ad))[^\S\n]*\r?\n\s*{_WORD})*")
_BRACKET = re.compile(r"[()\[\]]")
_SUPERSCRIPT_DIGITS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹")
_OPENERS = {")": "(", "]": "["}

# A parenthetical longer than this is more likely an unbalanced bracket than an aside.
MAX_PARENTHETICAL_CHARS = 300


@dataclass(slots=True)
class Tokens:
    """Parallel lists describing the word tokens of one text, in text order."""

    words: list[str] = field(default_factory=list)
    """Normalized words, footnote markers removed: what quotes are matched on."""
    full: list[str] = field(default_factory=list)
    """Normalized words with glued digits kept: what names (aliases) are matched on."""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    """End of the word without a glued footnote marker."""
    full_ends: list[int] = field(default_factory=list)
    """End of the whole token, glued digits included."""
    optional: list[bool] = field(default_factory=list)
    kinds: list[int] = field(default_factory=list)
    """``NUMBER`` or ``NAME`` bits: words that identify a fact and must not be swapped."""


NUMBER = 1
NAME = 2
_SENTENCE_END = frozenset(".!?")
_LEAD_IN = frozenset(" \t\r\n\"'“‘«„([")


# Words that start sentences far more often than they name anything.
_FUNCTION_WORDS = frozenset(
    (
        "a",
        "about",
        "after",
        "all",
        "also",
        "an",
        "and",
        "as",
        "at",
        "but",
        "by",
        "for",
        "from",
        "he",
        "her",
        "his",
        "how",
        "i",
        "if",
        "in",
        "it",
        "its",
        "last",
        "meanwhile",
        "more",
        "most",
        "my",
        "no",
        "not",
        "now",
        "of",
        "on",
        "one",
        "only",
        "or",
        "our",
        "she",
        "so",
        "some",
        "such",
        "that",
        "the",
        "their",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "to",
        "under",
        "until",
        "we",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "why",
        "will",
        "with",
        "yet",
        "you",
        "your",
    )
)


def _is_name(text: str, start: int, raw: str) -> bool:
    """A Title-case word, unless it is a function word that merely starts a sentence."""
    if not (raw[0].isupper() and any(c.islower() for c in raw[1:])):
        return False
    i = start - 1
    while i >= 0 and text[i] in _LEAD_IN:
        i -= 1
    sentence_start = i < 0 or text[i] in _SENTENCE_END
    return not (sentence_start and raw.lower() in _FUNCTION_WORDS)


@lru_cache(maxsize=200_000)
def _analyze(raw: str) -> tuple[str, str, int]:
    """(word, full word, code points to trim from the end) for one raw token."""
    full = normalize_word(raw)
    digits = len(raw) - len(raw.rstrip("0123456789⁰¹²³⁴⁵⁶⁷⁸⁹"))
    if not digits or digits == len(raw):
        if raw and all(c in _SUPERSCRIPT_DIGITS for c in raw):
            return "", full, 0
        return full, full, 0
    stem = raw[:-digits]
    superscript = all(c in _SUPERSCRIPT_DIGITS for c in raw[-digits:])
    glued_note = digits <= 3 and len(stem) >= 2 and stem[-1].islower()
    if superscript or glued_note:
        return normalize_word(stem), full, digits
    return full, full, 0


def _parentheticals(text: str) -> list[tuple[int, int]]:
    """Balanced, short (...) and [...] ranges of ``text``, as (open, close) offsets."""
    stack: list[tuple[str, int]] = []
    ranges: list[tuple[int, int]] = []
    for m in _BRACKET.finditer(text):
        char, pos = m.group(), m.start()
        if char in "([":
            stack.append((char, pos))
            continue
        while stack and stack[-1][0] != _OPENERS[char]:
            stack.pop()
        if stack:
            opened = stack.pop()[1]
            if pos - opened <= MAX_PARENTHETICAL_CHARS:
                ranges.append((opened, pos))
    return ranges


def _is_bracket_marker(text: str, start: int, end: int, raw: str) -> bool:
    """Whether a token is a reference marker such as "(1)", "[12]" or "[a]"."""
    if start == 0 or end >= len(text) or text[start - 1] not in "([":
        return False
    if text[end] != (")" if text[start - 1] == "(" else "]"):
        return False
    return (raw.isdigit() and len(raw) <= 3) or (len(raw) == 1 and raw.islower())


def tokenize(text: str) -> Tokens:
    """Split ``text`` into normalized word tokens with code-point spans."""
    tokens = Tokens()
    has_brackets = "(" in text or "[" in text
    for m in _TOKEN.finditer(text):
        raw = m.group()
        word, full, trim = _analyze(raw)
        if not full:
            continue
        start, end = m.start(), m.end()
        if has_brackets and _is_bracket_marker(text, start, end, raw):
            continue
        if not word:
            continue
        tokens.words.append(word)
        tokens.full.append(full)
        tokens.starts.append(start)
        tokens.ends.append(end - trim)
        tokens.full_ends.append(end)
        kind = NUMBER if any(c.isdigit() for c in word) else 0
        if raw[0].isupper() and _is_name(text, start, raw):
            kind |= NAME
        tokens.kinds.append(kind)
    tokens.optional = [False] * len(tokens.words)
    if has_brackets:
        _flag_parentheticals(text, tokens)
    return tokens


def _flag_parentheticals(text: str, tokens: Tokens) -> None:
    for opened, closed in _parentheticals(text):
        first = bisect_right(tokens.starts, opened)
        last = bisect_left(tokens.starts, closed)
        for i in range(first, last):
            tokens.optional[i] = True
