#!/usr/bin/env bash
# Check the container image without a Docker engine: lint the Dockerfile, build it for real
# with podman, then run what was built:
#   1. SQLite in a named volume: /v1/health, /v1/match on the example article (Global Research
#      card), the HEALTHCHECK command, a non-root user; restart on the same volume (already
#      migrated, nothing seeded twice).
#   2. Two replicas started together on one PostgreSQL database (the docker-compose layout):
#      both migrate at once and come up; a note loaded through one is matched by the other.
#   3. The compose file's nginx template in front of them: requests reach both replicas, and
#      all reach the other one while one is stopped.
# Only the base differs from what users pull: python:3.12-slim cannot be fetched here, so the
# build uses a Debian base made with debootstrap (kept in podman's storage between runs; the
# built image is removed at the end).
# See /work/shared/recipes/docker.md. Every step has a time limit; the whole takes a few
# minutes with a cached base.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE_IMAGE=${GLOSS_CHECK_BASE:-localhost/debian-python:bookworm}
IMAGE=localhost/gloss:check
PREFIX=gloss-check
PG_ADMIN=${GLOSS_CHECK_PG:-postgresql://postgres@127.0.0.1:5432}
PODMAN=(podman --storage-driver vfs)
RUNTIME=(--runtime runc --cgroup-manager cgroupfs)
PY=.venv/bin/python

step() { printf '\n== %s  [%ds]\n' "$*" "$SECONDS"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
run_podman() { "${PODMAN[@]}" "${RUNTIME[@]}" "$@"; }
# `podman run` of an image with a HEALTHCHECK logs errors about systemd timers, which this
# machine lacks; health is checked with `podman healthcheck run` instead. Show them on failure.
start() { run_podman run -d "$@" 2>>"$work/podman-run.log" >/dev/null || { cat "$work/podman-run.log"; exit 1; }; }

work=$(mktemp -d)
pg_db="gloss_image_check_$$"
cleanup() {
  local status=$?
  if [ $status != 0 ]; then
    for name in sqlite pg-a pg-b; do
      echo "--- logs of $PREFIX-$name (last 30 lines)"
      "${PODMAN[@]}" logs --tail 30 "$PREFIX-$name" 2>&1 || true
    done
    [ -f "$work/nginx/error.log" ] && { echo "--- nginx error log"; tail -20 "$work/nginx/error.log"; }
  fi
  "${PODMAN[@]}" rm -f -t 5 "$PREFIX-sqlite" "$PREFIX-pg-a" "$PREFIX-pg-b" >/dev/null 2>&1 || true
  "${PODMAN[@]}" volume rm -f "$PREFIX-data" >/dev/null 2>&1 || true
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2>/dev/null
  [ -n "${dns_pid:-}" ] && kill "$dns_pid" 2>/dev/null
  # Keep only the base image: vfs copies are big, and CI runs on the same machine again.
  "${PODMAN[@]}" rmi -f "$IMAGE" >/dev/null 2>&1 || true
  "${PODMAN[@]}" image prune -f >/dev/null 2>&1 || true
  psql -q "$PG_ADMIN/postgres" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT

step "tools"
missing=()
for tool in podman buildah runc debootstrap psql; do
  command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  packages=("${missing[@]/psql/postgresql-client}")
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
fi
podman --version
# The replicas' database: the local PostgreSQL that `make test` uses (started when down).
pg_isready -h 127.0.0.1 -p 5432 -q || bash scripts/test-deps.sh
# Leftovers of an interrupted run would make names clash.
"${PODMAN[@]}" rm -f -t 0 "$PREFIX-sqlite" "$PREFIX-pg-a" "$PREFIX-pg-b" >/dev/null 2>&1 || true
"${PODMAN[@]}" volume rm -f "$PREFIX-data" >/dev/null 2>&1 || true

step "hadolint Dockerfile"
.venv/bin/hadolint Dockerfile
echo "no findings"

step "base image $BASE_IMAGE"
if "${PODMAN[@]}" image exists "$BASE_IMAGE"; then
  echo "cached"
else
  rootfs="$work/rootfs"
  timeout 600 debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
    bookworm "$rootfs" http://deb.debian.org/debian >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log"; exit 1; }
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*  # 45 MB of .debs
  tar -C "$rootfs" -c . | "${PODMAN[@]}" import - "$BASE_IMAGE" >/dev/null
  rm -rf "$rootfs"
  echo "made with debootstrap"
fi

step "build $IMAGE"
started=$SECONDS
# --layers=false: with the vfs driver every kept layer is a full copy of the filesystem.
timeout 900 "${PODMAN[@]}" build --layers=false --format docker --network host --isolation chroot \
  -v /etc/ssl/certs:/etc/ssl/certs:ro --build-arg "BASE=$BASE_IMAGE" -t "$IMAGE" . \
  >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; exit 1; }
size=$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE")
echo "built in $((SECONDS - started)) s; image size $((size / 1000000)) MB"

.venv/bin/gloss passages --url https://www.globalresearch.ca/x seeds/000_ce0ab49137e1b1ef.txt \
  >"$work/page.json"
notes=$(find notes -maxdepth 1 -name '*.yaml' | wc -l)

step "SQLite in a volume: health, match, healthcheck, user"
port=$(free_port)
start --name "$PREFIX-sqlite" --network host \
  --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
  -e GLOSS_BIND="127.0.0.1:$port" -v "$PREFIX-data:/data" "$IMAGE"
"$PY" scripts/probe.py health "http://127.0.0.1:$port" --notes "$notes" --wait 60
"$PY" scripts/probe.py match "http://127.0.0.1:$port" "$work/page.json" \
  --expect global-research --expect south-front
run_podman healthcheck run "$PREFIX-sqlite"
[ "$(run_podman inspect --format '{{.State.Health.Status}}' "$PREFIX-sqlite")" = healthy ]
echo "HEALTHCHECK: healthy"
uid=$(run_podman exec "$PREFIX-sqlite" id -u)
[ "$uid" != 0 ] || { echo "the server runs as root" >&2; exit 1; }
echo "runs as uid $uid"

step "restart on the same volume: already migrated, notes kept once"
timeout 60 "${PODMAN[@]}" stop -t 10 "$PREFIX-sqlite" >/dev/null 2>>"$work/podman-run.log"
run_podman start "$PREFIX-sqlite" >/dev/null 2>>"$work/podman-run.log"
"$PY" scripts/probe.py health "http://127.0.0.1:$port" --notes "$notes" --wait 60
"${PODMAN[@]}" logs "$PREFIX-sqlite" >"$work/sqlite.log" 2>&1
grep "^database:" "$work/sqlite.log"
grep -q "(head); migrated from empty" "$work/sqlite.log"
grep -q "(head); nothing to do" "$work/sqlite.log"
[ "$(grep -c "loaded notes on first start" "$work/sqlite.log")" = 1 ]
echo "second start: schema already at head, notes not loaded again"
run_podman rm -f -t 5 "$PREFIX-sqlite" >/dev/null 2>&1

step "two replicas on one PostgreSQL database, started together"
psql -q "$PG_ADMIN/postgres" -c "CREATE DATABASE $pg_db" >/dev/null
mkdir "$work/import"
cat >"$work/import/image-check-probe.yaml" <<'YAML'
kind: claim
title: Image check probe
summary: A note loaded through one replica, to be matched by the other.
rating: unproven
quotes:
  - "Central Asia is a place of long-standing geopolitical confrontation."
sources:
  - title: Gloss image check
    url: https://example.org/gloss-image-check
status: published
YAML
chmod -R a+rX "$work"
# Two loopback addresses and one port, like two containers on a compose network.
replica_port=$(free_port)
replica_a=127.0.0.2:$replica_port
replica_b=127.0.0.3:$replica_port
start_replica() {
  start --name "$PREFIX-pg-$1" --network host \
    --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
    -e GLOSS_BIND="$2" \
    -e GLOSS_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:5432/$pg_db" \
    -v "$work/import:/import:ro" "$IMAGE"
}
start_replica a "$replica_a" & starting_a=$!
start_replica b "$replica_b" & starting_b=$!
wait $starting_a
wait $starting_b
"$PY" scripts/probe.py health "http://$replica_a" --notes "$notes" --wait 60
"$PY" scripts/probe.py health "http://$replica_b" --notes "$notes" --wait 60
"$PY" scripts/probe.py match "http://$replica_b" "$work/page.json" \
  --expect global-research --absent image-check-probe
run_podman exec "$PREFIX-pg-a" gloss load /import
"$PY" scripts/probe.py match "http://$replica_b" "$work/page.json" \
  --expect global-research --expect image-check-probe
revisions=$(psql -At "$PG_ADMIN/$pg_db" -c "SELECT count(*) FROM alembic_version")
[ "$revisions" = 1 ] || { echo "alembic_version has $revisions rows" >&2; exit 1; }
echo "replica b matched the note loaded through replica a; one alembic_version row"

step "docker/nginx.conf.template in front of both replicas (Debian's nginx, a stand-in DNS)"
# The compose proxy's real template; only its listening address, upstream port, DNS server
# and log file are swapped. The DNS answers "gloss" with both replicas, as Docker's does.
mkdir "$work/nginx" "$work/nginx/conf.d"
(cd "$work/nginx" && apt-get download nginx nginx-common >/dev/null 2>&1) || {
  as_root apt-get update -qq
  (cd "$work/nginx" && apt-get download nginx nginx-common >/dev/null)
}
for deb in "$work"/nginx/*.deb; do dpkg -x "$deb" "$work/nginx/root"; done
dns_port=$(free_port)
proxy_port=$(free_port)
"$PY" scripts/fake_dns.py "$dns_port" "gloss=127.0.0.2,127.0.0.3" & dns_pid=$!
sed -e "s/\${NGINX_LOCAL_RESOLVERS}/127.0.0.1:$dns_port/" -e "s/gloss:8000/gloss:$replica_port/" \
  -e "s/listen 80;/listen 127.0.0.1:$proxy_port;/" \
  -e "s#access_log /dev/stdout gloss;#access_log $work/nginx/access.log gloss;#" \
  docker/nginx.conf.template >"$work/nginx/conf.d/gloss.conf"
cat >"$work/nginx/nginx.conf" <<NGINX
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events {}
http {
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  include $work/nginx/conf.d/*.conf;
}
NGINX
nginx=("$work/nginx/root/usr/sbin/nginx" -p "$work/nginx" -c "$work/nginx/nginx.conf")
"${nginx[@]}" -t 2>&1 | tail -1
"${nginx[@]}"
proxy="http://127.0.0.1:$proxy_port"
"$PY" scripts/probe.py health "$proxy" --notes $((notes + 1)) --wait 20 --repeat 20
"$PY" scripts/probe.py match "$proxy" "$work/page.json" --expect image-check-probe
grep -q " 127.0.0.2:$replica_port\$" "$work/nginx/access.log"
grep -q " 127.0.0.3:$replica_port\$" "$work/nginx/access.log"
echo "nginx spread requests over both replicas"
timeout 60 "${PODMAN[@]}" stop -t 10 "$PREFIX-pg-b" >/dev/null 2>>"$work/podman-run.log"
"$PY" scripts/probe.py health "$proxy" --wait 20 --repeat 20
echo "with replica b stopped, nginx sent every request to replica a"

step "image check passed (image $((size / 1000000)) MB)"
