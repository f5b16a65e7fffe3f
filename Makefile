# Offcloud: `make run` starts the emulator, `make test` runs every test.
# Both install what a fresh machine lacks (idempotently) before doing their job.

SWIFT        ?= swift
PYTHON       ?= python3
PORT         ?= 4566
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: run demo test unit-test sdk-test workflow-test build build-tests release bench deps deps-system deps-python clean

## run: build and start the emulator on 127.0.0.1:$(PORT), state in .offcloud/
run: deps-system
	$(SWIFT) build --product offcloud
	@echo "Offcloud on http://127.0.0.1:$(PORT) with template.yaml deployed (its Outputs print below)."
	@echo "Try it from another terminal: make demo (FAIL=1 for a declined payment); see README, The reference architecture."
	.build/debug/offcloud serve --port $(PORT) --data-dir .offcloud

## demo: with `make run` going in another terminal, place an order and follow it to the
## WebSocket notification and the webhook; FAIL=1 orders over the payment limit
demo: deps-system
	$(SWIFT) build --product offcloud
	.build/debug/offcloud demo --endpoint http://127.0.0.1:$(PORT) $(if $(FAIL),--fail,)

## test: Swift unit tests, then the SDK suite (boto3, AWS CLI, raw HTTP) against the real server
test: deps build-tests unit-test workflow-test sdk-test

build-tests:
	$(SWIFT) build --build-tests

unit-test:
	$(SWIFT) test --skip-build

## workflow-test: the fixtures in fixtures/ (offcloud test), JUnit report in .build/workflow-tests.xml
workflow-test:
	.build/debug/offcloud test fixtures --quiet --junit .build/workflow-tests.xml

sdk-test:
	OFFCLOUD_BIN=$(CURDIR)/.build/debug/offcloud $(PYTHON) -m pytest -q Tests/SDK

release: deps-system
	$(SWIFT) build -c release --product offcloud

## bench: throughput, latency and memory figures with wrk on loopback
bench: deps release
	@command -v wrk >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }
	OFFCLOUD_BIN=$(CURDIR)/.build/release/offcloud $(PYTHON) bench/run.py
	OFFCLOUD_BIN=$(CURDIR)/.build/release/offcloud $(PYTHON) bench/sfn.py
	OFFCLOUD_BIN=$(CURDIR)/.build/release/offcloud $(PYTHON) bench/ddb.py
	OFFCLOUD_BIN=$(CURDIR)/.build/release/offcloud $(PYTHON) bench/lambda.py
	OFFCLOUD_BIN=$(CURDIR)/.build/release/offcloud $(PYTHON) bench/sns.py
	OFFCLOUD_BIN=$(CURDIR)/.build/release/offcloud $(PYTHON) bench/jsonata.py
	OFFCLOUD_BIN=$(CURDIR)/.build/release/offcloud $(PYTHON) bench/websocket.py
	OFFCLOUD_BIN=$(CURDIR)/.build/release/offcloud $(PYTHON) bench/workflow_tests.py

deps: deps-system deps-python

deps-system:
	@if ! pkg-config --exists sqlite3 2>/dev/null && [ ! -f /usr/include/sqlite3.h ]; then \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libsqlite3-dev pkg-config; fi

deps-python:
	@$(PYTHON) -c "import boto3, pytest, requests, websockets" 2>/dev/null || $(PYTHON) -m pip install -q -r Tests/SDK/requirements.txt
	@command -v aws >/dev/null 2>&1 || $(PYTHON) -m pip install -q awscli

clean:
	rm -rf .build .offcloud
