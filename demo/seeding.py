"""``demo_seed``: load a realistic, explorable demo into the database in a few seconds.

What it loads:

1. Real roles from NYC Service, "Volunteer Opportunities (Historical)" (City of New York, NYC Open
   Data, public; ``data/nyc_service_volunteer_opportunities.csv``, see ``data/README.md``): one
   organization per ``org_title`` and one published role per row. ``demo.nyc`` documents how rows
   become roles, including the date shift: the listings ran in 2011-2013, so the demo moves them to
   today (``starts_on`` 0-5 days ago; ongoing roles open-ended, one-time roles ending 3-12 months
   from today).
2. About twenty mental-health community roles written for the demo (``demo.data.roles``, dated by
   ``demo.catalogue``) from four fictional organizations (``demo.data.organizations``).
3. Generated volunteers (``demo.people``), deterministic for a given seed and day.
4. Demo logins sharing one password: a volunteer with a complete profile, a coordinator and an admin
   of the four demo organizations, and a platform staff superuser.

Idempotent: organizations are found by exact name; roles by organization and title, counted, so a
title an organization posted five times (Bike New York does) is five roles, and a second run adds
none; generated volunteers by their numbered email (``volunteer-0001@demo.kindred``...), so
``--volunteers 500`` after 300 adds the 200 missing ones. Rows already present are left as they are,
except that the demo logins get the given password and roles again, so the printed table is true.

Rows are written with the ORM in bulk, not through the API services, on purpose: the services queue
a rematch per changed profile or role, thousands of tasks that the full matching run which the run
script starts after seeding makes redundant. Every seeded row has ``matched_at`` empty, so the
periodic reconciler would also pick them up. Everything happens in one transaction: an error leaves
no half-written demo.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from demo import nyc
from demo.catalogue import demo_role_specs
from demo.data.organizations import DEMO_ORGANIZATIONS
from demo.people import DEFAULT_SEED, generate_volunteers
from demo.specs import OrganizationSpec, RoleSpec, TrainingSpec, VolunteerSpec, add_months
from opportunities.models import Opportunity
from organizations.models import Membership, Organization
from taxonomy.availability import normalise_slots
from taxonomy.models import Cause, Language, Skill, TrainingType
from volunteers.models import TrainingRecord, VolunteerProfile

DEFAULT_PASSWORD = "kindred-demo-2026"
DEFAULT_VOLUNTEERS = 300

REFUSED_WITHOUT_DEBUG_MESSAGE = (
    "seed_demo creates accounts that share a printed demo password, so it only runs with "
    "DEBUG=True. If this really is a throwaway environment, run it again with --force."
)
UNKNOWN_REFERENCE_MESSAGE = "The demo data names {kind} that the database does not have: {missing}."

VOLUNTEER_LOGIN = "volunteer@demo.kindred"
COORDINATOR_LOGIN = "coordinator@demo.kindred"
ADMIN_LOGIN = "admin@demo.kindred"
STAFF_LOGIN = "staff@demo.kindred"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    first_name: str
    last_name: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("volunteer", VOLUNTEER_LOGIN, "Jordan", "Rivera"),
    DemoLogin("coordinator", COORDINATOR_LOGIN, "Sam", "Okafor"),
    DemoLogin("org admin", ADMIN_LOGIN, "Alex", "Chen"),
    DemoLogin("platform staff", STAFF_LOGIN, "Robin", "Staff"),
)


@dataclass(frozen=True)
class SeedResult:
    organizations_created: int
    roles_created: int
    volunteers_created: int
    organizations_total: int
    roles_total: int
    volunteers_total: int
    logins: tuple[DemoLogin, ...]
    password: str


def demo_volunteer_spec(*, today: dt.date) -> VolunteerSpec:
    """Jordan, the demo volunteer: every section of the profile filled in, so the demo shows it all."""
    mhfa_done = today - dt.timedelta(days=200)
    peer_done = today - dt.timedelta(days=420)
    cleared = today - dt.timedelta(days=90)
    return VolunteerSpec(
        email=VOLUNTEER_LOGIN,
        first_name="Jordan",
        last_name="Rivera",
        display_name="Jordan Rivera",
        bio="I moved to Washington Heights five years ago and want to give back. Friends say I'm a "
        "patient listener; I'm happiest one-to-one or in small groups, in English or Spanish.",
        postcode="10032",
        latitude=40.8390,
        longitude=-73.9415,
        max_travel_km=8.0,
        modes=("in_person", "remote", "phone", "hybrid"),
        availability=(
            "tue-evening",
            "wed-evening",
            "thu-evening",
            "sat-morning",
            "sat-afternoon",
            "sun-morning",
        ),
        max_hours_per_week=Decimal("5"),
        max_commitments=2,
        date_of_birth=add_months(today, -12 * 34) - dt.timedelta(days=40),
        background_check_status="cleared",
        background_check_cleared_on=cleared,
        background_check_expires_on=add_months(cleared, 36),
        lived_experience="I went through a long period of anxiety and depression in college; a peer "
        "support group got me through it.",
        share_lived_experience=True,
        skills=(
            "active-listening",
            "peer-support",
            "group-facilitation",
            "befriending",
            "translation",
        ),
        causes=("mental-health", "loneliness", "lgbtq"),
        languages=("en", "es"),
        trainings=(
            TrainingSpec("mhfa", mhfa_done, add_months(mhfa_done, 36), verified=True),
            TrainingSpec("peer-support-training", peer_done, None, verified=True),
        ),
    )


def demo_seed(
    *,
    volunteers: int = DEFAULT_VOLUNTEERS,
    seed: int = DEFAULT_SEED,
    password: str = DEFAULT_PASSWORD,
    today: dt.date | None = None,
    csv_path: Path = nyc.NYC_CSV,
) -> SeedResult:
    today = today or timezone.localdate()
    rows = nyc.read_rows(csv_path)
    organization_specs = [*nyc.organization_specs(rows), *DEMO_ORGANIZATIONS]
    role_specs = [*nyc.role_specs(rows, today=today), *demo_role_specs(today=today)]
    people = [
        *generate_volunteers(volunteers, seed=seed, today=today, zip_centre=nyc.postcode_centre),
        demo_volunteer_spec(today=today),
    ]
    with transaction.atomic():
        references = _References.load()
        organizations, organizations_created = _ensure_organizations(organization_specs)
        roles_created = _create_missing_roles(role_specs, organizations, references)
        volunteers_created = _create_missing_volunteers(people, references)
        _ensure_logins(password, [organizations[spec.name] for spec in DEMO_ORGANIZATIONS])
        return SeedResult(
            organizations_created=organizations_created,
            roles_created=roles_created,
            volunteers_created=volunteers_created,
            organizations_total=Organization.objects.count(),
            roles_total=Opportunity.objects.count(),
            volunteers_total=VolunteerProfile.objects.count(),
            logins=DEMO_LOGINS,
            password=password,
        )


class _References:
    """Taxonomy ids by slug, loaded once; a slug the database lacks is an error, not a silent gap."""

    def __init__(self, tables: dict[str, dict[str, Any]]) -> None:
        self.tables = tables

    @classmethod
    def load(cls) -> _References:
        return cls(
            {
                "skills": dict(Skill.objects.values_list("slug", "id")),
                "causes": dict(Cause.objects.values_list("slug", "id")),
                "trainings": dict(TrainingType.objects.values_list("slug", "id")),
                "languages": {
                    code: code for code in Language.objects.values_list("code", flat=True)
                },
            }
        )

    def ids(self, kind: str, slugs: Iterable[str]) -> list[Any]:
        table = self.tables[kind]
        missing = [slug for slug in slugs if slug not in table]
        if missing:
            raise ValueError(
                UNKNOWN_REFERENCE_MESSAGE.format(kind=kind, missing=", ".join(missing))
            )
        return [table[slug] for slug in slugs]


def _ensure_organizations(specs: Sequence[OrganizationSpec]) -> tuple[dict[str, Organization], int]:
    names = [spec.name for spec in specs]

    def by_name() -> dict[str, Organization]:
        found: dict[str, Organization] = {}
        for organization in Organization.objects.filter(name__in=names).order_by("id"):
            found.setdefault(organization.name, organization)
        return found

    existing = by_name()
    missing = [spec for spec in specs if spec.name not in existing]
    Organization.objects.bulk_create(
        Organization(
            name=spec.name,
            contact_email=spec.contact_email,
            description=spec.description,
            website=spec.website,
            address=spec.address,
            postcode=spec.postcode,
            latitude=spec.latitude,
            longitude=spec.longitude,
            verified=spec.verified,
        )
        for spec in missing
    )
    return by_name(), len(missing)


def _create_missing_roles(
    specs: Sequence[RoleSpec], organizations: dict[str, Organization], references: _References
) -> int:
    already = Counter(
        Opportunity.objects.filter(organization__in=list(organizations.values())).values_list(
            "organization_id", "title"
        )
    )
    seen: Counter[tuple[int, str]] = Counter()
    missing: list[RoleSpec] = []
    for spec in specs:
        key = (organizations[spec.organization].pk, spec.title)
        seen[key] += 1
        if seen[key] > already[key]:
            missing.append(spec)

    now = timezone.now()
    roles = Opportunity.objects.bulk_create(
        Opportunity(
            organization=organizations[spec.organization],
            title=spec.title,
            description=spec.description,
            mode=spec.mode,
            address=spec.address,
            postcode=spec.postcode,
            latitude=spec.latitude,
            longitude=spec.longitude,
            hide_address=spec.hide_address,
            availability=normalise_slots(spec.availability),
            hours_per_week=spec.hours_per_week,
            starts_on=spec.starts_on,
            ends_on=spec.ends_on,
            capacity=spec.capacity,
            min_age=spec.min_age,
            background_check_required=spec.background_check_required,
            audience=list(spec.audience),
            lived_experience_valued=spec.lived_experience_valued,
            status=Opportunity.Status.PUBLISHED,
            published_at=now,
        )
        for spec in missing
    )
    _link_references(
        Opportunity,
        list(zip(roles, missing, strict=True)),
        references,
        causes="causes",
        required_skills="skills",
        preferred_skills="skills",
        languages="languages",
        required_trainings="trainings",
    )
    return len(missing)


def _create_missing_volunteers(specs: Sequence[VolunteerSpec], references: _References) -> int:
    User = get_user_model()
    emails = [spec.email for spec in specs]
    existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
    missing = [spec for spec in specs if spec.email not in existing]
    # Generated volunteers cannot sign in (unusable password): only the demo logins share the
    # printed password, and hashing 300 passwords with Argon2 would take most of a minute.
    User.objects.bulk_create(
        User(
            email=spec.email,
            first_name=spec.first_name,
            last_name=spec.last_name,
            password=make_password(None),
        )
        for spec in missing
    )
    user_ids = dict(
        User.objects.filter(email__in=[spec.email for spec in missing]).values_list("email", "id")
    )
    profiles = VolunteerProfile.objects.bulk_create(
        VolunteerProfile(
            user_id=user_ids[spec.email],
            display_name=spec.display_name,
            bio=spec.bio,
            postcode=spec.postcode,
            latitude=spec.latitude,
            longitude=spec.longitude,
            max_travel_km=spec.max_travel_km,
            modes=list(spec.modes),
            availability=list(spec.availability),
            max_hours_per_week=spec.max_hours_per_week,
            max_commitments=spec.max_commitments,
            date_of_birth=spec.date_of_birth,
            background_check_status=spec.background_check_status,
            background_check_cleared_on=spec.background_check_cleared_on,
            background_check_expires_on=spec.background_check_expires_on,
            lived_experience=spec.lived_experience,
            share_lived_experience=spec.share_lived_experience,
            paused=spec.paused,
        )
        for spec in missing
    )
    pairs = list(zip(profiles, missing, strict=True))
    _link_references(
        VolunteerProfile, pairs, references, skills="skills", causes="causes", languages="languages"
    )
    now = timezone.now()
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            profile_id=profile.pk,
            training_type_id=training_id,
            completed_on=training.completed_on,
            expires_on=training.expires_on,
            verified=training.verified,
            verified_at=now if training.verified else None,
        )
        for profile, spec in pairs
        for training in spec.trainings
        for training_id in references.ids("trainings", [training.training])
    )
    return len(missing)


def _link_references(
    model: type[models.Model],
    created: Sequence[tuple[models.Model, Any]],
    references: _References,
    **kinds: str,
) -> None:
    """Link each created row to the taxonomy its spec names, in bulk.

    ``kinds`` maps a many-to-many field to its reference table (``required_skills="skills"``); the
    spec carries the slugs under the field's name.
    """
    for field_name, kind in kinds.items():
        _link(
            model,
            field_name,
            [
                (row.pk, target)
                for row, spec in created
                for target in references.ids(kind, getattr(spec, field_name))
            ],
        )


def _link(model: type[models.Model], field_name: str, pairs: Iterable[tuple[int, Any]]) -> None:
    """Bulk-insert many-to-many rows ``(owner id, target id)`` into ``field_name``'s through table."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.ManyToManyField):
        raise TypeError(f"{model.__name__}.{field_name} is not a many-to-many field.")
    through: Any = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    through.objects.bulk_create(through(**{source: owner, target: item}) for owner, item in pairs)


def _ensure_logins(password: str, demo_organizations: Sequence[Organization]) -> None:
    """The four demo accounts exist, have ``password``, and hold their roles (a few rows: no bulk)."""
    User = get_user_model()
    # One hash for the four accounts: they share the password anyway, and Argon2 spends 0.4 s per
    # hash by design, which was half of a whole seeding run.
    encoded = make_password(password)
    users = {}
    for login in DEMO_LOGINS:
        user = User.objects.filter(email=login.email).first() or User(email=login.email)
        user.first_name, user.last_name = login.first_name, login.last_name
        user.is_active = True
        if login.email == STAFF_LOGIN:
            user.is_staff = user.is_superuser = True
        user.password = encoded
        user.save()
        users[login.email] = user
    for organization in demo_organizations:
        for email, role in (
            (COORDINATOR_LOGIN, Membership.Role.COORDINATOR),
            (ADMIN_LOGIN, Membership.Role.ADMIN),
        ):
            Membership.objects.update_or_create(
                user=users[email], organization=organization, defaults={"role": role}
            )
