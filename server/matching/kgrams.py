"""Word k-gram hashes, computed with numpy over whole arrays of word ids.

A k-gram hash is a polynomial over the ids modulo 2**64, of which the top 32 bits are kept:
postings stay at four bytes a hash, and a collision only costs a wasted verification,
never a wrong match, because every candidate is aligned word by word.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

IdArray = npt.NDArray[np.int64]
HashArray = npt.NDArray[np.uint32]

_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)

K_SIZES = (3, 4, 5)
"""Gram sizes in use; each quote is indexed with one of them (see ``gram_size``)."""


def gram_size(length: int) -> int:
    """k for a quote of ``length`` words: short quotes need short grams to survive an edit.

    One edit destroys every gram that overlaps it, so a quote with e edits keeps an intact
    gram only if some stretch of k words between edits is untouched. Measured on the
    republished-BBC set: 3 for quotes under 12 words, 4 under 24, 5 above.
    """
    if length < 12:
        return 3
    if length < 24:
        return 4
    return 5


def gram_sizes(lengths: IdArray) -> IdArray:
    """``gram_size`` of many quote lengths at once."""
    sizes: IdArray = np.where(lengths < 12, 3, np.where(lengths < 24, 4, 5)).astype(np.int64)
    return sizes


def min_hits(k: int) -> int:
    """Gram hits on one diagonal needed before a candidate is verified.

    Three-word grams ("one of the") are common, so they need two hits; longer grams one.
    """
    return 1


def gram_hashes(ids: IdArray, k: int) -> HashArray:
    """Hash of every k-gram of ``ids``: element i covers ``ids[i:i + k]``."""
    count = len(ids) - k + 1
    if count <= 0:
        return np.empty(0, dtype=np.uint32)
    values = ids.astype(np.uint64) + np.uint64(1)
    hashes = values[:count].copy()
    for j in range(1, k):
        hashes *= _MULTIPLIER
        hashes += values[j : j + count]
    hashes *= _MULTIPLIER
    return (hashes >> np.uint64(32)).astype(np.uint32)


def unknown_free(ids: IdArray, k: int) -> npt.NDArray[np.bool_]:
    """For each k-gram of ``ids``, whether it avoids unknown (negative) words."""
    count = len(ids) - k + 1
    if count <= 0:
        return np.zeros(0, dtype=bool)
    bad = np.concatenate(([0], np.cumsum(ids < 0)))
    return bool_array(bad[k : k + count] - bad[:count] == 0)


def bool_array(values: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Identity that pins numpy's comparison result type for mypy."""
    return values
