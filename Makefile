# The two commands a new user needs are `make run` and `make test`; both install what is missing.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HTTP_PORT ?= 8000
MQTT_PORT ?= 1883
SPEED ?=
PYTEST_ARGS ?=
export HTTP_PORT MQTT_PORT SPEED

.PHONY: install run test lint system-packages clean bench

install: $(STAMP)

# Reinstalls only when pyproject.toml changed, so `make run` starts in a second.
$(STAMP): pyproject.toml
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (python3 is $$(python3 --version))"; exit 1; }
	@python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || \
		scripts/system-packages.sh python3-venv
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

system-packages:
	@scripts/system-packages.sh mosquitto mosquitto-clients chromium

# The whole home on the embedded broker; HTTP_PORT, MQTT_PORT, SPEED and AUTH=1 are honoured.
run: install
	$(PY) -m home up $(if $(filter-out 0,$(AUTH)),--auth)

test: install system-packages
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .

# The quick benchmark set (each under 40 s); see docs/performance.md for full runs.
bench: install
	$(PY) -m bench all --quick

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
