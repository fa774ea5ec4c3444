# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
DATASET ?= data/cica

.PHONY: run test install lint format clean bench-report bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,redis]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/secretariat migrate --no-input
	$(BIN)/secretariat load-dataset $(DATASET)
	$(BIN)/secretariat ensure-admin
	$(BIN)/secretariat collectstatic --no-input --verbosity 0
	@echo "Serving on http://$(HOST):$(PORT)/ (API: /api/v1/, docs: /api/v1/docs)"
	$(BIN)/secretariat serve $(HOST):$(PORT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/secretariat makemigrations --check --dry-run
	$(BIN)/pytest -n auto --dist loadgroup

# How long the chairmanship report takes in each format (not a test; see the script).
bench-report: $(STAMP)
	$(BIN)/python bench/report_formats.py

# The site under gunicorn against its floor (raw SQL) and Datasette; see bench/run.py.
# DATABASE_URL set: PostgreSQL too. Datasette installs itself into var/bench/datasette-venv.
SCALE ?= 2
SEED ?= 1
DURATION ?= 10
BENCH_ARGS ?=
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/run.py --scale $(SCALE) --seed $(SEED) --duration $(DURATION) $(BENCH_ARGS)

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache
