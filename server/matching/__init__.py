"""Gloss matching engine: find curated quotes and publisher names in page passages.

Pure Python over plain data (no Flask, no database). See README.md in this folder for the
acceptance rule, how its thresholds were chosen, and the design of the index.
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
