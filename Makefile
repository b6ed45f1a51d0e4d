# motcua — the two commands every newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8080
PAYMENT_SANDBOX_PORT ?= 8090
export PORT PAYMENT_SANDBOX_PORT

PWA_SOURCES := $(shell find pwa -path pwa/node_modules -prune -o -path pwa/dist -prune -o -type f -print 2>/dev/null)

.PHONY: run test bench package lint typecheck setup setup-dev pwa chromium clean

## run: set everything up (venv, dependencies, PWA build, store, keys, demo data) and serve on 127.0.0.1:$(PORT)
run: setup pwa
	$(BIN)/python -m motcua init
	@echo "motcua: http://127.0.0.1:$(PORT)  (demo citizen 0912345678; codes appear at /dev/outbox)"
	@echo "officials: http://localhost:$(PORT)/dev/enrolment-links ; payment sandbox on port $(PAYMENT_SANDBOX_PORT)"
	@trap 'kill $$SANDBOX 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python -m motcua payment-sandbox & SANDBOX=$$!; \
	$(BIN)/gunicorn -c infra/gunicorn.conf.py motcua.wsgi:app

## test: install what the tests need (Python dev deps, PWA build, Debian chromium) and run every test
test: setup-dev pwa chromium
	cd pwa && npm test
	$(BIN)/pytest

## bench: start the server and measure throughput/latency ratios against a bare Flask endpoint, and the Lambda cold start (not part of test)
bench: setup-dev pwa package
	$(BIN)/python bench/run.py

## package: the Lambda artifact build/motcua-lambda.zip from manylinux wheels (no AWS needed); fails above 50 MiB
package: setup-dev
	$(BIN)/python infra/package_lambda.py --out build/motcua-lambda.zip

lint: setup-dev
	$(BIN)/ruff check backend tests bench functions
	$(BIN)/mypy

setup: $(VENV)/.runtime-installed
setup-dev: $(VENV)/.dev-installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: $(VENV)/bin/python requirements.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps -e .
	@touch $@

$(VENV)/.dev-installed: $(VENV)/.runtime-installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

pwa: pwa/dist/index.html

pwa/node_modules/.package-lock.json: pwa/package.json pwa/package-lock.json
	cd pwa && npm ci --no-audit --no-fund
	@touch $@

pwa/dist/index.html: pwa/node_modules/.package-lock.json $(PWA_SOURCES)
	cd pwa && npm run build
	@touch $@

## chromium: Debian's Chromium for the browser tests (Playwright drives it; no browser download)
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core poppler-utils >/dev/null)

clean:
	rm -rf pwa/dist .pytest_cache .ruff_cache .mypy_cache
