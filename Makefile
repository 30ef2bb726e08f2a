# The README's two commands: `make dev` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: dev test test-pg venv translations extract-messages lint bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "hotline needs Python 3.11 or newer")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create $(VENV). On Debian/Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

venv: $(STAMP)

translations: $(STAMP)
	@$(BIN)/pybabel compile --use-fuzzy -d hotline/translations -D messages >/dev/null

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --ignore-dirs=".* .venv __pycache__" -k _l -k lazy_gettext -o hotline/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i hotline/translations/messages.pot -d hotline/translations --no-wrap --ignore-obsolete

dev: translations
	$(BIN)/python bin/dev.py

test: translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The integration tests against the PostgreSQL and Redis servers of this machine (what CI runs too).
test-pg: translations
	HOTLINE_TEST_DATABASE_URL=$${HOTLINE_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} $(BIN)/python -m pytest tests/integration $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check hotline workers tests bench bin migrations

bench: translations
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# The key pages as people see them, in docs/screenshots/ (needs chromium; builds a temporary database).
.PHONY: screenshots
screenshots: translations
	$(BIN)/python bin/screenshots.py
