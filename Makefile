# The two commands: `make run` (the main job, the demo) and `make test` (the test suite).
# Both create the virtual environment at .venv and install into it by themselves.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	# compat mode puts the project folder on the path, so every top-level package resolves.
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]' \
		--config-settings editable_mode=compat
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/callradar demo

test: $(STAMP)
	CALLRADAR_TEST_POSTGRES_URL="$${CALLRADAR_TEST_POSTGRES_URL:-$$(scripts/test-services.sh)}" \
		$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy callradar crawlers flows proposals web matching
	$(BIN)/mypy -p tagging

clean:
	rm -rf $(VENV) data .pytest_cache
