# Homestretch: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint bench assets browser nginx clean

# Python packages, reinstalled only when a lock file changes.
$(VENV)/.installed: requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
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
	# mypy's Django plugin imports the settings, which want a key when DEBUG is off.
	SECRET_KEY=$${SECRET_KEY:-only-for-type-checking} $(VENV)/bin/mypy .

browser:
	@scripts/ensure-chromium

# The production test (tests/production/) starts nginx from deploy/.
nginx:
	@scripts/ensure-nginx

test: lint assets browser nginx
	$(VENV)/bin/pytest

bench: $(VENV)/.installed-dev assets
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules var/vendor
