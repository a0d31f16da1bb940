# The two commands a fresh machine needs: `make report` and `make test`.
# Both build .venv from requirements.lock first, so every version is pinned.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# cffconvert (validates CITATION.cff) in an environment of its own: its jsonschema<4 cannot share
# .venv with nbformat's jsonschema>=4 (see tools/cffconvert/requirements.in).
CFF_VENV := .venv-cffconvert
CFF_LOCK := tools/cffconvert/requirements.lock
CFF_STAMP := $(CFF_VENV)/.installed-stamp
PLAN ?= reports.yml
# Scheduled by default: skip unchanged reports, keep each report's last 24 good runs.
RENDER_FLAGS ?= --if-changed --keep 24
# Extra options for `make lab`, e.g. LAB_FLAGS="--no-browser --port 8899".
LAB_FLAGS ?=

.DEFAULT_GOAL := help
.PHONY: help venv cffconvert report test browser lint format lock lab clean-notebooks wheel bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

venv: $(STAMP) ## create .venv from requirements.lock

$(CFF_STAMP): $(CFF_LOCK)
	$(PYTHON) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/pip install --quiet --require-hashes --no-deps -r $(CFF_LOCK)
	touch $@

cffconvert: $(CFF_STAMP) ## create .venv-cffconvert (cffconvert, for CITATION.cff) from its own lock

report: $(STAMP) ## render reports.yml to HTML and PDF: only reports whose inputs changed (FORCE=1: all)
	$(BIN)/thirdcountry render --plan $(PLAN) --to html,pdf $(RENDER_FLAGS) $(if $(FORCE),--force)

test: $(STAMP) $(CFF_STAMP) browser ## run lint, the type check and the whole test suite
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/thirdcountry validate --strict --data data
	$(BIN)/pytest

browser: ## install Debian's chromium and the pinned axe-core for the browser tests
	@tools/ensure-browser.sh

lint: $(STAMP) ## ruff check, format check and mypy (src/, zero errors)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP) ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lock: $(STAMP) ## re-resolve requirements.lock from pyproject.toml (and cffconvert's own lock)
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--no-header --index-url https://pypi.org/simple -o requirements.lock
	$(BIN)/uv pip compile tools/cffconvert/requirements.in --generate-hashes --python-version 3.11 \
		--no-header --index-url https://pypi.org/simple -o $(CFF_LOCK)

lab: $(STAMP) ## start JupyterLab at the project root with notebooks/explore.ipynb open
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" notebooks/explore.ipynb $(LAB_FLAGS) \
		$(if $(filter 0,$(shell id -u)),--allow-root)

clean-notebooks: $(STAMP) ## clear the outputs of every notebook in notebooks/ (before a commit)
	$(BIN)/nbstripout --keep-id notebooks/*.ipynb

wheel: $(STAMP) ## build the installable wheel into dist/ (offline, with the pinned setuptools)
	$(BIN)/pip wheel --no-deps --no-build-isolation --no-index -w dist .

bench: $(STAMP) ## run the benchmarks in bench/ and print ratios
	$(BIN)/python bench/run.py

clean: ## remove the virtual environment and caches (not reports)
	rm -rf $(VENV) $(CFF_VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
