# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha256sum requirements.lock | cut -c1-16)

.PHONY: install messages run localstripe test test-postgres lint bench docs screenshots lock clean

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Compile translations with Babel (pure Python: no system gettext needed).
messages: install
	$(BIN)/pybabel compile --use-fuzzy -D django -d locale

run: messages
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Serving http://127.0.0.1:8000 (deadline sweep every 60 s alongside)"
	@echo "E-mail is printed on this console: follow the confirmation link printed here after signing up"
	DEBUG=1 $(BIN)/python manage.py close_expired --every 60 & \
	DEBUG=1 exec $(BIN)/python manage.py runserver 127.0.0.1:8000

# A fake Stripe (its API and Stripe.js) on 127.0.0.1:8420, its store in memory, sending
# its webhooks, signed, to the site of `make run`. See README, "Paying with Stripe test
# mode locally".
LOCALSTRIPE_WEBHOOK_SECRET ?= whsec_localstripe
localstripe: install
	$(BIN)/python scripts/fake_stripe.py --port 8420 \
		--webhook http://127.0.0.1:8000/payments/stripe/webhook/ --secret $(LOCALSTRIPE_WEBHOOK_SECRET)

test: messages
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_imports.py
	$(BIN)/python manage.py makemigrations --check --dry-run

# Every benchmark, then one `GOAL <name> <figure> <target> met|missed` line per goal.
bench: messages
	$(BIN)/python bench/run.py

# The lifecycle picture is generated from the transition definitions.
docs: install
	$(BIN)/python manage.py lifecycle_graph --dot docs/challenge-lifecycle.dot --svg docs/challenge-lifecycle.svg

# The pages of the walks in both languages, as PNG files (see tests/browser/checks.py).
screenshots: messages
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/pytest -q tests/browser/test_walk_solver.py tests/browser/test_walk_staff.py

# Re-pin dependencies after editing pyproject.toml.
lock: install
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --generate-hashes \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
