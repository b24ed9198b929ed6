"""Profile edits during a full run: how long until an edit's new suggestions are readable?

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindred_bench_queues \\
        CELERY_BROKER_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/edits_during_run.py

The same path as bench/end_to_end.py (``PATCH /api/v1/volunteers/me/`` in this process, the rematch
queued after commit, a real worker storing the new suggestions and ``matched_at``, this process
polling until it reads them), but while a full run's chunks are being worked through, with two
layouts of workers:

``one queue``
    every task in the default queue and one worker (``--concurrency 2``) consuming it: the layout
    before backend/celery_queues.py; an edit's rematch waits behind the run's chunks;
``separate queues``
    the routes of backend/celery_queues.py and scripts/run.sh's two workers: one for ``runs``
    (``--concurrency 2``), one for ``rematch``, ``notifications`` and the default queue
    (``--concurrency 1``).

A fresh database is seeded (bench/end_to_end.py's synthetic people and roles) and matched once in
process; then, for each layout, the workers start, one warm-up edit is made, a full run is queued,
and ``--edits`` edits follow one after another while it runs (an edit that finished after the run
did is still counted, and said). Writes the "Edits during a full run" section of
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench._processes import processes_stop  # noqa: E402
from bench.end_to_end import WORDS, percentile, prepare_environment, seed  # noqa: E402

SECTION = "Edits during a full run"
CELERY = str(Path(sys.executable).with_name("celery"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--volunteers", type=int, default=20000)
    parser.add_argument("--roles", type=int, default=4000)
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    return parser.parse_args()


def start_worker(env: dict[str, str], name: str, queues: str, concurrency: int):
    log = BASE_DIR / "var" / "bench" / f"edits_during_run-{name}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [CELERY, "-A", "backend", "worker", "--loglevel", "WARNING", "--pool", "prefork"]
    command += ["--concurrency", str(concurrency), "--queues", queues]
    command += ["--without-gossip", "--without-mingle", "--hostname", f"bench-{name}@%h"]
    return subprocess.Popen(
        command,
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def edit_once(profile_id: int, rng: random.Random, timeout: float) -> float:
    """Seconds from the PATCH to her new suggestions being readable."""
    from django.utils import timezone
    from rest_framework.test import APIClient

    from volunteers.models import VolunteerProfile

    profile = VolunteerProfile.objects.select_related("user").get(id=profile_id)
    client = APIClient(SERVER_NAME="localhost")
    client.force_authenticate(profile.user)
    sent = timezone.now()
    started = time.perf_counter()
    bio = " ".join(rng.choice(WORDS) for _ in range(40))
    response = client.patch("/api/v1/volunteers/me/", {"bio": bio}, format="json")
    if response.status_code != 200:
        raise SystemExit(f"PATCH failed: {response.status_code} {response.content!r}")
    rows = VolunteerProfile.objects.filter(id=profile_id).values_list("matched_at", flat=True)
    deadline = started + timeout
    while time.perf_counter() < deadline:
        matched_at = rows.first()
        if matched_at is not None and matched_at >= sent:
            return time.perf_counter() - started
        time.sleep(0.005)
    raise SystemExit(f"edit of {profile_id} not matched within {timeout} s")


def measure(layout: str, env: dict[str, str], profile_ids: list[int], args, rng) -> dict:
    from celery import group

    from backend import celery_queues
    from backend.celery import app
    from matching.models import MatchRun
    from suggestions import tasks
    from suggestions.services import runs

    # This process queues the edits' rematches and the run's chunks (the fan-out that
    # match_run_start_task does), so the routes set here decide where they wait.
    if layout == "one queue":
        app.conf.task_routes = {}  # every task to the default queue, as before the routes
        workers = [start_worker(env, "all", celery_queues.DEFAULT_QUEUE, 2)]
    else:
        app.conf.task_routes = celery_queues.task_routes()
        interactive = celery_queues.worker_queues("rematch", "notifications", "default")
        workers = [
            start_worker(env, "runs", celery_queues.worker_queues("runs"), 2),
            start_worker(env, "interactive", interactive, 1),
        ]
    app.amqp.flush_routes()
    app.amqp.router = app.amqp.Router()
    try:
        warm = rng.sample(profile_ids, k=3)
        for profile_id in warm:  # cold workers build their prepared roles first
            edit_once(profile_id, rng, timeout=300)
        run = runs.match_run_start(requested_by=None, chunk_size=args.chunk_size)
        started = time.perf_counter()
        chunk_ids = runs.match_run_mark_running(run_id=str(run.id))
        group(tasks.match_run_chunk_task.s(chunk_id) for chunk_id in chunk_ids).apply_async()
        timings, during = [], 0
        for profile_id in rng.sample([p for p in profile_ids if p not in warm], k=args.edits):
            timings.append(edit_once(profile_id, rng, timeout=900))
            run.refresh_from_db()
            during += run.status in (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING)
        while run.status in (MatchRun.Status.QUEUED, MatchRun.Status.RUNNING):
            time.sleep(0.2)
            run.refresh_from_db()
        run_seconds = (run.finished_at - run.created_at).total_seconds() if run.finished_at else 0
        waited = time.perf_counter() - started
    finally:
        processes_stop(workers)
    return {
        "layout": layout,
        "p50": percentile(timings, 0.5),
        "p95": percentile(timings, 0.95),
        "max": max(timings),
        "during": during,
        "edits": len(timings),
        "run": run_seconds or waited,
        "chunks": run.total,
        "status": run.status,
    }


def main() -> None:
    args = parse_args()
    env = prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from backend.celery import app
    from suggestions.services import runs

    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    profile_ids = seed(args.volunteers, args.roles, rng)
    run = runs.match_run_start(requested_by=None)
    for chunk_id in run.chunks.values_list("id", flat=True):
        runs.match_run_chunk_execute(chunk_id=chunk_id)
    app.control.purge()  # nothing left over from an earlier benchmark on this broker database

    results = [measure(layout, env, profile_ids, args, rng) for layout in LAYOUTS]
    rows = [
        f"| {r['layout']} | {r['edits']} ({r['during']} while the run ran) | "
        f"{r['p50'] * 1000:,.0f} ms | {r['p95'] * 1000:,.0f} ms | {r['max'] * 1000:,.0f} ms | "
        f"{r['chunks']} chunks, {r['run']:.1f} s ({r['status']}) |"
        for r in results
    ]
    table = "\n".join(
        [
            "| layout | edits | p50 | p95 | max | the full run |",
            "| --- | --- | --- | --- | --- | --- |",
            *rows,
        ]
    )
    print(table)
    if not args.no_write:
        write(args, connection.vendor, table)


LAYOUTS = ("one queue", "separate queues")


def write(args, database: str, table: str) -> None:
    from bench.quality import write_section

    command = (
        "CELERY_BROKER_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/edits_during_run.py"
    )
    if database == "postgresql":
        command = "DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindred_bench_queues " + command
    body = f"""From a volunteer's profile edit to her new suggestions being readable (as in "End to
end") while a full run's chunks are being worked through. {args.volunteers:,} volunteers x
{args.roles:,} roles (synthetic, New York), matched once before; runs in chunks of
{args.chunk_size}. "One queue": every task in the default queue, one worker with two processes
(the layout before the queues of backend/celery_queues.py). "Separate queues": scripts/run.sh's
layout, a worker for `runs` (two processes) and one for `rematch`, `notifications` and the default
queue (one process). Database: {database}; target: p95 <= 1,000 ms during a run. Measured on the
shared 2-core machine while other work ran.

```
{command}
```

{table}
"""
    write_section(f"{SECTION} ({database})", body)
    print(f"wrote {SECTION!r} to docs/benchmarks.md")


if __name__ == "__main__":
    main()
