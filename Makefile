.PHONY: run test lint format

# Start the local web server, a Celery worker and beat on the embedded defaults (Ctrl-C stops all).
run:
	scripts/run.sh

# Lint, type-check and run the whole test suite.
test:
	scripts/test.sh

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .
