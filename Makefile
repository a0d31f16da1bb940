# The two commands a fresh machine needs: `make report` and `make test`.
# Each target builds .venv from requirements.lock first, with only what it uses: the core for
# `make report`, the `lab` extra for `make lab`, the `dask` extra for Dask, everything for tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# One stamp per install group; tools/lock_subset.py picks each group's part of the one lock.
CORE_STAMP := $(VENV)/.installed-core
DEV_STAMP := $(VENV)/.installed-dev
LAB_STAMP := $(VENV)/.installed-lab
DASK_STAMP := $(VENV)/.installed-dask
# cffconvert (validates CITATION.cff) in an environment of its own: its jsonschema<4 cannot share
# .venv with nbformat's jsonschema>=4 (see tools/cffconvert/requirements.in).
CFF_VENV := .venv-cffconvert
CFF_LOCK := tools/cffconvert/requirements.lock
CFF_STAMP := $(CFF_VENV)/.installed-stamp
PLAN ?= reports.yml
# Scheduled by default: skip unchanged reports, keep each report's last 24 good runs.
RENDER_FLAGS ?= --if-changed --keep 24
# On Dask: `make report EXECUTOR=dask` (a LocalCluster) or `make report SCHEDULER=tcp://HOST:8786`.
EXECUTOR ?=
SCHEDULER ?=
# Extra options for `make lab`, e.g. LAB_FLAGS="--no-browser --port 8899".
LAB_FLAGS ?=
# The fast stage's tests: everything not marked slow (notebooks, browsers, clusters, servers).
# It prints its ten slowest tests: keep it under two minutes on two cores.
CHECK_TESTS ?= -m "not slow"

.DEFAULT_GOAL := help
.PHONY: help venv dev dask cffconvert report check test docs browser lint format lock lab dask-scheduler \
	dask-worker clean-notebooks wheel bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

# install GROUPS: the groups' part of the lock (pinned, hashed), then this project, editable.
define install
	$(PYTHON) tools/lock_subset.py $(1) > $(VENV)/requirements-$(lastword $(1)).txt
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(VENV)/requirements-$(lastword $(1)).txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@
endef

$(CORE_STAMP): requirements.lock pyproject.toml tools/lock_subset.py
	$(PYTHON) -m venv $(VENV)
	$(call install,core)

$(DEV_STAMP): $(CORE_STAMP)
	$(call install,core dev)

$(LAB_STAMP): $(CORE_STAMP)
	$(call install,core lab)

$(DASK_STAMP): $(CORE_STAMP)
	$(call install,core dask)

venv: $(CORE_STAMP) ## create .venv with the core install from requirements.lock (what a scheduled run needs)

dev: $(DEV_STAMP) ## add the development tools (ruff, mypy, pytest, mkdocs, uv...) to .venv

dask: $(DASK_STAMP) ## add the `dask` extra to .venv (render --executor dask / --scheduler)

$(CFF_STAMP): $(CFF_LOCK)
	$(PYTHON) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/pip install --quiet --require-hashes --no-deps -r $(CFF_LOCK)
	touch $@

cffconvert: $(CFF_STAMP) ## create .venv-cffconvert (cffconvert, for CITATION.cff) from its own lock

report: $(CORE_STAMP) $(if $(EXECUTOR)$(SCHEDULER),$(DASK_STAMP)) ## render reports.yml to HTML and PDF: only reports whose inputs changed (FORCE=1: all)
	$(BIN)/thirdcountry render --plan $(PLAN) --to html,pdf $(RENDER_FLAGS) $(if $(FORCE),--force) \
		$(if $(EXECUTOR),--executor $(EXECUTOR)) $(if $(SCHEDULER),--scheduler $(SCHEDULER))

check: $(DEV_STAMP) $(LAB_STAMP) $(DASK_STAMP) $(CFF_STAMP) ## the fast stage: lint, types and the unit tests (not the slow ones)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/thirdcountry validate --strict --data data
	$(BIN)/pytest $(CHECK_TESTS) --durations=10

test: check browser docs ## `make check`, then the docs build and the rest of the tests
	$(BIN)/pytest -m slow

docs: $(DEV_STAMP) ## build the docs site into site/ (mkdocs --strict; the data contract from data/)
	$(BIN)/mkdocs build --strict --site-dir site

browser: ## install Debian's chromium and the pinned axe-core for the browser tests
	@tools/ensure-browser.sh

lint: $(DEV_STAMP) ## ruff check, format check and mypy (src/, zero errors)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(DEV_STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# uv alone, from the lock as it is: `make lock` must work while pyproject.toml is ahead of the lock.
$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(PYTHON) tools/lock_subset.py --package uv > $(VENV)/requirements-uv.txt
	$(BIN)/pip install --quiet --require-hashes --no-deps -r $(VENV)/requirements-uv.txt

# One resolution of the core and every extra: each install group takes its part (lock_subset.py).
lock: $(BIN)/uv ## re-resolve requirements.lock from pyproject.toml, all extras (and cffconvert's lock)
	$(BIN)/uv pip compile pyproject.toml --all-extras --generate-hashes --python-version 3.11 \
		--no-header -o requirements.lock
	$(BIN)/uv pip compile tools/cffconvert/requirements.in --generate-hashes --python-version 3.11 \
		--no-header -o $(CFF_LOCK)

lab: $(LAB_STAMP) ## start JupyterLab at the project root with notebooks/explore.ipynb open
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" notebooks/explore.ipynb $(LAB_FLAGS) \
		$(if $(filter 0,$(shell id -u)),--allow-root)

clean-notebooks: $(DEV_STAMP) ## clear the outputs of every notebook in notebooks/ (before a commit)
	$(BIN)/nbstripout --keep-id notebooks/*.ipynb

wheel: $(DEV_STAMP) ## build the installable wheel into dist/ (offline, with the pinned setuptools)
	$(BIN)/pip wheel --no-deps --no-build-isolation --no-index -w dist .

bench: $(DEV_STAMP) $(DASK_STAMP) ## run the benchmarks in bench/ and print ratios
	$(BIN)/python bench/run.py

dask-scheduler: $(DASK_STAMP) ## start a Dask scheduler on this machine (loopback), for SCHEDULER=tcp://127.0.0.1:8786
	$(BIN)/dask scheduler --host 127.0.0.1 --no-dashboard

dask-worker: $(DASK_STAMP) ## start two Dask workers for SCHEDULER (default tcp://127.0.0.1:8786)
	$(BIN)/dask worker $(or $(SCHEDULER),tcp://127.0.0.1:8786) --nthreads 1 --nworkers 2 --no-dashboard

clean: ## remove the virtual environment and caches (not reports)
	rm -rf $(VENV) $(CFF_VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis site

# Browse the facts as SQLite in Datasette (the `datasette` extra).
DATASETTE_DB ?= build/thirdcountry.db
DATASETTE_PORT ?= 8001
DATASETTE_STAMP := $(VENV)/.installed-datasette
.PHONY: datasette

$(DATASETTE_STAMP): $(CORE_STAMP)
	$(call install,core datasette)

datasette: $(DATASETTE_STAMP) ## export the facts to build/thirdcountry.db and browse them at 127.0.0.1:8001
	@mkdir -p $(dir $(DATASETTE_DB))
	$(BIN)/thirdcountry export sqlite $(DATASETTE_DB) --if-changed
	$(BIN)/datasette serve $(DATASETTE_DB) --metadata $(dir $(DATASETTE_DB))metadata.yml \
		--host 127.0.0.1 --port $(DATASETTE_PORT)
