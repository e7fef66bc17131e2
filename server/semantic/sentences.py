"""Page sentences with code-point spans: the unit the reworded tier embeds and anchors.

A claim is usually one sentence; a short passage such as a post or a caption may spread it
over two or three. So the units are each sentence, plus each passage of at most
``SHORT_PASSAGE_WORDS`` words as a whole when it holds more than one sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from server.matching.tokens import tokenize
from server.semantic.terms import content_terms

# A sentence ends at . ! ? or … (with closing quotes or brackets) followed by white space,
# or at a line break. Abbreviations (Mr. Dr. U.S.) are not ends when a lower-case word or a
# digit follows, which covers most of them without a list.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+(?=[^a-z0-9\s])|\s*\n\s*")
_WORD = re.compile(r"\w+")
# Link addresses carry no claim and read as noise to the model; handles and hashtags keep
# their words ("#ImpeachTrump" is a statement) without the sign.
_LINK = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S*")
_NOISE = re.compile(_LINK.pattern + r"|(?<!\w)[@#](?=\w)")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|St|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Jr|Sr|No|vs|etc|Inc|Co)"
    r"|\b[A-Z](?:\.[A-Z])*)$"
)
PassageWords = tuple[Sequence[int], Sequence[str]]
"""A passage's word starts and normalized words, as ``tokenize`` gives them."""
MIN_WORDS = 4
MAX_CHARS = 600
SHORT_PASSAGE_WORDS = 60


@dataclass(frozen=True, slots=True)
class Unit:
    """A stretch of one passage that is embedded and, when it matches, anchored."""

    passage_id: str
    start: int
    end: int
    text: str
    """What is embedded: the stretch without link addresses, @ and # signs."""
    terms: frozenset[str] = frozenset()
    """Its content terms (link addresses left out): what the candidate stage compares."""


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, white space trimmed, in text order."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        stop = m.group()
        if stop[0] == "." and "\n" not in stop and _ABBREVIATION.search(text, 0, m.start()):
            continue
        spans.append((start, m.start() + len(m.group().rstrip())))
        start = m.end()
    spans.append((start, len(text)))
    trimmed: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            trimmed.append((s, e))
    return trimmed


def clean(text: str) -> str:
    """The text as the model should read it: links dropped, white space folded."""
    return " ".join(_NOISE.sub(" ", text).split())


class _Words:
    """A passage's normalized words, tokenized once, looked up by span."""

    def __init__(self, text: str, tokens: PassageWords | None = None) -> None:
        starts, words = tokens if tokens is not None else _tokenized(text)
        self._starts: Sequence[int] = starts
        self._words: Sequence[str] = words
        links = [m.span() for m in _LINK.finditer(text)]
        if links:  # most passages have none: no test per word
            kept = [
                (start, word)
                for start, word in zip(starts, words, strict=True)
                if not any(s <= start < e for s, e in links)
            ]
            self._starts = [start for start, _ in kept]
            self._words = [word for _, word in kept]

    def terms(self, start: int, end: int) -> frozenset[str]:
        return content_terms(
            self._words[bisect_left(self._starts, start) : bisect_left(self._starts, end)]
        )


def _tokenized(text: str) -> PassageWords:
    tokens = tokenize(text)
    return tokens.starts, tokens.words


def units(passage_id: str, text: str, tokens: PassageWords | None = None) -> list[Unit]:
    """The sentences worth embedding, and a short passage as a whole.

    ``tokens`` are the passage's word starts and words as ``tokenize`` gives them, when the
    caller has them already (the quote tier read the page): tokenizing again was half the
    cost of this function."""
    found: list[Unit] = []
    spans = sentence_spans(text)
    words = _Words(text, tokens)
    for start, end in spans:
        piece = clean(text[start:end])
        if len(_WORD.findall(piece)) >= MIN_WORDS and end - start <= MAX_CHARS:
            found.append(Unit(passage_id, start, end, piece, words.terms(start, end)))
    if len(spans) > 1:
        start, end = spans[0][0], spans[-1][1]
        whole = clean(text[start:end])
        if len(_WORD.findall(whole)) <= SHORT_PASSAGE_WORDS:
            found.append(Unit(passage_id, start, end, whole, words.terms(start, end)))
    return found
