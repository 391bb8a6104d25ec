# Yearbook: `make demo` to see it, `make test` to check it. `make help` lists every target.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := python3.11
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
MANAGE := $(UV) run --locked python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help bootstrap system-packages pdf-packages demo dev test test-postgres bench lint format check

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-14s\033[0m %s\n", $$1, $$2}'

bootstrap: ## Install uv if absent and sync the locked environment (compiles packages/textfold)
	@scripts/ensure_build_tools.sh
	@if [ ! -x "$(UV)" ]; then \
		echo "==> installing uv into .tools/ (no system changes)"; \
		$(UV_PYTHON) -m venv .tools && .tools/bin/pip install --quiet uv; \
	fi
	@$(UV) sync --locked --quiet

PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

system-packages: ## Debian packages: Pango for PDFs, Chromium, nginx and sqlite3 for the tests (installed when missing)
	@scripts/ensure_debian_packages.sh $(PDF_PACKAGES) chromium nginx-light sqlite3

pdf-packages: ## Debian packages the PDF needs (Pango, HarfBuzz subsetting, fonts)
	@scripts/ensure_debian_packages.sh $(PDF_PACKAGES)

demo: bootstrap pdf-packages ## Build the demo year and serve it at http://127.0.0.1:8000 (gunicorn + WhiteNoise)
	@$(MANAGE) migrate --no-input -v0
	@$(MANAGE) collectstatic --no-input -v0
	@$(MANAGE) load_demo_year --site-url http://$(HOST):$(PORT)
	@$(MANAGE) create_demo_admin --site-url http://$(HOST):$(PORT)
	@echo "==> serving http://$(HOST):$(PORT)/ (Ctrl-C to stop); test-mode PayPal on $(HOST):8001"
	@# One shell for both, so the fake PayPal stops when gunicorn does (a background job may ignore Ctrl-C).
	@$(MANAGE) run_fake_paypal --port 8001 --webhook-url http://$(HOST):$(PORT)/donations/paypal/webhook/ & \
		trap "kill $$! 2>/dev/null" EXIT; \
		DJANGO_SETTINGS_MODULE=yearbook.settings.dev DEBUG=false $(UV) run --locked gunicorn yearbook.wsgi \
		--bind $(HOST):$(PORT) --workers 2 --access-logfile -

dev: bootstrap ## Run Django's development server with auto-reload
	@$(MANAGE) migrate --no-input -v0
	@$(MANAGE) runserver $(HOST):$(PORT)

lint: bootstrap ## Ruff lint and format check
	@$(UV) run --locked ruff check .
	@$(UV) run --locked ruff format --check .

format: bootstrap ## Ruff autofix and format
	@$(UV) run --locked ruff check --fix .
	@$(UV) run --locked ruff format .

check: bootstrap ## Django system checks and missing-migration check
	@DJANGO_SETTINGS_MODULE=yearbook.settings.test $(UV) run --locked python manage.py check --fail-level WARNING
	@DJANGO_SETTINGS_MODULE=yearbook.settings.test $(UV) run --locked python manage.py makemigrations --check --dry-run -v1

test: bootstrap system-packages lint check ## Lint, checks, and the whole suite (browser tests included) on SQLite
	@$(UV) run --locked pytest $(PYTEST_ARGS)

test-postgres: bootstrap system-packages ## The whole suite again on a throwaway PostgreSQL server on loopback
	@scripts/with_postgres.sh $(UV) run --locked pytest $(PYTEST_ARGS)

bench: bootstrap ## Benchmarks: figures and ratios against baselines measured in the same run
	@scripts/ensure_debian_packages.sh $(PDF_PACKAGES) wrk nginx-light
	@$(UV) run --locked python -m benchmarks
	@echo "== bench_search again, on PostgreSQL =="
	@scripts/with_postgres.sh env BENCH_USE_DATABASE_URL=1 $(UV) run --locked python -m benchmarks bench_search
