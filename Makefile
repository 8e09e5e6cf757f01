# Every target installs what it needs: a .venv from the exact pins in requirements.txt.
SHELL := /bin/bash
export PYTHONPATH := $(CURDIR)/plugins
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install chromium test demo run up bench replay rollback docs clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

# Headless Chromium for the morning report's rendering test (Debian's package; we run as root).
chromium:
	command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

test: install chromium
	$(PY) -m pytest

demo: install
	$(PY) -m rotation_radar.demo

run: install
	$(PY) -m rotation_radar.demo --live

up: install
	$(PY) -m rotation_radar.demo --up

bench: install
	$(PY) -m pytest tests/benchmarks -s -p no:cacheprovider

docs: install
	$(PY) -m rotation_radar.warehouse docs

rollback: install
	$(PY) -m rotation_radar.warehouse rollback

replay: install
	$(PY) -m rotation_radar.replay.generate include/replay

clean:
	rm -rf .airflow data
