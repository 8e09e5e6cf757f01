# Every target installs what it needs: a .venv from the exact pins in requirements-dev.txt
# (the runtime pins of requirements.txt, which the image installs, plus the development tools).
SHELL := /bin/bash
export PYTHONPATH := $(CURDIR)/plugins:$(CURDIR)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install chromium services lint test test-prod demo run up bench replay rollback rebuild docs clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# Headless Chromium for the morning report's rendering test (Debian's package; we run as root).
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# PostgreSQL and Redis (Debian's packages) for the production topology run natively
# (tests/integration/test_production_topology.py; docker-compose.yaml runs them in containers).
services:
	test -x /usr/lib/postgresql/*/bin/postgres -a -x /usr/bin/redis-server || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server)

# The lint gate (the same hooks as .pre-commit-config.yaml): ruff (pyproject.toml) and
# sqlfluff (.sqlfluff) over include/sql/.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/sqlfluff lint include/sql

test: lint chromium services
	$(PY) -m pytest

# The production topology alone: docker-compose.yaml checked, then run natively end to end.
test-prod: install services
	$(PY) -m pytest tests/unit/orchestration/test_compose.py tests/integration/test_production_topology.py

demo: install
	$(PY) -m devtools.demo

run: install
	$(PY) -m devtools.demo --live

up: install
	$(PY) -m devtools.demo --up

bench: install
	$(PY) -m pytest tests/benchmarks/test_bench_scale.py -s -p no:cacheprovider

docs: install
	$(PY) -m rotation_radar.warehouse docs
	$(PY) -m rotation_radar.core.datasets

rollback: install
	$(PY) -m rotation_radar.warehouse rollback

# The whole warehouse rebuilt from the lake (marts_build is incremental; its param
# full_rebuild does the same in Airflow).
rebuild: install
	$(PY) -m rotation_radar.warehouse rebuild

replay: install
	$(PY) -m devtools.replay.generate include/replay

clean:
	rm -rf .airflow data
