"""Word tokens with spans into the original text.

Matching compares normalized words, never raw characters, so whitespace, punctuation,
quote and dash styles vanish without an offset map: every token remembers the code-point
range it came from. Footnote markers glued to a word ("attack1", "attack¹", "attack (1)",
"attack[2]") are dropped so that the word matches a quote without them. Tokens inside a
short parenthetical are flagged ``optional``: the scorer lets a quote leave them out.
Digits after a thousands separator are flagged ``GROUP``, so that alignment can tell a
footnote glued to a number ("2,0003") from another number (see ``variants``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from server.matching.normalize import normalize_word
from server.matching.wordcache import NOTE_WORDS

_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_INVISIBLE = "\u00ad\u200b-\u200d\u2060\ufeff"
_WORD = rf"[\w{_MARKS}{_INVISIBLE}]+"
# A word may continue across a line break after a hyphen or soft hyphen ("terror-\nism").
_TOKEN = re.compile(rf"({_WORD}(?:(?:[-\u2010]|(?<=\u00ad))[^\S\n]*\r?\n\s*{_WORD})*)")
PLAIN_TOKEN = re.compile(rf"({_WORD})")
_LINE_BREAK_HYPHEN = re.compile(r"[-\u2010\u00ad][^\S\n]*\r?\n")
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
    """``NUMBER`` or ``NAME`` bits: words that identify a fact and must not be swapped;
    ``GROUP`` on the digits after a thousands separator."""


NUMBER = 1
NAME = 2
GROUP = 16
"""Digits right after a thousands separator that follows one to three digits ("2,000").
(4 and 8 are taken: the quote store's optional flag and ``quotes.TITLE``.)"""
LINKED = 32
"""A name separated from the word before it by whitespace alone: the two may be parts of
one name ("Revolutionary Guard"), where a comma would make them items of a list."""
_GROUP_SEPARATORS = frozenset(",\u2009\u202f")
_SENTENCE_END = frozenset(".!?")
_LEAD_IN = frozenset(" \t\r\n\"'“‘«„([")


# Words that start sentences far more often than they name anything.
# fmt: off
_FUNCTION_WORDS = frozenset((
    "a", "about", "after", "all", "also", "an", "and", "as", "at", "but", "by", "for", "from",
    "he", "her", "his", "how", "i", "if", "in", "it", "its", "last", "meanwhile", "more",
    "most", "my", "no", "not", "now", "of", "on", "one", "only", "or", "our", "she", "so",
    "some", "such", "that", "the", "their", "then", "there", "these", "they", "this", "those",
    "to", "under", "until", "we", "what", "when", "where", "which", "while", "who", "why",
    "will", "with", "yet", "you", "your",
))
# fmt: on


_LEAD_IN_CHARS = "".join(_LEAD_IN)


def is_name(before: str, first: bool, raw: str) -> bool:
    """A Title-case word, unless it is a function word that merely starts a sentence.

    ``before`` is the text between the previous word and this one; ``first`` says there
    is no previous word.
    """
    context = before.rstrip(_LEAD_IN_CHARS)
    sentence_start = context[-1] in _SENTENCE_END if context else first
    return not (sentence_start and raw.lower() in _FUNCTION_WORDS)


def continues_number(before: str, previous: str, raw: str) -> bool:
    """Whether digits ``raw`` are a group of the number ``previous`` ("2,000", "2,0003").

    ``before`` is the text between the two tokens. Only a comma or a thin space joins
    groups: a full stop may be a decimal point ("1.8923"), and a plain space may separate
    two numbers.
    """
    return (
        before in _GROUP_SEPARATORS
        and raw.isascii()
        and raw.isdigit()
        and 0 < len(previous) <= 3
        and previous.isascii()
        and previous.isdigit()
    )


def name_kind(before: str) -> int:
    """The bits of a word found to be a name, ``before`` being the text in front of it."""
    return NAME | LINKED if before.isspace() else NAME


Analysis = tuple[str, str, int, int, bool]


def _analyze(raw: str) -> Analysis:
    """(word, full word, code points to trim, NUMBER bit, Title case) for one raw token."""
    if raw.isascii() and raw.isalpha():  # most words: nothing to fold but case
        low = raw.lower()
        return low, low, 0, 0, len(raw) > 1 and raw[0].isupper() and not raw[1:].isupper()
    full = normalize_word(raw)
    word, trim = full, 0
    digits = len(raw) - len(raw.rstrip("0123456789⁰¹²³⁴⁵⁶⁷⁸⁹"))
    if digits == len(raw):
        if all(c in _SUPERSCRIPT_DIGITS for c in raw):
            word = ""
    elif digits:
        stem = raw[:-digits]
        superscript = all(c in _SUPERSCRIPT_DIGITS for c in raw[-digits:])
        glued_note = digits <= 3 and len(stem) >= 2 and stem[-1].islower()
        if superscript or glued_note:
            word, trim = normalize_word(stem), digits
    number = NUMBER if any(c.isdigit() for c in word) else 0
    title = raw[0].isupper() and any(c.islower() for c in raw[1:])
    return word, full, trim, number, title


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


def _is_bracket_marker(before: str, after: str, raw: str) -> bool:
    """Whether a token is a reference marker such as "(1)", "[12]" or "[a]"."""
    opener = before[-1:]
    if opener not in ("(", "[") or after[:1] != (")" if opener == "(" else "]"):
        return False
    return (raw.isdigit() and len(raw) <= 3) or (len(raw) == 1 and raw.islower())


def simple_parts(text: str) -> list[str] | None:
    """``split`` parts (separator, word, separator, ...) of a text without brackets or
    hyphenated line breaks, or None when the text needs the full ``tokenize``."""
    if "(" in text or "[" in text or ("\n" in text and _LINE_BREAK_HYPHEN.search(text)):
        return None
    return PLAIN_TOKEN.split(text)


def analyze_word(raw: str) -> tuple[str, int, bool]:
    """(word or "" if dropped, NUMBER bit, Title case) of one raw token from a note."""
    found = NOTE_WORDS.get(raw)
    if found is None:
        found = _analyze(raw)
        NOTE_WORDS.put(raw, found)
    word, _, _, kind, title = found
    return word, kind, title


def tokenize(text: str, trusted: bool = False) -> Tokens:
    """Split ``text`` into normalized word tokens with code-point spans.

    ``trusted`` text (quotes, names: notes' text) has its words' analyses kept in the
    bounded ``NOTE_WORDS`` cache; a page's words are memoized only during this call.
    """
    tokens = Tokens()
    memo: dict[str, Analysis] = {}
    known = NOTE_WORDS.get
    words, full_words, kinds = tokens.words, tokens.full, tokens.kinds
    starts, ends, full_ends = tokens.starts, tokens.ends, tokens.full_ends
    has_brackets = "(" in text or "[" in text
    # Most texts have no hyphenated line breaks; the plain pattern is a third faster.
    pattern = _TOKEN if "\n" in text and _LINE_BREAK_HYPHEN.search(text) else PLAIN_TOKEN
    # split() alternates separator, word, separator, ...: offsets follow from lengths,
    # which is cheaper than a match object per word.
    parts = pattern.split(text)
    end = len(parts[0])
    for i in range(1, len(parts), 2):
        raw = parts[i]
        start = end
        end = start + len(raw)
        found = memo.get(raw)
        if found is None:
            if raw.isascii() and raw.isalpha():  # _analyze's fast path, inlined: most words
                low = raw.lower()
                title = len(raw) > 1 and raw[0].isupper() and not raw[1:].isupper()
                found = (low, low, 0, 0, title)
            else:
                found = known(raw)
                if found is None:
                    found = _analyze(raw)
                    if trusted:
                        NOTE_WORDS.put(raw, found)
            memo[raw] = found
        word, full, trim, kind, title = found
        after = parts[i + 1]
        if not word:
            end += len(after)
            continue
        before = parts[i - 1]
        if has_brackets and _is_bracket_marker(before, after, raw):
            end += len(after)
            continue
        words.append(word)
        full_words.append(full)
        starts.append(start)
        ends.append(end - trim)
        full_ends.append(end)
        if title and is_name(before, i == 1, raw):
            kind |= name_kind(before)
        elif kind and i > 1 and continues_number(before, parts[i - 2], raw):
            kind |= GROUP
        kinds.append(kind)
        end += len(after)
    tokens.optional = [False] * len(words)
    if has_brackets:
        _flag_parentheticals(text, tokens)
    return tokens


def _flag_parentheticals(text: str, tokens: Tokens) -> None:
    for opened, closed in _parentheticals(text):
        first = bisect_right(tokens.starts, opened)
        last = bisect_left(tokens.starts, closed)
        for i in range(first, last):
            tokens.optional[i] = True
