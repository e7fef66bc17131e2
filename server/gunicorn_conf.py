"""gunicorn settings for Gloss, from the environment (used by ``gloss serve`` and the image).

The access log records method, path, status, size and duration: never bodies or query
strings, so no page text or page address reaches it.
"""

import os

bind = os.environ.get("GLOSS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GLOSS_WORKERS", "2"))
threads = int(os.environ.get("GLOSS_THREADS", "4"))
worker_class = "gthread"
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


def post_worker_init(worker):  # type: ignore[no-untyped-def]
    """Start loading the new worker's match index at once, in the background (server.warmup)."""
    from server import warmup

    warmup.start(worker.wsgi)
