# Two commands do all set-up on a fresh machine: `make site` and `make test` (see README).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test check lint serve golden bench clean chromium node vendor-plotly lighthouse \
	screenshots

# Stamps record what was installed; they are remade when pyproject or the pins change.
$(VENV)/.runtime: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $@

$(VENV)/.test: $(VENV)/.runtime
	$(PIP) -e '.[test]'
	touch $@

# Debian's chromium drives the browser tests and kaleido's static chart export.
chromium:
	@command -v chromium >/dev/null || { \
	  echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Node and npm install the pinned axe-core (tests) and Lighthouse (bench); Debian's packages
# when the machine has none (CI's python image, for one).
node:
	@command -v npm >/dev/null || { \
	  echo "installing Debian's nodejs and npm"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }

site: $(VENV)/.runtime chromium
	$(BIN)/explainer check --strict
	$(BIN)/explainer build

check: $(VENV)/.runtime
	$(BIN)/explainer check --strict

# ruff, mypy over the package (zero errors; every `type: ignore` must still be needed), and
# zizmor over the workflows (no finding, pedantic; offline: it judges the files alone).
lint: $(VENV)/.test
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy
	$(BIN)/zizmor --offline --pedantic .github/workflows

# Node tools, exactly as package-lock.json pins them (npm ci): axe-core for tests/test_a11y.py.
node_modules/.package-lock.json: package.json package-lock.json | node
	npm ci --no-audit --no-fund --loglevel=error

# The whole suite runs on ProperDocs (the default engine); the tests that drive the engine
# itself (builds, preview, editions, the site in Chromium) run again on MkDocs 1.6.1.
ENGINE_TESTS := tests/test_site.py tests/test_site_browser.py tests/test_serve.py \
	tests/test_preview_incremental.py tests/test_deploy.py tests/test_deploy_e2e.py \
	tests/test_chart_browser.py tests/test_feeds.py

test: $(VENV)/.test chromium node_modules/.package-lock.json
	$(BIN)/ruff check generator tests bench
	$(BIN)/mypy
	$(BIN)/zizmor --offline --pedantic .github/workflows
	$(BIN)/python -m pytest -n 2 --dist loadgroup
	EXPLAINER_ENGINE=mkdocs $(BIN)/python -m pytest -n 2 --dist loadgroup $(ENGINE_TESTS)

serve: $(VENV)/.runtime
	$(BIN)/explainer serve

# Regenerate the golden Markdown after an intended template change; review the diff.
golden: $(VENV)/.runtime
	$(BIN)/python -m tests.golden

$(VENV)/.bench: $(VENV)/.runtime
	$(PIP) -e '.[bench]'
	touch $@

# Prints figures (check timing; build vs plain MkDocs vs Hugo at 100, 1,000 and 10,000
# explainers, with peak memory, page and search sizes and the preview of one fact edit; the
# example's preview; reference scanning at 10,000 references; every limit exceeded at its
# largest). bench/build.py alone takes about an hour on 2 cores; see bench/README.md.
bench: $(VENV)/.bench
	$(BIN)/python bench/run.py
	$(BIN)/python bench/build.py
	$(BIN)/python bench/preview.py
	$(BIN)/python bench/refs.py
	$(BIN)/python bench/limits.py

clean:
	rm -rf site .cache

# Lighthouse 12.2.3 (pinned in bench/lighthouse/package-lock.json), mobile, against every page
# type served gzipped; prints a score table (bench/LIGHTHOUSE.md). Not part of `make test`.
bench/lighthouse/node_modules/.package-lock.json: bench/lighthouse/package.json bench/lighthouse/package-lock.json | node
	npm ci --prefix bench/lighthouse --no-audit --no-fund --loglevel=error

lighthouse: $(VENV)/.runtime chromium bench/lighthouse/node_modules/.package-lock.json
	$(BIN)/python bench/lighthouse.py

# Screenshots of the front page and the explainer (desktop 1280 px and phone 390 px, light and
# dark) into bench/screenshots/, committed so a design change can be reviewed in a diff.
screenshots: $(VENV)/.test chromium
	$(BIN)/python bench/screenshots.py

# plotly.js's official basic bundle (bar, pie, scatter: every chart type), vendored in
# generator/charts/vendor/ (MIT). This re-fetches it from npm and checks it byte for byte.
vendor-plotly:
	tmp=$$(mktemp -d) && cd $$tmp && npm pack --silent plotly.js-basic-dist-min@4.1.1 >/dev/null && \
	  tar xzf plotly.js-basic-dist-min-4.1.1.tgz && \
	  echo "99784e3abfb07b142a15e521a439e6d9addceadb3f79553fd24c72774f0649ba  package/plotly-basic.min.js" | sha256sum -c - && \
	  cp package/plotly-basic.min.js $(CURDIR)/generator/charts/vendor/plotly-basic-4.1.1.min.js && \
	  cp package/LICENSE $(CURDIR)/generator/charts/vendor/LICENSE.plotly.js
