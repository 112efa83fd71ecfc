# Hushdor task runner — the single entry point that people and CI use.
#   make demo   set up and run Hushdor on SQLite with the bundled Tajikistan data
#   make test   set up and run the whole suite (SQLite; PostgreSQL too when HUSHDOR_TEST_POSTGRES_URL is set)
#   make bench  run the benchmarks

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
PYTEST_ARGS ?=

.PHONY: demo test lint pytest pytest-postgres bench clean browser-deps kannel-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=24"

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e ".[test]"
	touch $@ $(VENV)/.installed-run

demo: $(VENV)/.installed-run
	$(BIN)/hushdor migrate --noinput -v 0
	$(BIN)/hushdor places load
	$(BIN)/hushdor hydromet load-stations
	$(BIN)/hushdor demo --setup
	$(BIN)/hushdor run --demo

browser-deps:
	@sh scripts/ensure-chromium.sh

kannel-deps:
	@sh scripts/ensure-kannel.sh

test: $(VENV)/.installed-test browser-deps kannel-deps lint pytest pytest-postgres

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench scripts

pytest: $(VENV)/.installed-test
	$(BIN)/pytest -n 2 -q $(PYTEST_ARGS)

# Every database-backed test again, on real PostgreSQL.
pytest-postgres: $(VENV)/.installed-test
	@if [ -n "$$HUSHDOR_TEST_POSTGRES_URL" ]; then \
		echo "== database tests on PostgreSQL ($$HUSHDOR_TEST_POSTGRES_URL)"; \
		HUSHDOR_DATABASE_URL="$$HUSHDOR_TEST_POSTGRES_URL" $(BIN)/pytest -n 2 -q -m database $(PYTEST_ARGS); \
	else \
		echo "== HUSHDOR_TEST_POSTGRES_URL not set: database tests ran on SQLite only"; \
	fi

# OpenQuake lives in its own venv, only for the comparison in bench/quake_impact.py (never a dependency).
.venv-bench/.installed: bench/requirements-openquake.txt
	$(PYTHON) -m venv .venv-bench
	.venv-bench/bin/python -m pip --disable-pip-version-check -q install --no-deps openquake.engine==3.26.2
	.venv-bench/bin/python -m pip --disable-pip-version-check -q install -r bench/requirements-openquake.txt
	touch $@

bench: $(VENV)/.installed-test .venv-bench/.installed
	@sh scripts/ensure-wrk.sh
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .venv-bench .pytest_cache .ruff_cache
