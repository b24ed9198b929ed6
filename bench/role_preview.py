"""Time of the role form's live preview (matching/preview.py) at 20k volunteers: a draft judged
against every volunteer near it by the engine's rules, cold (the cache empty) and warm (the same
draft again: the cache's answer).

    .venv/bin/python bench/role_preview.py               # print the table
    .venv/bin/python bench/role_preview.py --write       # also update docs/benchmarks.md

A throwaway SQLite database in a temporary KINDRED_VAR_DIR, loaded with bench/_synthetic.py's
catalogue (New York places, bench/_catalogue_db.py); the preview is called in-process as the view
calls it, the database cache as configured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

#: The drafts measured: (what, the form's checked data beyond the organization).
DRAFTS: list[tuple[str, dict[str, Any]]] = [
    ("remote, no requirement (every volunteer read)", {"mode": "remote"}),
    (
        "in person at 10001, Tuesday evenings",
        {"mode": "in_person", "postcode": "10001", "availability": ["tue-evening"]},
    ),
    (
        "in person at 10001, background check",
        {"mode": "in_person", "postcode": "10001", "background_check_required": True},
    ),
]


Row = tuple[str, float, float, float, str]


def measure(volunteers: int, repeat: int) -> tuple[list[Row], int, float]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.local")
    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from bench._catalogue_db import catalogue_load
    from matching import preview
    from organizations.models import Organization, VerificationStatus
    from volunteers.models import VolunteerProfile

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    catalogue_load(volunteers, 200)
    organization = Organization.objects.filter(
        verification_status=VerificationStatus.VERIFIED
    ).first()
    assert organization is not None
    # What the kept copy of the records holds in a process, measured once.
    import gc
    import tracemalloc

    from django.utils import timezone

    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    preview._RECORDS = None
    preview._volunteers(timezone.localdate())
    gc.collect()
    kept_mb = (tracemalloc.get_traced_memory()[0] - before) / 1e6
    tracemalloc.stop()
    rows: list[Row] = []
    for name, draft in DRAFTS:
        data = {"title": "Befriender", "capacity": 1, **draft}
        cold, records_kept, warm = [], [], []
        answer = None
        for _ in range(repeat):
            cache.clear()
            preview._RECORDS = None  # a process that has not built the records yet
            start = time.perf_counter()
            answer = preview.opportunity_preview(organization=organization, data=data)
            cold.append((time.perf_counter() - start) * 1000)
            cache.clear()  # a new draft: the records kept, the answer not
            start = time.perf_counter()
            preview.opportunity_preview(organization=organization, data=data)
            records_kept.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            preview.opportunity_preview(organization=organization, data=data)
            warm.append((time.perf_counter() - start) * 1000)
        assert answer is not None
        rows.append(
            (
                name,
                statistics.median(cold),
                statistics.median(records_kept),
                statistics.median(warm),
                answer.text,
            )
        )
    return rows, VolunteerProfile.objects.count(), kept_mb


def table(rows: list[Row]) -> str:
    lines = [
        "| draft | cold ms | new draft, records kept ms | same draft ms | says |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, cold, kept, warm, text in rows:
        lines.append(f"| {name} | {cold:.0f} | {kept:.0f} | {warm:.1f} | {text} |")
    return "\n".join(lines)


TEXT = """
Measured {date} on {machine} with `.venv/bin/python bench/role_preview.py --write`, while other
work ran on the machine (load average {load:.1f} at the end: treat the milliseconds as an upper
bound). {volunteers:,} volunteers of
bench/_synthetic.py's New York catalogue in a throwaway SQLite database; medians of {repeat}
rounds per draft. Cold: a process that has not built the volunteers' records and an empty cache
(the records built from the database by `matching.records.volunteer_records`, then judged one by
one by `matching.engine.eligibility.ineligibility_reasons`). New draft: the records kept in the
process (nothing a volunteer holds changed: three aggregate queries say so), the answer not
cached. Same draft: the cached answer. In-process, as the view calls
`matching.preview.opportunity_preview`.

{table}

A coordinator changing the form pays the "new draft" time per distinct draft (the answer is
cached by what the rules read, so typing the title or the description is free); the first preview
after a volunteer changed something pays the cold time. The page asks 500 ms after the last
change, and the `role_preview` budget allows 60 previews a minute a person. The records kept in a
process take {kept_mb:.0f} MB (tracemalloc, after the build).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kindred-preview-bench-") as var_dir:
        os.environ["KINDRED_VAR_DIR"] = var_dir
        rows, volunteers, kept_mb = measure(args.volunteers, args.repeat)
    result = table(rows)
    print(result)
    print(f"records kept in the process: {kept_mb:.0f} MB")
    if args.write:
        from bench.quality import machine, write_section

        body = TEXT.format(
            date=dt.date.today().isoformat(),
            machine=machine(),
            volunteers=volunteers,
            repeat=args.repeat,
            table=result,
            kept_mb=kept_mb,
            load=os.getloadavg()[0],
        )
        write_section("Role preview (20k volunteers, sqlite)", body)


if __name__ == "__main__":
    main()
