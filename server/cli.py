"""The ``gloss`` command: serve, load notes, manage tokens, and match a local file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from server.config import Settings


def _database() -> Any:
    from server.store import Database

    database = Database(Settings.from_env().database_url)
    database.create_all()
    return database


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Gloss: context cards anchored to the passages people read."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, envvar="GLOSS_WORKERS")
@click.option("--threads", default=4, show_default=True, type=int, envvar="GLOSS_THREADS")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the API with gunicorn (loads the bundled notes into an empty database first)."""
    from server.wsgi import run_gunicorn

    run_gunicorn(f"{host}:{port}", workers=workers, threads=threads)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
def load(path: Path) -> None:
    """Upsert the notes in PATH (a directory of .yaml/.json files, or one file)."""
    from server.services.loader import NoteFileError, load_path

    try:
        report = load_path(_database(), path)
    except NoteFileError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"notes: {report}")


@main.group()
def tokens() -> None:
    """Manage API tokens for curators and admins."""


@tokens.command("create")
@click.option("--name", required=True, help="Who or what the token is for.")
@click.option("--role", type=click.Choice(["curator", "admin"]), required=True)
def tokens_create(name: str, role: str) -> None:
    """Create a token; the secret is printed once, on the last line."""
    from server.store import tokens as token_store

    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise click.BadParameter("must be 1 to 100 characters", param_hint="--name")
    with _database().transaction() as session:
        token, secret = token_store.create(session, name, role)
        token_id = token.id
    click.echo(f"created token {token_id} ({role}) for {name!r}; it is shown only once:")
    click.echo(secret)


@main.command("passages")
@click.option("--url", required=True, help="The page address to put in the request.")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def passages_cmd(url: str, file: Any) -> None:
    """Print the POST /v1/match request body for a local text or HTML FILE."""
    from server.pages import passages_from

    passages = [{"id": f"p{i}", "text": t} for i, t in enumerate(passages_from(file.read()))]
    click.echo(json.dumps({"url": url, "passages": passages}, ensure_ascii=False))


@main.command("match")
@click.option("--url", required=True, help="The page address (for publisher cards by domain).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON response.")
@click.argument("file", type=click.File("r", encoding="utf-8"))
def match_file(url: str, as_json: bool, file: Any) -> None:
    """Match a local text or HTML FILE against the published notes and print the cards."""
    from server.matching import Passage
    from server.pages import passages_from
    from server.services.catalog import Catalog

    passages = [Passage(f"p{i}", text) for i, text in enumerate(passages_from(file.read()))]
    cards = Catalog(_database()).match(url, passages)
    if as_json:
        click.echo(json.dumps({"cards": cards}, indent=2, ensure_ascii=False))
        return
    if not cards:
        click.echo("no cards")
    for card in cards:
        rating = f" [{card['rating']}]" if card["rating"] else ""
        click.echo(f"{card['kind']}: {card['title']}{rating} ({card['note_id']})")
        if not card["anchors"]:
            click.echo("    (matched by the page's domain)")
        for anchor in card["anchors"]:
            click.echo(
                f"    {anchor['passage_id']}[{anchor['start']}:{anchor['end']}] "
                f"score {anchor['score']}: {anchor['exact']!r}"
            )


@main.command("import")
@click.option("--dry-run", is_flag=True, help="Only report what would change.")
@click.option(
    "--rating-set", default=None, help="domain-ratings: the set's name (default lin2023)."
)
@click.argument("source_or_file")
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def import_cmd(
    dry_run: bool, rating_set: str | None, source_or_file: str, file: Path | None
) -> None:
    """Import open data (SOURCE FILE: wikipedia-rsp, domain-ratings, claimreview-feed) or a
    bundle, ClaimReview or Web Annotation JSON FILE (all or nothing)."""
    if file is not None:
        from server.cli_import import import_source

        import_source(_database(), source_or_file, file, dry_run=dry_run, rating_set=rating_set)
        return
    _import_document(dry_run, Path(source_or_file))


def _import_document(dry_run: bool, file: Path) -> None:
    from server.errors import ImportInterrupted, InvalidInput
    from server.services import interchange

    if not file.is_file():
        raise click.BadParameter(f"{file} is not a file", param_hint="FILE")
    with click.progressbar(length=2, label=f"importing {file.name}", file=sys.stderr) as bar:
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise click.ClickException(f"{file}: not JSON: {exc}") from None
        bar.update(1)
        try:
            result = interchange.run_import(
                _database(), document, dry_run=dry_run, author="gloss import"
            )
        except InvalidInput as exc:
            for item in exc.extra.get("items", exc.extra.get("errors", [])):
                click.echo(f"  {json.dumps(item, ensure_ascii=False)}", err=True)
            raise click.ClickException(str(exc.description)) from None
        except ImportInterrupted as exc:
            raise click.ClickException(str(exc.description)) from None
        bar.update(1)
    counts = ", ".join(f"{len(result[k])} {k}" for k in ("created", "updated", "unchanged"))
    suffix = " (dry run: nothing written)" if dry_run else ""
    click.echo(f"{result['format']}: {counts}{suffix}")


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bundle", "claimreview", "webannotation"]),
    default="bundle",
    show_default=True,
)
@click.argument("file", type=click.File("w", encoding="utf-8"), default="-")
def export_cmd(fmt: str, file: Any) -> None:
    """Export the published notes to FILE (standard output by default)."""
    from server.services import interchange
    from server.store import notes as note_store

    database = _database()
    with database.session() as session:
        total = note_store.count(session, "published")
    chunks = interchange.export(database, fmt, Settings.from_env().publisher_name)  # type: ignore[arg-type]
    show = file is not sys.stdout and file.name != "<stdout>"
    with click.progressbar(
        chunks, length=total + 2, label="exporting", file=sys.stderr, hidden=not show
    ) as bar:
        for chunk in bar:
            file.write(chunk)


from server.cli_db import db  # noqa: E402  (kept apart so the schema commands have their module)

main.add_command(db)

if __name__ == "__main__":
    sys.exit(main())
