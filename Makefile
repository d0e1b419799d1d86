# Two commands do all the set-up: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
FLASK  := $(BIN)/flask --app app

.PHONY: run test lint bench setup install translations messages flask clean

$(BIN)/activate: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(BIN)/activate

install: $(BIN)/activate

# Compiled catalogues are build output: made from translations/*/LC_MESSAGES/messages.po.
translations: install
	$(BIN)/pybabel -q compile -d translations

# Re-extract the strings after changing templates or code, then translate the .po.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -o translations/messages.pot .
	$(BIN)/pybabel update -N -i translations/messages.pot -d translations

# umask 077: the database, the secret key and the uploads are the service user's alone.
setup: install translations
	umask 077 && $(FLASK) setup

# gunicorn with the production settings (gunicorn.conf.py); WORKERS and PORT may be overridden.
WORKERS ?= 2
run: setup
	umask 077 && PORT=$(PORT) WEB_CONCURRENCY=$(WORKERS) $(BIN)/gunicorn -c gunicorn.conf.py app:app

# Any command of the app, e.g. make flask ARGS='jobs run-due'.
flask: install translations
	umask 077 && $(FLASK) $(ARGS)

# Lint first (ruff.toml): a failure there is cheaper to read than a test's.
lint: install
	$(BIN)/ruff check .

# The suite in TEST_WORKERS processes (pytest-xdist), each with its own database.
# The package is byte-compiled first: the suite starts ~30 processes (workers,
# gunicorn, flask commands), which would each compile it again where the
# environment says not to write bytecode (PYTHONDONTWRITEBYTECODE). The suite
# writes bytecode whatever the environment says: pytest then keeps the test
# modules as it rewrote their asserts, ~2.5 s of each test process's start.
TEST_WORKERS ?= 2
test: install translations lint
	$(BIN)/python -m compileall -q app.py config feedback
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -q --tb=short -n $(TEST_WORKERS)

# The service against a bare-stack baseline on gunicorn, one table and bench/results.json
# (bench/README.md). Larger: make bench BENCH_ARGS='--sizes 10000,100000,1000000'.
BENCH_ARGS ?= --sizes 10000 --duration 4 --runs 3
bench: install translations
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
