"""Rate limits per client address, with flask-limiter (in memory, or Redis for several workers).

Over the limit, clients get a 429 problem document with ``Retry-After``.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from server.app_state import settings
from server.config import Settings

limiter = Limiter(key_func=get_remote_address, headers_enabled=True, default_limits=[])


def match_limit() -> str:
    return settings().ratelimit_match


def feedback_limit() -> str:
    return settings().ratelimit_feedback


def write_limit() -> str:
    return settings().ratelimit_writes


def export_limit() -> str:
    return settings().ratelimit_export


def init_app(app: Flask, config: Settings) -> None:
    app.config["RATELIMIT_STORAGE_URI"] = config.ratelimit_storage
    app.config["RATELIMIT_ENABLED"] = config.ratelimit_enabled
    app.config["RATELIMIT_HEADERS_ENABLED"] = True
    app.config["RATELIMIT_SWALLOW_ERRORS"] = True  # a Redis outage must not take matching down
    limiter.init_app(app)
