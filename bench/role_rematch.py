"""One role's rematch at city scale: the time from a role's change to its candidates stored.

    .venv/bin/python bench/role_rematch.py --volunteers 20000 --roles 4000

The realistic catalogue (bench/_synthetic.py) loaded into a throwaway SQLite database (or the
database of ``DATABASE_URL``, which it empties first: give it one of its own), then, for a sample of
published roles of each kind (on site: in person or hybrid; at home: remote or phone), the role's
rematch (``rematch.opportunity_rematch``) timed as shipped and with the SQL prefilter of the
distance rule turned off (``candidates.volunteers_the_rules_may_admit`` as identity: every matchable
volunteer's record built, as before it). Both store the same candidates (checked here too).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=20000)
    parser.add_argument("--roles", type=int, default=4000)
    parser.add_argument("--samples", type=int, default=5, help="roles of each kind")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="kindred-role-rematch-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.local")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{folder}/db.sqlite3")
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    os.environ["KINDRED_VAR_DIR"] = folder
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.core.management import call_command

    if not os.environ["DATABASE_URL"].startswith("sqlite:"):
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from bench._catalogue_db import catalogue_load
    from matching.models import Match, MatchStatus
    from opportunities.models import Opportunity
    from suggestions.services import candidates, rematch

    loaded = catalogue_load(args.volunteers, args.roles)
    seconds = sum(v for k, v in loaded.items() if k.endswith("_seconds"))
    print(f"loaded {args.volunteers} x {args.roles} in {seconds:.0f} s")
    published = Opportunity.objects.filter(status="published").order_by("id")
    kinds = {
        "on site": list(
            published.filter(mode__in=["in_person", "hybrid"]).values_list("id", flat=True)
        ),
        "at home": list(
            published.filter(mode__in=["remote", "phone"]).values_list("id", flat=True)
        ),
    }
    shipped = candidates.volunteers_the_rules_may_admit

    def every_volunteer(volunteers, role):  # type: ignore[no-untyped-def]
        return volunteers

    rematch.opportunity_rematch(opportunity_id=kinds["on site"][0])  # warm: the prepared roles

    def timed(role_id: int, prefilter: bool) -> tuple[float, set]:
        candidates.volunteers_the_rules_may_admit = shipped if prefilter else every_volunteer
        started = time.perf_counter()
        rematch.opportunity_rematch(opportunity_id=role_id)
        seconds = time.perf_counter() - started
        stored = set(
            Match.objects.filter(opportunity_id=role_id, status=MatchStatus.SUGGESTED).values_list(
                "volunteer_id", "score"
            )
        )
        return seconds, stored

    print(
        "| roles | rematch, every volunteer read | rematch, mode and distance prefilter | same candidates |"
    )
    print("| --- | --- | --- | --- |")
    for kind, ids in kinds.items():
        step = max(1, len(ids) // args.samples)
        sample = ids[::step][: args.samples]
        before, after, same = [], [], True
        for role_id in sample:
            b, stored_before = timed(role_id, prefilter=False)
            a, stored_after = timed(role_id, prefilter=True)
            before.append(b)
            after.append(a)
            same &= stored_before == stored_after
        print(
            f"| {kind} ({len(sample)}) | {statistics.median(before) * 1000:,.0f} ms "
            f"| {statistics.median(after) * 1000:,.0f} ms | {'yes' if same else 'NO'} |"
        )
    candidates.volunteers_the_rules_may_admit = shipped


if __name__ == "__main__":
    main()
