"""Sentence vectors of recent pages, keyed by a keyed hash of the sentence: never its text.

Many readers open the same page, and embedding is the tier's only real cost. The key is a
BLAKE2b digest under a random key made when the process starts, so the cache holds no text
and not even a digest anyone could test a guessed sentence against. The cache is bounded by
bytes and forgets the least recently used vector first.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict

import numpy as np

from server.semantic.embedder import DIMENSIONS, Vectors

_ENTRY_OVERHEAD = 200  # dict slot, key bytes and array header, measured roughly with sys.getsizeof


class VectorCache:
    """A thread-safe, byte-bounded LRU map from sentence to vector."""

    def __init__(self, max_bytes: int) -> None:
        self._max = max_bytes
        self._secret = os.urandom(32)
        self._entries: OrderedDict[bytes, bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @property
    def nbytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def key(self, text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), key=self._secret).digest()

    def get(self, key: bytes) -> Vectors | None:
        with self._lock:
            raw = self._entries.get(key)
            if raw is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        return np.frombuffer(raw, dtype=np.float32).reshape(DIMENSIONS)

    def put(self, key: bytes, vector: Vectors) -> None:
        raw = np.asarray(vector, dtype=np.float32).tobytes()
        size = len(raw) + len(key) + _ENTRY_OVERHEAD
        if size > self._max:
            return
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return
            self._entries[key] = raw
            self._bytes += size
            while self._bytes > self._max:
                old_key, old = self._entries.popitem(last=False)
                self._bytes -= len(old) + len(old_key) + _ENTRY_OVERHEAD
