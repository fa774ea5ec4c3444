# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# One stamp per lock: `make run` after `make test` (or the reverse) installs what it lacks,
# and a changed lock installs again.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
HOST ?= 127.0.0.1
PORT ?= 8000
DATASET ?= data/cica

.PHONY: run test install lint format clean bench-report bench lock audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Only the locked versions, each checked against its hash (requirements/*.txt, from
# `make lock`), then the project itself over them.
define install_lock
	$(BIN)/pip install --quiet --require-hashes -r $(1)
	$(BIN)/pip install --quiet --no-deps -e .
endef

# The runtime and Redis's client (TASKS_URL=redis://...), without the test tools.
$(RUN_STAMP): $(BIN)/python requirements/run.txt pyproject.toml
	$(call install_lock,requirements/run.txt)
	touch $@

# The runtime, the test tools and the synthetic organization's generator (synthetic/).
$(TEST_STAMP): $(BIN)/python requirements/test.txt pyproject.toml synthetic/pyproject.toml
	$(call install_lock,requirements/test.txt)
	$(BIN)/pip install --quiet --no-deps -e ./synthetic
	touch $@

install: $(RUN_STAMP)

run: $(RUN_STAMP)
	$(BIN)/secretariat migrate --no-input
	$(BIN)/secretariat load-dataset $(DATASET)
	$(BIN)/secretariat ensure-admin
	$(BIN)/secretariat collectstatic --no-input --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/ (API: /api/v1/, docs: /api/v1/docs)"
	$(BIN)/secretariat serve $(HOST):$(PORT)

test: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/secretariat makemigrations --check --dry-run
	@$(MAKE) --no-print-directory audit
	$(BIN)/pytest -n auto --dist loadgroup

# The locked versions (bench.txt holds run.txt's and test.txt's, and gunicorn) against the
# advisories PyPI publishes for each version (/pypi/NAME/VERSION/json); nothing is built.
# --strict: a version that could not be checked fails too. Where PyPI does not answer
# that question (a mirror that serves only the index), the audit says so and is skipped,
# rather than report "no known vulnerabilities" having checked none.
audit: $(TEST_STAMP)
	@if $(BIN)/python -c "import urllib.request as r; r.urlopen('https://pypi.org/pypi/pip/24.0/json', timeout=30)" 2>/dev/null; then \
		$(BIN)/pip-audit --strict --disable-pip --require-hashes -r requirements/bench.txt; \
	else \
		echo "pip-audit skipped: PyPI's per-version advisories (/pypi/NAME/VERSION/json) are not reachable from here"; \
	fi

# How long the chairmanship report takes in each format (not a test; see the script).
bench-report: $(RUN_STAMP)
	$(BIN)/python bench/report_formats.py

# The site under gunicorn against its floor (raw SQL) and Datasette; see bench/run.py.
# DATABASE_URL set: PostgreSQL too. Datasette installs itself into var/bench/datasette-venv.
SCALE ?= 2
SEED ?= 1
DURATION ?= 10
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.installed-bench

# What `make test` installs, and gunicorn.
$(BENCH_STAMP): $(BIN)/python requirements/bench.txt pyproject.toml synthetic/pyproject.toml
	$(call install_lock,requirements/bench.txt)
	$(BIN)/pip install --quiet --no-deps -e ./synthetic
	touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --scale $(SCALE) --seed $(SEED) --duration $(DURATION) $(BENCH_ARGS)

lint: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The locks, from pyproject.toml's ranges, by pip-tools in a venv of its own (var/lock-venv).
# A version already locked stays unless asked: LOCK_ARGS='--upgrade-package Django'
# (one package, within its range), LOCK_ARGS=--upgrade (all). test.txt first; run.txt and
# bench.txt take its versions (-c), so the three agree.
LOCK_VENV := var/lock-venv
LOCK_ARGS ?=
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(LOCK_VENV)/bin/pip-compile --quiet \
	--generate-hashes --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links

lock:
	[ -x $(LOCK_VENV)/bin/pip-compile ] || \
		{ $(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/pip install --quiet pip-tools; }
	$(PIP_COMPILE) $(LOCK_ARGS) --extra test --extra redis -o requirements/test.txt pyproject.toml
	$(PIP_COMPILE) $(LOCK_ARGS) --extra redis -c requirements/test.txt \
		-o requirements/run.txt pyproject.toml
	$(PIP_COMPILE) $(LOCK_ARGS) --extra test --extra redis --extra bench -c requirements/test.txt \
		-o requirements/bench.txt pyproject.toml

clean:
	rm -rf $(VENV) var .pytest_cache
