"""HTTP API: one blueprint per resource, all under ``/v1``."""

from __future__ import annotations

from flask import Flask

from server.api import health, match, notes


def init_app(app: Flask) -> None:
    for module in (health, match, notes):
        app.register_blueprint(module.blueprint, url_prefix="/v1")
