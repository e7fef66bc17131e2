"""Reproducible benchmark data: a quote database of any size, and pages with planted quotes.

Real text comes from ``../shared/external/republished-bbc/`` when it is there (read at run
time, never copied): its distractor quotes seed the database and its pages supply page text.
Past the real quotes, and when the shared data is absent, sentences come from an order-1
word Markov chain trained on whatever real text there is (or on a built-in word list),
generated with numpy in bulk so that a million quotes take seconds.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

# ../shared/external beside the checkout; GLOSS_EXTERNAL names another place (a worktree).
EXTERNAL = Path(
    os.environ.get(
        "GLOSS_EXTERNAL", str(Path(__file__).resolve().parent.parent.parent / "shared" / "external")
    )
)
SHARED = EXTERNAL / "republished-bbc"
CLAIMS = EXTERNAL / "claim-retrieval" / "clef2020" / "v3.0" / "verified_claims.docs.tsv"
_END = 0
# fmt: off
_FALLBACK_WORDS = (
    "the", "of", "and", "to", "a", "in", "that", "is", "was", "he", "for", "it", "with", "as",
    "his", "on", "be", "at", "by", "had", "are", "but", "from", "or", "government", "minister",
    "said", "year", "people", "new", "market", "report", "police", "court", "company", "plans",
    "would", "could", "should", "after", "before", "during", "while", "against", "between",
    "among", "under", "over", "more", "than", "most", "many", "some", "any", "every", "million",
    "billion", "percent", "week", "month", "today", "yesterday",
)
# fmt: on


def shared_available() -> bool:
    return (SHARED / "distractor_quotes.txt").is_file() and (SHARED / "pages.jsonl").is_file()


def real_quotes() -> list[str]:
    if not shared_available():
        return []
    lines = (SHARED / "distractor_quotes.txt").read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


def real_paragraphs() -> list[str]:
    if not shared_available():
        return []
    paragraphs: list[str] = []
    with (SHARED / "pages.jsonl").open(encoding="utf-8") as pages:
        for line in pages:
            paragraphs += json.loads(line)["paragraphs"]
    return paragraphs


def foreign_paragraphs(rng: random.Random) -> list[str]:
    """Page text that shares only ordinary English with the quote database.

    Fact-check claims and their titles (CLEF CheckThat! 2020), five to a paragraph. Pages
    made of BBC text would be adversarial instead: the database's Markov sentences re-emit
    BBC phrases, so every page would hold hundreds of genuine partial matches.
    """
    if not CLAIMS.is_file():
        return []
    sentences: list[str] = []
    for line in CLAIMS.read_text(encoding="utf-8").splitlines()[1:]:
        sentences += [cell for cell in line.split("\t")[1:] if cell.strip()]
    rng.shuffle(sentences)
    return [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]


class MarkovChain:
    """Word chain of a given order stored as flat numpy arrays, sampled in bulk."""

    def __init__(self, sentences: list[str], order: int = 1) -> None:
        words: dict[str, int] = {"": _END}
        start = (_END,) * order
        states: dict[tuple[int, ...], int] = {start: 0}
        transitions: dict[int, list[tuple[int, int]]] = {}
        for sentence in sentences:
            ids = [words.setdefault(w, len(words)) for w in sentence.split()]
            previous = start
            for word in [*ids, _END]:
                state = states[previous]
                following = (*previous[1:], word)
                nxt = states.setdefault(following, len(states))
                transitions.setdefault(state, []).append((word, nxt))
                previous = following
        self.words = np.array(list(words), dtype=object)
        count = len(states)
        self.offsets = np.zeros(count + 1, dtype=np.int64)
        sizes = np.array([len(transitions.get(s, [])) for s in range(count)], dtype=np.int64)
        self.offsets[1:] = np.cumsum(sizes)
        flat = [t for s in range(count) for t in transitions.get(s, [])]
        self.next_word = np.array([w for w, _ in flat], dtype=np.int64)
        self.next_state = np.array([n for _, n in flat], dtype=np.int64)

    def sentences(self, count: int, rng: np.random.Generator, max_words: int = 60) -> list[str]:
        """``count`` sentences of 6 to ``max_words`` words."""
        out: list[str] = []
        while len(out) < count:
            batch = self._batch(min(200_000, 2 * (count - len(out)) + 100), rng, max_words)
            out += [s for s in batch if 6 <= s.count(" ") + 1 <= max_words]
        return out[:count]

    def _batch(self, size: int, rng: np.random.Generator, max_words: int) -> list[str]:
        state = np.zeros(size, dtype=np.int64)
        grid = np.zeros((size, max_words + 1), dtype=np.int64)
        alive = np.ones(size, dtype=bool)
        for step in range(max_words + 1):
            sizes = self.offsets[state + 1] - self.offsets[state]
            pick = self.offsets[state] + (rng.random(size) * np.maximum(sizes, 1)).astype(np.int64)
            pick = np.minimum(pick, len(self.next_word) - 1)
            word = np.where(alive & (sizes > 0), self.next_word[pick], _END)
            grid[:, step] = word
            alive &= word != _END
            state = np.where(alive, self.next_state[pick], 0)
        too_long = grid[:, max_words] != _END
        texts = []
        for row, drop in zip(grid, too_long, strict=True):
            if drop:
                continue
            ids = row[: int(np.argmin(row))] if row.min() == _END else row
            texts.append(" ".join(self.words[ids]))
        return texts


def fallback_sentences(rng: random.Random, count: int) -> list[str]:
    """Training text for the chain when no real text is available."""
    return [" ".join(rng.choices(_FALLBACK_WORDS, k=rng.randint(8, 30))) for _ in range(count)]


@dataclass(frozen=True)
class Corpus:
    quotes: list[str]
    paragraphs: list[str]
    """Page text for the speed runs."""
    source: str
    """Where ``paragraphs`` came from."""


def build_corpus(size: int, seed: int = 20261124) -> Corpus:
    """``size`` quotes: the real ones first, then Markov sentences; plus page paragraphs."""
    rng = random.Random(seed)
    real = real_quotes()
    # Order 1: an order-2 chain on these ~370k words mostly re-emits its training sentences,
    # so a million quotes would hold dozens of near-copies of each real one, which no real
    # note collection does (every page would show hundreds of genuine partial matches).
    chain = MarkovChain(real or fallback_sentences(rng, 5000), order=1)
    quotes = real[:size]
    if len(quotes) < size:
        quotes += chain.sentences(size - len(quotes), np.random.default_rng(seed))
    paragraphs = foreign_paragraphs(rng)
    source = "CLEF 2020 fact-check claims"
    if not paragraphs:
        other = MarkovChain(fallback_sentences(random.Random(seed + 1), 5000))
        paragraphs = other.sentences(3000, np.random.default_rng(seed + 1))
        source = "Markov text from a separate word list"
    return Corpus(quotes, paragraphs, source)


@dataclass(frozen=True)
class Planted:
    key: int
    paragraph: int
    """Index of the passage that holds the planted quote."""


def edit_quote(text: str, rng: random.Random) -> str:
    """A republication edit: case, a substituted, deleted or inserted word, or none."""
    words = text.split()
    kind = rng.choice(["exact", "case", "sub", "del", "ins", "typo"])
    i = rng.randrange(1, len(words) - 1)
    if kind == "case":
        words = [w.upper() for w in words]
    elif kind == "sub" and len(words) >= 12:
        words[i] = "revised"
    elif kind == "del" and len(words) >= 12:
        del words[i]
    elif kind == "ins":
        words.insert(i, "indeed")
    elif kind == "typo" and len(words[i]) >= 6 and words[i].isalpha():
        words[i] = words[i][:2] + words[i][3:]
    return " ".join(words)


def make_page(
    corpus: Corpus,
    words: int,
    planted: int,
    rng: random.Random,
    keys: npt.NDArray[np.int64],
    source: list[str] | None = None,
) -> tuple[list[str], list[Planted]]:
    """Paragraphs totalling about ``words`` words, with ``planted`` edited quotes inserted."""
    text = source or corpus.paragraphs
    start = rng.randrange(len(text))
    paragraphs: list[str] = []
    total = 0
    for paragraph in _cycle(text, start):
        paragraphs.append(paragraph)
        total += paragraph.count(" ") + 1
        if total >= words:
            break
    chosen = [int(k) for k in rng.sample(list(keys), planted)]
    marks: list[Planted] = []
    for key in chosen:
        at = rng.randrange(len(paragraphs) + 1)
        paragraphs.insert(at, edit_quote(corpus.quotes[key], rng))
        marks = [Planted(m.key, m.paragraph + (m.paragraph >= at)) for m in marks]
        marks.append(Planted(key, at))
    return paragraphs, marks


def _cycle(items: list[str], start: int) -> Iterator[str]:
    while True:
        yield from items[start:]
        start = 0
