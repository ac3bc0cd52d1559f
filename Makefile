# The two commands a new user needs are `make run` and `make test`; both install what is missing.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HTTP_PORT ?= 8000
MQTT_PORT ?= 1883
SPEED ?=
PYTEST_ARGS ?=
# pytest-xdist workers; TEST_WORKERS=0 runs the suite in this one process
TEST_WORKERS ?= 2
UV_VERSION := 0.13.8
export HTTP_PORT MQTT_PORT SPEED

.PHONY: install lock run test lint system-packages clean bench

install: $(STAMP)

# Reinstalls only when pyproject.toml or the lock changed, so `make run` starts in a second.
# Exactly the locked packages, each checked against its hash; then the project, without deps.
$(STAMP): pyproject.toml requirements/dev.txt
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (python3 is $$(python3 --version))"; exit 1; }
	@python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || \
		scripts/system-packages.sh python3-venv
	@test -x $(PY) || python3 -m venv $(VENV)
	@python3 scripts/lock.py --check
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# requirements/*.txt again from pyproject.toml (uv pip compile --generate-hashes, a few seconds);
# versions already locked stay unless UPGRADE=1. Commit requirements/ with pyproject.toml.
lock:
	@test -x $(PY) || python3 -m venv $(VENV)
	@$(VENV)/bin/uv --version 2>/dev/null | grep -qF ' $(UV_VERSION)' || \
		$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	python3 scripts/lock.py --uv $(VENV)/bin/uv $(if $(filter-out 0,$(UPGRADE)),--upgrade)

system-packages:
	@scripts/system-packages.sh mosquitto mosquitto-clients chromium

# The whole home on the embedded broker; HTTP_PORT, MQTT_PORT, SPEED and AUTH=1 are honoured.
run: install
	$(PY) -m home up $(if $(filter-out 0,$(AUTH)),--auth)

test: install system-packages
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .

# The quick benchmark set (each under 40 s); see docs/performance.md for full runs.
bench: install
	$(PY) -m bench all --quick

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
