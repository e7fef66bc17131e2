"""Rating sets (``domain,score`` lists) written onto publisher notes.

A rating is kept on the one note that speaks for its domain, so several sources about one
domain make one card: the minimal note this importer made for the domain when there is one,
otherwise a publisher note that has the domain (a curated note first), otherwise a new minimal
note that shows the rating and says where it comes from. Each set replaces only its own
ratings; a minimal note left with no rating is retired.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from server.importers.entries import RatingEntry, note_id_for
from server.importers.report import Report
from server.schemas import NoteFields
from server.services.notes import content_from
from server.store import Database
from server.store import imports as import_store
from server.store import notes as note_store
from server.store.models import Note

if TYPE_CHECKING:
    from server.importers.reconcile import Generation, Plan

MINIMAL_SOURCE = "domain-ratings"


def minimal_id(domain: str) -> str:
    return note_id_for("domain", domain, domain)


def describe(ratings: list[dict[str, Any]]) -> str:
    """A minimal note's card text: each rating with its scale and where it comes from."""
    parts = []
    for rating in ratings:
        value = rating.get("label") or f"{rating['value']:g}"
        scale = f" ({rating['scale']})" if rating.get("scale") else ""
        parts.append(f"{rating['set']}: {value}{scale}.")
    text = "Rated by news-domain quality research. " + " ".join(parts)
    return text if len(text) <= 500 else text[:499].rstrip() + "…"


class RatingPlan:
    """Where each domain's rating goes, decided once from the publisher notes at the start."""

    def __init__(self, plan: Plan, database: Database) -> None:
        assert plan.rating_set is not None
        self.plan = plan
        self.set = plan.rating_set
        self.database = database
        self._owner: dict[str, str] = {}
        with database.session() as session:
            ranked = sorted(
                import_store.publisher_domains(session),
                key=lambda row: (row[2] is not None, row[0]),  # curated notes first
            )
        for note_id, domains, source in ranked:
            if source == MINIMAL_SOURCE:
                continue
            for domain in domains:
                self._owner.setdefault(domain, note_id)

    def write(
        self, session: Session, batch: list[RatingEntry], seq: Generation, report: Report
    ) -> None:
        minimal = import_store.notes_by_id(session, [minimal_id(e.domain) for e in batch])
        owners = {self._owner[e.domain] for e in batch if e.domain in self._owner}
        foreign = import_store.notes_by_id(session, sorted(owners))
        ids = list(minimal) + list(foreign)
        history = import_store.histories(session, ids, self.plan.author)
        for entry in batch:
            note = minimal.get(minimal_id(entry.domain)) or foreign.get(
                self._owner.get(entry.domain, "")
            )
            if note is None:
                self._create(session, entry, seq())
                report.created += 1
                continue
            ratings = self._with(note.ratings, entry)
            is_minimal = note.import_source == MINIMAL_SOURCE
            changes: dict[str, Any] = {"ratings": ratings}
            if is_minimal:
                changes |= {"summary": describe(ratings), "status": "published"}
            content = note_store.content_of(note)
            if all(content[k] == v for k, v in changes.items()):
                report.unchanged += 1
                continue
            past = history.get(note.id)
            if is_minimal and past is not None and past.edited_by_person():
                report.conflict(note.id)
                continue
            self._replace(session, note, content | changes, seq(), past, "rating updated")
            report.updated += 1

    def _with(self, ratings: list[dict[str, Any]], entry: RatingEntry) -> list[dict[str, Any]]:
        """The note's ratings with this set's rating of the domain put in (in place if there)."""
        mine = [i for i, r in enumerate(ratings) if self._mine(r, entry.domain)]
        if not mine:
            return [*ratings, entry.rating]
        kept = [r for i, r in enumerate(ratings) if i not in mine[1:]]
        kept[mine[0]] = entry.rating
        return kept

    def _mine(self, rating: dict[str, Any], domain: str) -> bool:
        return bool(rating.get("set") == self.set and rating.get("domain") == domain)

    def _create(self, session: Session, entry: RatingEntry, seq: int) -> None:
        fields = NoteFields.model_validate(
            {
                "kind": "publisher",
                "title": entry.domain,
                "summary": describe([entry.rating]),
                "domains": [entry.domain],
                "status": "published",
                "ratings": [entry.rating],
                "provenance": entry.provenance,
                "sources": [{"title": entry.rating["citation"][:300], "url": entry.rating["url"]}]
                if entry.rating.get("url") and entry.rating.get("citation")
                else [],
            }
        )
        note = import_store.insert(
            session, minimal_id(entry.domain), content_from(fields), MINIMAL_SOURCE, seq
        )
        self._revise(session, note, 1, "imported")

    def _replace(
        self,
        session: Session,
        note: Note,
        content: dict[str, Any],
        seq: int,
        past: import_store.History | None,
        why: str,
    ) -> None:
        import_store.replace_content(session, note, content, seq)
        self._revise(session, note, (past.last if past else 0) + 1, why)

    def _revise(self, session: Session, note: Note, number: int, why: str) -> None:
        import_store.add_revision(
            session, note.id, number, import_store.snapshot_of(note), self.plan.author, why
        )

    def retire(self, seen: set[str], report: Report, dry_run: bool) -> None:
        """Drop this set's ratings of domains no longer in it; retire emptied minimal notes."""
        with self.database.session() as reader:
            ids = import_store.rated_by(reader, self.set)
        todo = [
            note_id
            for note_id, ratings in ids
            if any(r.get("set") == self.set and r.get("domain") not in seen for r in ratings)
        ]
        for start in range(0, len(todo), 500):
            chunk = todo[start : start + 500]
            context = self.database.rehearsal() if dry_run else self.database.transaction()
            with context as session:
                note_store.lock_catalog(session)
                generation = note_store.next_generation(session)
                notes = import_store.notes_by_id(session, chunk)
                history = import_store.histories(session, chunk, self.plan.author)
                for note_id in chunk:
                    note = notes[note_id]
                    ratings = [
                        r
                        for r in note.ratings
                        if not (r.get("set") == self.set and r.get("domain") not in seen)
                    ]
                    past = history.get(note_id)
                    is_minimal = note.import_source == MINIMAL_SOURCE
                    if is_minimal and past is not None and past.edited_by_person():
                        report.conflict(note_id)
                        continue
                    changes: dict[str, Any] = {"ratings": ratings}
                    if is_minimal and not ratings:
                        changes["status"] = "retired"
                        report.retired += 1
                    elif is_minimal:
                        changes["summary"] = describe(ratings)
                        report.updated += 1
                    else:
                        report.updated += 1
                    content = note_store.content_of(note) | changes
                    self._replace(
                        session, note, content, generation, past, "rating gone from the set"
                    )
