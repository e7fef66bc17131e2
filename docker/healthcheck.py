"""The image's HEALTHCHECK: GET /v1/health on the port gunicorn binds (GLOSS_BIND).

Standard library only, so the image needs no curl. Proxies in the environment are ignored:
the request must reach this container's own server.
"""

import os
import sys
import urllib.request

port = os.environ.get("GLOSS_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    with opener.open(f"http://127.0.0.1:{port}/v1/health", timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except OSError as exc:
    print(f"unhealthy: {exc}", file=sys.stderr)
    sys.exit(1)
