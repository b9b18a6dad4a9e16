# Set-up is part of every target: a fresh machine needs only `make serve` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build bundle bench test deps chromium clean

serve: build
	$(PY) serve.py --port 8000 site

build: deps
	$(PY) -m mkdocs build --strict

# The offline copy: dist/<site>-<version>.zip with the site and its launcher.
bundle: build
	$(PY) -m macros.build.bundle site dist

# Speed and size against the unmodified Pyodide distribution (not part of make test).
bench: deps chromium
	$(PY) tests/bench.py

test: deps chromium
	$(PY) -m pytest

deps: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Browser tests need Debian's Chromium; install it when we can, else say how.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing at $(CHROMIUM): run 'sudo apt-get install chromium' (or set CHROMIUM=/path/to/chromium)"; \
	    exit 1; \
	  fi; \
	fi

clean:
	rm -rf site dist .pytest_cache
