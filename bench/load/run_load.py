"""The API under load: gunicorn + PostgreSQL + Redis with the demo data and a 20k x 4k catalogue,
driven by locust at a fixed rate over a realistic mix (bench/load/locustfile.py).

    .venv/bin/python bench/load/run_load.py --rps 100 --seconds 60

What it does, on loopback only: re-creates the PostgreSQL database ``kindred_bench_load``,
migrates, seeds the demo (``seed_demo --force``), loads bench/_synthetic.py's catalogue (20,000
volunteers x 4,000 roles, bench/_catalogue_db.py), runs a full match in process so the review
queues are full, issues device tokens for 300 volunteers and for the coordinators of roles with
open suggestions (each coordinator's own suggestions to approve), then starts gunicorn (3 sync
workers, as the Dockerfile) on 127.0.0.1:8150 under the production settings and one Celery worker
(the rematches that profile edits queue, on Redis database 7, emptied first of what an earlier
run left), and runs locust headless. Writes the figures to the "Load" section of
docs/reliability.md, with the tasks still queued for the worker when locust stopped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench._processes import (  # noqa: E402
    processes_stop,
    production_environment,
    web_and_worker_start,
)

VAR = BASE_DIR / "var" / "bench" / "load"
PORT = 8150
DATABASE = "postgres://postgres@127.0.0.1:5432/kindred_bench_load"
BROKER = "redis://127.0.0.1:6379/7"
SECTION = "Load: the API at a fixed rate (locust)"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rps", type=float, default=100)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--volunteers", type=int, default=20000)
    parser.add_argument("--roles", type=int, default=4000)
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--note", default="")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the database and tokens")
    return parser.parse_args()


def environment() -> dict[str, str]:
    return production_environment(var=VAR, database_url=DATABASE, broker_url=BROKER)


def prepare(args: argparse.Namespace) -> dict[str, float]:
    """Database, demo, catalogue, a full match, and the tokens file; figures of each step."""
    from bench.end_to_end import recreate_postgres

    recreate_postgres(DATABASE)
    import django

    django.setup()
    from django.core.management import call_command

    from bench._catalogue_db import catalogue_load
    from suggestions.services import runs

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", force=True, verbosity=0, stdout=quiet)
    seeded = time.perf_counter() - t
    catalogue_load(args.volunteers, args.roles)
    t = time.perf_counter()
    run = runs.match_run_start(requested_by=None)
    for chunk_id in run.chunks.order_by("index").values_list("id", flat=True):
        runs.match_run_chunk_execute(chunk_id=chunk_id)
    matched = time.perf_counter() - t
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # statistics of the demo and the run's suggestions too
    tokens = write_tokens()
    return {"seed_seconds": seeded, "match_seconds": matched, **tokens}


def write_tokens() -> dict[str, float]:
    tokens = tokens_issue()
    (VAR / "tokens.json").write_text(json.dumps(tokens), encoding="utf-8")
    return {
        "volunteer_tokens": float(len(tokens["volunteers"])),
        "coordinator_tokens": len(tokens["coordinators"]),
    }


def tokens_issue() -> dict[str, list[dict]]:
    """Device tokens of 300 matchable volunteers and of up to 60 coordinators of roles with open
    suggestions, each with their roles and the suggestions they may approve (each given to one
    coordinator only); bench/request_costs.py sends its requests with the same."""
    from accounts.services.tokens import user_token_issue
    from matching.models import Match, MatchStatus
    from organizations.models import Membership, VerificationStatus
    from suggestions.services.candidates import matchable_volunteers

    volunteers = [
        {"token": user_token_issue(user=p.user, name="load")[1]}
        for p in matchable_volunteers().select_related("user").order_by("id")[:300]
    ]
    coordinators = []
    taken: set[int] = set()
    memberships = Membership.objects.filter(
        organization__verification_status=VerificationStatus.VERIFIED
    ).select_related("user")
    for membership in memberships.order_by("id"):
        open_rows = list(
            Match.objects.filter(
                status=MatchStatus.SUGGESTED, opportunity__organization=membership.organization
            )
            .exclude(id__in=taken)
            .values_list("id", "opportunity_id")[:200]
        )
        if not open_rows:
            continue
        taken.update(pk for pk, _ in open_rows)
        coordinators.append(
            {
                "token": user_token_issue(user=membership.user, name="load")[1],
                "opportunities": sorted({role for _, role in open_rows}),
                "suggestions": [pk for pk, _ in open_rows],
            }
        )
        if len(coordinators) >= 60:
            break
    return {"volunteers": volunteers, "coordinators": coordinators}


def _broker_queues() -> tuple[str, ...]:
    from backend.celery_queues import DEFAULT_QUEUE, KINDS

    return (DEFAULT_QUEUE, *KINDS)


def broker_backlog() -> dict[str, int]:
    """Tasks still waiting in each queue of the run's broker."""
    import redis

    client = redis.Redis.from_url(BROKER)
    return {name: int(client.llen(name)) for name in _broker_queues()}


def broker_empty() -> None:
    """Drop what an earlier run left queued (its worker stopped with work waiting), so this
    run's worker spends its CPU on this run's edits only."""
    import redis

    client = redis.Redis.from_url(BROKER)
    client.delete(*_broker_queues(), "unacked", "unacked_index")


def start(env: dict[str, str], args: argparse.Namespace) -> list[subprocess.Popen[bytes]]:
    broker_empty()
    return web_and_worker_start(
        env, var=VAR, port=PORT, gunicorn_workers=args.gunicorn_workers, hostname="bench-load"
    )


def run_locust(env: dict[str, str], args: argparse.Namespace) -> list[dict[str, str]]:
    prefix = VAR / "locust"
    subprocess.run(
        [
            str(Path(sys.executable).with_name("locust")),
            "-f",
            str(BASE_DIR / "bench" / "load" / "locustfile.py"),
            "--headless",
            "--host",
            f"http://127.0.0.1:{PORT}",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.users),
            "--run-time",
            f"{args.seconds}s",
            "--target-rps",
            str(args.rps),
            "--csv",
            str(prefix),
            "--only-summary",
        ],
        cwd=BASE_DIR,
        env={**env, "KINDRED_LOAD_TOKENS": str(VAR / "tokens.json")},
        check=False,
    )
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as stats:
        return list(csv.DictReader(stats))


def main() -> None:
    args = parse_args()
    env = environment()
    os.environ.update({**env, "DJANGO_SETTINGS_MODULE": "backend.settings.local"})
    prepared_file = VAR / "prepared.json"
    if args.reuse:
        import django

        django.setup()
        prepared = json.loads(prepared_file.read_text(encoding="utf-8"))
    else:
        prepared = prepare(args)
        prepared_file.write_text(json.dumps(prepared), encoding="utf-8")
    print(f"prepared {prepared}", flush=True)
    processes = start(env, args)
    try:
        rows = run_locust(env, args)
        backlog = broker_backlog()
    finally:
        processes_stop(processes)
    print(f"still queued when locust stopped: {backlog}", flush=True)
    prepared = {**prepared, "backlog": sum(backlog.values())}
    for row in rows:
        print(row["Name"], row["Request Count"], row["Failure Count"], row["99%"], flush=True)
    if not args.no_write:
        write(args, prepared, rows)


def write(args, prepared, rows) -> None:
    from bench.quality import machine, write_section

    lines = [
        "| request | count | failures | rate | p50 | p95 | p99 | max |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.1f}/s | {row['50%']} ms | {row['95%']} ms | "
            f"{row['99%']} ms | {float(row['Max Response Time']):.0f} ms |"
        )
    total = next(row for row in rows if row["Name"] == "Aggregated")
    verdict = (
        "meets" if float(total["99%"]) < 250 and int(total["Failure Count"]) == 0 else "misses"
    )
    body = f"""Measured {time.strftime("%Y-%m-%d")} on {machine()}, loopback only: gunicorn
({args.gunicorn_workers} sync workers, production settings) + PostgreSQL + Redis + one Celery
worker, with the demo data and the realistic catalogue ({args.volunteers:,} volunteers x
{args.roles:,} roles) matched in full ({prepared["match_seconds"]:.0f} s). locust: {args.users}
users (7 volunteers to 3 coordinators, each with a device token) paced to {args.rps:.0f}
requests/s for {args.seconds} s over the mix in bench/load/locustfile.py (browse with distance,
some with a cause or text; review queue; profile read and edit; approve). Target: p99 < 250 ms,
0 errors ({verdict}). Tasks still queued for the worker when locust stopped:
{prepared.get("backlog", 0)}. {args.note}

```
.venv/bin/python bench/load/run_load.py --rps {args.rps:.0f} --seconds {args.seconds}
```

{chr(10).join(lines)}
"""
    write_section(SECTION, body, doc=BASE_DIR / "docs" / "reliability.md")
    print(f"wrote {SECTION!r} to docs/reliability.md")


if __name__ == "__main__":
    main()
