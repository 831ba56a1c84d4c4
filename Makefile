# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test setup lint lock clean-db

$(VENV)/.installed: requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed

## make run: migrate, import the real content if the database is empty, and serve on 127.0.0.1:$(PORT).
run: setup
	@$(PY) manage.py migrate --noinput
	@$(PY) manage.py import_performance_gov --if-empty
	@$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  The CX progress portal is at http://127.0.0.1:$(PORT)/  (the reference page: http://127.0.0.1:$(PORT)/pma/cx/)"
	@echo "  To edit content, make an admin account in another terminal:  $(PY) manage.py createsuperuser"
	@echo "  then sign in at http://127.0.0.1:$(PORT)/admin/.  Press Ctrl-C to stop."
	@echo ""
	@$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: lint, check migrations, and run the whole suite (browser tests included) on Postgres.
test: setup
	@test -x /usr/bin/chromium || { echo "Browser tests need Chromium: apt-get install -y chromium"; exit 1; }
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

## make lock: recompile the pinned requirements from pyproject.toml.
lock: setup
	$(VENV)/bin/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.txt pyproject.toml
	$(VENV)/bin/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url --no-emit-find-links -o requirements-dev.txt pyproject.toml

## make clean-db: delete the embedded database in .pgdata/ (the next run re-imports the content).
clean-db:
	rm -rf .pgdata
