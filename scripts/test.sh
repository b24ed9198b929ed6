#!/usr/bin/env bash
# Lint, type-check and run the whole test suite. The exit status is pytest's; ruff and mypy
# failures are reported (and make the run fail) but do not stop pytest from running.
set -uo pipefail

cd "$(dirname "$0")/.."
VENV=${VENV:-$PWD/.venv}

if [[ ! -x $VENV/bin/python ]]; then
    echo "==> creating $VENV"
    python3 -m venv "$VENV" || exit 1
fi
PY=$VENV/bin/python
STAMP=$VENV/.kindred-test-installed
if [[ ! -e $STAMP || pyproject.toml -nt $STAMP || constraints.txt -nt $STAMP ]]; then
    echo "==> installing the project with its test dependencies into $VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]' || exit 1
    touch "$STAMP"
fi

failed=()
echo "==> ruff check ."
"$VENV/bin/ruff" check . || failed+=(ruff)
echo "==> ruff format --check ."
"$VENV/bin/ruff" format --check . || failed+=(ruff-format)
echo "==> mypy ."
"$VENV/bin/mypy" . || failed+=(mypy)
echo "==> lint-imports (contracts in pyproject.toml)"
"$VENV/bin/lint-imports" --no-cache || failed+=(lint-imports)

# -n 2: one pytest process per core; each has its own SQLite file and broker folder (or its own
# PostgreSQL test database and Redis queue), see backend/settings/test.py.
if (($#)); then
    echo "==> pytest -n ${PYTEST_WORKERS:-2} $*"
    "$PY" -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
    status=$?
else
    # The engine's tests run once, with Django made unimportable (it must not need it); the rest
    # of the suite runs with Django as usual.
    echo "==> the engine's tests without Django"
    "$PY" scripts/engine_tests_without_django.py -n "${PYTEST_WORKERS:-2}" || failed+=(engine-without-django)
    echo "==> pytest -n ${PYTEST_WORKERS:-2}"
    "$PY" -m pytest -n "${PYTEST_WORKERS:-2}" --ignore=tests/matching/engine
    status=$?
fi

if ((${#failed[@]})); then
    echo "==> also failed: ${failed[*]}"
    ((status == 0)) && status=1
fi
exit "$status"
