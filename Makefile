# Set-up and everyday commands. Everything installs into .venv from pyproject.toml.
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
# nbgrader's gradebook runs `alembic`: the environment's bin/ must be on PATH.
export PATH := $(BIN):$(PATH)

.PHONY: setup hub-setup demo test lint check clean-demo

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# configurable-http-proxy for JupyterHub, pinned by deploy/jupyterhub/package-lock.json
PROXY := deploy/jupyterhub/node_modules/.bin/configurable-http-proxy
$(PROXY): deploy/jupyterhub/package.json deploy/jupyterhub/package-lock.json
	cd deploy/jupyterhub && npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed

# the training site (and its test) also need the proxy
hub-setup: setup $(PROXY)

demo: setup
	rm -rf demo-spptik
	spptik demo --out demo-spptik

lint: setup
	ruff check .
	mypy

check: setup
	spptik check

test: hub-setup lint
	pytest -q

clean-demo:
	rm -rf demo-spptik
