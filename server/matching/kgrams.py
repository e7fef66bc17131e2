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
"""Gram sizes in use; each quote is indexed with one of them (see ``gram_sizes``)."""


def gram_sizes(lengths: IdArray) -> IdArray:
    """k per quote length: 3 under 12 words, 4 under 24, 5 above.

    One edit destroys every gram that overlaps it, so a quote keeps an intact gram only if
    some k words between edits are untouched: an accepted 10-word quote may have one edit
    (runs of 4 and 5), a 20-word one three (runs of about 4). Five-word grams keep the
    posting lists of long quotes short (the research prototype measured k = 5 fastest at
    scale with the same quality as k = 4).
    """
    sizes: IdArray = np.where(lengths < 12, 3, np.where(lengths < 24, 4, 5)).astype(np.int64)
    return sizes


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
    free: npt.NDArray[np.bool_] = bad[k : k + count] - bad[:count] == 0
    return free
