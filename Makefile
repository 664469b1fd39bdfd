# Ketenwijs — the two commands of the README are `make run` and `make test`; CI calls `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run install install-test test lint format typecheck pytest test-postgres test-load messages model bench clean

run: install ## install and start Ketenwijs on SQLite (demo organisation, content loaded)
	$(BIN)/ketenwijs serve --port $(PORT)

install: $(STAMP_RUN)

$(STAMP_RUN): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

install-test: $(STAMP_TEST) node_modules/.installed /usr/bin/chromium /usr/bin/xgettext /usr/bin/pdftotext

$(STAMP_TEST): pyproject.toml $(STAMP_RUN)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# npm tools of the tests (pinned in package-lock.json): axe-core for the browser tests, Spectral
# to lint docs/api/openapi.json with the NL API Design Rules (ADR 0013).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Debian packages the tests use: chromium for browser tests, gettext to re-extract UI strings,
# poppler-utils to read generated PDFs. Installed only when missing (needs root, as on CI).
/usr/bin/chromium /usr/bin/xgettext /usr/bin/pdftotext:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium gettext poppler-utils >/dev/null

test: install-test lint typecheck pytest ## install what tests need, then lint, type-check and run the whole suite

lint:
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format:
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest -q

# The same suite against PostgreSQL (the production database); CI runs this too.
test-postgres: install-test
	KETENWIJS_DATABASE_URL=$${KETENWIJS_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/ketenwijs} $(BIN)/pytest -q

# Load and fault tests: gunicorn + PostgreSQL + Redis on loopback; restarts PostgreSQL once.
test-load: install-test
	$(BIN)/pytest -q -s -m load tests/load

messages: ## re-extract UI strings into the .po catalogues (then translate the Dutch ones)
	cd src/ketenwijs && KETENWIJS_DATA_DIR=../../data ../../$(BIN)/ketenwijs manage makemessages -l nl -l en --no-obsolete --ignore 'cli/*'

model: install ## retrain the learned sentence detector from content/signals/training (ADR 0012)
	$(BIN)/python -m ketenwijs.signals.model

bench:
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script; done

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
