"""PostgreSQL restarted under load: what clients see during the outage, and whether the web and
worker processes recover without being restarted.

    .venv/bin/python bench/pg_restart.py            # restarts the machine's PostgreSQL once
    .venv/bin/python bench/pg_restart.py --no-restart --no-write   # the same load, no outage

Re-creates the database ``kindred_pgrestart`` on 127.0.0.1:5432 (dropped at the end), migrates,
seeds bench/end_to_end.py's synthetic people and roles (``--volunteers`` x ``--roles``) and matches
them once in process, issues device tokens, then starts gunicorn (``--gunicorn-workers`` sync
workers, production settings, CONN_MAX_AGE 60 with health checks as deployed) and one Celery
worker on Redis database 9. ``--threads`` clients loop over four requests (the roles API, a
``PATCH volunteers/me/`` that queues a rematch, the public roles page, ``/healthz``) for
``--before`` seconds, then ``pg_ctlcluster 15 main restart`` runs (PostgreSQL's fast shutdown:
every connection is cut) and the clients go on for ``--after`` seconds. Recorded: every answer's
status and kind (JSON, the error page, a traceback), the outage as the clients saw it, the time
from the restart to the first and to the last failed answer, and whether the same gunicorn and
worker processes (same pids) served and matched afterwards: an edit made after the outage must be
rematched by the worker (its ``matched_at`` moves). Writes the "PostgreSQL restarted under load"
section of docs/reliability.md.

WARNING: the restart cuts every client of that PostgreSQL, other people's too.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench._processes import (  # noqa: E402
    processes_stop,
    production_environment,
    web_and_worker_start,
)

VAR = BASE_DIR / "var" / "bench" / "pg_restart"
PORT = 8160
SERVER = "postgres://postgres@127.0.0.1:5432"
NAME = "kindred_pgrestart"
BROKER = "redis://127.0.0.1:6379/9"
RESTART = ["pg_ctlcluster", "15", "main", "restart"]
DOC = BASE_DIR / "docs" / "reliability.md"
SECTION = "PostgreSQL restarted under load"
REQUESTS = ("roles API", "profile edit", "roles page", "healthz")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--volunteers", type=int, default=2000)
    parser.add_argument("--roles", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--before", type=float, default=10.0)
    parser.add_argument("--after", type=float, default=20.0)
    parser.add_argument("--no-restart", action="store_true", help="the load only, no outage")
    parser.add_argument("--no-write", action="store_true", help="do not update the doc")
    return parser.parse_args()


def environment() -> dict[str, str]:
    return production_environment(var=VAR, database_url=f"{SERVER}/{NAME}", broker_url=BROKER)


def database(action: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{NAME}"')


def prepare(args: argparse.Namespace) -> list[dict]:
    """Schema, people and roles, one full match; a token and profile id per client thread."""
    database("create")
    os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings.local"
    import django

    django.setup()
    from django.core.management import call_command

    from accounts.services.tokens import user_token_issue
    from bench.end_to_end import seed
    from suggestions.services import runs
    from volunteers.models import VolunteerProfile

    call_command("migrate", verbosity=0)
    profile_ids = seed(args.volunteers, args.roles, random.Random(7))
    run = runs.match_run_start(requested_by=None)
    for chunk_id in run.chunks.order_by("index").values_list("id", flat=True):
        runs.match_run_chunk_execute(chunk_id=chunk_id)
    clients = []
    for profile in VolunteerProfile.objects.filter(id__in=profile_ids[: args.threads + 1]):
        token = user_token_issue(user=profile.user, name="pg_restart")[1]
        clients.append({"token": token, "profile_id": profile.id})
    from django.db import connections

    connections.close_all()
    return clients


def start(env: dict[str, str], args: argparse.Namespace) -> list[subprocess.Popen[bytes]]:
    return web_and_worker_start(
        env, var=VAR, port=PORT, gunicorn_workers=args.gunicorn_workers, hostname="bench-pgrestart"
    )


def call(method: str, path: str, token: str = "", body: dict | None = None) -> tuple[int, str]:
    """(status, kind of answer): ``json``, ``page``, ``traceback`` or ``no answer``."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310  (loopback http)
            status, text, kind = answer.status, answer.read().decode(errors="replace"), answer
    except urllib.error.HTTPError as error:
        status, text, kind = error.code, error.read().decode(errors="replace"), error
    except OSError:
        return 0, "no answer"
    # /healthz names the failed check's exception class by design ("error": "OperationalError");
    # a traceback or a driver's message in an answer is the leak this looks for.
    if "Traceback" in text or "server closed the connection" in text or "psycopg" in text:
        return status, "traceback"
    content_type = kind.headers.get("Content-Type", "")
    return status, "json" if "json" in content_type else "page"


@dataclass
class Answer:
    at: float
    request: str
    status: int
    kind: str
    seconds: float


def drive(client: dict, stop: threading.Event, answers: list[Answer], lock: threading.Lock) -> None:
    token, n = client["token"], 0
    while not stop.is_set():
        name = REQUESTS[n % len(REQUESTS)]
        n += 1
        started = time.monotonic()
        if name == "roles API":
            status, kind = call("GET", "/api/v1/opportunities/?page_size=10", token)
        elif name == "profile edit":
            bio = f"I like listening and gardening; edit {n}."
            status, kind = call("PATCH", "/api/v1/volunteers/me/", token, {"bio": bio})
        elif name == "roles page":
            status, kind = call("GET", "/roles/")
        else:
            status, kind = call("GET", "/healthz")
        with lock:
            answers.append(Answer(started, name, status, kind, time.monotonic() - started))
        time.sleep(0.05)


def matched_at(profile_id: int) -> object:
    import psycopg

    with psycopg.connect(f"{SERVER}/{NAME}") as conn:
        row = conn.execute(
            "SELECT matched_at FROM volunteers_volunteerprofile WHERE id = %s", [profile_id]
        ).fetchone()
    return row[0] if row else None


def worker_rematches(client: dict, timeout: float = 60.0) -> float | None:
    """Seconds from an edit (after the outage) to the worker having rematched her, or None."""
    before = matched_at(client["profile_id"])
    started = time.monotonic()
    status, _ = call("PATCH", "/api/v1/volunteers/me/", client["token"], {"bio": "After."})
    if status != 200:
        return None
    while time.monotonic() - started < timeout:
        if matched_at(client["profile_id"]) != before:
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def pids(processes: list[subprocess.Popen[bytes]]) -> list[int]:
    import psutil

    found = []
    for process in processes:
        found.append(process.pid)
        found += sorted(child.pid for child in psutil.Process(process.pid).children())
    return found


def main() -> None:
    args = parse_args()
    env = environment()
    os.environ.update(env)
    clients = prepare(args)
    processes = start(env, args)
    try:
        pids_before = pids(processes)
        answers: list[Answer] = []
        lock, stop = threading.Lock(), threading.Event()
        threads = [
            threading.Thread(target=drive, args=(c, stop, answers, lock), daemon=True)
            for c in clients[: args.threads]
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        restart_at = time.monotonic()
        restart_seconds = 0.0
        if not args.no_restart:
            subprocess.run(RESTART, check=True)
            restart_seconds = time.monotonic() - restart_at
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        rematched_in = worker_rematches(clients[-1])
        pids_after = pids(processes)
    finally:
        processes_stop(processes)
        database("drop")
    summary = summarize(answers, restart_at, restart_seconds, args)
    logs = {
        name: (VAR / f"{name}.log").read_text(errors="replace") for name in ("gunicorn", "worker")
    }
    summary.update(
        log_tracebacks={name: text.count("Traceback") for name, text in logs.items()},
        log_unavailable_lines=logs["gunicorn"].count("Database unavailable"),
        rematched_in=rematched_in,
        same_processes=pids_before == pids_after,
        pids=f"{pids_before} -> {pids_after}",
    )
    print(json.dumps(summary, indent=2))
    if not args.no_write and not args.no_restart:
        write_section(summary, args)


def summarize(answers: list[Answer], restart_at: float, restart_seconds: float, args) -> dict:
    failed = [a for a in answers if not 200 <= a.status < 300]
    after = [a for a in answers if a.at >= restart_at]
    by_kind: collections.Counter[str] = collections.Counter(
        f"{a.request}: {a.status or 'no answer'} {a.kind}" for a in failed
    )
    first_ok_after = next(
        (
            a.at + a.seconds
            for a in sorted(after, key=lambda a: a.at)
            if a.at > max((f.at for f in failed), default=restart_at)
        ),
        None,
    )
    return {
        "answers": len(answers),
        "failed": len(failed),
        "failed_by_kind": dict(sorted(by_kind.items())),
        "tracebacks": sum(1 for a in answers if a.kind == "traceback"),
        "restart_command_seconds": round(restart_seconds, 2),
        "first_failure_after_restart": round(min(f.at for f in failed) - restart_at, 2)
        if failed
        else None,
        "last_failure_after_restart": round(max(f.at + f.seconds for f in failed) - restart_at, 2)
        if failed
        else None,
        "all_served_again_after_restart": round(first_ok_after - restart_at, 2)
        if first_ok_after
        else None,
        "slowest_answer_seconds": round(max(a.seconds for a in answers), 2),
        "threads": args.threads,
        "gunicorn_workers": args.gunicorn_workers,
    }


def write_section(summary: dict, args: argparse.Namespace) -> None:
    from bench.quality import write_section as replace_section

    kinds = "\n".join(f"  - {k}: {n}" for k, n in summary["failed_by_kind"].items()) or "  - none"
    rematched = summary["rematched_in"]
    body = f"""While the database cannot be reached the API answers 503 in its one JSON shape with
`Retry-After` (code `unavailable`, one warning line per request, no traceback:
`backend/errors.py`), a page answers the friendly error page (500), `/healthz` answers 503 with
`"database": {{"ok": false}}`, and a task that meets the outage is retried (the tasks' `RETRY`
covers `OperationalError` and `InterfaceError`). Nothing is restarted afterwards: a web process's
persistent connection (`CONN_MAX_AGE` 60) is checked before each request's first query
(`CONN_HEALTH_CHECKS`) and replaced when dead, and Celery's Django fix-up closes a worker's broken
connection around each task. Without a server: `tests/backend/test_database_unavailable.py` fails
every query as a dropped connection does.

Measured {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())} on a shared 2-core box,
while other work ran: gunicorn ({args.gunicorn_workers} sync workers, production settings,
CONN_MAX_AGE 60 with CONN_HEALTH_CHECKS) and one Celery worker on PostgreSQL 15 and Redis;
{args.threads} clients looping over the roles API, a profile edit, the public roles page and
/healthz; `pg_ctlcluster 15 main restart` after {args.before:.0f} s (it took
{summary["restart_command_seconds"]} s).

```sh
.venv/bin/python bench/pg_restart.py
```

- Answers: {summary["answers"]}, of which {summary["failed"]} failed, every one of them cleanly
  ({summary["tracebacks"]} tracebacks):
{kinds}
- Outage as the clients saw it: first failed answer {summary["first_failure_after_restart"]} s
  after the restart began, last one {summary["last_failure_after_restart"]} s after; every
  request served again from {summary["all_served_again_after_restart"]} s. Slowest answer:
  {summary["slowest_answer_seconds"]} s.
- In the logs (never in an answer): {summary["log_unavailable_lines"]} "Database unavailable"
  warnings from the web processes, one per API answer 503; "Traceback" appears
  {summary["log_tracebacks"]} times (the web's: Django's `django.request` error for each page
  answered 500, with the chained driver error; the worker's).
- The same processes before and after (gunicorn master and workers, the Celery worker and its
  child): {"yes" if summary["same_processes"] else "no"} ({summary["pids"]}). An edit made after
  the outage was rematched by the worker in
  {f"{rematched:.1f} s" if rematched is not None else "(not within 60 s)"}: the worker reconnected
  on its own.
"""
    replace_section(SECTION, body, doc=DOC)


if __name__ == "__main__":
    main()
