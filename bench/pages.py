"""Server time of the pages on the demo data: each page requested in-process (Django's test
client, so no network and no browser), after one warm-up request.

    .venv/bin/python bench/pages.py                 # print the table
    .venv/bin/python bench/pages.py --write         # also update docs/benchmarks.md

A throwaway SQLite database in a temporary KINDRED_VAR_DIR (migrate + ``seed_demo``), DEBUG on as
``make run`` has it; the demo volunteer and coordinator signed in for their pages. Times are wall
clock per request (median and 95th percentile of ``--repeat``), with the database queries each one
made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: The pages measured: (who is signed in, the address).
PAGES: list[tuple[str | None, str]] = [
    (None, "/"),
    (None, "/roles/"),
    (None, "/roles/?postcode=10001&radius_km=10"),
    (None, "/roles/?q=support&mode=in_person"),
    (None, "/roles/{role}/"),
    ("volunteer", "/me/roles/"),
    ("volunteer", "/me/roles-for-you/"),
    ("coordinator", "/review/asked/"),
    ("volunteer", "/me/profile/interests/"),
    ("coordinator", "/review/"),
    ("coordinator", "/review/hours/"),
]


def measure(repeat: int) -> list[tuple[str, str, float, float, int]]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.local")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from demo.logins import COORDINATOR_LOGIN, DEFAULT_PASSWORD, VOLUNTEER_LOGIN
    from opportunities.models import Opportunity

    quiet = StringIO()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("seed_demo", stdout=quiet)
    role = Opportunity.objects.filter(status="published").order_by("id").first()
    browsers: dict[str | None, Client] = {None: Client(HTTP_HOST="localhost")}
    for login, email in (("volunteer", VOLUNTEER_LOGIN), ("coordinator", COORDINATOR_LOGIN)):
        signed_in = Client(HTTP_HOST="localhost")
        answer = signed_in.post("/sign-in/", {"email": email, "password": DEFAULT_PASSWORD})
        assert answer.status_code == 302, (login, answer.status_code)
        browsers[login] = signed_in
    rows = []
    for who, path in PAGES:
        address = path.format(role=role.pk if role else 0)
        browser = browsers[who]
        assert browser.get(address).status_code == 200, address  # warm-up
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                browser.get(address)
            times.append((time.perf_counter() - start) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
        rows.append((who or "anyone", address, statistics.median(times), p95, len(queries)))
    return rows


def table(rows: list[tuple[str, str, float, float, int]]) -> str:
    lines = ["| who | page | median ms | p95 ms | queries |", "| --- | --- | --- | --- | --- |"]
    for who, address, median, p95, queries in rows:
        lines.append(f"| {who} | `{address}` | {median:.0f} | {p95:.0f} | {queries} |")
    return "\n".join(lines)


TEXT = """
Measured {date} on {machine} with `.venv/bin/python bench/pages.py --write`, while other work ran
on the machine (load from other benchmarks and test runs: compare rows with each other, and treat
the milliseconds as an upper bound). Demo data (`seed_demo`) in a throwaway SQLite database,
DEBUG on as `make run` has it; {repeat} requests per page after one warm-up, in-process (Django's
test client: server time only, no network, no browser).

{table}

The role list shows 20 roles a page (its related names prefetched); the search with a ZIP code
computes each distance in the database. The query counts are this data's; they were not compared
across data sizes.
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kindred-pages-bench-") as var_dir:
        os.environ["KINDRED_VAR_DIR"] = var_dir
        rows = measure(args.repeat)
    result = table(rows)
    print(result)
    if args.write:
        from bench.quality import machine, write_section

        body = TEXT.format(
            date=dt.date.today().isoformat(), machine=machine(), repeat=args.repeat, table=result
        )
        write_section("Pages: server time per request (demo data)", body)


if __name__ == "__main__":
    main()
