#!/usr/bin/env bash
# Run Kindred Match locally: the development web server, two Celery workers (one for full matching
# runs, one for rematches, notices and the rest; backend/celery_queues.py) and beat, on the
# embedded defaults (SQLite and Celery's filesystem transport under var/) unless DATABASE_URL and
# CELERY_BROKER_URL say otherwise. Ctrl-C, SIGTERM and SIGHUP (the terminal closed) stop them all.
#
# It refuses to start when PORT is taken (say by a server an earlier run left behind), before it
# starts anything, and prints "running" only once its own web server answers /healthz and its own
# workers and beat are up; otherwise it says which one did not start and stops the others.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-$ROOT/.venv}
PORT=${PORT:-8000}
#: Seconds each service may take to come up (runserver's checks, a worker importing the engine).
START_TIMEOUT=${START_TIMEOUT:-120}
#: Processes of the worker for full runs (each caps the engine's threads at cores / this).
RUN_WORKER_CONCURRENCY=${RUN_WORKER_CONCURRENCY:-2}

# Before anything else: a port in use means another server (often an earlier `make run`).
if ! python3 - "$PORT" <<'PY'
import socket, sys
with socket.socket() as sock:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as runserver binds
    try:
        sock.bind(("127.0.0.1", int(sys.argv[1])))
    except OSError:
        sys.exit(1)
PY
then
    echo "==> port $PORT is already in use on 127.0.0.1 (an earlier 'make run' still running?)." >&2
    echo "    Stop that server, or choose another port: PORT=8001 make run" >&2
    exit 1
fi
export KINDRED_VAR_DIR=${KINDRED_VAR_DIR:-$ROOT/var}
LOG_DIR=$KINDRED_VAR_DIR/log
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-backend.settings.local}
# DEBUG off, as a deployment runs: a missing page or an error shows the friendly pages, not
# Django's debug pages. The embedded demo says so (KINDRED_DEMO), so seed_demo still loads its
# logins (backend/settings/local.py), and runserver --insecure serves the static files that DEBUG
# would have served (this is the local development server only; production's proxy serves them).
export DJANGO_DEBUG=${DJANGO_DEBUG:-false}
export KINDRED_DEMO=1
export PYTHONUNBUFFERED=1
# The demo is a New York deployment: distances are shown in miles (rules stay in kilometres).
export DISTANCE_UNIT=${DISTANCE_UNIT:-mi}

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

PIDS=()   # web, workers, beat: each the leader of its own process group
NAMES=()  # what each is, for the messages
say() { echo "$@" 2>/dev/null || true; }  # after SIGHUP the terminal is gone: never fail on it
stop_all() {
    trap - INT TERM HUP EXIT
    if ((${#PIDS[@]})); then
        # Signal first, talk after: the terminal may be gone.
        # The web server's group (runserver's autoreloader runs the server in a child); the
        # Celery main processes only: they stop their own pool, and a pool child signalled
        # directly is mourned as a lost worker, which slows the shutdown.
        kill -TERM -- "-${PIDS[0]}" 2>/dev/null || true
        for pid in "${PIDS[@]:1}"; do kill -TERM "$pid" 2>/dev/null || true; done
        say
        say "==> stopping ${NAMES[*]}"
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
trap 'stop_all; exit 129' HUP
trap 'stop_all' EXIT

# A service that exited (or never started): say which, and stop the others (the EXIT trap).
give_up() {
    say "==> $1; see $LOG_DIR" >&2
    exit 1
}
running() { kill -0 "$1" 2>/dev/null; }

# Unique node names, so a "ready." line in a log kept from an earlier run is never taken for ours.
NODE_SUFFIX="$$-$(date +%s)"
RUNS_NODE="runs-$NODE_SUFFIX@%h"
WORKER_NODE="worker-$NODE_SUFFIX@%h"
# The queues of each (backend/celery_queues.py): full runs; rematches, notices and the rest.
read -r RUNS_QUEUES WORKER_QUEUES < <("$PY" -c "from backend.celery_queues import worker_queues as q
print(q('runs'), q('rematch', 'notifications', 'default'))")

# setsid: each service in a process group of its own, so stopping it reaches its children too
# (runserver's autoreloader, the worker's pool).
setsid "$PY" manage.py runserver --insecure "127.0.0.1:$PORT" </dev/null &
PIDS+=($!) NAMES+=("web")
setsid "$VENV/bin/celery" -A backend worker -l info -n "$WORKER_NODE" -Q "$WORKER_QUEUES" \
    --concurrency 1 </dev/null >>"$LOG_DIR/worker.log" 2>&1 &
PIDS+=($!) NAMES+=("worker")
setsid "$VENV/bin/celery" -A backend worker -l info -n "$RUNS_NODE" -Q "$RUNS_QUEUES" \
    --concurrency "$RUN_WORKER_CONCURRENCY" </dev/null >>"$LOG_DIR/worker-runs.log" 2>&1 &
PIDS+=($!) NAMES+=("run-worker")
setsid "$VENV/bin/celery" -A backend beat -l info \
    --scheduler django_celery_beat.schedulers:DatabaseScheduler \
    </dev/null >>"$LOG_DIR/beat.log" 2>&1 &
PIDS+=($!) NAMES+=("beat")

BASE=http://127.0.0.1:$PORT
node_ready() {  # Celery's "<node> ready." line for this start's node (its name is unique)
    grep -qE "${1%@*}@[^ ]* ready\." "$2" 2>/dev/null
}
healthy=0 ready=0
for _ in $(seq 1 $((START_TIMEOUT * 10))); do
    for i in "${!PIDS[@]}"; do
        running "${PIDS[$i]}" || give_up "the ${NAMES[$i]} exited while starting"
    done
    if ((!healthy)) && curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then
        healthy=1
    fi
    if ((!ready)) && node_ready "$WORKER_NODE" "$LOG_DIR/worker.log" &&
        node_ready "$RUNS_NODE" "$LOG_DIR/worker-runs.log"; then
        ready=1
    fi
    ((healthy && ready)) && break
    sleep 0.1
done
((healthy)) || give_up "the web server did not answer $BASE/healthz within ${START_TIMEOUT} s"
((ready)) || give_up "the workers were not ready within ${START_TIMEOUT} s"
running "${PIDS[0]}" || give_up "the web server exited"  # /healthz was ours: it still runs

# Seeded profiles and roles have never been matched: hand a full run to the workers now so the
# demo's suggestions appear within seconds (the reconciler would find them only at its next beat).
"$PY" manage.py match_all --queue ||
    say "==> could not queue the first matching run; the reconciler will"

cat <<INFO

================================================================================
 Kindred Match is running (local development server; not for production)
   Home page     $BASE/
   Find a role   $BASE/roles/
   API root      $BASE/api/v1/
   API docs      $BASE/api/v1/docs/
   Admin         $BASE/admin/
   Health        $BASE/healthz
 Worker logs     $LOG_DIR/worker.log (rematches, notices), worker-runs.log (full runs)
 Beat log        $LOG_DIR/beat.log
 Press Ctrl-C to stop them all.
================================================================================
INFO
if [[ -s $SEED_LOG ]]; then
    echo " Demo logins (from manage.py seed_demo, also in $SEED_LOG):"
    sed 's/^/   /' "$SEED_LOG"
    echo "================================================================================"
fi

# If any of them exits, stop the others and report its status.
status=0
wait -n "${PIDS[@]}" || status=$?
say "==> a service exited (status $status); see the logs above and in $LOG_DIR"
exit "$status"
