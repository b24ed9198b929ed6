#!/usr/bin/env bash
# Run Kindred Match locally: the development web server, a real Celery worker and beat, on the
# embedded defaults (SQLite and Celery's filesystem transport under var/) unless DATABASE_URL and
# CELERY_BROKER_URL say otherwise. Ctrl-C stops all three.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-$ROOT/.venv}
PORT=${PORT:-8000}
export KINDRED_VAR_DIR=${KINDRED_VAR_DIR:-$ROOT/var}
LOG_DIR=$KINDRED_VAR_DIR/log
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-backend.settings.local}
export PYTHONUNBUFFERED=1

if [[ ! -x $VENV/bin/python ]]; then
    echo "==> creating $VENV"
    python3 -m venv "$VENV"
fi
PY=$VENV/bin/python
# Reinstall only when pyproject.toml changed since the last install (the stamp lives in the venv).
STAMP=$VENV/.kindred-installed
if [[ ! -e $STAMP || pyproject.toml -nt $STAMP || constraints.txt -nt $STAMP ]]; then
    echo "==> installing the project into $VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check -c constraints.txt -e .
    touch "$STAMP"
fi

mkdir -p "$LOG_DIR"
echo "==> migrating"
"$PY" manage.py migrate --noinput
# The shared cache (throttles, lockouts) is a database table on the embedded defaults.
"$PY" manage.py createcachetable

SEED_LOG=$LOG_DIR/seed_demo.log
: >"$SEED_LOG"
if "$PY" manage.py help seed_demo >/dev/null 2>&1; then
    echo "==> seeding the demo data"
    "$PY" manage.py seed_demo 2>&1 | tee "$SEED_LOG"
    # The demo staff login signs in with a second factor: how to make its codes (demo-only key).
    "$PY" manage.py shell -c \
        "from demo.logins import staff_second_factor_help; print(staff_second_factor_help())" \
        2>&1 | tee -a "$SEED_LOG"
fi

# The filesystem transport does not create its folders.
"$PY" manage.py shell -c \
    "from backend.celery import ensure_filesystem_broker_folders; ensure_filesystem_broker_folders()"

PIDS=()  # web, worker, beat: each the leader of its own process group
stop_all() {
    trap - INT TERM EXIT
    if ((${#PIDS[@]})); then
        echo
        echo "==> stopping web, worker and beat"
        # The web server's group (runserver's autoreloader runs the server in a child); the
        # Celery main processes only: they stop their own pool, and a pool child signalled
        # directly is mourned as a lost worker, which slows the shutdown.
        kill -TERM -- "-${PIDS[0]}" 2>/dev/null || true
        for pid in "${PIDS[@]:1}"; do kill -TERM "$pid" 2>/dev/null || true; done
        for _ in $(seq 1 150); do  # up to 15 s for Celery's warm shutdown
            alive=0
            for pid in "${PIDS[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
            ((alive)) || break
            sleep 0.1
        done
        for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
        wait 2>/dev/null || true
    fi
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

# setsid: each service in a process group of its own, so stopping it reaches its children too
# (runserver's autoreloader, the worker's pool).
setsid "$PY" manage.py runserver "127.0.0.1:$PORT" </dev/null &
PIDS+=($!)
setsid "$VENV/bin/celery" -A backend worker -l info --concurrency 2 \
    </dev/null >>"$LOG_DIR/worker.log" 2>&1 &
PIDS+=($!)
setsid "$VENV/bin/celery" -A backend beat -l info \
    --scheduler django_celery_beat.schedulers:DatabaseScheduler \
    </dev/null >>"$LOG_DIR/beat.log" 2>&1 &
PIDS+=($!)

# Seeded profiles and roles have never been matched: hand a full run to the worker now so the
# demo's suggestions appear within seconds (the reconciler would find them only at its next beat).
"$PY" manage.py match_all --queue || echo "==> could not queue the first matching run; the reconciler will"

BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 600); do  # up to 60 s: runserver runs the system checks first
    curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
    sleep 0.1
done

cat <<INFO

================================================================================
 Kindred Match is running (local development server; not for production)
   API root      $BASE/api/v1/
   API docs      $BASE/api/v1/docs/
   Admin         $BASE/admin/
   Health        $BASE/healthz
 Worker log      $LOG_DIR/worker.log
 Beat log        $LOG_DIR/beat.log
 Press Ctrl-C to stop all three.
================================================================================
INFO
if [[ -s $SEED_LOG ]]; then
    echo " Demo logins (from manage.py seed_demo, also in $SEED_LOG):"
    sed 's/^/   /' "$SEED_LOG"
    echo "================================================================================"
fi

# If any of the three exits, stop the others and report its status.
status=0
wait -n "${PIDS[@]}" || status=$?
echo "==> a service exited (status $status); see the logs above and in $LOG_DIR"
exit "$status"
