"""The reworded tier: claim notes matched by what a page says, not by its exact words.

Pure matching parts (no Flask, no database): ``sentences`` (page units), ``terms`` and
``index`` (the cheap candidate stage and the claim vectors), ``embedder`` (the model),
``cache`` (sentence vectors by keyed hash), ``checks`` (numbers, names, negation),
``calibration`` (threshold and score, chosen on CLEF 2020 train/dev) and ``tier`` (the
matcher). ``server.services.note_vectors`` stores note vectors; ``server.services.catalog``
runs the tier beside the quote tier.
"""

from __future__ import annotations

from functools import lru_cache

from server.semantic.cache import VectorCache
from server.semantic.embedder import DIMENSIONS, Embedder, ModelId, Vectors
from server.semantic.index import ClaimIndex
from server.semantic.tier import RewordedFound, RewordedMatch, Settings, match

__all__ = [
    "DIMENSIONS",
    "ClaimIndex",
    "Embedder",
    "ModelId",
    "RewordedFound",
    "RewordedMatch",
    "Settings",
    "VectorCache",
    "Vectors",
    "match",
    "shared_embedder",
]


@lru_cache(maxsize=1)
def shared_embedder() -> Embedder:
    """The process's one model session (it loads on first use, about a second)."""
    return Embedder()
