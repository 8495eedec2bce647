# Xunshi: every command a developer or CI needs. `make run` and `make test` are the two
# a new user types; the rest are here for CI and for daily work.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PORTAL_PORT ?= 8001

.PHONY: install install-dev run seed test lint types check format bench bench-portal bench-province bench-search bench-web messages bundle bundle-check clean

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(BIN)/pip install -q --disable-pip-version-check --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Random keys for this laptop, written once; never committed (see .env.example).
.env:
	$(PYTHON) -c "import secrets; print('XUNSHI_ENV=dev'); print('XUNSHI_SECRET_KEY=' + secrets.token_urlsafe(48)); print('XUNSHI_FIELD_KEY=' + secrets.token_hex(16))" > $@
	chmod 600 $@

install: $(VENV)/.runtime node_modules/.installed .env
	@mkdir -p var

install-dev: $(VENV)/.dev node_modules/.installed
	@mkdir -p var

# Migrate, load the demo province once, then serve the internal app on $(HOST):$(PORT) with
# one worker, the portal puller and the oversight counter (figures_refresh every
# XUNSHI_OVERSIGHT_FIGURES_SECONDS), and the public portal on $(HOST):$(PORTAL_PORT) (no
# access log: the portal records no address of anyone). The internal app's access log has a
# line per page, none per static file (config/gunicorn_logging.py).
run: install var/portal.env
	@mkdir -p var && chmod 0700 var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) portal/manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	@$(PY) manage.py files_sweep -v 0 >/dev/null
	@$(PY) manage.py jobs_reap -v 0 >/dev/null
	@$(PY) manage.py demo_logins
	@trap 'kill $$worker $$puller $$counter $$reminder $$portal 2>/dev/null' EXIT INT TERM; \
	export XUNSHI_PORTAL_URL=http://$(HOST):$(PORTAL_PORT) PORTAL_BASE_URL=http://$(HOST):$(PORTAL_PORT); \
	$(PY) manage.py jobs_worker --interval 1 & worker=$$!; \
	$(PY) manage.py portal_pull --every 60 & puller=$$!; \
	$(PY) manage.py oversight_figures -v 0 --every & counter=$$!; \
	$(PY) manage.py reminders -v 0 --every & reminder=$$!; \
	PORTAL_DEBUG=false $(BIN)/gunicorn portal.wsgi -b $(HOST):$(PORTAL_PORT) --workers 2 --log-level warning \
	  --control-socket var/gunicorn-portal.ctl & portal=$$!; \
	echo "Xunshi: http://$(HOST):$(PORT)/  portal: http://$(HOST):$(PORTAL_PORT)/ (Ctrl-C stops all)"; \
	$(BIN)/gunicorn config.wsgi -b $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - \
	  --logger-class config.gunicorn_logging.PagesOnlyLogger \
	  --log-level warning --control-socket var/gunicorn.ctl

# The portal's keys for this laptop, written once: its own file (var/portal.env, 0600), and the
# office's private key and the API token appended to .env for the internal app only.
var/portal.env: $(VENV)/.runtime .env
	@mkdir -p var
	$(PY) -m portal.keys --portal-file $@ >> .env

seed: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo

# The suites run on SQLite unless DATABASE_URL (and PORTAL_DATABASE_URL) name PostgreSQL
# servers. The portal is its own Django project, so its tests are a run of their own. The 15
# slowest tests are listed at the end: CI has 90 minutes for both databases, so the pass on
# PostgreSQL leaves out the three packages that use no database at all (the planner, the
# envelope, the upload scan), which the pass on SQLite has run.
NODB_PACKAGES = --ignore=planner --ignore=envelope --ignore=uploadscan
test: install-dev
	XUNSHI_ENV=test $(BIN)/pytest -n 2 -p no:cacheprovider --durations=15 $(if $(DATABASE_URL),$(NODB_PACKAGES))
	PORTAL_ENV=test $(BIN)/pytest -n 2 -p no:cacheprovider --ds=portal.settings portal/tests

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

types: install-dev
	XUNSHI_ENV=test $(BIN)/mypy
	PORTAL_ENV=test $(BIN)/mypy --config-file portal/mypy.ini portal

check: install-dev lint types
	XUNSHI_ENV=test $(PY) manage.py check
	XUNSHI_ENV=test $(PY) manage.py makemigrations --check --dry-run
	PORTAL_ENV=test $(PY) portal/manage.py check
	PORTAL_ENV=test $(PY) portal/manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache
	XUNSHI_ENV=test $(BIN)/pytest -p no:cacheprovider -q xunshi/tests/test_floor_plan.py

messages: install-dev
	XUNSHI_ENV=test $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# The planner's benchmark: writes BENCHMARKS.md (about 90 min; BENCH_QUICK=1 for ~4 min).
# Resumes from var/bench/ when interrupted; see bench/README.md. Never part of `make test`.
bench: install-dev
	$(PY) -m bench.run

# Submissions per second to the portal under gunicorn on PostgreSQL (BENCHMARKS-portal.md).
bench-portal: install-dev
	$(PY) -m bench.portal_load

# The oversight pages and the village ledger at a province's size (176 bodies, ~47,000 villages,
# ten years of rounds) on a throwaway PostgreSQL: BENCHMARKS-province.md. LABEL names the run
# (default `current`); the runs kept in var/bench/province/ stand side by side in the report.
bench-province: install-dev
	$(PY) -m bench.province $(if $(LABEL),--label $(LABEL))

# Every main page × role at issue 13's national size (103,318 organizations, 1,000,000
# problems, 2,000,000 audit events …) on a throwaway PostgreSQL: BENCHMARKS-web.md. SCALE=0.01
# tries it quickly (report in var/bench/web/); LABEL names the run (default `current`).
# The full-text search at 1,000,000 index entries: p95 of a phrase search for the team owning
# the paper (SQLite; PG=1 for a throwaway PostgreSQL). Writes nothing but its own var/bench/search/.
bench-search: install-dev
	XUNSHI_ENV=test PYTHONPATH=. $(PY) bench/search.py $(if $(PG),--pg) $(if $(ROWS),--rows $(ROWS))

bench-web: install-dev
	$(PY) -m bench.web $(if $(LABEL),--label $(LABEL)) $(if $(SCALE),--scale $(SCALE))

# The offline installation bundle (docs/deploy.md): every runtime wheel for this machine's
# platform, the npm tarballs, the source at HEAD and install.sh, in dist/. Needs the network
# (the package registries) here, none where it is installed.
bundle: install
	PY=$(PY) sh deploy/bundle.sh

# What CI runs after `make test`: build the bundle, then install it into a fresh directory with
# no network at all and run both apps' `check --deploy` there (xunshi/web/tests/test_bundle.py;
# a few minutes, so not part of `make test`).
bundle-check: install-dev
	XUNSHI_BUNDLE=$$(PY=$(PY) sh deploy/bundle.sh | tail -n 1) XUNSHI_ENV=test \
	  $(BIN)/pytest -p no:cacheprovider -q xunshi/web/tests/test_bundle.py

clean:
	rm -rf $(VENV) node_modules var/static
