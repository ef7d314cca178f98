# The two commands of the README: `make run` (the main job on the virtual farm) and
# `make test` (the project's own tests). Both set everything up first; see tools/bootstrap.sh.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
LAB := $(BIN)/lab

.PHONY: setup run test lint bench clean

setup:
	@tools/bootstrap.sh

run: setup
	$(LAB) run tos -n 4

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# two workers, each with its own virtual farm; a file's tests stay together; the slowest
# tests listed at the end, to see where the minutes go
test: lint
	$(BIN)/pytest -n 2 --dist loadfile --durations=25

bench:
	@tools/bootstrap.sh --bench
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .venv-bench node_modules reports/* .pytest_cache .ruff_cache
