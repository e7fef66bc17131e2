# Gloss: the two commands a fresh machine needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck pytest conformance bench install install-dev test-deps clean

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml constraints.txt
	$(PIP) install -q -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Set up, load the curated notes and serve on $(HOST):$(PORT).
run: install
	$(VENV)/bin/gloss load notes/
	$(VENV)/bin/gloss serve --host $(HOST) --port $(PORT)

## Set up everything the tests need (system packages too) and run the whole suite.
test: install-dev test-deps lint typecheck jscheck pytest

test-deps:
	bash scripts/test-deps.sh

lint: install-dev
	$(VENV)/bin/ruff check server tests $(wildcard bench)
	$(VENV)/bin/ruff format --check server tests $(wildcard bench)

typecheck: install-dev
	$(VENV)/bin/mypy

## The extension's JavaScript, checked like the Python: ESLint (eslint.config.mjs) and
## TypeScript's checkJs over the JSDoc types with the chrome.* type definitions (tsconfig.json).
.PHONY: jscheck
jscheck: node_modules/.package-lock.json
	npm run --silent check:js

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

## The extension's store packages for Chrome and Firefox in dist/extension/ (web-ext build; one
## version for both, from extension/manifest.json).
.PHONY: extension
extension: node_modules/.package-lock.json
	npm run --silent build
	$(PYTHON) scripts/build_extension.py

pytest: install-dev
	$(VENV)/bin/pytest

## Hypothesis's and others' quote-anchoring cases against the engine (needs ../shared).
conformance: install-dev
	$(PY) bench/conformance.py

## Matching speed, memory and quality figures (see README "Benchmarks").
BENCH_ARGS ?=
bench: install-dev
	$(PY) bench/match_bench.py $(BENCH_ARGS)
	$(PY) bench/variants.py
	$(PY) bench/soak.py
	$(PY) bench/load.py
	$(PY) bench/warm_start.py
	$(PY) bench/extension_budget.py
	$(PY) bench/hostile.py
	$(PY) bench/claims.py
	$(PY) bench/import_bench.py

## Time and peak memory of the open-data imports (needs ../shared), then matching with them.
.PHONY: bench-import
bench-import: install-dev
	$(PY) bench/import_bench.py

## Lint the Dockerfile, build the image with podman and run it (SQLite, two replicas on
## PostgreSQL). Installs podman, buildah, runc and debootstrap when missing; a few minutes.
.PHONY: image-check
image-check: install-dev
	timeout 1500 bash scripts/image-check.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache data
