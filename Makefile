# Regie: `make demo` serves the demo region, `make test` runs the whole gate.
PYTHON ?= python3
UV := $(PYTHON) -m uv
# uv takes the machine's Python from .python-version and never downloads one.
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
RUN := $(UV) run --frozen
MANAGE := $(RUN) python manage.py
PORT ?= 8000
# pytest exits 5 when it collected nothing: that is a failure here, with a message saying why.
PYTEST = $(RUN) pytest $(1) || { rc=$$?; [ $$rc -ne 5 ] \
  || echo "pytest collected no tests for: $(1)" >&2; exit $$rc; }
CATALOGUES := $(wildcard regie/locale/*/LC_MESSAGES/django.po)
DEPLOY_ENV := DEBUG=false ALLOWED_HOSTS=regie.example.org \
  CSRF_TRUSTED_ORIGINS=https://regie.example.org EMAIL_HOST=smtp.example.org \
  DEFAULT_FROM_EMAIL=regie@example.org \
  REGIE_INSZ_KEY=$$(head -c 32 /dev/urandom | base64) \
  SECRET_KEY=ci-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')

.PHONY: help uv install demo serve migrate messages compilemessages lint typecheck test \
  test-postgres test-browser screenshots check-deploy clean

help:
	@echo "make demo           - install, migrate, load the demo region and serve http://127.0.0.1:$(PORT)"
	@echo "                      with a task worker beside it (PORT=8123 make demo for another port)"
	@echo "make test           - lint, format check, mypy, migrations check, template lint (djlint),"
	@echo "                      import layers (lint-imports) and the whole test suite"
	@echo "make test-postgres  - the test suite against PostgreSQL (DATABASE_URL)"
	@echo "make test-browser   - the browser tests in Debian's chromium"
	@echo "make check-deploy   - manage.py check --deploy and collectstatic with production settings"

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
	  || $(PYTHON) -m pip install --quiet --user --break-system-packages uv

install: uv
	$(UV) sync --frozen
	@if command -v msgfmt >/dev/null 2>&1; then $(MAKE) --no-print-directory compilemessages; \
	  else echo "msgfmt (GNU gettext) not found: using the committed .mo catalogues"; fi

compilemessages:
ifeq ($(CATALOGUES),)
	@echo "compilemessages: no catalogue under regie/locale yet, nothing to compile"
else
	cd regie && $(RUN) django-admin compilemessages --ignore=static
endif

messages:
	mkdir -p regie/locale
	cd regie && $(RUN) django-admin makemessages -l nl -l en --no-obsolete --no-location \
	  --ignore=static/vendor/*

migrate: install
	$(MANAGE) migrate --noinput

# The demo queues slow work (round plans) in the database: a task worker runs beside the web
# server, so the pages show real progress; it stops when the server does.
demo: export REGIE_TASKS_BACKEND := database
demo: migrate
	$(MANAGE) load_demo
	@echo "Serving http://127.0.0.1:$(PORT)/ (admin: /admin/) with a task worker; Ctrl-C stops both."
	DEBUG=true $(MANAGE) db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  DEBUG=true $(MANAGE) runserver 127.0.0.1:$(PORT)

serve: migrate
	DEBUG=true $(MANAGE) runserver 127.0.0.1:$(PORT)

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy .
	$(MANAGE) makemigrations --check --dry-run
	$(RUN) djlint regie --lint
	$(RUN) lint-imports --no-logo

typecheck: install
	$(RUN) mypy .

test: lint
	$(call PYTEST,-n 2 --dist loadgroup)

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/regie} \
	  $(call PYTEST,-n 2 --dist loadgroup)

test-browser: install
	$(call PYTEST,-m browser -p no:xdist)

screenshots: install
	REGIE_SCREENSHOTS=1 $(RUN) pytest -m browser -p no:xdist

check-deploy: install
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING
	$(DEPLOY_ENV) $(MANAGE) collectstatic --noinput --verbosity 0

clean:
	rm -rf .venv var/static .mypy_cache .ruff_cache .import_linter_cache
