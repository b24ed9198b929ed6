"""Build the engine's records from the database, in bulk and without N+1 queries.

A volunteer record costs the same handful of queries whether the queryset holds one profile or a
hundred thousand: one for the rows themselves, one per many-to-many table (read straight from the
through table, joined to the slug, with the queryset as a subquery so no id list is sent), one for
trainings and one for the commitments held. ``volunteer_record`` / ``opportunity_record`` are the
single-object forms the lifecycle uses to re-check eligibility at approve/accept time and in the
daily sweep; they re-read the row, so they see what is committed, not an unsaved instance.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, Model, Q, QuerySet, Sum

from matching.engine import rules
from matching.engine.records import OpportunityRecord, VolunteerRecord
from matching.models import OCCUPYING_STATUSES, Match
from opportunities.models import Opportunity
from organizations.models import VerificationStatus
from taxonomy.models import Cause, Language, Skill, TrainingType
from volunteers.models import ENGINE_FIELDS, TrainingRecord, VolunteerProfile

_VOLUNTEER_FIELDS = (
    "id",
    *ENGINE_FIELDS,
    "background_check_verified_at",
    "background_check_verified_for_id",
)
#: Trainings that count at all: verified by staff (``verified_for`` empty, counts everywhere), or by
#: a coordinator of a verified organization (counts for that organization's roles only).
_COUNTING_TRAININGS = Q(verified=True) & (
    Q(verified_for__isnull=True) | Q(verified_for__verification_status=VerificationStatus.VERIFIED)
)
_OPPORTUNITY_FIELDS = (
    "id",
    "organization_id",
    "title",
    "description",
    "mode",
    "latitude",
    "longitude",
    "availability",
    "schedule_fixed",
    "skills_learnable_on_the_job",
    "hours_per_week",
    "starts_on",
    "ends_on",
    "capacity",
    "min_age",
    "background_check_required",
    "audience",
    "status",
)


def _as_float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _related(
    through: type[Model], owner: str, target: str, key: str, owners: QuerySet
) -> dict[int, list[tuple[str, str]]]:
    """owner id -> [(slug or code, display name)] read from one many-to-many through table."""
    rows = (
        through._default_manager.filter(**{f"{owner}_id__in": owners.values("id")})
        .order_by(f"{target}__name")
        .values_list(f"{owner}_id", f"{target}__{key}", f"{target}__name")
    )
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for owner_id, slug, name in rows:
        out[owner_id].append((slug, name))
    return out


def _slugs(items: Iterable[tuple[str, str]]) -> frozenset[str]:
    return frozenset(slug for slug, _ in items)


def _names(items: Iterable[tuple[str, str]]) -> list[str]:
    return [name for _, name in items]


def _text(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def volunteer_records(
    queryset: QuerySet[VolunteerProfile], *, today: dt.date
) -> list[VolunteerRecord]:
    """One record per profile, in the queryset's order.

    ``active_commitments``/``committed_hours`` count matches in an occupying status (approved,
    offered, accepted, active). Credentials count only when verified: ``trainings`` holds those
    staff verified, ``scoped_trainings`` those a coordinator verified (by organization id, for that
    organization's roles only); a declared, unverified training is not in the record at all. A
    background check counts only once verified (``background_check_verified_at`` set), and
    ``check_scope`` is the organization it counts for when a coordinator verified it. ``today``
    is accepted for symmetry with the engine; records carry dates, and the engine judges them on
    the start date.
    """
    del today  # dates are kept as dates; the engine compares them
    ids_query = queryset.order_by().values("id")
    through_skills = VolunteerProfile.skills.through
    through_causes = VolunteerProfile.causes.through
    through_languages = VolunteerProfile.languages.through
    skills = _related(through_skills, "volunteerprofile", "skill", "slug", ids_query)
    causes = _related(through_causes, "volunteerprofile", "cause", "slug", ids_query)
    languages = _related(through_languages, "volunteerprofile", "language", "code", ids_query)

    trainings: dict[int, dict[str, dt.date | None]] = defaultdict(dict)
    scoped: dict[int, dict[int, dict[str, dt.date | None]]] = defaultdict(lambda: defaultdict(dict))
    for profile_id, slug, expires_on, scope in (
        TrainingRecord.objects.filter(_COUNTING_TRAININGS, profile_id__in=ids_query)
        .order_by()
        .values_list("profile_id", "training_type__slug", "expires_on", "verified_for_id")
    ):
        if scope is None:
            trainings[profile_id][slug] = expires_on
        else:
            scoped[profile_id][scope][slug] = expires_on

    commitments = {
        row["volunteer_id"]: (row["n"], row["hours"])
        for row in Match.objects.filter(volunteer_id__in=ids_query, status__in=OCCUPYING_STATUSES)
        .order_by()
        .values("volunteer_id")
        .annotate(n=Count("id"), hours=Sum("opportunity__hours_per_week"))
    }

    records = []
    for row in queryset.values(*_VOLUNTEER_FIELDS):
        pk = row["id"]
        held, hours = commitments.get(pk, (0, None))
        records.append(
            VolunteerRecord(
                id=pk,
                text=_text(row["bio"], *_names(skills[pk]), *_names(causes[pk])),
                wants=row["bio"],
                skills=_slugs(skills[pk]),
                causes=_slugs(causes[pk]),
                languages=_slugs(languages[pk]),
                latitude=row["latitude"],
                longitude=row["longitude"],
                max_travel_km=float(row["max_travel_km"]),
                modes=frozenset(row["modes"] or ()),
                availability=frozenset(row["availability"] or ()),
                max_hours_per_week=_as_float(row["max_hours_per_week"]),
                max_commitments=row["max_commitments"],
                active_commitments=held,
                committed_hours=_as_float(hours) or 0.0,
                date_of_birth=row["date_of_birth"],
                trainings=dict(trainings[pk]),
                scoped_trainings={org: dict(held) for org, held in scoped[pk].items()},
                background_check_status=row["background_check_status"],
                background_check_expires_on=row["background_check_expires_on"],
                background_check_verified=row["background_check_verified_at"] is not None,
                check_scope=row["background_check_verified_for_id"],
                paused=row["paused"],
                share_lived_experience=row["share_lived_experience"],
            )
        )
    return records


def opportunity_records(
    queryset: QuerySet[Opportunity], *, today: dt.date
) -> list[OpportunityRecord]:
    """One record per role, in the queryset's order; capacity_left = capacity minus the matches
    that hold a place (never below 0)."""
    del today
    ids_query = queryset.order_by().values("id")
    required = _related(
        Opportunity.required_skills.through, "opportunity", "skill", "slug", ids_query
    )
    preferred = _related(
        Opportunity.preferred_skills.through, "opportunity", "skill", "slug", ids_query
    )
    causes = _related(Opportunity.causes.through, "opportunity", "cause", "slug", ids_query)
    languages = _related(
        Opportunity.languages.through, "opportunity", "language", "code", ids_query
    )
    trainings = _related(
        Opportunity.required_trainings.through, "opportunity", "trainingtype", "slug", ids_query
    )
    occupied = dict(
        Match.objects.filter(opportunity_id__in=ids_query, status__in=OCCUPYING_STATUSES)
        .order_by()
        .values("opportunity_id")
        .annotate(n=Count("id"))
        .values_list("opportunity_id", "n")
    )

    records = []
    for row in queryset.values(*_OPPORTUNITY_FIELDS):
        pk = row["id"]
        skill_names = _names(required[pk]) + [
            name for slug, name in preferred[pk] if slug not in _slugs(required[pk])
        ]
        records.append(
            OpportunityRecord(
                id=pk,
                organization_id=row["organization_id"],
                title=row["title"],
                text=_text(row["title"], row["description"], *skill_names, *_names(causes[pk])),
                required_skills=_slugs(required[pk]),
                preferred_skills=_slugs(preferred[pk]),
                causes=_slugs(causes[pk]),
                languages=_slugs(languages[pk]),
                mode=row["mode"],
                latitude=row["latitude"],
                longitude=row["longitude"],
                availability=frozenset(row["availability"] or ()),
                hours_per_week=_as_float(row["hours_per_week"]),
                starts_on=row["starts_on"],
                ends_on=row["ends_on"],
                capacity_left=max(row["capacity"] - occupied.get(pk, 0), 0),
                min_age=row["min_age"],
                background_check_required=row["background_check_required"],
                required_trainings=_slugs(trainings[pk]),
                audience=frozenset(row["audience"] or ()),
                status=row["status"],
                skills_learnable=row["skills_learnable_on_the_job"],
                schedule_fixed=row["schedule_fixed"],
            )
        )
    return records


def volunteer_record(profile: VolunteerProfile, *, today: dt.date) -> VolunteerRecord:
    """The committed state of one profile as the engine sees it."""
    return volunteer_records(VolunteerProfile.objects.filter(pk=profile.pk), today=today)[0]


def opportunity_record(opportunity: Opportunity, *, today: dt.date) -> OpportunityRecord:
    """The committed state of one role as the engine sees it."""
    return opportunity_records(Opportunity.objects.filter(pk=opportunity.pk), today=today)[0]


def labels() -> dict[str, str]:
    """Slug or language code -> display name for skills, causes, trainings and languages, so the
    engine's reasons name "Mental Health First Aid", not "mhfa"; and each distance band (cut in
    km) -> its words in ``settings.DISTANCE_UNIT`` ("2-5 km" -> "1¼-3 mi" for "mi")."""
    out: dict[str, str] = {}
    for model in (Skill, Cause, TrainingType):
        out.update(model.objects.values_list("slug", "name"))
    out.update(Language.objects.values_list("code", "name"))
    # Distance bands in the deployment's unit: the engine cuts them in km and shows these words.
    out.update(rules.band_names(settings.DISTANCE_UNIT))
    return out
