# Set-up and everyday commands. Everything installs into .venv from pyproject.toml.
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader's gradebook runs `alembic`: the environment's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: setup demo test lint check clean-demo

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

setup: $(VENV)/.installed

demo: setup
	rm -rf demo-spptik
	spptik demo --out demo-spptik

lint: setup
	ruff check .

check: setup
	spptik check

test: setup lint
	pytest -q

clean-demo:
	rm -rf demo-spptik
