# civicmeet — `make run` serves the demo at http://127.0.0.1:8000, `make serve` serves the production
# profile (docs/operations.md), `make test` runs what CI runs.
# Both work on a fresh Debian machine with Python 3.11+; `make test` installs what it needs (as root).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# The steps of `make test` share one database directory and must run in the order written.
.NOTPARALLEL:

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# `make serve DEMO=1` also loads the demo meeting.
DEMO ?= 0
PYTEST_WORKERS ?= 2
PIP_INSTALL := $(PY) -m pip install --disable-pip-version-check --progress-bar off
# pytest's temporary directories, per checkout: at the end of a session pytest removes old ones of
# the same user, and two sessions from two checkouts at once (CI sharing the machine with another
# `make test`) would otherwise race to remove the same ones (an error warning fails the run).
export PYTEST_DEBUG_TEMPROOT := $(CURDIR)/var/pytest-tmp
$(shell mkdir -p var/pytest-tmp)

DEV := DJANGO_SETTINGS_MODULE=config.settings.dev
# Tests always run with the test settings; the SQLite runs ignore a DATABASE_URL from the caller.
TEST := DJANGO_SETTINGS_MODULE=config.settings.test
SQLITE_TEST := env -u DATABASE_URL $(TEST)
# A production-like environment for `check --deploy`: a fresh random key, a real host name.
# The database is never contacted by the checks.
PROD := DJANGO_SETTINGS_MODULE=config.settings.prod \
	SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	ALLOWED_HOSTS=civicmeet.example.org SITE_URL=https://civicmeet.example.org \
	DATABASE_URL=postgres://civicmeet@127.0.0.1:5432/civicmeet

.PHONY: help run serve serve-dev backup bench test test-setup system-deps test-lint test-types test-migrations check-deploy test-dependencies \
	test-sqlite test-e2e test-postgres test-reliability test-processes lint format messages clean distclean pdf-deps

help:
	@echo "make run       install, migrate, load the demo and serve it with the worker on http://$(HOST):$(PORT)"
	@echo "make serve     production profile (granian + worker, DEBUG off) on DATABASE_URL or var/; DEMO=1 loads the demo"
	@echo "make bench     load tests with wrk (SQLite, then PostgreSQL); figures into docs/performance.md"
	@echo "make backup    back up the database while it runs (SQLite online backup or pg_dump) into var/backups/"
	@echo "make test      install everything the tests need and run the whole suite (SQLite, browser, PostgreSQL)"
	@echo "make test-repeat N=10  the reliability (SQLite, PostgreSQL) and browser tests N times in a row; lists every failure"
	@echo "make lint      ruff check and ruff format --check"
	@echo "make format    ruff format and ruff check --fix"
	@echo "make messages  update and compile the pl/uk/en translation catalogues"
	@echo "make clean     remove caches and test artefacts (distclean also removes .venv and var/)"

# --- Python environment --------------------------------------------------------------------

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "civicmeet needs Python 3.11 or newer (try PYTHON=python3.11)")'
	@$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); echo "Could not create $(VENV). On Debian: apt-get install -y python3-venv" >&2; exit 1; }

# Reinstall only when the pinned requirements change.
$(VENV)/.requirements.stamp: requirements.txt | $(PY)
	$(PIP_INSTALL) -r requirements.txt
	@touch $@

$(VENV)/.requirements-dev.stamp: requirements-dev.txt requirements.txt | $(PY)
	$(PIP_INSTALL) -r requirements-dev.txt
	@touch $@ $(VENV)/.requirements.stamp

# --- Running -------------------------------------------------------------------------------

run: pdf-deps $(VENV)/.requirements.stamp
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo
	@$(MAKE) --no-print-directory serve-dev

# The development server (auto-reload, DEBUG on) with the worker; `make run` uses it.
serve-dev: $(VENV)/.requirements.stamp
	$(DEV) HOST=$(HOST) PORT=$(PORT) VENV_PYTHON=$(PY) scripts/run-dev.sh

# The production profile: migrates, collects static files, serves with granian and runs the worker.
# Plain http here, so no redirect to https unless SECURE_SSL_REDIRECT=1 is set (behind a TLS proxy).
serve: $(VENV)/.requirements.stamp
	DJANGO_SETTINGS_MODULE=config.settings.prod SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}" \
		HOST=$(HOST) PORT=$(PORT) DEMO=$(DEMO) VENV_PYTHON=$(PY) scripts/serve.sh

backup: $(VENV)/.requirements.stamp
	@test -n "$${SECRET_KEY:-}$${SECRET_KEY_FILE:-}" || export SECRET_KEY_FILE="$${CIVICMEET_VAR_DIR:-var}/secret_key"; \
		DJANGO_SETTINGS_MODULE=config.settings.prod $(PY) manage.py backup_database

# --- Benchmarks ----------------------------------------------------------------------------

# Load from wrk on loopback against the production profile, SQLite then PostgreSQL, figures into
# docs/performance.md (bench/run.py explains each scenario). BENCH_DURATION=10 seconds per scenario.
bench: test-setup
	@command -v wrk >/dev/null 2>&1 || { \
		if [ "$$(id -u)" -ne 0 ]; then echo "wrk is missing: sudo apt-get install -y wrk" >&2; exit 1; fi; \
		apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }
	@mkdir -p var/bench
	env -u DATABASE_URL VENV_PYTHON=$(PY) $(PY) bench/run.py --json var/bench/sqlite.json
	VENV_PYTHON=$(PY) PYTHON=$(PY) scripts/pg-test.sh $(PY) bench/run.py --json var/bench/postgresql.json
	$(PY) bench/run.py --report var/bench/sqlite.json var/bench/postgresql.json
	# Matching offers to needs (issue 10): figures in docs/network/offers-and-needs.md.
	env -u DATABASE_URL $(PY) bench/matching.py --json var/bench/matching-sqlite.json
	PYTHON=$(PY) scripts/pg-test.sh $(PY) bench/matching.py --json var/bench/matching-postgresql.json
# The network's search page over generate_network's directory (figures into docs/network/search.md).
	env -u DATABASE_URL VENV_PYTHON=$(PY) $(PY) bench/search.py --json var/bench/search-sqlite.json
	VENV_PYTHON=$(PY) PYTHON=$(PY) scripts/pg-test.sh $(PY) bench/search.py --json var/bench/search-postgresql.json
	$(PY) bench/search.py --report var/bench/search-sqlite.json var/bench/search-postgresql.json
	# The badge sheet for 300 people in the background (issue 11): figures in docs/day/documents.md.
	env -u DATABASE_URL $(PY) bench/badges.py --json var/bench/badges.json
	# Check-in with 4 desks scanning at once (issue 11): figures into docs/performance.md ("Check-in").
	env -u DATABASE_URL VENV_PYTHON=$(PY) $(PY) bench/checkin.py --json var/bench/checkin-sqlite.json
	VENV_PYTHON=$(PY) PYTHON=$(PY) scripts/pg-test.sh $(PY) bench/checkin.py --json var/bench/checkin-postgresql.json
	$(PY) bench/checkin.py --report var/bench/checkin-sqlite.json var/bench/checkin-postgresql.json
	# The networking planner (issue 12, pure Python): figures in docs/networking/planner.md.
	$(PY) bench/planner.py --json var/bench/planner.json

# --- Testing -------------------------------------------------------------------------------

test: test-setup test-lint test-types test-migrations check-deploy test-dependencies test-sqlite test-e2e test-postgres test-reliability test-processes
	@echo "All checks and tests passed (SQLite, browser and PostgreSQL)."

test-setup: system-deps $(VENV)/.requirements-dev.stamp

# The meeting's documents (civicmeet/checkin/documents/): WeasyPrint's Pango, Debian's fonts it
# embeds, and poppler's pdftotext/pdffonts with which the tests read the PDFs back. A file each
# package installs says whether it is there.
PDF_DEPS_CHECK = test -f /usr/share/fonts/truetype/noto/NotoSans-Regular.ttf || missing="$$missing fonts-noto-core"; \
	test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="$$missing fonts-dejavu-core"; \
	ls /usr/lib/*/libpango-1.0.so.0 >/dev/null 2>&1 || missing="$$missing libpango-1.0-0"; \
	ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1 || missing="$$missing libpangoft2-1.0-0"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils";

# `make run`: installed when run as root; otherwise it says what to install, and the site runs
# without them (the documents page says PDFs cannot be made yet).
pdf-deps:
	@missing=""; $(PDF_DEPS_CHECK) \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -ne 0 ]; then \
			echo "PDF documents (badges, certificates) need:$$missing. Install them with: sudo apt-get install -y$$missing (the rest of the site works without them)." >&2; \
		else \
			echo "Installing:$$missing"; \
			apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y$$missing \
				|| echo "Could not install$$missing: PDF documents stay unavailable." >&2; \
		fi; \
	fi

# Debian packages, installed only when missing (apt-get update runs at most once).
system-deps:
	@missing=""; $(PDF_DEPS_CHECK) \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	test -x $(PY) || $(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -ne 0 ]; then \
			echo "Missing system packages:$$missing. Run make test as root, or: sudo apt-get install -y$$missing" >&2; \
			exit 1; \
		fi; \
		echo "Installing:$$missing"; \
		apt-get update; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y$$missing; \
	fi

test-lint: test-setup
	$(PY) -m ruff check .

# mypy with django-stubs over civicmeet/, strict on civicmeet.eligibility (pyproject.toml).
test-types: test-setup
	$(SQLITE_TEST) $(PY) -m mypy

test-migrations: test-setup
	$(SQLITE_TEST) $(PY) manage.py makemigrations --check --dry-run

check-deploy: $(VENV)/.requirements.stamp
	$(PROD) $(PY) manage.py check --deploy --fail-level WARNING

# Known vulnerabilities in the pinned dependencies and everything they pull in (pip-audit resolves
# them in a throw-away environment, then asks PyPI's JSON API for advisories). `--strict` fails
# when a package cannot be audited rather than passing on an audit that did not happen: behind a
# PyPI mirror without the per-release JSON (as in the development sandbox) it fails, so it is not
# a step of `make test` there; run it in CI with access to pypi.org.
# Known vulnerabilities in the pinned dependencies: fails on any; says "NOT DONE" (and does not
# fail) only where the vulnerability service answers for no package at all (a closed network).
test-dependencies: test-setup
	$(PY) scripts/audit.py requirements.txt requirements-dev.txt

# The same audit, strict: fails also when the service cannot be reached.
test-audit: test-setup
	$(PY) -m pip_audit --strict --progress-spinner off -r requirements.txt -r requirements-dev.txt

test-sqlite: test-setup
	$(SQLITE_TEST) $(PY) -m pytest -n $(PYTEST_WORKERS) -m "not e2e and not reliability and not processes"

# Browser journeys in Debian's Chromium, once, on SQLite.
test-e2e: test-setup
	$(SQLITE_TEST) $(PY) -m pytest -m e2e

test-postgres: test-setup
	$(TEST) PYTHON=$(PY) scripts/pg-test.sh $(PY) -m pytest -n $(PYTEST_WORKERS) -m "not e2e and not reliability and not processes"

# Races, crashes, an email outage, double submits, backups and changes made by other processes
# against real servers (scripts/serve.sh), one test at a time (each starts its own granian and
# worker), on SQLite and then on PostgreSQL.
test-reliability: test-setup
	$(SQLITE_TEST) $(PY) -m pytest -m reliability tests/reliability tests/processes
	$(TEST) PYTHON=$(PY) scripts/pg-test.sh $(PY) -m pytest -m reliability tests/reliability tests/processes

# `make run` and `make serve` as a user runs them (tests/processes): each started with a free port
# and a temporary var/ (its own SQLite database), links checked, changes made from another process
# watched, and stopped by every signal at several moments of its start-up. Once: no test database.
test-processes: test-setup
	$(SQLITE_TEST) $(PY) -m pytest -m processes tests/processes

# `make test-reliability` (SQLite, then PostgreSQL) and `make test-e2e`, N times in a row: goes on
# after a failure, then lists each failure (run, step, database, test), each run's wall time and
# "N/N runs passed"; fails if any run failed. Logs in var/test-repeat/ (scripts/repeat_tests.py).
N ?= 10
.PHONY: test-repeat
test-repeat: test-setup
	$(PY) scripts/repeat_tests.py --runs $(N) --logs var/test-repeat \
		--step "reliability=$(MAKE) --no-print-directory test-reliability" \
		--step "e2e=$(MAKE) --no-print-directory test-e2e"

# --- Code and translations -----------------------------------------------------------------

lint: $(VENV)/.requirements-dev.stamp
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.requirements-dev.stamp
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

messages: $(VENV)/.requirements.stamp
	@mkdir -p locale
	$(DEV) $(PY) manage.py makemessages -l pl -l uk -l en --domain django \
		--ignore '.venv/*' --ignore 'var/*' --ignore 'node_modules/*' --no-obsolete
	$(DEV) $(PY) manage.py compilemessages --ignore .venv --ignore var --ignore node_modules

clean:
	find . -path ./.venv -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf .ruff_cache .mypy_cache .pytest_cache test-results var/static var/test-*.sqlite3* var/pytest-tmp

distclean: clean
	rm -rf $(VENV) var
