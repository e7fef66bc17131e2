"""Import and export of notes in the three interchange formats.

An import is all or nothing: every item is validated first; any bad item fails the whole
request with one error entry per item, and nothing is written. ``dry_run`` reports what would
be created, changed or left alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from server.errors import InvalidInput, field_errors
from server.interchange import Format, bundle, claimreview, detect, webannotation
from server.schemas import BundleNoteIn, NoteIn
from server.services import note_vectors
from server.services import notes as note_service
from server.store import Database
from server.store import notes as note_store


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
        raise InvalidInput(
            f"{len(problems)} item(s) cannot be imported; nothing was written.", items=problems
        )
    return fmt, notes


def run_import(database: Database, document: Any, *, dry_run: bool, author: str) -> dict[str, Any]:
    """Import a document in one transaction (or only report, with ``dry_run``)."""
    fmt, notes = validate(document)
    result: dict[str, Any] = {
        "dry_run": dry_run,
        "format": fmt,
        "created": [],
        "updated": [],
        "unchanged": [],
    }
    with database.session() if dry_run else database.transaction() as session:
        note_store.lock_catalog(session)
        written: list[Any] = []
        for note in notes:
            assert note.id is not None
            existing = note_store.get(session, note.id)
            content = note_service.content_from(note)
            if existing is None:
                result["created"].append(note.id)
                if not dry_run:
                    written.append(_create(session, note, content, author))
            elif note_store.content_of(existing) == content:
                result["unchanged"].append(note.id)
            else:
                result["updated"].append(note.id)
                if not dry_run:
                    note_store.update_content(session, existing, content)
                    note_service.record_revision(session, existing, author, f"imported ({fmt})")
                    written.append(existing)
        if not dry_run:
            note_vectors.store(session, written)
    return result


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
    """The published notes in ``fmt``, as text chunks (streamed; one batch in memory at a time)."""

    def notes() -> Iterator[dict[str, Any]]:
        with database.session() as session:
            for note in note_store.published_in_batches(session):
                yield note_service.snapshot(note)

    if fmt == "claimreview":
        return claimreview.export(notes(), publisher)
    if fmt == "webannotation":
        return webannotation.export(notes())
    return bundle.export(notes())
