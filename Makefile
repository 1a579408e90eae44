# The two commands: `make run` (demo portal on SQLite) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
DEV := DJANGO_SETTINGS_MODULE=portal.settings.dev

.PHONY: run test install install-test migrate seed lint bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements/lock.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/lock.txt
	touch $@

$(VENV)/.installed-test: requirements/lock-test.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements/lock-test.txt
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(DEV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(DEV) $(BIN)/python manage.py seed_demo

run: seed
	$(DEV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .

bench: install-test
	$(BIN)/python -m benchmarks.run

# Re-extract translatable strings and compile catalogues (needs GNU gettext).
messages: install
	$(DEV) $(BIN)/python manage.py makemessages --locale vi --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*' --ignore 'benchmarks/*'
	cd locale && ../$(BIN)/python ../manage.py compilemessages --locale vi
	cd locale_thirdparty && ../$(BIN)/python ../manage.py compilemessages --locale vi

clean:
	rm -rf $(VENV) var db.sqlite3
