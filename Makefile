# vnru: `make demo` runs the pipeline end to end, `make test` runs the whole test suite.
# Both install what they need first: a virtualenv in .venv (pinned by requirements.lock) and,
# when missing, PostgreSQL's server binaries and Chromium with its WebDriver (for the Airflow UI
# screenshot test) from Debian's packages.

VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install demo test bench lock clean-data

$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c requirements.lock -e '.[test]'
	touch $@

install: $(VENV)/.installed
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || \
	  ($(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql)
	@[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || \
	  ($(SUDO) apt-get update -q && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver)

demo: install
	$(VENV)/bin/vnru demo

# pytest exits 5 when it collects no test: not a failure of the suite
test: install
	$(PY) -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 0; fi; exit $$rc

bench: install
	$(PY) -m bench.events --recorded
	$(PY) -m bench.extraction

lock: install
	$(PY) -m pip freeze --exclude-editable > requirements.lock

clean-data:
	-$(VENV)/bin/vnru db stop
	rm -rf .vnru
