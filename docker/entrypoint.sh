#!/bin/sh
# The image's entrypoint. `serve` (the default) migrates the database, then replaces this
# shell with gunicorn, so gunicorn is PID 1 and gets `docker stop`'s SIGTERM. Anything else
# runs as given: `docker run --rm -v gloss-data:/data gloss gloss tokens create …`.
set -eu

if [ "${1:-serve}" = serve ]; then
  [ "$#" -gt 0 ] && shift
  gloss db upgrade
  # Extra arguments go to gunicorn (`serve --log-level debug`); GLOSS_* set the rest.
  exec gunicorn --config python:server.gunicorn_conf "$@" "server:create_app()"
fi
exec "$@"
