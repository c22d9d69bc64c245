# Regie: `make demo` serves the demo region, `make test` runs the whole gate.
PYTHON ?= python3
UV := $(PYTHON) -m uv
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
RUN := $(UV) run --frozen
MANAGE := $(RUN) python manage.py

.PHONY: help uv install demo serve migrate messages compilemessages lint typecheck test test-postgres test-browser check-deploy clean

help:
	@echo "make demo  - install, migrate, load the demo region and serve http://127.0.0.1:8000"
	@echo "make test  - lint, format check, mypy, migrations check and the whole test suite"

uv:
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv \
	  || $(PYTHON) -m pip install --quiet --user --break-system-packages uv

install: uv
	$(UV) sync --frozen
	$(MAKE) compilemessages

compilemessages:
	cd regie && $(RUN) django-admin compilemessages --ignore=.venv

messages:
	cd regie && $(RUN) django-admin makemessages -l nl -l en --no-obsolete --no-location \
	  --ignore=static/vendor/* --ignore=.venv

migrate: install
	$(MANAGE) migrate --noinput

demo: migrate
	$(MANAGE) load_demo
	DEBUG=true $(MANAGE) runserver 127.0.0.1:8000

lint: install
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy .
	$(MANAGE) makemigrations --check --dry-run

test: lint
	$(RUN) pytest -n 2

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/regie} $(RUN) pytest -n 2

test-browser: install
	$(RUN) pytest -m browser -p no:xdist

check-deploy: install
	DEBUG=false SECRET_KEY=ci-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=regie.example.org $(MANAGE) check --deploy --fail-level WARNING

clean:
	rm -rf .venv var/static .mypy_cache .ruff_cache
