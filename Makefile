# qicollab — the one interface. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000
# The demo runs like production (DEBUG off, styled error pages, hashed static files) but
# over plain HTTP on the loopback address, with a secret key kept in var/ on this machine.
DEMO_ENV = DEBUG=false SECRET_KEY="$$(cat var/secret_key)" ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=false SECURE_COOKIES=false SECURE_HSTS_SECONDS=0 SITE_URL=http://$(HOST):$(PORT)
DEV_ENV = DEBUG=true

.DEFAULT_GOAL := help

.PHONY: help install install-python install-assets assets migrate seed run dev serve test test-fast \
        test-browser fuzz bench lint typecheck doctest check requirements clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-15s %s\n", $$1, $$2}'

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv
	touch $@

$(VENV)/.installed: $(VENV)/.created requirements/dev.txt pyproject.toml
	$(UV) pip sync --quiet --python $(PY) --require-hashes requirements/dev.txt
	$(UV) pip install --quiet --python $(PY) --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install-python: $(VENV)/.installed ## Install the hash-pinned Python requirements into .venv

install-assets: node_modules/.installed ## Install front-end packages from package-lock.json

assets: install-assets ## Build CSS/JS into src/qicollab/assets/compiled
	npm run --silent build

install: install-python assets ## Install everything

var/secret_key:
	@mkdir -p var
	@$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(64))" > $@
	@chmod 600 $@

migrate: install var/secret_key ## Create or update the SQLite database
	$(DEMO_ENV) $(PY) manage.py migrate --no-input -v0

seed: migrate ## Load the demo collaborative (idempotent)
	$(DEMO_ENV) $(PY) manage.py seed_demo

run: seed ## Install, migrate, load the demo, serve http://127.0.0.1:8000 with the job worker
	$(DEMO_ENV) $(PY) manage.py collectstatic --no-input -v0
	$(DEMO_ENV) $(PY) manage.py demo_logins
	@echo "Serving on http://$(HOST):$(PORT)/ with a job worker and the scheduler (Ctrl-C stops all)"
	$(DEMO_ENV) BIND=$(HOST):$(PORT) PY=$(PY) scripts/serve.sh

dev: seed ## Like run, but Django's auto-reloading debug server with DEBUG on
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

serve: install ## Production-style: gunicorn + job worker + scheduler (needs SECRET_KEY and ALLOWED_HOSTS)
	$(PY) manage.py collectstatic --no-input -v0
	BIND=$(HOST):$(PORT) PY=$(PY) scripts/serve.sh

test: install ## Run the whole test suite (browser tests skip with a reason if Chromium is missing)
	$(PY) -m pytest -q -n 2 --dist loadgroup

test-fast: install ## Run the suite without the browser tests
	$(PY) -m pytest -q -n 2 -m "not browser"

test-browser: install ## Run only the browser tests (Playwright + Debian Chromium + axe-core)
	$(PY) -m pytest -q -m browser

FUZZ_EXAMPLES ?= 100
fuzz: install ## Fuzz the whole API from its OpenAPI schema (schemathesis, FUZZ_EXAMPLES per operation)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -q tests/api/test_fuzz.py

# The page budget's crawl runs on SQLite (var/) and on PostgreSQL (this database, created
# when missing); each loads the national data set on its first run.
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/qicollab_bench
bench: install ## Run the benchmarks (the first run loads the national data set into var/, minutes; see docs/performance.md)
	@for b in bench/bench_*.py; do [ $$b = bench/bench_crawl.py ] && continue; echo "== $$b"; PYTHONPATH=src $(PY) $$b || exit 1; done
	@echo "== bench/bench_crawl.py (SQLite)"
	PYTHONPATH=src $(PY) bench/bench_crawl.py --write-docs
	@echo "== bench/bench_crawl.py (PostgreSQL)"
	-psql "$(BENCH_PG_URL:/qicollab_bench=/postgres)" -qc "CREATE DATABASE qicollab_bench" 2>/dev/null
	DATABASE_URL=$(BENCH_PG_URL) PYTHONPATH=src $(PY) bench/bench_crawl.py --write-docs

lint: install ## ruff check and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install ## mypy (strict) over src/
	$(VENV)/bin/mypy src/qicollab

# Every docstring example in the package (Django set up by pytest-django from pyproject's
# settings). Migrations are generated code with no examples and import-time side effects
# we do not want; assets hold no Python.
doctest: install ## Run every docstring example in src/qicollab
	$(PY) -m pytest -q -p no:cacheprovider --doctest-modules src/qicollab \
		--ignore-glob='*/migrations/*' --ignore=src/qicollab/assets \
		-o doctest_optionflags='ELLIPSIS NORMALIZE_WHITESPACE'

check: lint typecheck doctest test ## Everything CI checks on SQLite

requirements: ## Recompile the hash-pinned requirements after changing pyproject.toml
	$(UV) pip compile pyproject.toml --python-version 3.11 --generate-hashes --no-header -q -o requirements/base.txt
	$(UV) pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes --no-header -q -o requirements/dev.txt

clean: ## Remove the virtualenv, node_modules, built assets and the local database
	rm -rf $(VENV) node_modules src/qicollab/assets/compiled staticfiles var
