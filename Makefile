# Dinghuo — the two promised commands are `make run` and `make test`.
SHELL := /bin/bash
UV ?= uv
PYTEST_ARGS ?=

.PHONY: help install run stop status setup test test-unit test-integration test-e2e lint fmt bench clean

help:
	@echo "make run      start the whole system with demo data (prints URLs and logins)"
	@echo "make stop     stop what make run started"
	@echo "make test     lint + every test (unit, integration, e2e) against real PostgreSQL/RabbitMQ"
	@echo "make bench    benchmarks (outbox latency)"

install:
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --all-packages --frozen --quiet

run: install
	@$(UV) run python tools/system.py run

stop:
	@$(UV) run python tools/system.py stop

status:
	@$(UV) run python tools/system.py status

setup: install
	@$(UV) run python tools/system.py setup

lint: install
	@$(UV) run ruff check libs services gateway tests tools

test: lint
	@$(UV) run pytest libs services gateway tests $(PYTEST_ARGS)

test-unit: install
	@$(UV) run pytest libs services gateway -k "not Api and not api" $(PYTEST_ARGS)

test-integration: install
	@$(UV) run pytest tests/integration $(PYTEST_ARGS)

test-e2e: install
	@$(UV) run pytest tests/e2e $(PYTEST_ARGS)

fmt: install
	@$(UV) run ruff check --fix libs services gateway tests tools

bench: install
	@$(UV) run python bench/outbox_latency.py

clean:
	rm -rf test-output .pytest_cache
