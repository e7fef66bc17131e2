"""Access to the objects ``create_app`` attaches to the app (database, catalog, settings)."""

from __future__ import annotations

from typing import cast

from flask import current_app

from server.config import Settings
from server.services.catalog import Catalog
from server.services.heavy_lane import HeavyLane
from server.store import Database


def database() -> Database:
    return cast(Database, current_app.extensions["gloss.database"])


def catalog() -> Catalog:
    return cast(Catalog, current_app.extensions["gloss.catalog"])


def settings() -> Settings:
    return cast(Settings, current_app.extensions["gloss.settings"])


def heavy_lane() -> HeavyLane:
    return cast(HeavyLane, current_app.extensions["gloss.heavy_lane"])
