# WayOut Practice Repository. `make serve` and `make test` are all a newcomer needs:
# the first run creates .venv and installs the project into it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: help install serve build validate schema test lint typecheck unit clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv and install the project and its test tools

# mkdocs serve writes the preview into a new temporary folder and empties and rewrites it on
# every rebuild: in memory (/dev/shm, where there is one) that takes 0.04 s at 1,000
# practices instead of 0.6 s on a disk (benchmarks/README.md). A TMPDIR of your own wins.
SERVE_TMPDIR := $(or $(TMPDIR),$(shell test -d /dev/shm -a -w /dev/shm && echo /dev/shm))

serve: $(STAMP)  ## build the site and serve it on http://127.0.0.1:8000, rebuilding on change
	TMPDIR=$(SERVE_TMPDIR) NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --dev-addr $(HOST)

build: $(STAMP)  ## build the public site into site/ (strict: any warning fails)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

validate: $(STAMP)  ## check every practice file in practices/
	$(BIN)/wayout validate

schema: $(STAMP)  ## regenerate schema/practice.schema.json from the model
	$(BIN)/wayout schema

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy wayout wayout_mkdocs hooks/wayout_site.py scripts

unit: $(STAMP)
	@# pytest exits 5 when it collects no test; that is not a failure of the code.
	$(BIN)/pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$rc

test: lint typecheck unit  ## run ruff, mypy and the whole pytest suite (browser tests included)

clean:  ## remove the built site and caches (keeps .venv)
	rm -rf site .pytest_cache .mypy_cache .ruff_cache

.PHONY: review stats issue-form bench

review: $(STAMP)  ## list the practices due for review (last reviewed over 24 months ago)
	$(BIN)/wayout review

stats: $(STAMP)  ## count the published practices by category, country, setting ...
	$(BIN)/wayout stats

issue-form: $(STAMP)  ## regenerate the "New practice" issue form from the vocabularies
	$(BIN)/wayout issue-form

bench: $(STAMP)  ## time validate, build and serve at 100/1,000/5,000 practices into benchmarks/
	@# Takes several minutes; BENCH_ARGS="--sizes 100,1000" for a shorter run.
	$(BIN)/python scripts/benchmark.py $(BENCH_ARGS)
