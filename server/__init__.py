"""Gloss server: context cards anchored to the passages of the pages people read.

``create_app`` is the only wiring point: it reads the settings, opens the database, and lets
each module register itself.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from server import api, console, cors, errors, limits, metrics, warmup
from server.config import Settings
from server.services import note_vectors
from server.services.catalog import Catalog
from server.services.heavy_lane import HeavyLane
from server.services.loader import seed_if_empty
from server.store import Database

log = logging.getLogger("gloss")


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app from ``GLOSS_*`` settings, overridden by ``test_config``."""
    settings = Settings.from_env()
    if test_config:
        settings = settings.model_copy(update=test_config)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False  # type: ignore[attr-defined]

    database = Database(settings.database_url, timeout=settings.database_timeout)
    database.create_all()
    note_vectors.configure(settings.reworded)
    if settings.seed_notes_dir:
        report = seed_if_empty(database, Path(settings.seed_notes_dir))
        if report is not None:
            log.info("loaded notes on first start: %s", report)
    app.extensions["gloss.settings"] = settings
    app.extensions["gloss.database"] = database
    app.extensions["gloss.catalog"] = Catalog(
        database, reworded=settings.reworded, cache_bytes=settings.reworded_cache_bytes
    )
    app.extensions["gloss.heavy_lane"] = HeavyLane.for_server(
        settings.heavy_match_bytes, settings.heavy_matches
    )
    warmup.init_app(app, app.extensions["gloss.catalog"])

    if settings.proxy_hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.proxy_hops)  # type: ignore[method-assign]
    errors.init_app(app)
    limits.init_app(app, settings)
    cors.init_app(app, settings)
    api.init_app(app)
    console.init_app(app, settings, database)
    metrics.init_app(app)
    return app
