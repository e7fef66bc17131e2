"""Running the app under gunicorn from Python, for ``gloss serve``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from gunicorn.app.base import Application

from server.config import Settings

CONFIG_FILE = Path(__file__).with_name("gunicorn_conf.py")


class _Gunicorn(Application):  # type: ignore[misc]
    """gunicorn configured from our config file plus options, ignoring sys.argv."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def init(self, parser: Any, opts: Any, args: Any) -> None:
        return None

    def load_config(self) -> None:
        self.load_config_from_file(str(CONFIG_FILE))
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from server import create_app

        return create_app()


def prepare_database() -> None:
    """Migrate the schema and seed notes once, in the master, before workers start."""
    from server.services.loader import seed_if_empty
    from server.store import Database

    settings = Settings.from_env()
    database = Database(settings.database_url)
    database.migrate()
    if settings.seed_notes_dir:
        seed_if_empty(database, Path(settings.seed_notes_dir))
    database.dispose()


def run_gunicorn(bind: str, workers: int, threads: int) -> None:
    prepare_database()
    _Gunicorn({"bind": bind, "workers": workers, "threads": threads}).run()
