"""CORS with flask-cors: reading and matching from any origin, writing only from trusted ones.

Reads carry no credentials (tokens travel in a header the browser will not add by itself),
so any origin may read published notes and match. Write endpoints answer only the origins in
``GLOSS_CORS_ORIGINS``; a preflight from anywhere else gets no CORS headers, and the browser
stops the write.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_cors import CORS

from server.config import Settings

PUBLIC = ["GET", "POST", "OPTIONS"]
WRITES = ["GET", "POST", "PATCH", "DELETE", "OPTIONS"]
HEADERS = ["Content-Type", "Authorization", "If-Match", "If-None-Match"]
EXPOSED = ["ETag", "Location", "Retry-After"]


def init_app(app: Flask, settings: Settings) -> None:
    trusted = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    public = {
        "origins": "*",
        "send_wildcard": True,
        "methods": PUBLIC,
        "allow_headers": ["Content-Type"],
        "expose_headers": EXPOSED,
        "max_age": 600,
    }
    writes = {
        "origins": trusted,
        "methods": WRITES,
        "allow_headers": HEADERS,
        "expose_headers": EXPOSED,
        "max_age": 600,
    }
    CORS(
        app,
        resources={
            r"/v1/match": public,
            r"/v1/health": public,
            r"/v1/openapi.json": public,
            r"/v1/export": public,
            r"/v1/cards/*": public,
            r"/v1/*": writes,
        },
    )

    @app.after_request
    def _public_reads(response: Response) -> Response:
        """Reads of published notes share paths with writes: open the reads to any origin."""
        if (
            request.method in ("GET", "HEAD")
            and request.headers.get("Origin")
            and "Access-Control-Allow-Origin" not in response.headers
        ):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = ", ".join(EXPOSED)
        return response
