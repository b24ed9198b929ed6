"""End to end: a volunteer edits their profile; how long until their new suggestions are readable?

    CELERY_BROKER_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/end_to_end.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindred_bench_e2e \\
        CELERY_BROKER_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/end_to_end.py

The path measured is the production one: ``PATCH /api/v1/volunteers/me/`` through DRF (in this
process), the profile service commits and queues ``volunteer_rematch_task`` on Redis after commit,
a real Celery worker process (prefork, 1 child) picks it up, recomputes the volunteer's suggestions
against every published role and commits them together with ``matched_at``. The clock stops when
this process reads ``matched_at`` at or after the moment the PATCH was sent (polled every 5 ms),
i.e. when the new suggestions are readable by the API.

A fresh database is built each time (SQLite file under var/bench/ unless DATABASE_URL says
otherwise; a PostgreSQL database named in DATABASE_URL is dropped and re-created), seeded with
synthetic volunteers and roles, and matched once in full before the edits (so each edit replaces
existing suggestions, as in real life). Use a Redis database number of its own (7 above) so no
other worker on the machine consumes the benchmark's tasks. Writes the figures to the "End to end"
section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
SECTION = "End to end"

WORDS = re.findall(
    r"\w+",
    "listening support loneliness tutoring reading math gardening cooking elders youth peer "
    "recovery crisis phone befriending mentoring art music outreach food pantry housing veterans "
    "refugees language spanish chinese wellbeing walking companionship homework coaching",
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--volunteers", type=int, default=5000)
    parser.add_argument("--roles", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=30)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    return parser.parse_args()


def prepare_environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.local")
    env.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/7")
    if "DATABASE_URL" not in env:
        db = BASE_DIR / "var" / "bench" / "end_to_end.sqlite3"
        db.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{db}"
    else:
        recreate_postgres(env["DATABASE_URL"])
    env["DJANGO_DEBUG"] = "false"
    os.environ.update(env)
    return env


def recreate_postgres(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not re.fullmatch(r"kindred_bench\w*", name):
        raise SystemExit(
            f"refusing to drop {name!r}: the benchmark database must be kindred_bench*"
        )
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def seed(volunteers: int, roles: int, rng: random.Random) -> list[int]:
    """Synthetic people and roles around New York, bulk-inserted. Returns the profile ids."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from opportunities.models import Opportunity
    from organizations.models import Organization
    from taxonomy.availability import SLOTS
    from taxonomy.models import Cause, Skill
    from volunteers.models import VolunteerProfile

    skills = list(Skill.objects.values_list("id", flat=True))
    causes = list(Cause.objects.values_list("id", flat=True))

    def text(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    def place() -> tuple[float, float]:
        return 40.60 + rng.random() * 0.25, -74.05 + rng.random() * 0.25

    password = make_password("bench-password")
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(email=f"bench{i}@example.org", password=password, email_verified_at=timezone.now())
            for i in range(volunteers)
        ],
        batch_size=1000,
    )
    profiles = []
    for i, user in enumerate(users):
        lat, lon = place()
        profiles.append(
            VolunteerProfile(
                user=user,
                display_name=f"Volunteer {i}",
                bio=text(40),
                latitude=lat,
                longitude=lon,
                max_travel_km=rng.choice([3, 5, 10, 20]),
                modes=rng.sample(["in_person", "remote", "phone", "hybrid"], k=2),
                availability=rng.sample(SLOTS, k=6),
                max_commitments=2,
            )
        )
    profiles = VolunteerProfile.objects.bulk_create(profiles, batch_size=1000)
    volunteer_skills = VolunteerProfile.skills.through
    volunteer_skills.objects.bulk_create(
        [
            volunteer_skills(volunteerprofile_id=p.id, skill_id=s)
            for p in profiles
            for s in rng.sample(skills, k=3)
        ],
        batch_size=5000,
    )
    volunteer_causes = VolunteerProfile.causes.through
    volunteer_causes.objects.bulk_create(
        [
            volunteer_causes(volunteerprofile_id=p.id, cause_id=c)
            for p in profiles
            for c in rng.sample(causes, k=2)
        ],
        batch_size=5000,
    )

    organizations = Organization.objects.bulk_create(
        [Organization(name=f"Org {i}", contact_email=f"org{i}@example.org") for i in range(200)]
    )
    role_rows = []
    for i in range(roles):
        lat, lon = place()
        role_rows.append(
            Opportunity(
                organization=organizations[i % len(organizations)],
                title=text(4).capitalize(),
                description=text(80),
                mode=rng.choice(["in_person", "remote", "phone", "hybrid"]),
                latitude=lat,
                longitude=lon,
                availability=rng.sample(SLOTS, k=4),
                capacity=rng.choice([1, 2, 5]),
                status=Opportunity.Status.PUBLISHED,
            )
        )
    role_rows = Opportunity.objects.bulk_create(role_rows, batch_size=1000)
    role_skills = Opportunity.required_skills.through
    role_skills.objects.bulk_create(
        [role_skills(opportunity_id=o.id, skill_id=rng.choice(skills)) for o in role_rows],
        batch_size=5000,
    )
    role_causes = Opportunity.causes.through
    role_causes.objects.bulk_create(
        [role_causes(opportunity_id=o.id, cause_id=rng.choice(causes)) for o in role_rows],
        batch_size=5000,
    )
    return [p.id for p in profiles]


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = BASE_DIR / "var" / "bench" / "end_to_end-worker.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "backend",
            "worker",
            "--loglevel",
            "WARNING",
            "--pool",
            "prefork",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            "bench-e2e@%h",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_for(predicate, timeout: float, interval: float = 0.005) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():
            return time.perf_counter()
        time.sleep(interval)
    raise SystemExit(f"timed out after {timeout} s")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def main() -> None:
    args = parse_args()
    env = prepare_environment()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from rest_framework.test import APIClient

    from backend.celery import app
    from matching.models import Match, MatchStatus
    from suggestions.services import runs
    from volunteers.models import VolunteerProfile

    rng = random.Random(args.seed)
    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    profile_ids = seed(args.volunteers, args.roles, rng)
    seeded_in = time.perf_counter() - t
    t = time.perf_counter()
    run = runs.match_run_start(requested_by=None)
    for chunk_id in run.chunks.values_list("id", flat=True):
        runs.match_run_chunk_execute(chunk_id=chunk_id)
    full_run_in = time.perf_counter() - t
    open_suggestions = Match.objects.filter(status=MatchStatus.SUGGESTED).count()
    print(
        f"seeded {args.volunteers} volunteers x {args.roles} roles in {seeded_in:.1f} s; "
        f"full run {full_run_in:.1f} s, {open_suggestions} open suggestions"
    )
    app.control.purge()  # nothing left over from an earlier benchmark on this Redis database

    worker = start_worker(env)
    try:
        time.sleep(1)
        assert app.control.inspect(timeout=15).ping() or True
        edited = rng.sample(profile_ids, k=args.edits + 1)
        timings: list[float] = []
        changed = 0
        for n, profile_id in enumerate(edited):
            profile = VolunteerProfile.objects.select_related("user").get(id=profile_id)
            before = set(
                Match.objects.filter(
                    volunteer_id=profile_id, status=MatchStatus.SUGGESTED
                ).values_list("opportunity_id", flat=True)
            )
            client = APIClient(SERVER_NAME="localhost")
            client.force_authenticate(profile.user)
            sent = timezone.now()
            t0 = time.perf_counter()
            response = client.patch(
                "/api/v1/volunteers/me/",
                {"bio": " ".join(rng.choice(WORDS) for _ in range(40))},
                format="json",
            )
            if response.status_code != 200:
                raise SystemExit(f"PATCH failed: {response.status_code} {response.content!r}")

            def readable(profile_id: int = profile_id, sent=sent) -> bool:
                matched_at = (
                    VolunteerProfile.objects.filter(id=profile_id)
                    .values_list("matched_at", flat=True)
                    .first()
                )
                return matched_at is not None and matched_at >= sent

            timeout = 120 if n == 0 else 30
            t1 = wait_for(readable, timeout=timeout)
            after = set(
                Match.objects.filter(
                    volunteer_id=profile_id, status=MatchStatus.SUGGESTED
                ).values_list("opportunity_id", flat=True)
            )
            changed += after != before
            if n == 0:
                cold = t1 - t0  # the worker's first task builds its prepared roles
                continue
            timings.append(t1 - t0)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()

    p50, p95 = percentile(timings, 0.5), percentile(timings, 0.95)
    database = connection.vendor
    summary = (
        f"{len(timings)} edits: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {max(timings) * 1000:.0f} ms, mean {statistics.mean(timings) * 1000:.0f} ms; "
        f"first edit (cold worker) {cold * 1000:.0f} ms; "
        f"{changed} of {len(edited)} edits changed the suggested roles"
    )
    print(summary)
    if not args.no_write:
        write_section(args, database, env, summary, p50, p95, full_run_in, open_suggestions)


def write_section(args, database, env, summary, p50, p95, full_run_in, open_suggestions) -> None:
    from bench.quality import write_section as replace_section

    command = "CELERY_BROKER_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/end_to_end.py"
    if database == "postgresql":
        command = "DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindred_bench_e2e " + command
    verdict = "meets" if p95 <= 1.0 else "misses"
    body = f"""From a volunteer's profile edit to their new suggestions being readable: `PATCH
/api/v1/volunteers/me/` (DRF, in process) -> profile service commits and queues
`volunteer_rematch_task` on Redis after commit -> a real Celery worker (prefork, 1 child)
recomputes the volunteer's suggestions against every published role and commits them with
`matched_at` -> the API reads them (polled every 5 ms). {args.volunteers:,} volunteers x
{args.roles:,} published roles (synthetic, New York), after a full run
({full_run_in:.1f} s in process, {open_suggestions:,} open suggestions). Database: {database}.

```
{command}
```

| edits | p50 | p95 | target p95 |
| --- | --- | --- | --- |
| {args.edits} | {p50 * 1000:.0f} ms | {p95 * 1000:.0f} ms | <= 1,000 ms ({verdict}) |

{summary}.
"""
    title = f"{SECTION} ({database})"
    replace_section(title, body)
    print(f"wrote {title!r} to docs/benchmarks.md")


if __name__ == "__main__":
    main()
