# Social Credit Digest. `make serve` and `make test` work on a fresh machine: they create the
# virtual environment and install the pinned, hash-checked dependencies when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
RUN := PYTHONPATH=scripts $(BIN)/python
export PYTHONDONTWRITEBYTECODE := 1
export NO_MKDOCS_2_WARNING := 1

.PHONY: help install serve build generators check stats ingest new lint test test-fast test-tools audit bench clean lock

help:
	@echo "make serve   build and serve on http://127.0.0.1:8000 with live reload"
	@echo "make build   validate entries, then write the static site to site/"
	@echo "             SSG=properdocs or SSG=zensical: the same site with another generator"
	@echo "make check   validate every timeline entry (DRAFTS=1: timeline/_drafts/ too)"
	@echo "             SINCE=<git ref>: only entries changed since it, only problems the change made"
	@echo "make new     TITLE=\"...\" DATE=YYYY-MM-DD [URL=...]: start an entry from timeline/TEMPLATE.md"
	@echo "make ingest  read the news feeds, write drafts to timeline/_drafts/ (FEEDS=file, DRY_RUN=1)"
	@echo "make stats   entries by topic, year and status; sourcing shares"
	@echo "make test    run the whole test suite (installs what is missing)"
	@echo "make audit   axe-core and Lighthouse scores of the built site, on loopback"
	@echo "make bench   build-time, memory, page-size and search-size benchmark (BENCH_SIZES="1000 2000 10000")"

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt
	@touch $(STAMP)

# Tests and lint: the runtime pins plus requirements-dev.txt (also pinned with hashes).
$(DEV_STAMP): $(STAMP) requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt -r requirements-dev.txt
	@touch $(DEV_STAMP)

install: $(STAMP)

# A failed check does not stop the server: the browser shows the problems until they are fixed.
# SSG=properdocs or SSG=zensical builds with another generator from the same mkdocs.yml.
SSG ?= mkdocs
serve: $(STAMP) $(if $(filter-out mkdocs,$(SSG)),generators)
	@$(RUN) scripts/sitegen/serve.py --dev-addr 127.0.0.1:8000 --ssg $(SSG)

build: $(STAMP) $(if $(filter-out mkdocs,$(SSG)),generators)
	$(RUN) scripts/build_site.py site --ssg $(SSG)

# ProperDocs and Zensical (pinned with hashes in requirements-dev.txt, which the tests use too).
generators: $(DEV_STAMP)

check: $(STAMP)
	@$(RUN) -m digest check $(if $(filter 1 yes true,$(DRAFTS)),--drafts) $(if $(SINCE),--since "$$SINCE")

# TITLE, DATE and URL reach the script through the environment, so quotes in a title are safe.
new: $(STAMP)
	@$(RUN) -m digest new --title "$$TITLE" --date "$$DATE" --url "$$URL"

# FEEDS=<file> reads another feed list; DRY_RUN=1 only reports (no draft, no remembered ETag).
ingest: $(STAMP)
	@$(RUN) -m digest ingest $(if $(FEEDS),--feeds "$(FEEDS)") $(if $(filter 1 yes true,$(DRY_RUN)),--dry-run)

stats: $(STAMP)
	@$(RUN) -m digest stats

test-tools:
	@bash scripts/install_test_tools.sh

lint: $(DEV_STAMP)
	$(BIN)/ruff check scripts tests

test: $(DEV_STAMP) test-tools lint
	$(RUN) -m pytest -q tests

test-fast: $(DEV_STAMP) lint
	$(RUN) -m pytest -q tests -m "not browser and not nu"

# axe-core on every page kind (light and dark) and Lighthouse 12 on five pages, on loopback; prints tables.
audit: $(DEV_STAMP) test-tools
	@test -d scripts/audit/node_modules/lighthouse || npm ci --prefix scripts/audit --no-audit --no-fund --loglevel=error
	$(RUN) scripts/audit.py

bench: $(DEV_STAMP) test-tools
	BENCH_SIZES="$(or $(BENCH_SIZES),1000 2000 10000)" BENCH_REPEAT="$(or $(BENCH_REPEAT),1)" $(RUN) scripts/bench/run.py

lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links -o requirements-dev.txt requirements-dev.in

clean:
	rm -rf site .site-* .build .cache .state/check.json .pytest_cache
