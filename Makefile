# Xunshi: every command a developer or CI needs. `make run` and `make test` are the two
# a new user types; the rest are here for CI and for daily work.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run seed test lint types check format bench messages clean

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

# Migrate, load the demo province once, then serve on $(HOST):$(PORT) with one worker.
run: install
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	@$(PY) manage.py files_sweep -v 0 >/dev/null
	@$(PY) manage.py demo_logins
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	echo "Xunshi: http://$(HOST):$(PORT)/ (Ctrl-C stops the server and the worker)"; \
	$(BIN)/gunicorn config.wsgi -b $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - --log-level warning

seed: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo

# The suite runs on SQLite unless DATABASE_URL names a PostgreSQL server.
test: install-dev
	XUNSHI_ENV=test $(BIN)/pytest -n 2 -p no:cacheprovider

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

types: install-dev
	XUNSHI_ENV=test $(BIN)/mypy

check: install-dev lint types
	XUNSHI_ENV=test $(PY) manage.py check
	XUNSHI_ENV=test $(PY) manage.py makemigrations --check --dry-run

messages: install-dev
	XUNSHI_ENV=test $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

# The planner's benchmark: writes BENCHMARKS.md (about 90 min; BENCH_QUICK=1 for ~4 min).
# Resumes from var/bench/ when interrupted; see bench/README.md. Never part of `make test`.
bench: install-dev
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) node_modules var/static
