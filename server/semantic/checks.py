"""Acceptance checks a careful matcher adds to a similarity score.

Sentence vectors place "37 civilians were killed" next to a claim about 59, and "X did Y"
next to "X did not do Y": the words that make a claim true or false weigh little in a
vector. So a pair whose similarity passes the threshold is still rejected when the two
texts disagree on a number, on who the claim is about, or on negation. Each check only
rejects on evidence of disagreement about the same thing: a page sentence that leaves a
number or a name out, names someone the claim does not mention, or denies a claim in words
of its own can still be about what the claim says (on CLEF 2020 train/dev, checks that
rejected any two disjoint sets of names, or a negation on one side only, turned away 256
of 951 right pairs above cosine 0.6; see ``calibration``).

- Numbers: both state amounts (or both years) and share none.
- Names: a name stands in the same place as a different name on the other side ("Mayor
  Lund closed" against "Mayor Holm closed"): a word beside it is the same, the name is not,
  and the other side never mentions it.
- Negation: one side only is negated, and the two are otherwise parallel: the content words
  of the shorter one nearly all appear in the longer one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from server.matching.tokens import NAME, NUMBER, tokenize
from server.semantic.terms import STOPWORDS, content_terms

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\W*)\s*[\"'“‘(\[]*$")
_NEGATIONS = frozenset(
    (
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere",
        "without", "cannot", "didnt", "doesnt", "dont", "isnt", "wasnt", "arent", "werent",
        "wont", "cant", "couldnt", "shouldnt", "wouldnt", "hasnt", "havent", "hadnt", "aint",
    )
)  # fmt: skip
# "not only … but" and "no doubt" affirm.
_NOT_ONLY = re.compile(r"\bnot only\b|\bno doubt\b|\bnothing but\b")
_CONTRACTION = re.compile(r"(\w+)n['’]t\b", re.IGNORECASE)
# Words too common to mark the place of a name ("the", "of") or to make statements parallel.
_FILLERS = STOPWORDS | {"did", "do", "does", "done"}
PARALLEL = 0.6
# Capitalised words that are not names of who or what a claim is about.
_NOT_NAMES = frozenset(
    (
        "i", "breaking", "video", "photo", "watch", "news", "report", "says", "said", "new",
        "rt", "via", "http", "https", "www", "com", "pic", "twitter", "january", "february",
        "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
        "saturday", "sunday", "mr", "mrs", "ms", "dr", "president", "governor", "senator",
    )
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Facts:
    """The parts of a text a matching claim must not contradict."""

    numbers: frozenset[str]
    names: frozenset[str]
    negated: bool
    slots: frozenset[tuple[str, str]] = frozenset()
    """(neighbour, name) pairs: a name with an ordinary word right before or after it."""
    stems: frozenset[str] = frozenset()
    """Content words cut to their first letters: what "parallel statements" compares."""
    folded: str = ""
    """Lower-case letters and digits only: where a name is looked for on the other side."""


def _is_year(number: str) -> bool:
    return len(number) == 4 and number.isdigit() and 1800 <= int(number) <= 2100


def _quantities(numbers: frozenset[str]) -> frozenset[str]:
    """Numbers that state an amount: not years, not single digits (Air Force 1, 9/11)."""
    return frozenset(n for n in numbers if not _is_year(n) and not (n.isdigit() and len(n) == 1))


def _years(numbers: frozenset[str]) -> frozenset[str]:
    return frozenset(n for n in numbers if _is_year(n))


def _number(raw: str) -> str:
    """ "2,000" and "2000" alike; "2.5" kept; trailing ".0" dropped."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")
    raw = raw.replace(",", ".")
    if "." in raw:
        raw = raw.rstrip("0").rstrip(".")
    return raw.lstrip("0") or "0"


def facts(text: str) -> Facts:
    """Numbers, capitalised names (with the words beside them) and whether the text is
    negated (an odd count of cues)."""
    numbers = frozenset(_number(m) for m in _NUMBER.findall(text))
    tokens = tokenize(text)
    # A capitalised first word of a sentence is as often an ordinary word ("Floods", "Mayor")
    # as a name, so only capitals inside a sentence count.
    is_name = [
        bool(kind & NAME)
        and not kind & NUMBER
        and word not in _NOT_NAMES
        and len(word) > 1
        and not _SENTENCE_START.search(text, 0, start)
        for word, kind, start in zip(tokens.words, tokens.kinds, tokens.starts, strict=True)
    ]
    words = tokens.words
    names = frozenset(w for w, name in zip(words, is_name, strict=True) if name)
    slots: set[tuple[str, str]] = set()
    for i, word in enumerate(words):
        if not is_name[i]:
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(words) and not is_name[j] and words[j] not in _FILLERS:
                slots.add((f"{'<' if j < i else '>'}{words[j]}", word))
    folded = _CONTRACTION.sub(r"\1nt", text.lower().replace("can't", "cannot"))
    folded = _NOT_ONLY.sub(" ", folded)
    lowered = re.findall(r"[a-z]+", folded)
    cues = sum(1 for word in lowered if word in _NEGATIONS)
    stems = frozenset(
        w[:5] for w in content_terms(words) if w not in _NEGATIONS and w not in _FILLERS
    )
    return Facts(
        numbers,
        names,
        cues % 2 == 1,
        frozenset(slots),
        stems,
        "".join(re.findall(r"[a-z0-9]+", text.lower())),
    )


@lru_cache(maxsize=65_536)
def _claim_facts(claim: str) -> Facts:
    """A note's claim's facts, cached: claims are the curators' text and recur on every page;
    a page sentence's facts are never cached, so no reader's text outlives its request."""
    return facts(claim)


def disagreement(claim: str, sentence: str) -> str | None:
    """Why a claim and a page sentence cannot say the same thing, or None if nothing shows it."""
    a, b = _claim_facts(claim), facts(sentence)
    for kind in (_quantities, _years):
        claim_numbers, page_numbers = kind(a.numbers), kind(b.numbers)
        if claim_numbers and page_numbers and not (claim_numbers & page_numbers):
            return "numbers"
    if _swapped_name(a, b) or _swapped_name(b, a):
        return "names"
    if a.negated != b.negated and _parallel(a, b):
        return "negation"
    return None


def _swapped_name(one: Facts, other: Facts) -> bool:
    """A name of ``one`` stands where ``other`` has a different name that ``one`` never
    mentions, and ``other`` never mentions ``one``'s name either."""
    places = {place: name for place, name in other.slots}
    return any(
        place in places
        and places[place] != name
        and name not in other.folded
        and places[place] not in one.folded
        for place, name in one.slots
    )


def _parallel(a: Facts, b: Facts) -> bool:
    """Nearly every content word of the shorter text is in the longer one."""
    short, long = (a.stems, b.stems) if len(a.stems) <= len(b.stems) else (b.stems, a.stems)
    return bool(short) and len(short & long) >= PARALLEL * len(short)
