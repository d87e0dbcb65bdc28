# The two commands: `make run` (the main job, the demo) and `make test` (the test suite).
# Both create the virtual environment at .venv and install into it by themselves.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The suite on two pytest-xdist workers, as many as CI's machine has cores (not `-n auto`:
# in a container with a CPU quota it counts the host's cores). Each test is its own unit,
# handed to whichever worker is free; `make test PYTEST_ARGS="-n 0"` runs in one process.
PYTEST_PARALLEL ?= -n 2 --dist loadgroup

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
		$(BIN)/python -m pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy callradar crawlers flows proposals web matching
	$(BIN)/mypy -p tagging

clean:
	rm -rf $(VENV) data .pytest_cache
