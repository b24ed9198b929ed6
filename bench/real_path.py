"""A full matching run on the real path: from the request to every suggestion stored and readable.

    .venv/bin/python bench/real_path.py --volunteers 20000 --roles 4000 --workers 1,2
    DATABASE_URL=sqlite:///var/bench/real_path.sqlite3 CELERY_BROKER_URL=filesystem:// \\
        .venv/bin/python bench/real_path.py --volunteers 20000 --roles 4000 --workers 1,2

Defaults: PostgreSQL database ``kindred_bench`` (dropped and re-created) and Redis database 8 (its
cache on 9), so no other worker on the machine takes the benchmark's tasks. The catalogue is
bench/_synthetic.py's realistic one, loaded in bulk (bench/_catalogue_db.py). For each worker
count: N real Celery worker processes (prefork, one child each, ``OMP_WAIT_POLICY=passive`` and
the cores shared out by ``OMP_NUM_THREADS``) are started, then a coordinator's ``POST
/api/v1/matching/runs/`` (DRF, in this process) creates the run and queues its fan-out on the
broker after commit; the workers rank and store the chunks; the clock stops when the run reads
succeeded (every chunk committed), and the review queue of a role is then read through the API.
Two runs per worker count: the first on an empty suggestion table with workers that build their
prepared roles, the second a re-run over the stored suggestions (mostly unchanged rows).

Beside it, the engine alone on the same set: the records built from the database once, then
every chunk ranked in this process (``rank_all_arrays`` and the suggestions with reasons), as a
worker does between its reads and its store. Writes a section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench._processes import processes_stop  # noqa: E402

VAR = BASE_DIR / "var" / "bench" / "real_path"
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/kindred_bench"
DEFAULT_BROKER = "redis://127.0.0.1:6379/8"
CORES = os.cpu_count() or 2
WORKER_ARGS = shlex.split(
    "-A backend worker --loglevel INFO --pool prefork --concurrency 1 --prefetch-multiplier 1"
    " --without-gossip --without-mingle"
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--volunteers", type=int, default=20000)
    parser.add_argument("--roles", type=int, default=4000)
    parser.add_argument("--workers", default="1,2", help="worker process counts, e.g. 1,2")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds a run may take")
    parser.add_argument("--note", default="", help="a sentence added to the section")
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--reuse", action="store_true", help="keep the set loaded earlier")
    return parser.parse_args()


def prepare_environment(*, reuse: bool) -> dict[str, str]:
    from bench.end_to_end import recreate_postgres

    VAR.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.local")
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    env.setdefault("CELERY_BROKER_URL", DEFAULT_BROKER)
    env.setdefault("KINDRED_VAR_DIR", str(VAR / "var"))
    if env["CELERY_BROKER_URL"].startswith("redis://"):
        env.setdefault("CACHE_URL", env["CELERY_BROKER_URL"].rsplit("/", 1)[0] + "/9")
    env["DJANGO_DEBUG"] = "false"
    env["MATCH_RUN_THROTTLE_RATE"] = "1000/hour"  # the bench's own organization runs many
    env["LOG_LEVEL"] = "WARNING"
    if env["DATABASE_URL"].startswith("sqlite:///"):
        db = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
        db = db if db.is_absolute() else BASE_DIR / db
        db.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            if not reuse:
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    elif not reuse:
        recreate_postgres(env["DATABASE_URL"])
    os.environ.update(env)
    return env


def start_workers(env: dict[str, str], n: int) -> list[subprocess.Popen[bytes]]:
    threads = str(max(1, CORES // n))
    workers = []
    for i in range(n):
        log = VAR / f"worker-{n}-{i}.log"
        worker_env = {
            **env,
            "OMP_WAIT_POLICY": "passive",
            "OMP_NUM_THREADS": threads,
            "LOG_LEVEL": "INFO",
        }
        workers.append(
            subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("celery")),
                    *WORKER_ARGS,
                    f"--hostname=bench-real-{n}-{i}@%h",
                ],
                cwd=BASE_DIR,
                env=worker_env,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    return workers


def wait_ready(app, n: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        replies = app.control.ping(timeout=1.0) or []
        if len(replies) >= n:
            return
    raise SystemExit(f"{n} workers did not answer within {timeout} s (see {VAR})")


def stored_counts() -> dict[str, float]:
    from opportunities.models import Opportunity
    from volunteers.models import VolunteerProfile

    return {
        "volunteers": float(VolunteerProfile.objects.count()),
        "roles": float(Opportunity.objects.count()),
        "published": float(Opportunity.objects.published().count()),
        "roles_seconds": float("nan"),
        "volunteers_seconds": float("nan"),
    }


def coordinator():
    """A coordinator of a verified organization, who may start runs and read review queues."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from organizations.models import Membership, Organization, VerificationStatus

    org = Organization.objects.create(
        name="Bench coordinators",
        contact_email="bench-coordinators@example.org",
        verification_status=VerificationStatus.VERIFIED,
        verified_at=timezone.now(),
    )
    user = get_user_model().objects.create_user(
        email="bench-coordinator@example.org",
        password=None,
        email_verified_at=timezone.now(),
    )
    Membership.objects.create(user=user, organization=org, role=Membership.Role.COORDINATOR)
    return user


def engine_only() -> dict[str, float]:
    """The engine alone on the stored set, as a run's solve calls it (run_plan: one assignment
    over every volunteer) plus the suggestions with their reasons, which the chunks build."""
    from matching import records as record_builders
    from matching.engine import rank_all_arrays
    from suggestions.services import candidates
    from volunteers.models import VolunteerProfile

    t = time.perf_counter()
    snapshot = candidates.role_snapshot()
    index_seconds = time.perf_counter() - t
    t = time.perf_counter()
    everyone = candidates.verified_only(
        record_builders.volunteer_records(
            VolunteerProfile.objects.order_by("id"), today=snapshot.today
        )
    )
    records_seconds = time.perf_counter() - t
    t = time.perf_counter()
    ranked = rank_all_arrays(
        everyone,
        index=snapshot.index,
        today=snapshot.today,
        k=candidates.SUGGESTIONS_PER_VOLUNTEER,
        labels=snapshot.labels,
        excluded=frozenset(),
        prior_exposures={},
        limits=candidates.limits(),
    )
    stored = len(list(ranked.suggestions()))
    return {
        "engine_seconds": time.perf_counter() - t,
        "index_seconds": index_seconds,
        "records_seconds": records_seconds,
        "suggestions": float(stored),
    }


def one_run(client, timeout: float) -> dict[str, float]:
    """POST a run, wait for it to succeed, read a review queue; seconds and counts."""
    from matching.models import Match, MatchRun, MatchRunChunk, MatchStatus

    t0 = time.perf_counter()
    answer = client.post("/api/v1/matching/runs/")
    if answer.status_code != 202:
        raise SystemExit(f"run request answered {answer.status_code}: {answer.content!r}")
    run_id = answer.json()["id"]
    deadline = t0 + timeout
    while True:
        run = MatchRun.objects.get(id=run_id)
        if run.status == MatchRun.Status.SUCCEEDED:
            break
        if run.status == MatchRun.Status.FAILED or time.perf_counter() > deadline:
            raise SystemExit(f"run {run_id} {run.status} after {time.perf_counter() - t0:.0f} s")
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    stored = sum(MatchRunChunk.objects.filter(run_id=run_id).values_list("suggestions", flat=True))
    open_rows = Match.objects.filter(status=MatchStatus.SUGGESTED).count()
    role = (
        Match.objects.filter(status=MatchStatus.SUGGESTED)
        .values_list("opportunity_id", flat=True)
        .first()
    )
    readable = client.get(f"/api/v1/matches/?opportunity={role}&ordering=-score")
    return {
        "seconds": seconds,
        "chunks": float(run.total),
        "stored": float(stored),
        "open": float(open_rows),
        "queue_status": float(readable.status_code),
    }


def reads(client, samples: int = 20) -> dict[str, float]:
    """Medians (ms) of reads on the stored set: single rematches and role searches."""
    import random
    import statistics

    from matching.models import Match, MatchStatus
    from suggestions.services import rematch

    rng = random.Random(5)
    open_rows = Match.objects.filter(status=MatchStatus.SUGGESTED)
    volunteers = list(open_rows.values_list("volunteer_id", flat=True).distinct()[:500])
    roles = list(open_rows.values_list("opportunity_id", flat=True).distinct()[:500])

    def median_ms(call, items, k: int = samples) -> float:
        call(items[0])  # warm
        times = []
        for item in rng.sample(items, k=min(k, len(items))):
            t = time.perf_counter()
            call(item)
            times.append((time.perf_counter() - t) * 1000)
        return statistics.median(times)

    return {
        "volunteer_rematch_ms": median_ms(
            lambda pk: rematch.volunteer_rematch(profile_id=pk), volunteers
        ),
        "role_rematch_ms": median_ms(
            lambda pk: rematch.opportunity_rematch(opportunity_id=pk), roles, k=5
        ),
        "search_ms": median_ms(
            lambda word: client.get(f"/api/v1/opportunities/?q={word}"),
            ["listening", "food", "tutoring", "mentor", "seniors", "garden", "youth", "health"],
        ),
        "near_ms": median_ms(
            lambda radius: client.get(
                f"/api/v1/opportunities/?near=40.7359,-73.9911&radius_km={radius}"
            ),
            [1, 2, 3, 5, 8, 10, 15, 25],
        ),
        "withdrawn": float(Match.objects.filter(status=MatchStatus.WITHDRAWN).count()),
        "open": float(open_rows.count()),
    }


def main() -> None:
    args = parse_args()
    env = prepare_environment(reuse=args.reuse)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.test import APIClient

    from backend.celery import app, ensure_filesystem_broker_folders
    from bench._catalogue_db import catalogue_load
    from matching.models import Match

    call_command("migrate", verbosity=0)
    ensure_filesystem_broker_folders()  # the embedded broker: its folders before a purge
    if args.reuse:
        loaded = stored_counts()
    else:
        loaded = catalogue_load(args.volunteers, args.roles, seed=args.seed)
    print(f"loaded {loaded}", flush=True)
    engine = engine_only()
    print(f"engine only {engine}", flush=True)
    client = APIClient(SERVER_NAME="localhost")
    from django.contrib.auth import get_user_model

    existing = get_user_model().objects.filter(email="bench-coordinator@example.org").first()
    client.force_authenticate(existing or coordinator())
    results: dict[int, list[dict[str, float]]] = {}
    for n in [int(part) for part in args.workers.split(",")]:
        Match.objects.all().delete()  # each worker count starts from an empty suggestion table
        app.control.purge()
        workers = start_workers(env, n)
        try:
            wait_ready(app, n)
            results[n] = [one_run(client, args.timeout), one_run(client, args.timeout)]
        finally:
            processes_stop(workers)
        print(f"{n} worker(s): {results[n]}", flush=True)
    measured_reads = reads(client)
    print(f"reads {measured_reads}", flush=True)
    if not args.no_write:
        write_section(args, connection.vendor, env, loaded, engine, results, measured_reads)


def _load_time(loaded: dict[str, float]) -> str:
    seconds = loaded["roles_seconds"] + loaded["volunteers_seconds"]
    return (
        "loaded by an earlier run" if seconds != seconds else f"loaded in bulk in {seconds:.0f} s"
    )


def write_section(args, database, env, loaded, engine, results, measured) -> None:
    from bench.quality import machine
    from bench.quality import write_section as replace_section

    one = results.get(1)
    rows = []
    for n, (first, second) in results.items():
        efficiency = (
            f"{one[0]['seconds'] / (n * first['seconds']):.2f} / "
            f"{one[1]['seconds'] / (n * second['seconds']):.2f}"
            if one and n > 1
            else "-"
        )
        rows.append(
            f"| {n} | {first['seconds']:.1f} s | {second['seconds']:.1f} s | "
            f"{first['seconds'] / engine['engine_seconds']:.1f}x / "
            f"{second['seconds'] / engine['engine_seconds']:.1f}x | {efficiency} | "
            f"{first['stored']:,.0f} / {second['stored']:,.0f} |"
        )
    broker = env["CELERY_BROKER_URL"].split("://")[0]
    command = (
        f".venv/bin/python bench/real_path.py --volunteers {args.volunteers} "
        f"--roles {args.roles} --workers {args.workers}"
    )
    if database != "postgresql" or broker != "redis":
        command = (
            f"DATABASE_URL={'sqlite:///var/bench/real_path.sqlite3' if database == 'sqlite' else '...'}"
            f" CELERY_BROKER_URL={env['CELERY_BROKER_URL']} {command}"
        )
    body = f"""Measured {time.strftime("%Y-%m-%d")} on {machine()}: {database} + {broker}, the realistic
catalogue ({loaded["volunteers"]:,.0f} volunteers x {loaded["roles"]:,.0f} roles, of which
{loaded["published"]:,.0f} published; {_load_time(loaded)}). From a coordinator's `POST
/api/v1/matching/runs/` to the run's success, every chunk's suggestions committed (each chunk
stores its volunteers' pools, the chunk that completes the set solves the run's assignment from
them, then the chunks store their slices side by side);
the review queue is then read through the API. First run: empty
suggestion table, workers building their prepared roles; second: a re-run over the stored
suggestions. Engine alone on the same set, in one process, as the run's solve calls it (one
assignment over every volunteer) with the suggestions and reasons built:
{engine["engine_seconds"]:.1f} s, {engine["suggestions"]:,.0f} suggestions (+
{engine["index_seconds"]:.1f} s to prepare the roles and {engine["records_seconds"]:.1f} s to
build the volunteers' records from the database, which the real path also does).
{args.note}

```
{command}
```

| workers | first run | second run | x engine time (first / second) | parallel efficiency | stored (first / second) |
| --- | --- | --- | --- | --- | --- |
{chr(10).join(rows)}

Reads on the stored set afterwards ({measured["open"]:,.0f} open and {measured["withdrawn"]:,.0f}
withdrawn suggestions; medians of 20, in process): a volunteer's rematch
{measured["volunteer_rematch_ms"]:.0f} ms, a role's {measured["role_rematch_ms"]:.0f} ms (of 5);
`GET /api/v1/opportunities/?q=<word>` {measured["search_ms"]:.0f} ms, `?near=...&radius_km=`
{measured["near_ms"]:.0f} ms.
"""
    title = f"Full run on the real path, {args.volunteers // 1000}k x {args.roles // 1000}k ({database})"
    replace_section(title, body)
    print(f"wrote {title!r} to docs/benchmarks.md")


if __name__ == "__main__":
    main()
