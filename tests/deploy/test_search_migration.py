"""Migration 0004 folds the notes written before it, so they are found case-blind at once."""

from __future__ import annotations

from sqlalchemy import text

from server.store import Database
from server.store import notes as note_store

INSERT = """
INSERT INTO notes (id, kind, title, summary, body, rating, quotes, domains, aliases, sources,
                   status, created_at, updated_at, version, seq)
VALUES ('elan-ueberlingen', 'publisher', 'Élan Überlingen', 'A publisher written before 0004.',
        NULL, NULL, '[]', '["elan.example"]', '[]', '[]', 'published',
        '2024-01-01 00:00:00+00:00', '2024-01-01 00:00:00+00:00', 1, 1)
"""


def test_upgrade_folds_notes_written_before_the_search_column(empty_db_url: str) -> None:
    database = Database(empty_db_url)
    database.migrate("0001")
    with database.transaction() as session:
        session.execute(text(INSERT))

    database.migrate()

    with database.session() as session:
        found = note_store.search(session, statuses=["published"], text="ÉLAN ÜBERLINGEN")
    assert [n.id for n in found] == ["elan-ueberlingen"]
    database.dispose()
