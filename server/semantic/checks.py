"""Acceptance checks a careful matcher adds to a similarity score.

Sentence vectors place "37 civilians were killed" next to a claim about 59, and "X did Y"
next to "X did not do Y": the words that make a claim true or false weigh little in a
vector. So a pair whose similarity passes the threshold is still rejected when the two
texts disagree on a number, on who the claim is about, or on negation. Each check only
rejects on evidence of disagreement: a page sentence that leaves a number or a name out
can still say what the claim says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from server.matching.tokens import NAME, NUMBER, tokenize

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
    """Numbers, capitalised names and whether the text is negated (an odd count of cues)."""
    numbers = frozenset(_number(m) for m in _NUMBER.findall(text))
    tokens = tokenize(text)
    # A capitalised first word of a sentence is as often an ordinary word ("Floods", "Mayor")
    # as a name, so only capitals inside a sentence count.
    names = frozenset(
        word
        for word, kind, start in zip(tokens.words, tokens.kinds, tokens.starts, strict=True)
        if kind & NAME
        and not kind & NUMBER
        and word not in _NOT_NAMES
        and len(word) > 1
        and not _SENTENCE_START.search(text, 0, start)
    )
    folded = _CONTRACTION.sub(r"\1nt", text.lower().replace("can't", "cannot"))
    folded = _NOT_ONLY.sub(" ", folded)
    cues = sum(1 for word in re.findall(r"[a-z]+", folded) if word in _NEGATIONS)
    return Facts(numbers, names, cues % 2 == 1)


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
    if a.names and b.names and not (a.names & b.names):
        return "names"
    if a.negated != b.negated:
        return "negation"
    return None
