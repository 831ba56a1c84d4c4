# The two commands a newcomer needs: `make run` and `make test`. Both set everything up first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT
# The admin's address as settings.py makes it from CXPORTAL_ADMIN_PATH: no slash first, one last.
ADMIN_PATH = $(shell echo "$${CXPORTAL_ADMIN_PATH:-admin}" | sed 's|^/*||; s|/*$$|/|')
# pytest-xdist workers for `make test`: one per CPU; each keeps a test database of its own.
TEST_WORKERS ?= auto
# The W3C's Nu HTML Checker, which tests/site/test_valid_markup.py runs on every page type: the npm
# package's jar, in the virtualenv (no new folder in the checkout), run with Java.
VNU_VERSION := 26.9.27
VNU := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: run test setup checker lint lock clean-db

# A venv needs ensurepip. Debian ships it apart (python3.11-venv): as root with apt-get, install it;
# otherwise say the command. A venv left without pip by a failed attempt is made again.
$(VENV)/.installed: requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "make needs Python 3.11: sudo apt-get install -y python3 python3-venv"; exit 1; }
	@if ! $(PY) -m pip --version >/dev/null 2>&1; then \
	  rm -rf $(VENV); \
	  if ! out=$$($(PYTHON) -m venv $(VENV) 2>&1); then \
	    rm -rf $(VENV); \
	    pkg=python$$($(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')-venv; \
	    if ! echo "$$out" | grep -q ensurepip; then \
	      echo "$$out"; echo "$(PYTHON) -m venv $(VENV) failed."; exit 1; \
	    elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "$(PYTHON) has no ensurepip; installing $$pkg (apt-get)..."; \
	      export DEBIAN_FRONTEND=noninteractive; \
	      apt-get update -qq && apt-get install -y -qq $$pkg >/dev/null || exit 1; \
	      $(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }; \
	    else \
	      echo "$(PYTHON) cannot make a virtualenv: it has no ensurepip. Install it with:"; \
	      echo ""; echo "    sudo apt-get install -y $$pkg"; echo ""; exit 1; \
	    fi; \
	  fi; \
	fi
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

setup: $(VENV)/.installed

# Java (Debian's headless runtime) and the checker's jar. As root with apt-get, make installs what is
# missing; otherwise it says the command and stops. The jar comes from the npm registry, pinned above,
# with --ignore-scripts (the package needs none).
$(VENV)/vnu/.installed-$(VNU_VERSION): | $(VENV)/.installed
	@for need in java:openjdk-17-jre-headless npm:npm; do \
	  cmd=$${need%%:*}; pkg=$${need#*:}; \
	  command -v $$cmd >/dev/null && continue; \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "The HTML checker needs $$cmd; installing it (apt-get install $$pkg)..."; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq $$pkg >/dev/null || exit 1; \
	  else \
	    echo "The HTML checker needs $$cmd. Install it with:"; \
	    echo ""; echo "    sudo apt-get install -y $$pkg"; echo ""; exit 1; \
	  fi; \
	done
	@rm -rf $(VENV)/vnu
	npm install --silent --prefix $(VENV)/vnu --ignore-scripts --no-audit --no-fund vnu-jar@$(VNU_VERSION)
	@test -f $(VNU) || { echo "npm did not install $(VNU)"; exit 1; }
	@touch $@

checker: $(VENV)/vnu/.installed-$(VNU_VERSION)

## make run: migrate, import the real content if the database is empty, and serve on 127.0.0.1:$(PORT).
run: setup
	@$(PY) manage.py migrate --noinput
	@$(PY) manage.py import_performance_gov --if-empty
	@$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo ""
	@echo "  The CX progress portal is at http://127.0.0.1:$(PORT)/  (the reference page: http://127.0.0.1:$(PORT)/pma/cx/)"
	@echo "  To edit content, make an account in another terminal, one of each role to try the workflow"
	@echo "  (README, 'Editing content'):  $(PY) manage.py create_editor pat --role \"OMB publisher\""
	@echo "  then sign in at http://127.0.0.1:$(PORT)/$(ADMIN_PATH).  Press Ctrl-C to stop."
	@echo ""
	@$(PY) manage.py runserver 127.0.0.1:$(PORT)

## make test: lint, check migrations, and run the whole suite (browser tests included) on Postgres.
# The browser tests drive the system Chromium (never `playwright install`). As root with apt-get,
# make installs it; otherwise it says the command and stops. So it does for the HTML checker's Java
# and for the outage test's Postgres 15.
# Programs the tests start: Chromium (the browser tests); Redis, and nginx with deploy/nginx.conf
# and its purge module (the caching tests); Postgres 15's own programs (the outage test,
# tests/test_outage.py, stops and starts one). Each is a path, then the Debian package that has it.
TEST_PROGRAMS := /usr/bin/chromium:chromium /usr/bin/redis-server:redis-server /usr/sbin/nginx:nginx \
  /usr/lib/nginx/modules/ngx_http_cache_purge_module.so:libnginx-mod-http-cache-purge \
  /usr/lib/postgresql/15/bin/pg_ctl:postgresql-15

test: setup checker
	@missing=""; \
	for need in $(TEST_PROGRAMS); do test -e $${need%%:*} || missing="$$missing $${need#*:}"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "The tests need$$missing; installing (apt-get)..."; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    apt-get update -qq && apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  else \
	    echo "The tests need$$missing. Install with:"; \
	    echo ""; echo "    sudo apt-get install -y$$missing"; echo ""; exit 1; \
	  fi; \
	  for need in $(TEST_PROGRAMS); do \
	    test -e $${need%%:*} || { echo "apt-get did not install $${need%%:*}"; exit 1; }; \
	  done; \
	fi
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS)

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
