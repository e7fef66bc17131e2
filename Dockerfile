# Gloss API server: gunicorn with the Flask app, SQLite in /data by default, PostgreSQL via
# GLOSS_DATABASE_URL. Configured only through environment variables: README.md ("Self-hosting").
#
#   docker build -t gloss .
#   docker run -d -p 8000:8000 -v gloss-data:/data gloss
#
# BASE is any image with python3 (3.11+) and its venv module; checks here build on a Debian
# base made with debootstrap (scripts/image-check.sh), users get the official slim image.
ARG BASE=python:3.12-slim

# ---- build: a virtualenv holding Gloss and its pinned dependencies -----------------------
FROM ${BASE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_ROOT_USER_ACTION=ignore
WORKDIR /src

# Dependencies first, pinned by constraints.txt: code changes reuse this layer.
COPY pyproject.toml constraints.txt ./
RUN python3 -m venv /opt/gloss \
 && python3 -c 'import tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"], sep="\n")' > requirements.txt \
 && /opt/gloss/bin/pip install --requirement requirements.txt --constraint constraints.txt

COPY README.md ./
COPY server ./server
# pip and setuptools are not needed to run, and the runtime image is immutable.
RUN /opt/gloss/bin/pip install --no-deps /src \
 && /opt/gloss/bin/python -m pip uninstall --yes --quiet pip setuptools

# ---- runtime: the venv, the bundled notes, a non-root user --------------------------------
FROM ${BASE}
LABEL org.opencontainers.image.title="Gloss" \
      org.opencontainers.image.description="Context cards beside what people read on the web" \
      org.opencontainers.image.licenses="AGPL-3.0-or-later"

RUN groupadd --system --gid 10001 gloss \
 && useradd --system --uid 10001 --gid gloss --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin gloss \
 && mkdir /data \
 && chown gloss:gloss /data

COPY --from=build /opt/gloss /opt/gloss
COPY notes /usr/share/gloss/notes
COPY docker/entrypoint.sh /usr/local/bin/gloss-entrypoint
COPY docker/healthcheck.py /usr/local/bin/gloss-healthcheck

ENV PATH=/opt/gloss/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    GLOSS_DATABASE_URL=sqlite:////data/gloss.db \
    GLOSS_SEED_NOTES_DIR=/usr/share/gloss/notes \
    GLOSS_BIND=0.0.0.0:8000

USER 10001:10001
WORKDIR /data
VOLUME /data
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["python3", "/usr/local/bin/gloss-healthcheck"]
ENTRYPOINT ["gloss-entrypoint"]
CMD ["serve"]
