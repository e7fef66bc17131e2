"""Writing a source's entries as notes, safely repeatable.

- The same entry always maps to the same note id. Unchanged entries write nothing; changed
  ones become a new revision authored ``import:<source>``; notes whose entry left the source
  are retired (never deleted); a note a person edited since this importer last wrote it is
  left as it is and reported as a conflict.
- Entries are written in batches, one transaction each. A failure rolls back its batch only
  and stops the import; what earlier batches wrote stays, and running again resumes (those
  entries are then unchanged). Retiring runs only after every batch succeeded, so a partial
  run never retires what it did not get to.
- A dry run does the same work in transactions that are rolled back.

Memory stays bounded by the batch size plus one note id per entry seen (to find the gone).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from server.errors import field_errors
from server.importers.entries import Entry, NoteEntry, RatingEntry, Refused
from server.importers.ratings import RatingPlan
from server.importers.report import Report
from server.schemas import NoteFields
from server.services.notes import content_from
from server.store import Database
from server.store import imports as import_store
from server.store import notes as note_store
from server.store.models import Note, utcnow

BATCH_SIZE = 500


class ImportFailed(Exception):
    """A batch failed and was rolled back; ``report`` holds what earlier batches wrote."""

    def __init__(self, report: Report, cause: BaseException) -> None:
        super().__init__(f"batch {report.batches + 1} failed and was rolled back: {cause}")
        self.report = report


@dataclass(frozen=True)
class Plan:
    """Who an import writes as, and which notes it owns."""

    source: str  # the importer's name: wikipedia-rsp, domain-ratings, claimreview-feed
    import_source: str  # the notes it owns (a rating set is its own owner)
    rating_set: str | None = None

    @property
    def author(self) -> str:
        return f"{import_store.IMPORT_AUTHOR_PREFIX}{self.source}"


Progress = Callable[[int], None]
Prepared = tuple[NoteEntry | RatingEntry, dict[str, Any] | None]


def run(
    database: Database,
    plan: Plan,
    entries: Iterable[Entry],
    *,
    dry_run: bool,
    batch_size: int = BATCH_SIZE,
    on_batch: Progress | None = None,
) -> Report:
    """Import ``entries`` in batches and retire what left the source; the report at the end."""
    report = Report(plan.source, dry_run)
    now = utcnow().isoformat()
    seen: set[str] = set()
    ratings = RatingPlan(plan, database) if plan.rating_set else None
    batch: list[Prepared] = []
    for prepared in _validated(entries, report, seen, now):
        batch.append(prepared)
        if len(batch) >= batch_size:
            _write(database, plan, batch, report, ratings, dry_run)
            batch = []
            if on_batch is not None:
                on_batch(len(seen))
    if batch:
        _write(database, plan, batch, report, ratings, dry_run)
    if seen:  # a file with no entry at all is a mistake, not a source that emptied
        _retire(database, plan, seen, report, ratings, dry_run)
    report.complete = True
    return report


def _validated(
    entries: Iterable[Entry], report: Report, seen: set[str], now: str
) -> Iterator[Prepared]:
    """Entries that will be written, with their validated content; refusals go to the report."""
    for entry in entries:
        if isinstance(entry, Refused):
            report.refuse(entry.entry_id, entry.reason)
            continue
        key = entry.domain if isinstance(entry, RatingEntry) else entry.note_id
        if key in seen:
            report.refuse(_entry_id(entry), "the entry appears twice in the source")
            continue
        if isinstance(entry, RatingEntry):
            entry.provenance["imported_at"] = now
            seen.add(key)
            yield entry, None
            continue
        entry.note["provenance"] = {**entry.note["provenance"], "imported_at": now}
        try:
            content = content_from(NoteFields.model_validate(entry.note))
        except ValidationError as exc:
            reason = "; ".join(f"{e['field']}: {e['message']}" for e in field_errors(exc))
            report.refuse(entry.entry_id, reason)
            continue
        seen.add(key)
        yield entry, content


def _entry_id(entry: NoteEntry | RatingEntry) -> str:
    return entry.domain if isinstance(entry, RatingEntry) else entry.entry_id


def _session(database: Database, dry_run: bool) -> AbstractContextManager[Session]:
    return database.rehearsal() if dry_run else database.transaction()


def _write(
    database: Database,
    plan: Plan,
    batch: list[Prepared],
    report: Report,
    ratings: RatingPlan | None,
    dry_run: bool,
) -> None:
    """One batch in one transaction; counts reach the report only if it commits."""
    counts = Report(plan.source, dry_run)
    try:
        with _session(database, dry_run) as session:
            note_store.lock_catalog(session)
            seq = Generation(session)
            if ratings is not None:
                rated = [e for e, _ in batch if isinstance(e, RatingEntry)]
                ratings.write(session, rated, seq, counts)
            else:
                notes = [(e, c) for e, c in batch if isinstance(e, NoteEntry) and c is not None]
                _write_notes(session, plan, notes, seq, counts)
    except Exception as exc:
        raise ImportFailed(report, exc) from exc
    _add(report, counts)
    report.batches += 1


class Generation:
    """The catalog generation a batch's writes carry, taken at the first write: a batch that
    changes nothing leaves the generation (and so every worker's index) alone."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._value: int | None = None

    def __call__(self) -> int:
        if self._value is None:
            self._value = note_store.next_generation(self._session)
        return self._value


def _add(report: Report, counts: Report) -> None:
    report.created += counts.created
    report.updated += counts.updated
    report.unchanged += counts.unchanged
    report.retired += counts.retired
    for note_id in counts.conflicts:
        report.conflict(note_id)


def _write_notes(
    session: Session,
    plan: Plan,
    batch: list[tuple[NoteEntry, dict[str, Any]]],
    seq: Generation,
    report: Report,
) -> None:
    ids = [e.note_id for e, _ in batch]
    existing = import_store.notes_by_id(session, ids)
    history = import_store.histories(session, ids, plan.author)
    for entry, content in batch:
        note = existing.get(entry.note_id)
        if note is None:
            created = import_store.insert(
                session, entry.note_id, content, plan.import_source, seq()
            )
            _revise(session, created, 1, plan, "imported")
            report.created += 1
            continue
        content = content | {"ratings": _merge_ratings(note.ratings, content["ratings"])}
        if same_content(note_store.content_of(note), content):
            report.unchanged += 1
            continue
        past = history.get(note.id)
        if past is not None and past.edited_by_person():
            report.conflict(note.id)
            continue
        import_store.replace_content(session, note, content, seq())
        note.import_source = plan.import_source
        _revise(session, note, (past.last if past else 0) + 1, plan, "updated from the source")
        report.updated += 1
    session.flush()  # one round of batched INSERTs and UPDATEs for the whole batch


def _merge_ratings(current: list[Any], own: list[Any]) -> list[Any]:
    """The entry's ratings, after the other rating sets' entries the note already has."""
    own_sets = {r["set"] for r in own}
    return [r for r in current or [] if r.get("set") not in own_sets] + list(own)


def same_content(stored: dict[str, Any], wanted: dict[str, Any]) -> bool:
    """Equal but for the import time (an unchanged entry keeps its first import's time)."""

    def without_time(content: dict[str, Any]) -> dict[str, Any]:
        provenance = content.get("provenance")
        if isinstance(provenance, dict):
            provenance = {k: v for k, v in provenance.items() if k != "imported_at"}
        return content | {"provenance": provenance}

    return without_time(stored) == without_time(wanted)


def _revise(session: Session, note: Note, number: int, plan: Plan, why: str) -> None:
    import_store.add_revision(
        session, note.id, number, import_store.snapshot_of(note), plan.author, why
    )


def retire_note(
    session: Session, note: Note, number: int, plan: Plan, seq: Generation, why: str
) -> None:
    """Retire an imported note (it stops matching; history and id stay)."""
    content = note_store.content_of(note) | {"status": "retired"}
    import_store.replace_content(session, note, content, seq())
    _revise(session, note, number, plan, why)


def _retire(
    database: Database,
    plan: Plan,
    seen: set[str],
    report: Report,
    ratings: RatingPlan | None,
    dry_run: bool,
) -> None:
    """Retire the notes whose entries are no longer in the source (after a complete read)."""
    if ratings is not None:
        ratings.retire(seen, report, dry_run)
        return
    with database.session() as reader:
        gone_batches = [
            [i for i in ids if i not in seen]
            for ids in import_store.owned_ids(reader, plan.import_source)
        ]
    for gone in gone_batches:
        if not gone:
            continue
        counts = Report(plan.source, dry_run)
        with _session(database, dry_run) as session:
            note_store.lock_catalog(session)
            seq = Generation(session)
            notes = import_store.notes_by_id(session, gone)
            history = import_store.histories(session, gone, plan.author)
            for note_id in gone:
                past = history.get(note_id)
                if past is not None and past.edited_by_person():
                    counts.conflict(note_id)
                    continue
                number = (past.last if past else 0) + 1
                retire_note(session, notes[note_id], number, plan, seq, "gone from the source")
                counts.retired += 1
        _add(report, counts)
