"""Relevance of the shipped score: hand-judged personas against the demo catalogue (issue 10).

Personas (``bench/judgments/personas.yaml``) are volunteers written by hand; the catalogue is what
``seed_demo`` creates (665 NYC Service roles + the demo's written mental-health roles), each with a
stable key (``nyc-<opportunity_id>``, ``demo-<slug of title>``) so judgments survive reseeding.
Judgments (``bench/judgments/judgments.csv``, rules in ``bench/judgments/README.md``) grade a
persona/role pair 0-3; unjudged pairs count as 0.

Rankers, all in one run:

* **product**: a throwaway SQLite database under a temporary folder, migrated and seeded with the
  demo; each persona registers (``volunteer_register``) and fills the profile through
  ``PATCH /api/v1/volunteers/me/`` (DRF's APIClient); a full matching run in this process (the
  chunks that ``match_all`` executes); the persona's open suggestions in the review queue's order
  (score descending, then id). Roles not suggested are not retrieved.
* **BM25** (bm25s), **TF-IDF words**, **TF-IDF character n-grams** (scikit-learn), **random**
  (fixed seed): persona text + interests (skill and cause names) against role title + description
  over the whole catalogue, no eligibility rules.
* **embedding**: only if an offline model is installed (none is: reported as not run).

    .venv/bin/python bench/relevance.py            # print the table and the time taken
    .venv/bin/python bench/relevance.py --write    # also update docs/benchmarks.md
    .venv/bin/python bench/relevance.py --pool     # also write bench/judgments/pool.csv and list
                                                   # the pooled pairs not judged yet
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._relevance_ceiling import (
    CEILING,
    SCORE_ALONE,
    EligibleView,
    blocked_table,
    ceiling_rankings,
    dump_features,
    eligible_counts,
    eligible_view,
    relevant_reachable_share,
    restricted_to_eligible,
    score_alone_rankings,
)
from bench._relevance_data import (
    PRODUCT,
    SECTION,
    Persona,
    Ranking,
    Role,
    baseline_rankings,
    load_catalogue,
    load_personas,
)
from bench._relevance_embedding import (
    EMBEDDING,
    NOT_INSTALLED,
    embedding_installed,
    embedding_rankings,
)
from bench._relevance_report import REPORT
from bench._relevance_scoring import (
    POOL,
    coverage,
    evaluate,
    group_table,
    load_judgments,
    per_persona_table,
    table,
    write_pool,
)
from bench.quality import write_section

ROOT = Path(__file__).resolve().parent.parent


# --- the product path ------------------------------------------------------------------------


def prepare_throwaway_environment(folder: Path) -> None:
    """Point the settings at a fresh SQLite file, an eager Celery and a local cache in ``folder``
    before Django loads; nothing of the developer's var/ is touched."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings.local"
    os.environ["KINDRED_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'relevance.sqlite3'}"
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "true"
    os.environ["CACHE_URL"] = "locmemcache://"
    os.environ["AUTH_THROTTLE_RATE"] = "100000/minute"
    os.environ["DJANGO_DEBUG"] = "true"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def _profile_payload(persona: Persona, today: dt.date, stretch: float) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "display_name": persona.name,
        "bio": persona.about,
        "skills": list(persona.skills),
        "causes": list(persona.causes),
        "languages": list(persona.languages),
        "postcode": persona.postcode,
        "max_travel_km": round(persona.travel_km * stretch, 1),
        "modes": list(persona.modes),
        "availability": list(persona.availability),
        "date_of_birth": persona.date_of_birth(today).isoformat(),
        "trainings": [
            {"training": slug, "completed_on": (today - dt.timedelta(days=90)).isoformat()}
            for slug in persona.trainings
        ],
    }
    if persona.background_check == "cleared":
        # A volunteer may only declare a check pending; staff record it cleared (below).
        payload["background_check"] = {"status": "pending"}
    return payload


def product_rankings(
    personas: Sequence[Persona],
    roles: Sequence[Role],
    judgments: dict[tuple[str, str], int],
    *,
    travel_stretch: float = 1.0,
) -> tuple[list[Ranking], EligibleView]:
    """The review queue's order for each persona, from a throwaway database (see the module doc),
    and every persona's eligible roles with their features (``bench/_relevance_ceiling.py``).
    ``travel_stretch`` multiplies each persona's travel distance as they enter it (a what-if:
    the judged set's rules accept roles up to about twice it; 1 is the persona as written)."""
    with tempfile.TemporaryDirectory(prefix="kindred-relevance-") as folder:
        prepare_throwaway_environment(Path(folder))
        import django

        django.setup()
        # The run logs every seeded row's events and the sign-ups' mail; the table is the output.
        logging.disable(logging.WARNING)
        from django.core.management import call_command
        from django.utils import timezone
        from rest_framework.test import APIClient

        from demo.seeding import demo_seed
        from matching.models import Match, MatchStatus
        from opportunities.models import Opportunity
        from suggestions.services import runs
        from volunteers.models import TrainingRecord, VolunteerProfile
        from volunteers.services.registration import volunteer_register

        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        today = timezone.localdate()
        demo_seed(today=today)
        profiles = []
        for persona in personas:
            profile = volunteer_register(
                email=f"{persona.id}@relevance.example.org",
                password=secrets.token_urlsafe(16),
                display_name=persona.name,
            )
            if profile is None:
                raise SystemExit(f"{persona.id}: the throwaway database already has this address")
            _follow_verification_link(profile.user)
            client = APIClient()
            client.force_authenticate(profile.user)
            response = client.patch(
                "/api/v1/volunteers/me/",
                _profile_payload(persona, today, travel_stretch),
                format="json",
            )
            if response.status_code != 200:
                raise SystemExit(f"{persona.id}: profile refused: {response.json()}")
            profiles.append(profile.pk)
        # Staff would have seen the check and the trainings the persona holds (as seed_demo records
        # for its generated volunteers): cleared and verified, so a role that needs them is not
        # hidden for want of an office visit.
        now = timezone.now()
        cleared = [
            pk for pk, p in zip(profiles, personas, strict=True) if p.background_check == "cleared"
        ]
        VolunteerProfile.objects.filter(pk__in=cleared).update(
            background_check_status="cleared",
            background_check_cleared_on=today - dt.timedelta(days=60),
            background_check_expires_on=today + dt.timedelta(days=300),
            background_check_verified_at=now,
        )
        TrainingRecord.objects.filter(profile_id__in=profiles).update(
            verified=True, verified_at=now
        )

        run = runs.match_run_start(requested_by=None)
        for chunk_id in run.chunks.order_by("index").values_list("id", flat=True):
            runs.match_run_chunk_execute(chunk_id=chunk_id)

        key_of = _role_keys_by_id(Opportunity.objects.select_related("organization"), roles)
        rankings = []
        for profile_id in profiles:
            ids = (
                Match.objects.filter(volunteer_id=profile_id, status=MatchStatus.SUGGESTED)
                .order_by("-score", "id")
                .values_list("opportunity_id", flat=True)
            )
            rankings.append([key_of[i] for i in ids])
        view = eligible_view(profiles, key_of, judgments, personas)
        from django.db import connections

        connections.close_all()
        return rankings, view


def _follow_verification_link(user: Any) -> None:
    """What the volunteer does with the sign-up email: open the link, confirm the address."""
    from urllib.parse import urlparse

    from django.urls import resolve

    from accounts.services.email_verification import email_verification_link, user_email_verify

    match = resolve(urlparse(email_verification_link(user=user)).path)
    user_email_verify(uidb64=match.kwargs["uidb64"], token=match.kwargs["token"])


def _role_keys_by_id(opportunities: Iterable[Any], roles: Sequence[Role]) -> dict[int, str]:
    """Database id -> role key: the n-th role of an organization with a title is the n-th spec with
    that organization and title (the seed writes specs in order)."""
    by_name: dict[tuple[str, str], list[str]] = {}
    for role in roles:
        by_name.setdefault((role.organization, role.title), []).append(role.key)
    seen: Counter[tuple[str, str]] = Counter()
    out = {}
    for opportunity in sorted(opportunities, key=lambda o: o.pk):
        name = (opportunity.organization.name, opportunity.title)
        out[opportunity.pk] = by_name[name][seen[name]]
        seen[name] += 1
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument(
        "--pool", action="store_true", help="add new top-10 pairs to bench/judgments/pool.csv"
    )
    parser.add_argument(
        "--dump-features",
        metavar="PATH",
        help="write every persona's eligible roles with their features (JSON), for tuning",
    )
    parser.add_argument(
        "--per-persona",
        action="store_true",
        help="nDCG@10 of every ranker for each tune persona (holdout personas are not shown)",
    )
    parser.add_argument(
        "--travel-stretch",
        type=float,
        default=1.0,
        metavar="FACTOR",
        help="what-if: each persona enters FACTOR x their travel distance (never with --write)",
    )
    args = parser.parse_args()
    if args.write and args.travel_stretch != 1.0:
        parser.error("--write reports the personas as written: leave out --travel-stretch")
    started = time.perf_counter()
    personas = load_personas()
    roles = load_catalogue()
    judgments = load_judgments()
    product, view = product_rankings(personas, roles, judgments, travel_stretch=args.travel_stretch)
    rankings: dict[str, list[Ranking]] = {PRODUCT: product}
    product_seconds = time.perf_counter() - started
    rankings.update(baseline_rankings(personas, roles))
    not_run: dict[str, str] = {}
    if embedding_installed():
        rankings.update(embedding_rankings(personas, roles))
    else:
        not_run[EMBEDDING] = NOT_INSTALLED
    results = evaluate(rankings, personas, judgments)
    within = {
        CEILING: ceiling_rankings(view, personas, judgments),
        SCORE_ALONE: score_alone_rankings(view),
    }
    within.update(restricted_to_eligible(rankings, view))
    within_results = evaluate(within, personas, judgments)
    elapsed = time.perf_counter() - started
    suggested = [len(r) for r in rankings[PRODUCT]]
    result = table(results, not_run)
    print(result)
    print()
    print(group_table(results, "holdout"))
    print()
    print(table(within_results, {}))
    print()
    print(blocked_table(view, personas))
    median_eligible, min_eligible, max_eligible = eligible_counts(view)
    reachable = relevant_reachable_share(view, personas, judgments)
    judged_share = coverage(rankings, personas, judgments)
    print(
        f"\n{len(personas)} personas ({sum(p.mental_health for p in personas)} mental health), "
        f"{len(roles)} roles, {len(judgments)} judgments; eligible roles per persona: median "
        f"{median_eligible}, min {min_eligible}, max {max_eligible}; {reachable:.0%} of the "
        f"relevant pairs are eligible; product suggestions per persona: "
        f"median {int(np.median(suggested))}, min {min(suggested)}, max {max(suggested)}, "
        f"{sum(n == 0 for n in suggested)} with none (tune personas among them: "
        + (
            ", ".join(
                p.id
                for p, n in zip(personas, suggested, strict=True)
                if n == 0 and p.split == "tune"
            )
            or "none"
        )
        + ")."
    )
    print(
        "Judged share of each ranker's top 10: "
        + ", ".join(f"{r} {s:.2f}" for r, s in judged_share.items())
    )
    print(f"Took {elapsed:.1f} s (product path {product_seconds:.1f} s).")
    if args.dump_features:
        dump_features(Path(args.dump_features), view, personas)
        print(f"Eligible pairs and their features written to {args.dump_features}.")
    if args.per_persona:
        print(per_persona_table(rankings, personas, judgments))
    if args.pool:
        unjudged = write_pool(personas, roles, rankings, judgments)
        print(f"Pool written to {POOL.relative_to(ROOT)}; {len(unjudged)} pooled pairs unjudged.")
        titles = {role.key: role.title for role in roles}
        for persona_id, key in unjudged:
            print(f"  to judge: {persona_id} {key} {titles[key]}")
    if args.write:
        body = REPORT.format(
            date=dt.date.today().isoformat(),
            machine=f"{os.cpu_count()} cores (nproc), Python {sys.version.split()[0]}",
            personas=len(personas),
            mental=sum(p.mental_health for p in personas),
            tune=sum(p.split == "tune" for p in personas),
            holdout=sum(p.split == "holdout" for p in personas),
            roles=len(roles),
            judgments=len(judgments),
            table=result,
            holdout_table=group_table(results, "holdout"),
            median=int(np.median(suggested)),
            none=sum(n == 0 for n in suggested),
            coverage=", ".join(f"{r} {s:.2f}" for r, s in judged_share.items()),
            seconds=elapsed,
            reachable=f"{reachable:.0%}",
            eligible=median_eligible,
            within_table=table(within_results, {}),
            blocked_table=blocked_table(view, personas),
        )
        write_section(SECTION, body)


if __name__ == "__main__":
    main()
