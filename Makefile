# Dinghuo — the two promised commands are `make run` and `make test`.
SHELL := /bin/bash
UV ?= uv
PYTEST_ARGS ?=

.PHONY: help install run stop status setup backup restore test test-deps test-unit test-integration test-e2e soak lint fmt bench clean \
	web web-deps web-check test-ui api-client contracts

help:
	@echo "make run      start the whole system with demo data (prints URLs and logins)"
	@echo "make stop     stop what make run started"
	@echo "make backup   dump every database and the broker's definitions to backups/<time>/"
	@echo "make restore FROM=backups/<time>  restore a backup into empty databases"
	@echo "make web      build the customer portal and the staff console (web/dist)"
	@echo "make api-client  regenerate web/src/api (OpenAPI document + TypeScript types)"
	@echo "make contracts   regenerate docs/asyncapi.yaml and the event schema snapshot"
	@echo "make test     lint + every test (unit, integration, e2e) against real PostgreSQL/RabbitMQ"
	@echo "make bench    benchmarks (outbox latency, consumer catch-up, Excel export, analysis at scale, the order path vs a one-process ceiling with the event floor, gateway auth)"
	@echo "make soak     the chaos soak: SOAK_SECONDS=180 of orders while processes are killed (make test runs 30 s)"

install:
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --all-packages --frozen --quiet

run: install
	@$(UV) run python tools/system.py run

stop:
	@$(UV) run python tools/system.py stop

backup: install
	@$(UV) run python tools/backup.py backup $(if $(TO),--to $(TO))

restore: install
	@test -n "$(FROM)" || { echo "usage: make restore FROM=backups/<time> [REPLACE=1]"; exit 2; }
	@$(UV) run python tools/backup.py restore --from $(FROM) $(if $(REPLACE),--replace)

status:
	@$(UV) run python tools/system.py status

setup: install
	@$(UV) run python tools/system.py setup

# Chromium + CJK fonts (apt, as root) and npm for the browser and web tests.
test-deps:
	@bash tools/test-deps.sh

lint: install
	@$(UV) run ruff check libs services gateway notifier finance tests tools

# Unit+integration and e2e+browser run side by side (tools/run-tests.sh); with PYTEST_ARGS
# everything runs in one pytest process.
test: test-deps lint web-check web
	@bash tools/run-tests.sh $(PYTEST_ARGS)

test-unit: install
	@$(UV) run pytest libs services gateway -k "not Api and not api" $(PYTEST_ARGS)

test-integration: install
	@$(UV) run pytest tests/integration $(PYTEST_ARGS)

test-e2e: install
	@$(UV) run pytest tests/e2e $(PYTEST_ARGS)

# The chaos soak (X-2, issue 14): a private system under load for SOAK_SECONDS while
# workers and APIs are SIGKILLed and the broker is cut; prints lost=0 doubled=0.
# `make test` runs a short one (30 s).
SOAK_SECONDS ?= 180
soak: install
	@SOAK_SECONDS=$(SOAK_SECONDS) $(UV) run pytest -s tests/soak $(PYTEST_ARGS)

# The web application (web/): npm ci only when node_modules is missing or the lock changed.
web-deps: install
	@$(UV) run python tools/system.py web --deps-only

web: install
	@$(UV) run python tools/system.py web

web-check: test-deps web-deps
	@cd web && npm run --silent typecheck && npm run --silent lint && npm test --silent

test-ui: install test-deps
	@$(UV) run pytest tests/e2e/ui $(PYTEST_ARGS)

api-client: web-deps
	@$(UV) run python tools/openapi.py
	@cd web && npm run --silent api-types

# The events' AsyncAPI document and the schema snapshot the compatibility test compares
# with (I-4). Writing the snapshot accepts the contracts as they are: it prints any
# breaking change it accepts.
contracts: install
	@$(UV) run python -m dinghuo_contracts.asyncapi
	@$(UV) run python -m dinghuo_contracts.snapshot

fmt: install
	@$(UV) run ruff check --fix libs services gateway tests tools

bench: install
	@$(UV) run python bench/outbox_latency.py
	@$(UV) run python bench/consumer_catchup.py
	@$(UV) run python bench/order_export.py
	@$(UV) run python bench/analysis.py
	@$(UV) run python bench/orders.py
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "bench/gateway_auth.py needs wrk: sudo apt-get install wrk"; exit 1; }
	@$(UV) run python bench/gateway_auth.py

clean:
	rm -rf test-output .pytest_cache web/dist
