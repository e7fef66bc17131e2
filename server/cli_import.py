"""``gloss import SOURCE FILE``: load open data with a progress display and a closing report."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from server.importers import (
    SOURCES,
    ImportFailed,
    Report,
    UnknownRatingSet,
    Unreadable,
    run_source,
)
from server.importers.progress import Progress
from server.store import Database


def import_source(
    database: Database, source: str, file: Path, *, dry_run: bool, rating_set: str | None
) -> None:
    """Import FILE as SOURCE; print counts and refusals; exit 1 if a batch failed."""
    if source not in SOURCES:
        raise click.BadParameter(
            f"{source!r} is not a source; choose from {', '.join(SOURCES)}", param_hint="SOURCE"
        )
    progress = Progress(source, file.stat().st_size, sys.stderr)
    started = time.perf_counter()
    try:
        with file.open("rb") as stream:
            report = run_source(
                database,
                source,
                stream,
                dry_run=dry_run,
                rating_set=rating_set,
                on_progress=progress.update,
            )
    except UnknownRatingSet as exc:
        raise click.BadParameter(str(exc), param_hint="--rating-set") from None
    except Unreadable as exc:
        progress.close()
        raise click.ClickException(f"{file}: {exc}; nothing was retired") from None
    except ImportFailed as exc:
        progress.close()
        _print(exc.report, time.perf_counter() - started)
        raise click.ClickException(f"{exc}; run the same command again to resume") from None
    progress.close()
    _print(report, time.perf_counter() - started)


def _print(report: Report, seconds: float) -> None:
    for refusal in report.refused:
        click.echo(f"  refused {refusal['entry_id']}: {refusal['reason']}", err=True)
    for note_id in report.conflicts:
        click.echo(f"  conflict {note_id}: edited by a curator; left as it is", err=True)
    suffix = " (dry run: nothing written)" if report.dry_run else ""
    click.echo(f"{report.source}: {report.counts()} in {seconds:.1f} s{suffix}")
