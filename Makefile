# Homestretch: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench assets browser nginx clean

# Python packages, reinstalled only when a lock file changes. uv installs the same pinned
# lock as pip would, in seconds rather than a minute or more; where uv cannot reach an
# index, pip (with the machine's own pip configuration) does it instead.
UV_VERSION := 0.13.8
define install-lock
$(VENV)/bin/uv pip install --quiet --python $(PY) -r $(1) \
	|| $(PY) -m pip install --quiet --disable-pip-version-check -r $(1)
endef

$(VENV)/bin/uv:
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: requirements.lock | $(VENV)/bin/uv
	$(call install-lock,requirements.lock)
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(call install-lock,requirements-dev.lock)
	@touch $@

# Front-end packages come from npm and are copied into var/vendor, never committed.
var/vendor/.installed: package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p var/vendor
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/hls.js/dist/hls.min.js node_modules/hls.js/dist/hls.min.js.map var/vendor/
	cp node_modules/chart.js/dist/chart.umd.min.js node_modules/chart.js/dist/chart.umd.min.js.map var/vendor/
	@mkdir -p var/vendor/leaflet
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css node_modules/leaflet/dist/images var/vendor/leaflet/
	@touch $@

assets: var/vendor/.installed

run: $(VENV)/.installed assets
	@export DEBUG=$${DEBUG:-true}; set -e; \
	$(PY) manage.py migrate --noinput; \
	$(PY) manage.py demo; \
	trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker --queue-name '*' & \
	$(PY) manage.py send_reminders --every 60 & \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	# The floors (pyproject.toml, [tool.importlinter]): no import points up, no circles.
	$(VENV)/bin/lint-imports --no-logo --no-cache
	# mypy's Django plugin imports the settings, which want a key when DEBUG is off.
	SECRET_KEY=$${SECRET_KEY:-only-for-type-checking} $(VENV)/bin/mypy .

# make test lints once per change: CI's second run (on PostgreSQL) finds nothing new to lint.
var/.linted: $(shell find homestretch tests bench scripts -name '*.py' 2>/dev/null) manage.py pyproject.toml $(VENV)/.installed-dev
	$(MAKE) --no-print-directory lint
	@mkdir -p var && touch $@

browser:
	@scripts/ensure-chromium

# The production test (tests/production/) starts nginx from deploy/.
nginx:
	@scripts/ensure-nginx

# Two test processes per core, a test file per worker (its module fixtures made once): many
# tests spend their time waiting (a video playing in real time, the production stack's
# servers starting), and the second process of each core works meanwhile. On PostgreSQL, the
# browser, ffmpeg and production-stack tests are left out: their outcome cannot depend on
# the suite's database (the stack test makes a PostgreSQL database of its own), and the
# SQLite run has them. PYTEST_ARGS adds to the command: make test PYTEST_ARGS="-k feed".
TEST_WORKERS ?= $(shell echo $$(( 2 * $$(nproc 2>/dev/null || echo 1) )))
# On SQLite, the tests that write, read, serve or delete stored media (their modules are
# marked also_s3) run a second time with every file in a bucket of a real S3 server on
# loopback (SeaweedFS, tests/s3.py), in the same run: the storage's outcome does not
# depend on the database, so PostgreSQL runs them once.
PYTEST_FLAGS ?= -n $(TEST_WORKERS) --dist loadfile $(if $(findstring postgres,$(DATABASE_URL)),-m "not e2e and not ffmpeg and not production",--media-storage=both)

# The lint runs beside the tests: mypy is a minute of one core, and the tests leave about
# a third of the machine idle while they wait on browsers and servers. Its report follows
# theirs, and either failing fails make test.
test: $(VENV)/.installed-dev assets browser nginx
	@mkdir -p var; \
	$(MAKE) --no-print-directory -s var/.linted > var/lint.log 2>&1 & linting=$$!; \
	$(VENV)/bin/pytest $(PYTEST_FLAGS) $(PYTEST_ARGS); tested=$$?; \
	wait $$linting; linted=$$?; cat var/lint.log; \
	if [ $$linted -ne 0 ]; then echo "make test: the lint failed (above)"; fi; \
	exit $$(( tested || linted ))

bench: $(VENV)/.installed-dev assets
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var/vendor
