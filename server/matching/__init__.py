"""Gloss matching engine: find curated quotes and publisher names in page passages.

Pure Python over plain data (no Flask, no database). Quotes and pages are compared as
normalized word tokens whose spans point into the original text; a word k-gram index finds
candidates and rapidfuzz aligns them.

Acceptance rule (chosen on the republished-BBC set; README.md has the measurements): a
stretch of page words is a match when its Indel similarity to the quote's words is >= 85 and
it holds >= 80% of the quote's words (every word for quotes under 10 words), no number or
name is swapped for another, and parenthetical words may be left out on either side. A
stretch holding >= max(8, n/2) of the quote's words at >= 90% density is reported as
``partial``. Quotes need >= 6 words (``quote_problem``).
"""

from server.matching.aliases import AliasIndex
from server.matching.anchor import anchor_quote
from server.matching.brute import brute_force_match
from server.matching.index import QuoteIndex
from server.matching.quotes import quote_problem
from server.matching.types import Mention, Passage, QuoteMatch, Span

__all__ = [
    "AliasIndex",
    "Mention",
    "Passage",
    "QuoteIndex",
    "QuoteMatch",
    "Span",
    "anchor_quote",
    "brute_force_match",
    "quote_problem",
]
