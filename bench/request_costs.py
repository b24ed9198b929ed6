"""What each request of the load mix costs, in process: CPU time, queries and database time.

    .venv/bin/python bench/request_costs.py --size 5000x1000            # SQLite, quick to load
    .venv/bin/python bench/request_costs.py --reuse --repeat 100 --profile var/costs.prof
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kindred_bench_costs \\
        .venv/bin/python bench/request_costs.py --size 20000x4000

The same data as bench/load/run_load.py: the demo (``seed_demo``) plus bench/_synthetic.py's
catalogue (bench/_catalogue_db.py) matched in full, so the review queues are full; the same
device tokens the locust users hold (bench/load/run_load.py ``tokens_issue``) and the same
requests (bench/load/locustfile.py), sent through Django's test client under the production
settings (DEBUG off, the whole middleware chain). Each kind is sent ``--repeat`` times after
``--warm`` unmeasured ones; for each request: CPU time of this process (``time.process_time``:
Django, DRF, the database driver, and on SQLite the database engine too), wall time, and the
queries with the time spent in them (on PostgreSQL that includes the server's work, in another
process). ``--profile PATH`` writes the measured requests' cProfile stats and prints the top.

SQLite by default, in var/bench/costs/<size>/ (kept: ``--reuse`` measures again without loading);
PostgreSQL when DATABASE_URL names a ``kindred_bench*`` database (dropped and created unless
``--reuse``). The cache and broker are the embedded ones (database cache, filesystem queue) unless
CACHE_URL and CELERY_BROKER_URL are set.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

PLACES = [(40.7359, -73.9911), (40.6782, -73.9442), (40.7282, -73.7949), (40.8448, -73.8648)]
WORDS = ["listening", "food", "tutoring", "mentor", "seniors", "garden", "helpline", "youth"]
CAUSES = ["mental-health", "youth", "seniors", "food-security", "homelessness"]
BIOS = [
    "I like to listen and I know what loneliness feels like.",
    "Retired teacher, happy to tutor and to mentor on weekends.",
    "Nursing student; I can help at a clinic or a helpline in the evenings.",
]
#: The kinds measured, with the locust mix's weights (bench/load/locustfile.py): browse 45 of a
#: volunteer's 70 (65% plain, 20% with a cause, 15% with text), review queue 25 and approve 5.
KINDS = {
    "browse near": 0.65 * 45,
    "browse near + cause": 0.20 * 45,
    "browse near + q": 0.15 * 45,
    "profile read": 15,
    "profile edit": 10,
    "review queue": 25,
    "approve": 5,
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="5000x1000", help="VOLUNTEERSxROLES of the catalogue")
    parser.add_argument("--repeat", type=int, default=60, help="measured requests per kind")
    parser.add_argument("--warm", type=int, default=5, help="unmeasured requests per kind first")
    parser.add_argument("--reuse", action="store_true", help="keep the loaded database")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the measured ones")
    parser.add_argument("--only", action="append", help="measure only this kind (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    return parser.parse_args()


def environment(var: Path) -> None:
    var.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "backend.settings.production",
            "KINDRED_VAR_DIR": str(var),
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "LOG_LEVEL": os.environ.get(
                "LOG_LEVEL", "ERROR"
            ),  # a 409 of a full role is logged as a warning
            "OMP_NUM_THREADS": "1",
        }
    )


def prepare(volunteers: int, roles: int) -> dict[str, Any]:
    """Migrate, seed the demo, load and match the catalogue, issue the tokens."""
    from django.core.management import call_command
    from django.db import connection

    from bench._catalogue_db import catalogue_load
    from bench.load.run_load import tokens_issue
    from suggestions.services import runs

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("seed_demo", force=True, verbosity=0, stdout=quiet)
    t = time.perf_counter()
    catalogue_load(volunteers, roles)
    print(f"catalogue loaded in {time.perf_counter() - t:.0f} s", flush=True)
    t = time.perf_counter()
    run = runs.match_run_start(requested_by=None)
    for chunk_id in run.chunks.order_by("index").values_list("id", flat=True):
        runs.match_run_chunk_execute(chunk_id=chunk_id)
    print(f"matched in {time.perf_counter() - t:.0f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return tokens_issue()


@dataclass
class Sample:
    cpu_ms: float
    wall_ms: float
    queries: int
    db_ms: float


@dataclass
class Counter:
    queries: int = 0
    seconds: float = 0.0
    sql: list[str] = field(default_factory=list)

    def __call__(self, execute: Callable, sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start
            self.queries += 1
            self.sql.append(sql)


@contextmanager
def measured(samples: list[Sample], last_sql: list[str]) -> Iterator[None]:
    from django.db import connection

    counter = Counter()
    with connection.execute_wrapper(counter):
        cpu, wall = time.process_time(), time.perf_counter()
        yield
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    samples.append(Sample(cpu * 1000, wall * 1000, counter.queries, counter.seconds * 1000))
    last_sql[:] = counter.sql


class Mix:
    """The locust users' requests, one kind at a time, with their tokens."""

    def __init__(self, tokens: dict[str, Any], seed: int = 1) -> None:
        from django.test import Client

        self.rng = random.Random(seed)
        self.client = Client()
        self.volunteers = tokens["volunteers"]
        self.coordinators = tokens["coordinators"]
        self.suggestions = [
            (c["token"], pk) for c in self.coordinators for pk in reversed(c["suggestions"])
        ]

    def _auth(self, token: str) -> dict[str, str]:
        return {"Authorization": f"Token {token}"}

    def _near(self) -> str:
        lat, lon = self.rng.choice(PLACES)
        query = f"near={lat + self.rng.uniform(-0.02, 0.02):.4f},{lon:.4f}"
        return query + f"&radius_km={self.rng.choice([2, 5, 10, 25])}"

    def send(self, kind: str) -> int:
        rng, client = self.rng, self.client
        volunteer = self._auth(rng.choice(self.volunteers)["token"])
        if kind.startswith("browse near"):
            query = self._near()
            if kind.endswith("cause"):
                query += f"&cause={rng.choice(CAUSES)}"
            elif kind.endswith("q"):
                query += f"&q={rng.choice(WORDS)}"
            return client.get(f"/api/v1/opportunities/?{query}", headers=volunteer).status_code
        if kind == "profile read":
            return client.get("/api/v1/volunteers/me/", headers=volunteer).status_code
        if kind == "profile edit":
            body = json.dumps({"bio": rng.choice(BIOS)})
            path = "/api/v1/volunteers/me/"
            return client.patch(
                path, body, content_type="application/json", headers=volunteer
            ).status_code
        coordinator = rng.choice(self.coordinators)
        if kind == "review queue":
            role = rng.choice(coordinator["opportunities"])
            path = f"/api/v1/matches/?opportunity={role}&status=suggested&ordering=-score"
            return client.get(path, headers=self._auth(coordinator["token"])).status_code
        if kind == "approve":
            token, pk = self.suggestions.pop()
            path = f"/api/v1/matches/{pk}/approve/"
            answer = client.post(
                path, "{}", content_type="application/json", headers=self._auth(token)
            )
            return answer.status_code
        raise ValueError(kind)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(mix: Mix, kinds: list[str], args: argparse.Namespace) -> dict[str, list[Sample]]:
    # CPU time, as the table: waits on PostgreSQL would otherwise dominate the stats.
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    results: dict[str, list[Sample]] = {}
    last_sql: list[str] = []
    codes: dict[str, list[int]] = {}
    for kind in kinds:
        for _ in range(args.warm):
            mix.send(kind)
        samples: list[Sample] = []
        for _ in range(args.repeat):
            if profiler:
                profiler.enable()
            with measured(samples, last_sql):
                code = mix.send(kind)
            if profiler:
                profiler.disable()
            assert code in (200, 409), (kind, code)
            codes.setdefault(kind, []).append(code)
        results[kind] = samples
        if os.environ.get("KINDRED_COSTS_SQL"):
            print(f"--- {kind}: {len(last_sql)} queries", *last_sql, sep="\n  ")
    if profiler and args.profile:
        args.profile.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(args.profile))
        pstats.Stats(str(args.profile)).sort_stats("cumulative").print_stats(40)
    refused = {kind: c.count(409) for kind, c in codes.items() if 409 in c}
    if refused:
        print(f"answered 409 (a full role or a suggestion taken, as locust counts fine): {refused}")
    return results


def table(results: dict[str, list[Sample]]) -> str:
    lines = [
        "| request | CPU p50 | CPU p95 | wall p50 | wall p95 | queries | DB time p50 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    weighted, weights = 0.0, 0.0
    for kind, samples in results.items():
        cpu = [s.cpu_ms for s in samples]
        wall = [s.wall_ms for s in samples]
        queries = statistics.median(s.queries for s in samples)
        db = statistics.median(s.db_ms for s in samples)
        lines.append(
            f"| {kind} | {percentile(cpu, 0.5):.1f} ms | {percentile(cpu, 0.95):.1f} ms | "
            f"{percentile(wall, 0.5):.1f} ms | {percentile(wall, 0.95):.1f} ms | "
            f"{queries:.0f} | {db:.1f} ms |"
        )
        weighted += KINDS[kind] * statistics.mean(cpu)
        weights += KINDS[kind]
    lines.append(f"| the mix (weighted mean) | {weighted / weights:.1f} ms | | | | | |")
    return "\n".join(lines)


def main() -> None:
    args = parse_args()
    n_volunteers, n_roles = (int(part) for part in args.size.lower().split("x"))
    var = BASE_DIR / "var" / "bench" / "costs" / args.size
    environment(var)
    url = os.environ.get("DATABASE_URL", "")
    tokens_file = var / ("tokens-postgres.json" if url else "tokens.json")
    reuse = args.reuse and tokens_file.exists()
    if url and not reuse:
        from bench.end_to_end import recreate_postgres

        recreate_postgres(url)
    elif not url and not reuse:
        for stale in var.glob("kindred.sqlite3*"):
            stale.unlink()
    import django

    django.setup()
    if reuse:
        tokens = json.loads(tokens_file.read_text(encoding="utf-8"))
    else:
        tokens = prepare(n_volunteers, n_roles)
        tokens_file.write_text(json.dumps(tokens), encoding="utf-8")
    from django.db import connection

    kinds = args.only or list(KINDS)
    needed = args.repeat + args.warm
    mix = Mix(tokens)
    if "approve" in kinds and len(mix.suggestions) < needed:
        raise SystemExit(f"only {len(mix.suggestions)} suggestions left to approve: load again")
    print(f"{connection.vendor}, {args.size}, {args.repeat} requests per kind", flush=True)
    results = measure(mix, kinds, args)
    if "approve" in kinds:  # the ones approved are gone: the next --reuse takes others
        left = {pk for _, pk in mix.suggestions}
        for coordinator in tokens["coordinators"]:
            coordinator["suggestions"] = [pk for pk in coordinator["suggestions"] if pk in left]
        tokens_file.write_text(json.dumps(tokens), encoding="utf-8")
    print(table(results))
    if args.json:
        figures = {kind: [s.__dict__ for s in samples] for kind, samples in results.items()}
        args.json.write_text(json.dumps(figures), encoding="utf-8")


if __name__ == "__main__":
    main()
