"""Prometheus metrics (the official ``prometheus_client``), safe under several gunicorn workers.

Every metric of Gloss is made through ``counter``, ``gauge`` and ``histogram`` here, so names
carry one prefix and no module builds its own registry. Under gunicorn, ``gunicorn_conf``
points ``PROMETHEUS_MULTIPROC_DIR`` at a fresh directory before the workers start: each worker
writes its values to files there and ``GET /metrics`` sums them over the workers, whichever
worker answers. Without that variable (tests, ``flask run``) the process's own registry is
served.

Labels must be small closed sets (an endpoint name, an outcome). Never put a URL, a page's
text, a note's text or a client address in a label: every label value becomes a time series
and is shown to whoever scrapes.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Literal

from flask import Blueprint, Flask, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from server.api.docs import operation

PREFIX = "gloss_"
GaugeMode = Literal["livesum", "liveall", "max", "min", "sum", "all", "mostrecent"]

_made: dict[str, Counter | Gauge | Histogram] = {}


def counter(name: str, documentation: str, labels: Sequence[str] = ()) -> Counter:
    """A counter named ``gloss_<name>`` (``_total`` is added on exposition); made once."""
    found = _made.get(name)
    if found is None:
        found = _made[name] = Counter(PREFIX + name, documentation, list(labels))
    assert isinstance(found, Counter)
    return found


def gauge(
    name: str, documentation: str, labels: Sequence[str] = (), mode: GaugeMode = "livesum"
) -> Gauge:
    """A gauge named ``gloss_<name>``; ``mode`` says how workers' values combine (live sum by
    default: a per-worker size adds up to the host's)."""
    found = _made.get(name)
    if found is None:
        found = _made[name] = Gauge(
            PREFIX + name, documentation, list(labels), multiprocess_mode=mode
        )
    assert isinstance(found, Gauge)
    return found


def histogram(
    name: str,
    documentation: str,
    labels: Sequence[str] = (),
    buckets: Sequence[float] = Histogram.DEFAULT_BUCKETS,
) -> Histogram:
    """A histogram named ``gloss_<name>``; made once."""
    found = _made.get(name)
    if found is None:
        found = _made[name] = Histogram(
            PREFIX + name, documentation, list(labels), buckets=list(buckets)
        )
    assert isinstance(found, Histogram)
    return found


def exposition() -> bytes:
    """The text format of every metric, summed over the live workers in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


blueprint = Blueprint("metrics", __name__)


@blueprint.get("/metrics")
@operation(
    summary="Prometheus metrics (text exposition format)",
    tag="meta",
    description=(
        "Match latency, work-budget cut-offs, cache bytes, rate-limit refusals and more, summed"
        " over the server's workers. No label holds a URL or page text. Keep it off the public"
        " internet (the compose proxy does)."
    ),
)
def get_metrics() -> Response:
    return Response(exposition(), mimetype=CONTENT_TYPE_LATEST.split(";")[0])


def init_app(app: Flask) -> None:
    """Serve ``/metrics`` and count the rate limits' refusals."""
    from flask import request

    refused = counter(
        "ratelimit_rejections", "Requests refused by a rate limit (429).", labels=("endpoint",)
    )

    @app.after_request
    def _count_refusals(response: Response) -> Response:
        if response.status_code == 429:
            refused.labels(endpoint=request.endpoint or "unknown").inc()
        return response

    app.register_blueprint(blueprint)
