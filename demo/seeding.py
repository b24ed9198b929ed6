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
   of the four demo organizations, and a platform staff superuser, who is recorded as having
   verified every demo organization (a decision row saying it is demo data), since only verified
   organizations publish and are matched.

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
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo import nyc
from demo.catalogue import demo_role_specs
from demo.data.organizations import DEMO_ORGANIZATIONS
from demo.logins import (
    DEFAULT_PASSWORD,
    DEMO_LOGINS,
    STAFF_LOGIN,
    DemoLogin,
    demo_volunteer_spec,
    ensure_logins,
)
from demo.people import DEFAULT_SEED, generate_volunteers
from demo.references import References
from demo.writer import (
    create_missing_roles,
    create_missing_volunteers,
    ensure_organizations,
    record_demo_verifications,
)
from opportunities.models import Opportunity
from organizations.models import Organization
from volunteers.models import VolunteerProfile

DEFAULT_VOLUNTEERS = 300

REFUSED_WITHOUT_DEBUG_MESSAGE = (
    "seed_demo creates accounts that share a printed demo password, so it only runs with "
    "DEBUG=True or on the embedded demo (`make run` sets KINDRED_DEMO=1 with the local "
    "settings). If this really is a throwaway environment, run it again with --force."
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
        references = References.load()
        organizations, organizations_created = ensure_organizations(organization_specs)
        roles_created = create_missing_roles(role_specs, organizations, references)
        volunteers_created = create_missing_volunteers(people, references)
        ensure_logins(password, [organizations[spec.name] for spec in DEMO_ORGANIZATIONS])
        # The demo logins' addresses count as verified: the coordinator may register an
        # organization, and the volunteer is matched.
        get_user_model().objects.filter(
            email__in=[login.email for login in DEMO_LOGINS], email_verified_at__isnull=True
        ).update(email_verified_at=timezone.now())
        record_demo_verifications(
            staff=get_user_model().objects.get(email=STAFF_LOGIN),
            organizations=list(organizations.values()),
        )
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
