# Suivi — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/suivi
BAROMETRE := data/programmes/barometre

.PHONY: run serve-prod bench-load test lint pytest-sqlite pytest-postgres setup browser data bench screenshots clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed

## Debian's packages the tests use: Chromium for the browser tests (Playwright's own download
## is not used), poppler-utils' pdftotext to read the reports back. WeasyPrint uses Debian's pango.
browser:
	@command -v chromium >/dev/null && command -v pdftotext >/dev/null || \
	  (apt-get update -q && apt-get install -y -q chromium poppler-utils)

## Load a database: schema, France's geography, the programmes shipped with Suivi. $(1) is the
## environment the commands run in (empty: the embedded SQLite database).
define LOAD_DATA
	$(1) $(PY) manage.py migrate --no-input
	$(1) $(PY) manage.py load_territories
	$(1) $(PY) manage.py load_programme ciec --keep-site-edits
	$(1) $(PY) manage.py load_programme barometre --keep-site-edits
	$(1) $(PY) manage.py import_values $(BAROMETRE)/source/barometre-resultats-detail-national.csv \
	  --programme barometre --mapping $(BAROMETRE)/import-detail-national.yaml --publish
	$(1) $(PY) manage.py import_values $(BAROMETRE)/source/barometre-resultats-detail-regional.csv \
	  --programme barometre --mapping $(BAROMETRE)/import-detail-regional.yaml --publish
	$(1) $(PY) manage.py import_values '$(BAROMETRE)/source/departements/*.csv' \
	  --programme barometre --mapping $(BAROMETRE)/import-detail-departemental.yaml --publish
	$(1) $(PY) manage.py import_targets $(BAROMETRE)/source/barometre-resultats-synthese-regional.csv \
	  --programme barometre --mapping $(BAROMETRE)/targets-regional.yaml
	$(1) $(PY) manage.py import_targets $(BAROMETRE)/source/barometre-resultats-synthese-departemental.csv \
	  --programme barometre --mapping $(BAROMETRE)/targets-departemental.yaml
	$(1) $(PY) manage.py collectstatic --no-input --verbosity 0
endef

## Load the embedded database (and the local demo accounts).
data: setup
	$(call LOAD_DATA,)
	$(PY) manage.py create_demo_accounts

## Serve the site on the embedded SQLite database, with the data loaded.
## …with a background worker for imports (django-tasks' database backend), stopped with the server.
run: data
	@mkdir -p var
	@$(PY) manage.py db_worker --no-startup-delay > var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Production-like serving on this machine: gunicorn (gunicorn.conf.py) with WhiteNoise,
## PostgreSQL ($(PG_URL)) and Redis ($(REDIS_URL)), a background worker beside it.
## Plain HTTP here (SECURE_COOKIES=false); behind a TLS proxy see README, "Production".
REDIS_URL ?= redis://127.0.0.1:6379/0
PROD_ENV = DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_URL) SECRET_KEY_FILE=var/prod-secret \
  SECURE_COOKIES=$(or $(SECURE_COOKIES),false) PORT=$(PORT)
var/prod-secret: | $(VENV)/bin/python
	@mkdir -p var && umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

serve-prod: setup var/prod-secret
	scripts/ensure-postgres.sh
	@psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw $(notdir $(PG_URL)) || \
	  createdb -h 127.0.0.1 -U postgres $(notdir $(PG_URL))
	$(call LOAD_DATA,$(PROD_ENV))
	@mkdir -p var
	@$(PROD_ENV) $(PY) manage.py db_worker --no-startup-delay > var/worker-prod.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PROD_ENV) $(VENV)/bin/gunicorn -c gunicorn.conf.py

lint: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

# The tests that run manage.py in processes of their own (marker `subprocess`) use their own
# SQLite files and PostgreSQL databases, whatever the suite's engine: each runs once, in the
# PostgreSQL pass, except the longest (marker `sqlite_pass`), which balances the two passes.
pytest-sqlite: setup browser
	env -u DATABASE_URL $(VENV)/bin/pytest -m "not subprocess or sqlite_pass"

pytest-postgres: setup browser
	scripts/ensure-postgres.sh
	DATABASE_URL=$(PG_URL) SECRET_KEY=test-only-not-secret $(VENV)/bin/pytest -m "not browser and not sqlite_pass"

## The whole suite: lint, then every test on SQLite and on PostgreSQL, the two side by side
## (one process each; each suite's output is printed whole when it ends).
test: lint
	$(MAKE) -j2 --output-sync=target pytest-sqlite pytest-postgres

## Screenshots of the main pages, for the README (docs/screenshots/).
screenshots: setup browser
	SUIVI_SCREENSHOTS_DIR=docs/screenshots env -u DATABASE_URL $(VENV)/bin/pytest -m browser -q

## Benchmarks: figures and their ratio to the baselines (see bench/README.md).
## Every script runs, whatever the one before it found; the exit status says whether a goal was missed.
BENCHES := measure_page rollup report extraction scale
bench: data
	@missed=""; for name in $(BENCHES); do \
	  echo "== bench/$$name.py"; $(PY) bench/$$name.py || missed="$$missed $$name"; \
	done; \
	if [ -n "$$missed" ]; then echo "Goals missed by:$$missed (causes in bench/RESULTS.md)"; exit 1; fi

## Load benchmark: gunicorn + PostgreSQL + Redis under wrk, beside nginx (Debian's packages).
bench-load: setup var/prod-secret
	@command -v wrk >/dev/null && command -v nginx >/dev/null || \
	  (apt-get update -q && apt-get install -y -q wrk nginx-light)
	scripts/ensure-postgres.sh
	@psql -h 127.0.0.1 -U postgres -lqt | cut -d'|' -f1 | grep -qw $(notdir $(PG_URL)) || \
	  createdb -h 127.0.0.1 -U postgres $(notdir $(PG_URL))
	$(call LOAD_DATA,$(PROD_ENV))
	$(PY) bench/load.py

clean:
	rm -rf $(VENV) node_modules staticfiles
