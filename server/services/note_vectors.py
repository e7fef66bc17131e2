"""Each claim note's stored vectors, kept in step with its claim texts on every write.

A worker that starts with 100k claim notes reads their vectors instead of embedding 100k
sentences, so vectors are made when a note is written (API, ``gloss load``, import) in the
writer's transaction. A vector is reused while its text's SHA-256 and the model are the
same; ``gloss reembed`` replaces every vector after a model change. With the tier turned off
(``GLOSS_REWORDED=false``) nothing is embedded and the model is never loaded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence

import numpy as np
from sqlalchemy.orm import Session

from server.config import Settings
from server.semantic import DIMENSIONS, Embedder, shared_embedder
from server.store import vectors as vector_store
from server.store.models import Note
from server.store.vectors import StoredVector

_enabled: bool | None = None
VECTOR_BYTES = 2 * DIMENSIONS


def configure(enabled: bool) -> None:
    """Turn vector writes on or off for this process (``create_app`` passes its setting)."""
    global _enabled
    _enabled = enabled


def enabled() -> bool:
    return Settings.from_env().reworded if _enabled is None else _enabled


def claim_texts(kind: str, reworded: bool, quotes: Sequence[str]) -> list[str]:
    """The texts of a note that take part in the reworded tier: a claim's quotes, if it opts in."""
    return list(quotes) if kind == "claim" and reworded else []


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def to_bytes(vector: np.ndarray) -> bytes:
    """Stored as little-endian float16: half the bytes, no loss that matters for a cosine."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_many(raws: Sequence[bytes]) -> np.ndarray:
    """Many stored vectors as one float16 matrix, decoded at once (a worker reads 100k)."""
    if any(len(raw) != VECTOR_BYTES for raw in raws):
        raise ValueError(f"a stored vector is not {VECTOR_BYTES} bytes")
    return np.frombuffer(b"".join(raws), dtype="<f2").reshape(len(raws), DIMENSIONS)


def stored_digests(session: Session, note_ids: Sequence[str]) -> set[str]:
    """Which claim texts of these notes already have a vector of the installed model."""
    model = shared_embedder().model
    return vector_store.digests_of(session, note_ids, (model.name, model.version))


def embed_ahead(texts: Sequence[str], embedder: Embedder | None = None) -> dict[str, bytes]:
    """Vectors of ``texts`` by SHA-256, made before a write transaction opens, so that a batch
    write (an import) never holds the database's write lock while the model runs."""
    if not texts or not enabled():
        return {}
    embedder = embedder or shared_embedder()
    unique = {digest(text): text for text in texts}
    vectors = embedder.embed(list(unique.values()))
    return {sha: to_bytes(v) for sha, v in zip(unique, vectors, strict=True)}


def store(
    session: Session,
    notes: Sequence[Note],
    embedder: Embedder | None = None,
    ready: Mapping[str, bytes] | None = None,
) -> int:
    """Bring the stored vectors of ``notes`` up to date; returns how many texts were embedded.

    ``ready`` holds vectors made ahead (``embed_ahead``), by their text's SHA-256."""
    if not notes or not enabled():
        return 0
    ready = ready or {}
    embedder = embedder or shared_embedder()
    model = (embedder.model.name, embedder.model.version)
    plans: list[tuple[str, list[str], dict[int, StoredVector]]] = []
    missing: list[str] = []
    for note in notes:
        texts = claim_texts(note.kind, note.reworded, note.quotes)
        existing = vector_store.of_note(session, note.id, model) if texts else {}
        plans.append((note.id, texts, existing))
        for number, text in enumerate(texts):
            kept = existing.get(number)
            sha = digest(text)
            if (kept is None or kept.text_sha256 != sha) and sha not in ready:
                missing.append(text)
    fresh = iter(embedder.embed(missing)) if missing else iter(())
    for note_id, texts, existing in plans:
        rows = []
        for number, text in enumerate(texts):
            sha = digest(text)
            kept = existing.get(number)
            if kept and kept.text_sha256 == sha:
                raw = kept.vector
            else:
                raw = ready[sha] if sha in ready else to_bytes(next(fresh))
            rows.append(StoredVector(number, sha, raw))
        vector_store.replace(session, note_id, model, rows)
    return len(missing)


def reembed(
    session_factory: Callable[[], object],
    embedder: Embedder | None = None,
    batch: int = 200,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Make every note's vectors with the installed model; one transaction per batch."""
    embedder = embedder or shared_embedder()
    done, after = 0, ""
    while True:
        with session_factory() as session:  # type: ignore[attr-defined]
            ids = vector_store.note_ids(session, after, batch)
            if not ids:
                return done
            notes = [session.get(Note, note_id) for note_id in ids]
            for note in notes:
                assert note is not None
                vector_store.delete_for(session, note.id)
            session.flush()
            done += store(session, [n for n in notes if n is not None], embedder)
        after = ids[-1]
        if progress:
            progress(len(ids))
