"""HTTP API: one blueprint per resource, all under ``/v1``."""

from __future__ import annotations

from flask import Flask

from server.api import feedback, health, interchange, match, notes, openapi, revisions, tokens

BLUEPRINTS = (health, match, notes, revisions, tokens, feedback, interchange, openapi)


def init_app(app: Flask) -> None:
    for module in BLUEPRINTS:
        app.register_blueprint(module.blueprint, url_prefix="/v1")
    app.register_blueprint(openapi.docs_blueprint)
