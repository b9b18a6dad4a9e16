# Set-up is part of every target: a fresh machine needs only `make serve` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Hides Material for MkDocs' notice of its end of life (5 May 2027), printed at every MkDocs
# run. The project has acted on it (README, "Dependencies": the build does not depend on the
# generator, make test builds with Zensical and ProperDocs too); repeated in every build and
# test log it would only be noise. Delete this line to see it.
export NO_MKDOCS_2_WARNING := 1
# The site generator, one setting for the Makefile and the tests (tests/helpers.py reads it):
# mkdocs (the default), properdocs (a MkDocs fork: the same site) or zensical (Material's
# successor; it runs no MkDocs hook, so the build's own step runs after it by its command
# line, macros/hooks/finish.py). make build GENERATOR=zensical, make test GENERATOR=….
GENERATOR ?= mkdocs
export GENERATOR
GENERATORS := mkdocs properdocs zensical
ifeq ($(filter $(GENERATOR),$(GENERATORS)),)
$(error GENERATOR=$(GENERATOR): use one of $(GENERATORS))
endif
# Zensical builds into site/ only (its site_dir must be inside the project) and imports the
# project's macros module, hence PYTHONPATH.
BUILD_mkdocs := $(VENV)/bin/mkdocs build --strict
BUILD_properdocs := $(VENV)/bin/properdocs build --strict
BUILD_zensical := PYTHONPATH=. $(VENV)/bin/zensical build --strict && $(PY) -m macros.hooks.finish site
SERVE_mkdocs := $(VENV)/bin/mkdocs serve
SERVE_properdocs := $(VENV)/bin/properdocs serve
SERVE_zensical := @echo "make dev: Zensical's server runs no build step; use GENERATOR=mkdocs or properdocs" >&2; exit 1

.PHONY: serve dev build bundle bundle-launcher bench test check deps lock system-deps clean

serve: build
	$(PY) serve.py --port 8000 site

build: deps
	$(BUILD_$(GENERATOR))

# The authoring loop: rebuilds on every change to a page, a calculator or the limits
# file, and reloads the browser (http://127.0.0.1:8000/). A failed build shows its error.
dev: deps
	$(SERVE_$(GENERATOR))

# The offline copy: dist/<site>-<version>.zip, made for mail (every script inline in the
# pages, no script file: opened by double-clicking index.html), refused over its budget.
# Options: BUNDLE_BUDGET_MB=<MB> (default in macros/hooks/settings.py), BUNDLE_SNAPSHOT=yes
# (the memory snapshot too: a larger copy whose Python starts sooner), BUNDLE_LAUNCHER=yes
# (with its launcher, serve.py, and the site's script files: mail services refuse that one).
# make bundle-launcher is make bundle BUNDLE_LAUNCHER=yes.
bundle: build
	$(PY) -m macros.hooks.bundle site dist $(if $(BUNDLE_BUDGET_MB),--budget-mb=$(BUNDLE_BUDGET_MB)) \
		$(if $(BUNDLE_SNAPSHOT),--snapshot=$(BUNDLE_SNAPSHOT)) \
		$(if $(BUNDLE_LAUNCHER),--launcher=$(BUNDLE_LAUNCHER))

bundle-launcher:
	$(MAKE) bundle BUNDLE_LAUNCHER=yes

# Speed and size against the unmodified Pyodide distribution (not part of make test).
bench: deps system-deps
	$(PY) tests/bench.py

test: deps system-deps
	$(PY) -m pytest

# The quick loop: every test that drives no browser (rules, CLI, Pyodide under Node, builds).
check: deps
	$(PY) -m pytest -m "not browser"

deps: $(VENV)/.installed node_modules/.installed

# Python packages, hash-checked. Each requirements*.txt (the pins, edited by hand, with why
# they are there) has a lock file beside it, requirements*.lock, that adds the hash of every
# file the registry offers for each pin; pip refuses any file whose hash is not listed.
# Wheels only: with a wheel's hash refused, pip would otherwise fall back to the (listed)
# source archive and build it with build tools it fetches unchecked.
# $(call install-locked,<venv>,<lock file>) makes the venv and installs the lock file into it.
install-locked = $(PYTHON) -m venv $(1) && \
	$(1)/bin/python -m pip install --quiet --disable-pip-version-check \
	  --require-hashes --only-binary :all: -r $(2)

$(VENV)/.installed: requirements.lock
	$(call install-locked,$(VENV),$<)
	touch $@

# After editing a requirements*.txt: regenerate every lock file (needs the network), then
# commit both files (tests/test_lock_files.py fails while they disagree). The tool, uv, is
# pinned and locked like the rest (requirements-uv.txt) and lives in its own venv.
LOCK_VENV := .venv-lock

lock: $(LOCK_VENV)/.installed
	for requirements in $(wildcard requirements*.txt); do \
	  $(LOCK_VENV)/bin/uv pip compile --quiet --python $(PYTHON) --generate-hashes \
	    --custom-compile-command "make lock" "$$requirements" -o "$${requirements%.txt}.lock" \
	    || exit 1; \
	done

$(LOCK_VENV)/.installed: requirements-uv.lock
	$(call install-locked,$(LOCK_VENV),$<)
	touch $@

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# Debian packages the tests drive (browsers and their drivers, nginx, pdftotext for the
# handout, libfaketime to set WebKit's clock). Installed when missing and we are root;
# otherwise the target says what to install.
DEBIAN_PACKAGES := chromium firefox-esr webkit2gtk-driver xvfb nginx libnginx-mod-http-brotli-static \
	poppler-utils libfaketime

system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian packages for the tests: "$$missing; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Missing Debian packages: run 'sudo apt-get install "$$missing"'"; \
	    exit 1; \
	  fi; \
	fi

clean:
	rm -rf site dist .pytest_cache
