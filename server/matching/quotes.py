"""Quotes as the engine stores them: word ids, plus the check that a quote is matchable.

Words are interned in a ``Vocabulary`` so that alignment compares small integers, which
keeps rapidfuzz on its fast bit-parallel path even for quotes longer than 64 characters.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.matching.tokens import NAME, Tokens, analyze_word, is_name, simple_parts, tokenize

MIN_QUOTE_WORDS = 6
"""Shortest quote accepted. Chosen by measurement; see the package docstring."""
MAX_QUOTE_WORDS = 300
"""Longest quote accepted: an excerpt, not an article; bounds the cost of one alignment."""

UNKNOWN = -1
"""Id of a page word that no quote contains: it can never equal a quote word."""


class Vocabulary:
    """Interns normalized words as dense integer ids. Ids are never reused or removed."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self.words: list[str] = []
        self.raw_cache: dict[str, tuple[int, int, bool]] = {}
        """Raw token -> result of ``raw``; read directly on hot paths."""

    def __len__(self) -> int:
        return len(self.words)

    def intern(self, word: str) -> int:
        """Id of ``word``, adding it if new."""
        found = self._ids.get(word)
        if found is None:
            found = self._ids[word] = len(self.words)
            self.words.append(word)
        return found

    def raw(self, raw: str) -> tuple[int, int, bool]:
        """(id or -1 if dropped, NUMBER bit, Title case) of a raw token; cached per raw form."""
        found = self.raw_cache.get(raw)
        if found is None:
            word, kind, title = analyze_word(raw)
            found = self.raw_cache[raw] = (self.intern(word) if word else -1, kind, title)
        return found

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
    tokens = tokenize(text)
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
        ids: list[int] = []
        kinds: list[int] = []
        cache = vocabulary.raw_cache
        for i in range(1, len(parts), 2):
            raw = parts[i]
            word, kind, title = cache.get(raw) or vocabulary.raw(raw)
            if word < 0:
                continue
            ids.append(word)
            kinds.append(kind | NAME if title and is_name(parts[i - 1], i == 1, raw) else kind)
        return PreparedQuote(tuple(ids), (False,) * len(ids), tuple(kinds))
    tokens = quote_tokens(text)
    interned = tuple(vocabulary.intern(w) for w in tokens.words)
    return PreparedQuote(interned, tuple(tokens.optional), tuple(tokens.kinds))


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
