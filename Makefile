# milepost — the two commands a new user needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_HOME ?= $(CURDIR)/.demo

.PHONY: run test lint typecheck unit bench browser fuzz clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "milepost needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

## run: install, seed a demo athlete on SQLite and serve the web app (prints the address)
run: $(STAMP)
	MILEPOST_HOME=$(DEMO_HOME) $(BIN)/milepost demo
	MILEPOST_HOME=$(DEMO_HOME) $(BIN)/milepost serve --demo

## test: lint, type-check and run every test (browser tests drive Debian's chromium)
test: $(STAMP) browser lint typecheck unit

# Debian's chromium for the Playwright tests: a browser download fails here, so never
# `playwright install`. Installed when missing and we are root; otherwise those tests say why
# they skip.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed and not root: browser tests will be skipped"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy

# Two workers: the machine has two cores, and the suite is CPU-bound.
unit: $(STAMP)
	$(BIN)/pytest -q -n 2

bench: $(STAMP)
	@for script in bench/bench_*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

## fuzz: coverage-guided fuzzing of the FIT importer (atheris) for FUZZ_SECONDS; not in `test`
FUZZ_SECONDS ?= 300
FUZZ_ARTIFACTS ?= /tmp/milepost-fuzz/
fuzz: $(STAMP)
	@$(BIN)/python -m pip install --quiet -c constraints.txt atheris 2>/dev/null || \
	  echo "atheris does not install here: fuzzing skipped"
	mkdir -p $(FUZZ_ARTIFACTS)
	$(BIN)/python tests/fuzz/atheris_fit.py -max_total_time=$(FUZZ_SECONDS) \
	  -artifact_prefix=$(FUZZ_ARTIFACTS)

clean:
	rm -rf $(VENV) $(DEMO_HOME) .pytest_cache .mypy_cache .ruff_cache
