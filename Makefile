# Every target installs what it needs: a .venv from the exact pins in requirements.txt.
SHELL := /bin/bash
export PYTHONPATH := $(CURDIR)/plugins
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install test demo run up bench replay clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

test: install
	$(PY) -m pytest

demo: install
	$(PY) -m rotation_radar.demo

run: install
	$(PY) -m rotation_radar.demo --live

up: install
	$(PY) -m rotation_radar.demo --up

bench: install
	$(PY) -m pytest tests/benchmarks -s -p no:cacheprovider

replay: install
	$(PY) -m rotation_radar.replay.generate include/replay

clean:
	rm -rf .airflow data
