# The two commands a newcomer needs: `make run` and `make test` (see README.md).
# Everything installs from the lock files into .venv; nothing is needed but python3.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
UV_VERSION := 0.13.9

.PHONY: run test install install-dev migrate demo serve lint typecheck check-deploy lock clean ci help

help:
	@echo "make run    - install, migrate, load demo data and serve on http://127.0.0.1:8000"
	@echo "make test   - install test dependencies and run the whole suite"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# Stamps make a second `make run` skip the install unless a lock file changed. Bytecode is
# compiled at install: where PYTHONDONTWRITEBYTECODE is set, every process (each gunicorn or
# Celery worker, each test subprocess) would otherwise compile every import again.
$(VENV)/.installed: requirements.lock | $(PY)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(PY) requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(PY)
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(PY) requirements-dev.lock
	@rm -f $(VENV)/.installed
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# `make run` must not drop test tools a developer installed: the dev lock is a superset.
$(VENV)/.runtime: requirements.lock requirements-dev.lock | $(PY)
	@if [ -f $(VENV)/.installed-dev ]; then $(MAKE) --no-print-directory install-dev; \
	 else $(MAKE) --no-print-directory install; fi
	@touch $@

migrate: $(VENV)/.runtime
	$(PY) manage.py migrate --no-input

demo: migrate
	@# The filesystem broker's folders, before seed_demo's first notifications are queued.
	@mkdir -p var/celery/queue var/celery/processed var/celery/control
	$(PY) manage.py seed_demo $(SEED_DEMO_ARGS)

# scripts/run-dev.sh prints the demo sign-ins once, as the server starts: not seed_demo too.
run: SEED_DEMO_ARGS := --no-sign-ins
run: demo
	@bash scripts/run-dev.sh

test: install-dev
	@bash scripts/system-deps.sh || echo "Could not install system packages (needs root): PDF and browser tests need them"
	@$(MAKE) --no-print-directory test-oidc-provider || echo "Could not install the test OpenID provider (needs Node.js and npm): the single sign-on journeys need it"
	bash scripts/test.sh

# The OpenID provider the single sign-on journeys run (tests/oidc_provider: oidc-provider from
# npm, as package-lock.json pins it). Reinstalled only when the lock file changes.
OIDC_PROVIDER_DIR := tests/oidc_provider
$(OIDC_PROVIDER_DIR)/node_modules/.installed: $(OIDC_PROVIDER_DIR)/package-lock.json
	npm ci --prefix $(OIDC_PROVIDER_DIR) --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: test-oidc-provider
test-oidc-provider: $(OIDC_PROVIDER_DIR)/node_modules/.installed

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy .

check-deploy: install
	bash scripts/check-deploy.sh

lock:
	$(BIN)/uv pip compile pyproject.toml -o requirements.lock --python-version 3.11 --generate-hashes -q
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements-dev.lock --python-version 3.11 --generate-hashes -q

clean:
	rm -rf $(VENV) var staticfiles

-include frontend/frontend.mk
# The benchmarks (make <target>; script options in BENCH_ARGS). Each needs PostgreSQL and works
# on a throwaway database of its own. Most are one script each, run by the one recipe below.
BENCH_SCRIPT_TARGETS := bench-report bench-cme-return bench bench-gias bench-pickers
.PHONY: bench-jobs bench-matching $(BENCH_SCRIPT_TARGETS)

# Time each scheduled check over 1,000,000 rows against a hand-written UPDATE (issue 4).
# Creates and fills DATABASE_URL (default: the throwaway cme_bench).
bench-jobs: install-dev
	DJANGO_SETTINGS_MODULE=config.settings \
	DJANGO_EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend \
	$(PY) scripts/bench_jobs.py $(BENCH_ARGS)

# The matcher against Splink on FEBRL4, FEBRL3 and a seeded UK-shaped set (precision, recall,
# F1, blocking recall, twins and siblings proposed, time), then possible_matches over 1,000,000
# children (p95 <= 50 ms) and the EXPLAIN of its query (issue 14). Recreates and drops
# cme_bench_matching. Smaller: make bench-matching BENCH_ARGS="--children 100000".
bench-matching: install-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/cme_bench_matching} \
	    $(PY) scripts/bench_matching $(BENCH_ARGS)

# Time a 12-month board report on 100,000 children and 20,000 cases (issue 5).
# Recreates and then drops the throwaway cme_report_bench database.
bench-report: BENCH_SCRIPT := bench_report.py

# Time the termly CME return at a census date on 100,000 children and 20,000 cases (issue 15).
# Recreates and then drops the throwaway cme_return_bench database.
bench-cme-return: BENCH_SCRIPT := bench_cme_return.py

# Register, triage and case pages against raw SQL and the admin, then 50 locust users on
# gunicorn (issue 7 item 4), then capacity: req/s at p95 <= 300 ms with no think time, stepped
# over 1-32 users, app beside the bare-Django control, one gunicorn and two behind nginx
# (issue 18 item 5; about 9 minutes in all). Needs nginx too; recreates and drops
# cme_pages_bench. Only the capacity run, on a kept database:
# make bench BENCH_ARGS="--keep" once, then BENCH_ARGS="--reuse --keep --no-pages --no-load".
bench: BENCH_SCRIPT := bench_pages.py

# import_schools on a generated national-size GIAS file (50,000 rows, 40+ MB, the published
# layout): created, unchanged, updated; each <= 10 s and <= 500 MB (issue 16 item 1).
# Recreates and then drops the throwaway cme_gias_bench database.
bench-gias: BENCH_SCRIPT := bench_gias.py

# Every page that had a school dropdown, with the demo directory and then a generated national
# one (50,000 schools): HTML <= 200 KB and server time <= 2x the demo's (issue 16 item 2).
# Recreates and then drops the throwaway cme_picker_bench database.
bench-pickers: BENCH_SCRIPT := bench_pickers.py

$(BENCH_SCRIPT_TARGETS): install-dev
	$(PY) scripts/$(BENCH_SCRIPT) $(BENCH_ARGS)
