# Set-up and test commands; `make demo` and `make test` work on a fresh machine with python3.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo messages test docs bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python setup.py pyproject.toml
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e ".[test,schema,docs,bench]"
	touch $@

# Start the demo project on http://127.0.0.1:8088/ with an SQLite database; DEMO_PORT picks
# another port, for example when 8088 is taken.
DEMO_PORT ?= 8088

demo: $(VENV)/.installed
	cd testproject && ../$(BIN)/python manage.py migrate --noinput
	cd testproject && ../$(BIN)/python manage.py runserver 127.0.0.1:$(DEMO_PORT)

# Run the whole suite on SQLite, once per user model; PYTEST_ARGS go to each pytest run,
# for example PYTEST_ARGS="-n 2" for two pytest-xdist workers.
PYTEST_ARGS ?=

test: $(VENV)/.installed
	$(BIN)/python runtests.py $(PYTEST_ARGS)

# Build the HTML documentation into docs/_build/html; any Sphinx warning fails the build.
docs: $(VENV)/.installed
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

# Benchmark every endpoint in-process (see docs/benchmarks.rst); BENCH_ARGS go to
# benchmarks/run.py, for example BENCH_ARGS="--hasher default" or "--load".
BENCH_ARGS ?=

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Update every catalogue in djoser/locale from the sources, then compile them (needs GNU
# gettext). New messages arrive untranslated: translate them before committing.
messages: $(VENV)/.installed
	cd djoser && ../$(BIN)/django-admin makemessages --all --no-obsolete --add-location=file
	cd djoser && ../$(BIN)/django-admin compilemessages
