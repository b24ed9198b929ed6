"""Load bench/_synthetic.py's catalogue into the database, in bulk (PostgreSQL or SQLite).

The catalogue is the realistic one the engine benchmarks rank (New York places, NYC Service role
texts, profiles of 200-700 characters); here it becomes rows: verified organizations, published
(and some draft and closed) roles, volunteers with verified addresses, their skills, causes,
languages, verified trainings and checks. Dates move with the calendar: the catalogue is built
for its own ``today``, and every date is shifted by the days between that and the real today, so
the set is the same whenever it is loaded. ``python -m`` is not needed: bench/real_path.py calls
``catalogue_load``.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

BATCH = 5000


def _reference_ids(model: Any, labels: dict[str, str], key: str = "slug") -> dict[str, Any]:
    """{slug: primary key} for these labels, creating the reference rows the database lacks."""
    found = dict(model.objects.values_list(key, "pk"))
    by_name = {name.lower(): pk for name, pk in model.objects.values_list("name", "pk")}
    for slug, name in labels.items():
        if slug in found:
            continue
        if name.lower() in by_name:
            found[slug] = by_name[name.lower()]
            continue
        found[slug] = model.objects.create(**{key: slug, "name": name}).pk
    return found


def _through(field: Any, owner: str, target: str, pairs: list[tuple[int, Any]]) -> None:
    through = field.through
    through.objects.bulk_create(
        [through(**{f"{owner}_id": a, f"{target}_id": b}) for a, b in pairs], batch_size=BATCH
    )


def _pairs(ids: list[int], records: list[Any], attr: str, keys: dict[str, Any]) -> list[tuple]:
    """(row id, reference id) for each slug in each record's ``attr``."""
    return [
        (pk, keys[slug])
        for pk, record in zip(ids, records, strict=True)
        for slug in getattr(record, attr)
    ]


def _before(expires: dt.date | None, day: dt.date) -> dt.date:
    """``day``, or the expiry when that comes first (a record never expires before it began)."""
    return day if expires is None else min(day, expires)


def _tail(*groups: str) -> str:
    return " " + ". ".join(groups) + "."


def catalogue_load(n_volunteers: int, n_roles: int, *, seed: int = 1) -> dict[str, float]:
    """Build the catalogue and insert it; returns counts and the seconds each part took."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from bench._synthetic import CAUSES, LANGUAGES, SKILLS, TRAININGS, make_catalogue
    from opportunities.models import Opportunity
    from organizations.models import Organization, VerificationStatus
    from taxonomy.models import Cause, Language, Skill, TrainingType
    from volunteers.models import TrainingRecord, VolunteerProfile

    started = time.perf_counter()
    c = make_catalogue(n_volunteers, n_roles, seed=seed)
    built = time.perf_counter() - started
    now = timezone.now()
    shift = timezone.localdate() - c.today

    month_ago = timezone.localdate() - dt.timedelta(days=30)

    def moved(day: dt.date | None) -> dt.date | None:
        return None if day is None else day + shift

    skills = _reference_ids(Skill, SKILLS)
    causes = _reference_ids(Cause, CAUSES)
    trainings = _reference_ids(TrainingType, TRAININGS)
    languages = {code: code for code in LANGUAGES}
    Language.objects.bulk_create(
        [Language(code=code, name=name) for code, name in LANGUAGES.items()],
        ignore_conflicts=True,
    )

    t = time.perf_counter()
    with transaction.atomic():
        n_orgs = max(1, max(r.organization_id for r in c.opportunities))
        orgs = Organization.objects.bulk_create(
            [
                Organization(
                    name=f"Bench organization {i}",
                    contact_email=f"bench-org{i}@example.org",
                    verification_status=VerificationStatus.VERIFIED,
                    verified_at=now,
                )
                for i in range(1, n_orgs + 1)
            ],
            batch_size=BATCH,
        )
        org_ids = {i + 1: org.pk for i, org in enumerate(orgs)}
        roles = []
        for r in c.opportunities:
            names = ", ".join(SKILLS[s] for s in sorted(r.required_skills | r.preferred_skills))
            tail = _tail(names, ", ".join(CAUSES[x] for x in sorted(r.causes)))
            description = r.text[len(r.title) + 2 :]
            description = description[: -len(tail)] if description.endswith(tail) else description
            ends = moved(r.ends_on)
            starts = moved(r.starts_on)
            roles.append(
                Opportunity(
                    organization_id=org_ids[r.organization_id],
                    title=r.title[:200],
                    description=description[:5000],
                    mode=r.mode,
                    latitude=r.latitude,
                    longitude=r.longitude,
                    availability=sorted(r.availability),
                    hours_per_week=r.hours_per_week,
                    starts_on=starts,
                    ends_on=ends if ends is None or starts is None or ends >= starts else None,
                    capacity=max(1, r.capacity_left),
                    min_age=r.min_age,
                    background_check_required=r.background_check_required,
                    audience=sorted(r.audience),
                    status=r.status,
                    published_at=now if r.status == "published" else None,
                )
            )
        roles = Opportunity.objects.bulk_create(roles, batch_size=BATCH)
        role_ids = [o.pk for o in roles]
        _through(
            Opportunity.required_skills,
            "opportunity",
            "skill",
            _pairs(role_ids, c.opportunities, "required_skills", skills),
        )
        _through(
            Opportunity.preferred_skills,
            "opportunity",
            "skill",
            _pairs(role_ids, c.opportunities, "preferred_skills", skills),
        )
        _through(
            Opportunity.causes,
            "opportunity",
            "cause",
            _pairs(role_ids, c.opportunities, "causes", causes),
        )
        _through(
            Opportunity.languages,
            "opportunity",
            "language",
            _pairs(role_ids, c.opportunities, "languages", languages),
        )
        _through(
            Opportunity.required_trainings,
            "opportunity",
            "trainingtype",
            _pairs(role_ids, c.opportunities, "required_trainings", trainings),
        )
    roles_seconds = time.perf_counter() - t

    t = time.perf_counter()
    User = get_user_model()
    password = make_password("bench-password")
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(email=f"bench{i}@example.org", password=password, email_verified_at=now)
                for i in range(len(c.volunteers))
            ],
            batch_size=BATCH,
        )
        profiles = []
        for user, v in zip(users, c.volunteers, strict=True):
            tail = _tail(
                ", ".join(SKILLS[s] for s in sorted(v.skills)),
                ", ".join(CAUSES[x] for x in sorted(v.causes)),
            )
            bio = v.text[: -len(tail)] if v.text.endswith(tail) else v.text
            cleared = v.background_check_status == "cleared"
            profiles.append(
                VolunteerProfile(
                    user=user,
                    display_name=f"Volunteer {v.id}",
                    bio=bio[:4000],
                    latitude=v.latitude,
                    longitude=v.longitude,
                    max_travel_km=v.max_travel_km,
                    modes=sorted(v.modes),
                    availability=sorted(v.availability),
                    max_hours_per_week=v.max_hours_per_week,
                    max_commitments=v.max_commitments,
                    date_of_birth=moved(v.date_of_birth),
                    background_check_status=v.background_check_status,
                    background_check_cleared_on=_before(
                        moved(v.background_check_expires_on), month_ago
                    )
                    if cleared
                    else None,
                    background_check_expires_on=moved(v.background_check_expires_on),
                    background_check_verified_at=now if cleared else None,
                    paused=v.paused,
                )
            )
        profiles = VolunteerProfile.objects.bulk_create(profiles, batch_size=BATCH)
        ids = [p.pk for p in profiles]
        _through(
            VolunteerProfile.skills,
            "volunteerprofile",
            "skill",
            _pairs(ids, c.volunteers, "skills", skills),
        )
        _through(
            VolunteerProfile.causes,
            "volunteerprofile",
            "cause",
            _pairs(ids, c.volunteers, "causes", causes),
        )
        _through(
            VolunteerProfile.languages,
            "volunteerprofile",
            "language",
            _pairs(ids, c.volunteers, "languages", languages),
        )
        TrainingRecord.objects.bulk_create(
            [
                TrainingRecord(
                    profile_id=pk,
                    training_type_id=trainings[slug],
                    completed_on=_before(moved(expires), month_ago),
                    expires_on=moved(expires),
                    verified=True,
                    verified_at=now,
                )
                for pk, v in zip(ids, c.volunteers, strict=True)
                for slug, expires in v.trainings.items()
            ],
            batch_size=BATCH,
        )
    volunteers_seconds = time.perf_counter() - t
    # Fresh statistics, as autovacuum would gather soon after: without them PostgreSQL plans the
    # new tables as if empty (a q= search scanned every role instead of using its GIN index).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "volunteers": float(len(ids)),
        "roles": float(len(role_ids)),
        "published": float(sum(r.status == "published" for r in c.opportunities)),
        "build_seconds": built,
        "roles_seconds": roles_seconds,
        "volunteers_seconds": volunteers_seconds,
    }
