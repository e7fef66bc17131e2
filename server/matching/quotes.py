"""Quotes as the engine stores them: word ids, plus the check that a quote is matchable.

Words are interned in a ``Vocabulary`` so that alignment compares small integers, which
keeps rapidfuzz on its fast bit-parallel path even for quotes longer than 64 characters.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, compress

from server.matching.tokens import (
    GROUP,
    NUMBER,
    PLAIN_TOKEN,
    Tokens,
    analyze_word,
    continues_number,
    is_name,
    name_kind,
    simple_parts,
    tokenize,
)

MIN_QUOTE_WORDS = 6
"""Shortest quote accepted. Chosen by measurement; see the package docstring."""
MAX_QUOTE_WORDS = 300
"""Longest quote accepted: an excerpt, not an article; bounds the cost of one alignment."""

TITLE = 8
"""Scratch bit in ``Vocabulary.raw_kinds``: Title case, a name unless it starts a sentence."""
UNKNOWN = -1
"""Id of a page word that no quote contains: it can never equal a quote word."""


class Vocabulary:
    """Interns normalized words as dense integer ids. Ids are never reused or removed: an
    index that forgets words makes a smaller vocabulary with ``kept``."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self.words: list[str] = []
        self.raw_ids: dict[str, int] = {}
        """Raw token -> word id (``UNKNOWN`` if dropped); read directly on hot paths."""
        self.raw_kinds: dict[str, int] = {}
        """Raw token -> ``NUMBER`` bit, plus ``TITLE`` for Title-case tokens."""

    def __len__(self) -> int:
        return len(self.words)

    def intern(self, word: str) -> int:
        """Id of ``word``, adding it if new."""
        found = self._ids.get(word)
        if found is None:
            found = self._ids[word] = len(self.words)
            self.words.append(word)
        return found

    def learn(self, raws: list[str]) -> None:
        """Fill ``raw_ids`` and ``raw_kinds`` for raw tokens not seen before."""
        for raw in raws:
            if raw not in self.raw_ids:
                word, kind, title = analyze_word(raw)
                self.raw_ids[raw] = self.intern(word) if word else UNKNOWN
                self.raw_kinds[raw] = kind | (TITLE if title else 0)

    def kept(self, words: list[int], new_ids: Sequence[int]) -> Vocabulary:
        """A new vocabulary of only ``words`` (ids, ascending), word ``w`` becoming
        ``new_ids[w]``; raw tokens of dropped words are forgotten, to be learnt again."""
        fresh = Vocabulary()
        fresh.words = [self.words[w] for w in words]
        fresh._ids = {word: i for i, word in enumerate(fresh.words)}
        fresh.raw_ids = {
            raw: new_ids[old]
            for raw, old in self.raw_ids.items()
            if old != UNKNOWN and new_ids[old] != UNKNOWN
        }
        kinds = self.raw_kinds
        fresh.raw_kinds = {raw: kinds[raw] for raw in fresh.raw_ids}
        return fresh

    def lookup(self, word: str) -> int:
        """Id of ``word``, or ``UNKNOWN`` without growing the vocabulary (page words)."""
        return self._ids.get(word, UNKNOWN)

    def lookup_all(self, words: list[str]) -> list[int]:
        """``lookup`` of many words at once."""
        get = self._ids.get
        return [get(word, UNKNOWN) for word in words]


@dataclass(frozen=True, slots=True)
class PreparedQuote:
    """A quote reduced to what alignment needs."""

    ids: tuple[int, ...]
    optional: tuple[bool, ...]
    """Words inside an interior parenthetical, which a page may leave out."""
    kinds: tuple[int, ...]
    """``NUMBER``/``NAME`` bits per word (see ``tokens``)."""

    @property
    def required(self) -> int:
        """Words the page must hold (all but the optional ones)."""
        return len(self.ids) - sum(self.optional)


def quote_tokens(text: str) -> Tokens:
    """Tokens of a quote; only interior parentheticals stay optional."""
    tokens = tokenize(text, trusted=True)
    optional = tokens.optional
    # A parenthetical at either end of a quote is part of what the note quotes, not an aside.
    for order in (range(len(optional)), range(len(optional) - 1, -1, -1)):
        for i in order:
            if not optional[i]:
                break
            optional[i] = False
    return tokens


def prepare_quote(text: str, vocabulary: Vocabulary) -> PreparedQuote:
    """Tokenize and intern a quote (a fast path for the common case keeps bulk loads quick)."""
    parts = simple_parts(text)
    if parts is not None:
        # map() over dicts rather than a loop: this runs for every word of a bulk load.
        raws = parts[1::2]
        try:
            ids = list(map(vocabulary.raw_ids.__getitem__, raws))
        except KeyError:
            vocabulary.learn(raws)
            ids = list(map(vocabulary.raw_ids.__getitem__, raws))
        kinds = list(map(vocabulary.raw_kinds.__getitem__, raws))
        for i in [i for i, kind in enumerate(kinds) if kind & (TITLE | NUMBER)]:
            kinds[i] = _in_context(kinds[i], parts[2 * i], raws[i - 1] if i else "", raws[i])
        if UNKNOWN in ids:
            kinds = [kind for word, kind in zip(ids, kinds, strict=True) if word != UNKNOWN]
            ids = [word for word in ids if word != UNKNOWN]
        return PreparedQuote(tuple(ids), (False,) * len(ids), tuple(kinds))
    tokens = quote_tokens(text)
    interned = tuple(vocabulary.intern(w) for w in tokens.words)
    return PreparedQuote(interned, tuple(tokens.optional), tuple(tokens.kinds))


def _in_context(kind: int, before: str, previous: str, raw: str) -> int:
    """A word's kind as ``tokenize`` gives it, from its context-free ``raw_kinds`` entry.

    ``previous`` is the raw token before (empty at the start of a quote), ``before`` the
    text between them.
    """
    if kind & TITLE:
        return kind & ~TITLE | (name_kind(before) if is_name(before, not previous, raw) else 0)
    if continues_number(before, previous, raw):
        return kind | GROUP
    return kind


def is_plain(text: str) -> bool:
    """Whether a quote can take the batch path: no brackets and no line breaks."""
    return not ("\n" in text or "(" in text or "[" in text)


def prepare_plain_batch(
    texts: list[str], vocabulary: Vocabulary
) -> tuple[list[int], list[int], list[int]]:
    """Word ids, kinds (both flat) and word counts of many plain quotes at once.

    The same result as ``prepare_quote`` on each, with the per-word work done by ``map``
    over the whole batch.
    """
    raws: list[str] = []
    before: list[str] = []
    lengths: list[int] = []
    for text in texts:
        parts = PLAIN_TOKEN.split(text)
        raws += parts[1::2]
        before += parts[0:-1:2]
        lengths.append(len(parts) // 2)
    try:
        ids = list(map(vocabulary.raw_ids.__getitem__, raws))
    except KeyError:
        vocabulary.learn(raws)
        ids = list(map(vocabulary.raw_ids.__getitem__, raws))
    kinds = list(map(vocabulary.raw_kinds.__getitem__, raws))
    starts = list(accumulate(lengths, initial=0))
    firsts = set(starts)
    for i in [i for i, kind in enumerate(kinds) if kind & (TITLE | NUMBER)]:
        previous = "" if i in firsts else raws[i - 1]
        kinds[i] = _in_context(kinds[i], before[i], previous, raws[i])
    if UNKNOWN in ids:
        # Dropped tokens (lone superscript digits): take them out and shorten their quotes.
        at = -1
        while (at := _index(ids, UNKNOWN, at + 1)) >= 0:
            lengths[bisect_right(starts, at) - 1] -= 1
        kept = [word != UNKNOWN for word in ids]
        ids = list(compress(ids, kept))
        kinds = list(compress(kinds, kept))
    return ids, kinds, lengths


def _index(values: list[int], value: int, start: int) -> int:
    try:
        return values.index(value, start)
    except ValueError:
        return -1


def quote_problem(text: str) -> str | None:
    """Why a quote cannot be matched safely, or None; the server refuses such quotes."""
    tokens = quote_tokens(text)
    words = tokens.words
    required = len(words) - sum(tokens.optional)
    if required < MIN_QUOTE_WORDS:
        return (
            f"quote has {required} words after normalization; at least {MIN_QUOTE_WORDS} are needed"
        )
    if len(words) > MAX_QUOTE_WORDS:
        return f"quote has {len(words)} words; at most {MAX_QUOTE_WORDS} are allowed"
    return None
