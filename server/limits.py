"""Rate limits per client address, with flask-limiter (in memory, or Redis for several workers).

Over the limit, clients get a 429 problem document with ``Retry-After``. Matching is limited
twice: by requests, and by work, charged as the characters the client sends (the body's
length, known before it is read), so a few huge pages cost as much as many ordinary ones.

Redis is asked with short connect and command timeouts. When it fails or hangs, the limits
fall back to each worker's memory and Redis is tried again after 1, 2, 4 … seconds, so an
outage costs at most one timeout now and then, never one per request.
"""

from __future__ import annotations

from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from server.app_state import settings
from server.config import Settings

REDIS_TIMEOUT = 0.1
"""Seconds to connect to Redis or to get an answer, before the limits fall back to memory."""

limiter = Limiter(key_func=get_remote_address, headers_enabled=True, default_limits=[])


def match_limit() -> str:
    return settings().ratelimit_match


def match_work_limit() -> str:
    return settings().ratelimit_match_chars


def match_work_cost() -> int:
    """Characters a match request sends: its body's length (the largest body if unknown)."""
    length = request.content_length
    return max(1, length if length is not None else settings().max_body_bytes)


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
    app.config["RATELIMIT_IN_MEMORY_FALLBACK_ENABLED"] = True
    if config.ratelimit_storage.startswith(("redis://", "rediss://")):
        app.config["RATELIMIT_STORAGE_OPTIONS"] = {
            "socket_connect_timeout": REDIS_TIMEOUT,
            "socket_timeout": REDIS_TIMEOUT,
        }
    limiter.init_app(app)
