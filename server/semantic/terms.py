"""Content terms of a text: what the cheap candidate stage compares.

Normalized words (the quote tier's tokenizer), without function words, with a plural "s"
folded, so "vaccines" on a page meets "vaccine" in a claim.
"""

from __future__ import annotations

from collections.abc import Iterable

from server.matching.tokens import analyze_word, simple_parts, tokenize

# fmt: off
STOPWORDS = frozenset((
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few",
    "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers",
    "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "me",
    "more", "most", "my", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
    "out", "over", "own", "s", "same", "she", "should", "so", "some", "such", "t", "than",
    "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this",
    "those", "through", "to", "too", "under", "until", "up", "very", "was", "we", "were",
    "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would",
    "you", "your", "yours", "said", "says", "say", "one", "new", "like", "get", "got", "just",
    "http", "https", "www", "com", "pic", "twitter", "rt", "amp", "via", "co",
))
# fmt: on


def _fold(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def terms(text: str) -> frozenset[str]:
    """The distinct content terms of ``text``. Not cached: page text must not outlive its
    request (claims' terms are computed once, when the index learns them)."""
    return content_terms(tokenize(text).words)


def content_terms(words: Iterable[str]) -> frozenset[str]:
    """The content terms among already normalized words (a page passage is tokenized once
    and its sentences take their words from it)."""
    return frozenset(_fold(word) for word in words if len(word) > 1 and word not in STOPWORDS)


def terms_of_many(texts: Iterable[str]) -> list[frozenset[str]]:
    """``terms`` of each of many trusted texts (claims, when a worker starts), with the work
    per distinct raw word done once: 100k claims hold far fewer distinct words than words,
    and tokenizing each claim in full was most of a worker's start-up with the tier.

    A text with brackets or a hyphenated line break goes through ``tokenize``, which drops
    reference markers there; in any other text every word ``tokenize`` keeps is a raw token.
    """
    memo: dict[str, str | None] = {}
    found: list[frozenset[str]] = []
    for text in texts:
        parts = simple_parts(text)
        if parts is None:
            found.append(terms(text))
            continue
        kept: set[str] = set()
        for raw in parts[1::2]:
            if raw not in memo:
                memo[raw] = _term(analyze_word(raw)[0])
            term = memo[raw]
            if term is not None:
                kept.add(term)
        found.append(frozenset(kept))
    return found


def _term(word: str) -> str | None:
    return _fold(word) if len(word) > 1 and word not in STOPWORDS else None
