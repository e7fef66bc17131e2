"""gunicorn settings for Gloss, from the environment (used by ``gloss serve`` and the image).

The access log records method, path, status, size and duration: never bodies or query
strings, so no page text or page address reaches it.
"""

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

bind = os.environ.get("GLOSS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GLOSS_WORKERS", "2"))
threads = int(os.environ.get("GLOSS_THREADS", "4"))
# gthread whose event loop reads each request whole before a thread takes it, so idle and
# slow clients cost no thread (server/buffering_worker.py).
worker_class = "server.buffering_worker.BufferingWorker"
timeout = int(os.environ.get("GLOSS_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
max_requests = int(os.environ.get("GLOSS_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
limit_request_line = 8190
control_socket_disable = True
# Workers' heartbeat files in memory: a container's /tmp may be on a slow overlay filesystem.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = "-" if os.environ.get("GLOSS_ACCESS_LOG", "1") == "1" else None
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# The master builds the app and its match index once, and workers share it copy-on-write: a
# new or restarted worker answers at once instead of rebuilding the index (server/prefork.py).
preload_app = os.environ.get("GLOSS_SHARED_INDEX", "1") == "1"

# Prometheus metrics from every worker (server/metrics.py): each worker writes its values to
# files in one directory, emptied when gunicorn starts; a dead worker's gauges are dropped.
_made_metrics_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _made_metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(
        prefix="gloss-metrics-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None
    )

# Lock files of the heavy-match slots, shared by this server's workers (server.services.heavy_lane).
_made_slots_dir = not os.environ.get("GLOSS_HEAVY_SLOTS_DIR")
if _made_slots_dir:
    os.environ["GLOSS_HEAVY_SLOTS_DIR"] = tempfile.mkdtemp(
        prefix="gloss-heavy-", dir="/dev/shm" if os.path.isdir("/dev/shm") else None
    )


def on_starting(server: Any) -> None:
    if preload_app:
        from server import prefork

        prefork.prime(server.app.wsgi())
    # After the build: the master's own metric files go too, so only workers are counted.
    for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        stale.unlink()


def child_exit(server: object, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def on_exit(server: object) -> None:
    if _made_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    if _made_slots_dir:
        shutil.rmtree(os.environ["GLOSS_HEAVY_SLOTS_DIR"], ignore_errors=True)


def on_reload(server: Any) -> None:
    """``kill -HUP``: bring the master's index up to date, so the new workers inherit it."""
    if preload_app:
        from server import prefork

        prefork.prime(server.app.wsgi())


def pre_fork(server: object, worker: object) -> None:
    if preload_app:
        from server import prefork

        prefork.before_fork()


def post_fork(server: Any, worker: object) -> None:
    if preload_app:
        from server import prefork

        prefork.after_fork(server.app.wsgi())


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Start loading the new worker's match index at once, in the background (server.warmup)."""
    from server import warmup

    warmup.start(worker.wsgi)
