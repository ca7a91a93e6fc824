# Both entry points bootstrap a local virtual environment from the package registry,
# so a bare clone needs only python3 (>= 3.10) on the PATH.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: lint test test-all demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

lint: $(STAMP)
	$(PY) -m ruff check src tests benchmarks

# The everyday run: lint, then every test not marked slow.
test: lint
	$(PY) -m pytest -q -m "not slow"

# What CI runs: lint, then every test, the slow ones included.
test-all: lint
	$(PY) -m pytest -q

demo: $(STAMP)
	$(PY) -m smotekit demo --force

bench: $(STAMP)
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache .hypothesis .ruff_cache
