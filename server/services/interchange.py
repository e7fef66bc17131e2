"""Import and export of notes in the three interchange formats.

Every item of an import is validated first; any bad item fails the whole request with one
error entry per item, and nothing is written. Valid imports are written in short batches (see
``run_import``). ``dry_run`` reports what would be created, changed or left alone.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from server.errors import ImportInterrupted, InvalidInput, field_errors
from server.interchange import Format, bundle, claimreview, detect, webannotation
from server.schemas import BundleNoteIn, NoteIn
from server.services import import_progress, note_vectors
from server.services import notes as note_service
from server.services.import_progress import ImportProgress
from server.store import Database
from server.store import notes as note_store

log = logging.getLogger(__name__)

EXPORT_PAGE = 500
"""Notes read per short transaction by an export."""
BATCH_NOTES = 200
"""Most notes written in one transaction of an import."""
BATCH_SECONDS = 0.3
"""Longest one import transaction runs before it commits and lets other writers in."""
SQLITE_PAUSE_SECONDS = 0.12
"""Pause between batches on SQLite: a writer waiting for the lock retries every 100 ms at
most, so a shorter gap could let the import take the lock again before it."""


def _note_dicts(document: Any, fmt: Format) -> list[Any]:
    if fmt == "bundle":
        return bundle.items(document)
    if fmt == "claimreview":
        return [claimreview.to_note(i) for i in claimreview.items(document)]
    return [webannotation.to_note(i) for i in webannotation.items(document)]


def validate(document: Any) -> tuple[Format, list[NoteIn]]:
    """The notes of a document, or a 422 listing every bad item."""
    fmt = detect(document)
    if fmt is None:
        raise InvalidInput(
            "Send a Gloss bundle, schema.org ClaimReview JSON-LD or W3C Web Annotation JSON-LD.",
            errors=[{"field": "(body)", "message": "format not recognised"}],
        )
    model = BundleNoteIn if fmt == "bundle" else NoteIn
    notes: list[NoteIn] = []
    problems: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, raw in enumerate(_note_dicts(document, fmt)):
        note_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(raw, dict) and "_error" in raw:
            problems.append(
                {
                    "index": index,
                    "id": None,
                    "errors": [{"field": "(item)", "message": raw["_error"]}],
                }
            )
            continue
        try:
            note = model.model_validate(raw)
        except ValidationError as exc:
            problems.append(
                {
                    "index": index,
                    "id": note_id if isinstance(note_id, str) else None,
                    "errors": field_errors(exc),
                }
            )
            continue
        if note.id in seen:
            problems.append(
                {
                    "index": index,
                    "id": note.id,
                    "errors": [{"field": "id", "message": "appears twice"}],
                }
            )
            continue
        seen.add(str(note.id))
        notes.append(note)
    if problems:
        import_progress.count(import_progress.DOCUMENTS, "refused", len(problems))
        raise InvalidInput(
            f"{len(problems)} item(s) cannot be imported; nothing was written.", items=problems
        )
    return fmt, notes


def run_import(database: Database, document: Any, *, dry_run: bool, author: str) -> dict[str, Any]:
    """Import a document in short batches (or only report, with ``dry_run``).

    Every item is validated before anything is written. Writing then goes batch by batch,
    each its own transaction of at most ``BATCH_NOTES`` notes or ``BATCH_SECONDS``, so the
    write lock (all of SQLite, the catalog row on PostgreSQL) is never held long: readers'
    feedback and curators' edits slip in between batches. A batch that fails rolls back alone;
    the batches before it stay, and the error names them (importing again finishes the job).
    """
    fmt, notes = validate(document)
    result: dict[str, Any] = {
        "dry_run": dry_run,
        "format": fmt,
        "created": [],
        "updated": [],
        "unchanged": [],
    }
    progress = ImportProgress(len(notes))
    start = 0
    try:
        while start < len(notes):
            try:
                start = _run_batch(database, notes, start, result, fmt, dry_run, author)
            except SQLAlchemyError:
                log.warning("import stopped by a database error after %d items", progress.done)
                raise ImportInterrupted(
                    f"The database failed after {progress.done} of {len(notes)} items; those "
                    "are written. Import the same document again to write the rest.",
                    **{k: result[k] for k in ("created", "updated", "unchanged")},
                ) from None
            finally:
                progress.done = start
            if not dry_run:
                progress.batch_committed()
            if database.is_sqlite and start < len(notes) and not dry_run:
                time.sleep(SQLITE_PAUSE_SECONDS)
    finally:
        progress.finish()
        if not dry_run:
            for outcome in ("created", "updated", "unchanged"):
                import_progress.count(import_progress.DOCUMENTS, outcome, len(result[outcome]))
    return result


def _run_batch(
    database: Database,
    notes: list[NoteIn],
    start: int,
    result: dict[str, Any],
    fmt: Format,
    dry_run: bool,
    author: str,
) -> int:
    """Import ``notes[start:]`` until the batch is full; return where the next one starts."""
    ready = {} if dry_run else _vectors_ahead(database, notes[start : start + BATCH_NOTES])
    deadline = time.monotonic() + BATCH_SECONDS
    outcome: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
    position = start
    with database.session() if dry_run else database.transaction() as session:
        if not dry_run:
            note_store.lock_catalog(session)
        written: list[Any] = []
        for note in notes[start : start + BATCH_NOTES]:
            assert note.id is not None
            existing = note_store.get(session, note.id)
            content = note_service.content_from(note)
            if existing is None:
                outcome["created"].append(note.id)
                if not dry_run:
                    written.append(_create(session, note, content, author))
            elif note_store.content_of(existing) == content:
                outcome["unchanged"].append(note.id)
            else:
                outcome["updated"].append(note.id)
                if not dry_run:
                    note_store.update_content(session, existing, content)
                    note_service.record_revision(session, existing, author, f"imported ({fmt})")
                    written.append(existing)
            position += 1
            if time.monotonic() > deadline:
                break
        note_vectors.store(session, written, ready=ready)  # made ahead, outside the lock
    for key, ids in outcome.items():  # only once the batch has committed
        result[key] += ids
    return position


def _vectors_ahead(database: Database, batch: Sequence[NoteIn]) -> dict[str, bytes]:
    """The batch's claim vectors that are not stored yet, embedded before its transaction."""
    if not note_vectors.enabled():
        return {}
    with database.session() as session:
        stored = note_vectors.stored_digests(session, [n.id for n in batch if n.id])
    texts = []
    for note in batch:
        content = note_service.content_from(note)
        quotes = content.get("quotes") or []
        for text in note_vectors.claim_texts(
            content["kind"], content.get("reworded", True), quotes
        ):
            if note_vectors.digest(text) not in stored:
                texts.append(text)
    return note_vectors.embed_ahead(texts)


def _create(session: Any, note: NoteIn, content: dict[str, Any], author: str) -> Any:
    assert note.id is not None
    extra: dict[str, Any] = {}
    if isinstance(note, BundleNoteIn):
        extra = {
            "created_at": note.created_at,
            "updated_at": note.updated_at,
            "version": note.version or 1,
        }
    created = note_store.create(session, note.id, content, **extra)
    note_service.record_revision(session, created, author, "imported")
    return created


def export(database: Database, fmt: Format, publisher: str) -> Iterator[str]:
    """The published notes in ``fmt``, as text chunks (streamed; one page in memory at a time).

    Each page is read in a short transaction of its own, so a slow consumer never holds a
    read transaction open (which would pin SQLite's WAL).
    """

    def notes() -> Iterator[dict[str, Any]]:
        after = ""
        while True:
            with database.session() as session:
                page = note_store.published_page(session, after=after, limit=EXPORT_PAGE)
                dumped = [note_service.snapshot(note) for note in page]
            yield from dumped
            if len(dumped) < EXPORT_PAGE:
                return
            after = dumped[-1]["id"]

    if fmt == "claimreview":
        return claimreview.export(notes(), publisher)
    if fmt == "webannotation":
        return webannotation.export(notes())
    return bundle.export(notes())
