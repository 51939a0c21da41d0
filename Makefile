# vnru: `make demo` runs the pipeline end to end, `make test` runs the whole test suite, `make lint` the linter.
# Each installs what it needs first: a virtualenv in .venv (pinned by requirements.lock) and, when missing,
# PostgreSQL's server binaries from Debian's packages; `make test` also the test extra and Chromium with its
# WebDriver (for the one Airflow UI screenshot test).

VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q

.PHONY: install install-test demo test lint bench lock clean-data

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

install: $(VENV)/.installed
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || ($(APT) postgresql)

install-test: install $(VENV)/.installed-test
	@[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || ($(APT) chromium chromium-driver)

demo: install
	$(VENV)/bin/vnru demo

# pytest exits 5 when it collects no test: not a failure of the suite
test: install-test
	$(PY) -m pytest --durations=15; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

lint: install-test
	$(VENV)/bin/ruff check .

bench: install-test
	$(PY) -m bench.events --recorded
	$(PY) -m bench.extraction

lock: install-test
	$(PY) -m pip freeze --exclude-editable > requirements.lock

clean-data:
	-$(VENV)/bin/vnru db stop
	rm -rf .vnru
