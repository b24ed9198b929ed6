.PHONY: run test lint format

# Start the local web server, two Celery workers (full runs; the rest) and beat on the embedded
# defaults. Ctrl-C, SIGTERM or closing the terminal stops them all; a port in use is refused.
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
