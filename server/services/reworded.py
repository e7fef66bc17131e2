"""Each worker's reworded tier: claim vectors in memory, kept in step with the catalog.

The catalog (``server.services.catalog``) tells it which notes were published, changed or
removed, with the vectors stored beside them; notes whose stored vectors are missing or were
made by another model are embedded here, once, and a warning suggests ``gloss reembed``.
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from server import semantic
from server.matching import Passage
from server.matching.budget import Budget
from server.matching.page import Page
from server.semantic import ClaimIndex, Embedder, RewordedFound, VectorCache
from server.services import note_vectors
from server.store import vectors as vector_store
from server.store.models import Note
from server.store.vectors import StoredVector

log = logging.getLogger(__name__)

EMBED_AT_LEARN = 64
"""At most this many claim texts are embedded while the index learns (about a second here,
under the catalog lock); more than that is left to `gloss reembed`."""


@dataclass
class _Pending:
    note_id: str
    texts: list[str]
    vectors: list[bytes | None] = field(default_factory=list)
    """Stored form (``note_vectors.to_bytes``): decoded all at once by ``learn``."""


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a worker learns 100k claims: they make hundreds
    of thousands of objects and no cycles, and each full pass the allocations set off walks
    every object of the catalog to find nothing (about half of learning 100k claims here).
    Left paused if someone else had paused it."""
    paused = not gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if not paused:
            gc.enable()


class RewordedTier:
    """Claim rows of the published claim notes that opt in; shares the catalog's lock."""

    def __init__(
        self,
        lock: threading.RLock,
        cache_bytes: int,
        embedder: Embedder | None = None,
        settings: semantic.Settings | None = None,
    ) -> None:
        self._lock = lock
        self._embedder = embedder or semantic.shared_embedder()
        self._cache = VectorCache(cache_bytes)
        self._settings = settings or semantic.Settings()
        self._index = ClaimIndex()

    @property
    def rows(self) -> int:
        return len(self._index)

    @property
    def vector_bytes(self) -> int:
        return self._index.nbytes

    def reset(self) -> None:
        self._index = ClaimIndex()

    def forget(self, note_id: str) -> None:
        self._index.remove(note_id)

    def stored_since(self, session: Session, generation: int) -> dict[str, dict[int, StoredVector]]:
        """Stored vectors of this model for the notes written after ``generation``."""
        model = self._embedder.model
        found: dict[str, dict[int, StoredVector]] = {}
        for note_id, vector in vector_store.changed_since(
            session, generation, (model.name, model.version)
        ):
            found.setdefault(note_id, {})[vector.number] = vector
        return found

    def learn(self, notes: Iterable[Note], stored: dict[str, dict[int, StoredVector]]) -> None:
        """Index published notes' claim texts, embedding those without a usable stored vector."""
        with _collector_paused():
            self._learn(notes, stored)

    def _learn(self, notes: Iterable[Note], stored: dict[str, dict[int, StoredVector]]) -> None:
        pending: list[_Pending] = []
        missing: list[tuple[_Pending, int, str]] = []
        for note in notes:
            texts = note_vectors.claim_texts(note.kind, note.reworded, note.quotes)
            if not texts:
                continue
            entry = _Pending(note.id, texts)
            have = stored.get(note.id, {})
            for number, text in enumerate(texts):
                kept = have.get(number)
                if kept is not None and kept.text_sha256 == note_vectors.digest(text):
                    entry.vectors.append(kept.vector)
                else:
                    entry.vectors.append(None)
                    missing.append((entry, number, text))
            pending.append(entry)
        if len(missing) > EMBED_AT_LEARN:
            # A bulk write (an open-data import, a restore) left many claims without vectors:
            # embedding them here would hold the catalog lock for minutes. Those notes keep the
            # quote tier only until `gloss reembed` stores their vectors.
            log.warning(
                "%d claim texts have no stored vectors; run `gloss reembed` to match them by "
                "meaning (workers read stored vectors when they start)",
                len(missing),
            )
            skipped = {id(entry) for entry, _, _ in missing}
            pending = [entry for entry in pending if id(entry) not in skipped]
            missing = []
        if missing:
            log.warning(
                "embedding %d claim texts without stored vectors; `gloss reembed` stores them",
                len(missing),
            )
            for (entry, number, _), vector in zip(
                missing, self._embedder.embed([t for _, _, t in missing]), strict=True
            ):
                entry.vectors[number] = note_vectors.to_bytes(vector)
        if not pending:
            return
        raws = [raw for entry in pending for raw in entry.vectors]
        self._index.add_many(
            [(entry.note_id, entry.texts) for entry in pending],
            note_vectors.from_many(raws),  # type: ignore[arg-type]
        )

    def match(
        self,
        passages: Sequence[Passage],
        exclude: Iterable[str],
        budget: Budget | None = None,
        page: Page | None = None,
    ) -> RewordedFound:
        """Reworded matches, best first, and how many sentences were left unread; the index is
        locked only while candidates are copied."""
        return semantic.match(
            passages,
            self._index,
            self._embedder,
            self._cache,
            self._settings,
            exclude=exclude,
            lock=self._lock,
            budget=budget,
            page=page,
        )
