#!/usr/bin/env bash
# Everything `make test` needs beyond the Python packages: a running PostgreSQL on
# 127.0.0.1:5432, Redis on 127.0.0.1:6379 (shared rate limits), Debian's Chromium for the
# extension tests, and the npm tools.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL: the API suite runs against it too; start the local cluster if it is down.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432 || { echo "PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
fi

# Redis: the rate-limit tests share one count between gunicorn workers through it.
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  command -v redis-server >/dev/null || apt_install redis-server
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" \
    --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 1; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
fi

# Chromium for the real-browser extension tests (never Playwright's own download).
if [ -d extension ] && ! command -v chromium >/dev/null; then
  apt_install chromium fonts-dejavu-core
fi

# Firefox ESR for the same extension suite in Firefox, driven over Marionette (tests/firefox).
if [ -d extension ] && ! command -v firefox-esr >/dev/null; then
  apt_install firefox-esr
fi

# Xvfb and xdotool: the permission-prompt test runs a headed Chromium and answers its prompt.
if [ -d extension ] && ! { command -v Xvfb && command -v xdotool; } >/dev/null; then
  apt_install xvfb xdotool
fi

# npm tools (web-ext) pinned by package-lock.json.
if [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
