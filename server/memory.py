"""Handing memory the server has freed back to the system (glibc's allocator; elsewhere a no-op).

A worker's resident memory should reflect what it holds, not the largest page it ever read:
otherwise a stream of large bodies looks like a leak and pushes real ones out of sight. Two
habits of glibc work against that. Freed heap pages stay with the process until
``malloc_trim`` is called; and after a large block is freed, glibc raises its threshold for
serving blocks from ``mmap`` (which go back to the system on ``free``), so later 2 MB bodies
come from the heap and stay. ``map_large_blocks`` fixes that threshold; ``return_freed_memory``
trims after a heavy match.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_MMAP_THRESHOLD = -3
"""glibc's ``mallopt`` parameter number for the mmap threshold."""
LARGE_BLOCK = 512 * 1024
"""Blocks from this size up are mapped on their own and unmapped when freed."""

_name = ctypes.util.find_library("c")
_libc = ctypes.CDLL(_name) if _name else None


def map_large_blocks(threshold: int = LARGE_BLOCK) -> bool:
    """Serve every block of ``threshold`` bytes or more from ``mmap``; whether it could."""
    mallopt = getattr(_libc, "mallopt", None)
    return bool(mallopt is not None and mallopt(M_MMAP_THRESHOLD, threshold) == 1)


def return_freed_memory() -> None:
    """Give the heap's free pages back to the system (``malloc_trim``). The call releases the
    GIL, so other requests go on meanwhile; it takes some 20 ms after a 2 MB page."""
    trim = getattr(_libc, "malloc_trim", None)
    if trim is not None:
        trim(0)
