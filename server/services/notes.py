"""Writing notes: create, upsert from curated files, and the revision kept for every change."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.errors import Conflict, InvalidInput, NotFound, PreconditionFailed, PreconditionRequired
from server.schemas import NoteFields, NoteIn, NoteOut, parse
from server.store import notes as note_store
from server.store import revisions as revision_store
from server.store.models import Note, NoteRevision, utcnow

Outcome = Literal["created", "updated", "unchanged"]


def content_from(data: NoteFields) -> dict[str, Any]:
    """The storable fields of a validated note."""
    dumped = data.model_dump(mode="json")
    return {name: dumped[name] for name in note_store.CONTENT_FIELDS}


def to_out(note: Note) -> NoteOut:
    return NoteOut.model_validate(note, from_attributes=True)


def snapshot(note: Note) -> dict[str, Any]:
    return to_out(note).model_dump(mode="json")


def record_revision(session: Session, note: Note, author: str, summary: str) -> NoteRevision:
    """Keep a full snapshot of the note as it is now; numbered from 1 per note."""
    last = session.execute(
        select(func.max(NoteRevision.number)).where(NoteRevision.note_id == note.id)
    ).scalar()
    revision = NoteRevision(
        note_id=note.id,
        number=(last or 0) + 1,
        snapshot=snapshot(note),
        author=author,
        summary=summary[:300],
        created_at=utcnow(),
    )
    session.add(revision)
    session.flush()
    return revision


def slugify(title: str) -> str:
    """A stable id from a title: ASCII letters and digits joined by hyphens."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:72].strip("-")
    return slug if len(slug) >= 3 else f"note-{slug}".strip("-")


def free_id(session: Session, base: str) -> str:
    """``base``, or ``base-2``, ``base-3`` … whichever is not taken yet."""
    candidate, n = base, 1
    while note_store.get(session, candidate) is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def create(session: Session, note_id: str, data: NoteIn, author: str) -> Note:
    """Insert a note that does not exist yet (the caller checked) and record revision 1."""
    note = note_store.create(session, note_id, content_from(data))
    record_revision(session, note, author, "created")
    return note


def upsert(session: Session, data: NoteIn, author: str) -> Outcome:
    """Create or update a note by id; a note whose content is unchanged is left alone."""
    assert data.id is not None, "upsert needs an id"
    note = note_store.get(session, data.id)
    if note is None:
        create(session, data.id, data, author)
        return "created"
    if not note_store.update_content(session, note, content_from(data)):
        return "unchanged"
    record_revision(session, note, author, "updated from file")
    return "updated"


def _check_if_match(note: Note, if_match: str | None) -> None:
    """The precondition of every edit: the client saw the version it is changing."""
    if if_match is None:
        raise PreconditionRequired("Send If-Match with the ETag of the version you edit.")
    tags = [t.strip() for t in if_match.split(",")]
    if "*" not in tags and etag(note) not in {_version_tag(t) for t in tags}:
        raise PreconditionFailed(
            f"The note is at version {note.version}; reload it and apply your change again.",
            current_version=note.version,
        )


def etag(note: Note, feedback_total: int = 0) -> str:
    """The note's version; for curators also how many votes they see (``"v3.f12"``).

    Curators' representation carries feedback counts, so a new vote must change their ETag or
    a conditional GET would keep showing old counts. Votes never change what an edit's
    ``If-Match`` compares: the version alone.
    """
    if feedback_total:
        return f'"v{note.version}.f{feedback_total}"'
    return f'"v{note.version}"'


def _version_tag(tag: str) -> str:
    """The version part of an entity tag a client sent: ``"v3.f12"`` → ``"v3"``."""
    return tag.split(".", 1)[0] + '"' if tag.endswith('"') and "." in tag else tag


def _editable(note: Note) -> dict[str, Any]:
    return {
        "kind": note.kind,
        "title": note.title,
        "summary": note.summary,
        "body": note.body,
        "rating": note.rating,
        "quotes": list(note.quotes),
        "domains": list(note.domains),
        "aliases": list(note.aliases),
        "sources": [dict(s) for s in note.sources],
        "status": note.status,
        "provenance": note.provenance,
        "reliability": note.reliability,
        "ratings": list(note.ratings or []),
    }


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7396 JSON merge patch."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _locked_note(session: Session, note_id: str) -> Note:
    note_store.lock_catalog(session)  # serializes writers, so the version check below holds
    note = note_store.get(session, note_id)
    if note is None:
        raise NotFound(f"No note has the id {note_id!r}.")
    return note


def _apply(session: Session, note: Note, content: dict[str, Any], author: str, why: str) -> None:
    data = parse(NoteFields, content)
    if note_store.update_content(session, note, content_from(data)):
        record_revision(session, note, author, why)


def create_new(session: Session, data: NoteIn, author: str) -> Note:
    """``POST /v1/notes``: a new note; the id comes from the title unless given (409 if taken)."""
    note_store.lock_catalog(session)
    if data.id is not None:
        if note_store.get(session, data.id) is not None:
            raise Conflict(f"A note with the id {data.id!r} exists already.")
        note_id = data.id
    else:
        note_id = free_id(session, slugify(data.title))
    return create(session, note_id, data, author)


def patch_note(
    session: Session, note_id: str, patch: Any, if_match: str | None, author: str
) -> Note:
    """``PATCH``: a merge patch applied to the version the client saw, or 412."""
    if not isinstance(patch, dict):
        raise InvalidInput(
            "A merge patch is a JSON object.",
            errors=[{"field": "(body)", "message": "must be an object"}],
        )
    fixed = [k for k in ("id", "version", "created_at", "updated_at") if k in patch]
    if fixed:
        raise InvalidInput(
            "Some fields cannot be changed.",
            errors=[{"field": k, "message": "cannot be changed"} for k in fixed],
        )
    note = _locked_note(session, note_id)
    _check_if_match(note, if_match)
    changed = ", ".join(sorted(patch)) or "nothing"
    _apply(session, note, merge_patch(_editable(note), patch), author, f"edited {changed}")
    return note


def retire(session: Session, note_id: str, if_match: str | None, author: str) -> None:
    """``DELETE``: the note stops matching and stays, with its history, for curators."""
    note = _locked_note(session, note_id)
    if if_match is not None:
        _check_if_match(note, if_match)
    _apply(session, note, _editable(note) | {"status": "retired"}, author, "retired")


def purge(session: Session, note_id: str) -> None:
    """``DELETE ?purge=true``: gone for good, with its history and feedback."""
    note = _locked_note(session, note_id)
    revision_store.delete_for(session, note_id)
    note_store.purge(session, note)


def restore(session: Session, note_id: str, number: int, if_match: str | None, author: str) -> Note:
    """Bring back the content of revision ``number``, as a new revision."""
    note = _locked_note(session, note_id)
    if if_match is not None:
        _check_if_match(note, if_match)
    revision = revision_store.get(session, note_id, number)
    if revision is None:
        raise NotFound(f"Note {note_id!r} has no revision {number}.")
    content = {
        k: revision.snapshot.get(k, note_store.CONTENT_DEFAULTS.get(k))
        for k in note_store.CONTENT_FIELDS
    }
    _apply(session, note, content, author, f"restored revision {number}")
    return note
