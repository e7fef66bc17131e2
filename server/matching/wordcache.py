"""The analyses of words taken from notes, kept between requests and bounded by bytes.

Analysing a raw word (normalizing it, spotting glued footnote digits and Title case) is the
costly part of tokenizing. Words from quotes and publisher names recur on every page, so
their analyses are worth keeping. Words from readers' pages are never kept here: the README
promises that page text is dropped with the response, so a page's words are only memoized
for the length of one ``tokenize`` call. The cache counts the bytes it holds and forgets its
oldest entries past ``max_bytes``, so no stream of words can grow it without bound.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Hashable
from typing import Any

DEFAULT_MAX_BYTES = 16 * 1024 * 1024


def _size(key: Hashable, value: Any) -> int:
    items = value if isinstance(value, tuple) else (value,)
    return sys.getsizeof(key) + sys.getsizeof(value) + sum(sys.getsizeof(v) for v in items)


class ByteBoundedCache:
    """A dict of at most ``max_bytes`` (keys and values as ``sys.getsizeof`` counts them).

    Reads take no lock (one ``dict.get``); writes hold a lock, and the oldest entries go
    first when the bound is passed.
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._data: dict[Hashable, Any] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._data)

    @property
    def nbytes(self) -> int:
        """Bytes held now, as counted on insertion."""
        return self._bytes

    def get(self, key: Hashable) -> Any:
        return self._data.get(key)

    def put(self, key: Hashable, value: Any) -> None:
        """Keep ``value`` under ``key`` unless it is there already or alone exceeds the bound."""
        size = _size(key, value)
        if size > self.max_bytes or key in self._data:
            return
        with self._lock:
            if key in self._data:
                return
            self._data[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                oldest = next(iter(self._data))
                self._bytes -= _size(oldest, self._data.pop(oldest))

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0


NOTE_WORDS = ByteBoundedCache()
"""Analyses of raw words from quotes and names (``tokens.tokenize(..., trusted=True)``)."""
