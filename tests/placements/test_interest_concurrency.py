"""Interest requests when people act at once: coordinators accepting one request, a volunteer
asking for many roles past the cap, or for one role twice. Real threads, each with its own
database connection and transactions (the role's row lock on PostgreSQL, IMMEDIATE transactions
on SQLite)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from matching.models import Match, MatchTransition
from placements.models import InterestRequest
from placements.services import interest
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.placements.lifecycle_helpers import new_volunteer, peer_line
from tests.placements.test_lifecycle_concurrency import _race

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 4


def test_coordinators_accepting_one_request_at_once_approve_its_match_once():
    harbor = OrganizationFactory.create(name="Harbor House")
    coordinators = [
        MembershipFactory.create(
            user=UserFactory.create(email=f"c{i}@harbor.example"), organization=harbor
        ).user
        for i in range(THREADS)
    ]
    ada = new_volunteer("Ada")
    made = interest.interest_express(actor=ada.user, opportunity_id=peer_line(harbor).pk)

    outcomes = _race(
        [lambda c=c: interest.interest_accept(interest_id=made.pk, actor=c) for c in coordinators]
    )

    assert sorted(outcomes) == ["invalid_transition"] * (THREADS - 1) + ["ok"], outcomes
    (match,) = Match.objects.filter(volunteer=ada)
    steps = MatchTransition.objects.filter(match=match).values_list("to_status", flat=True)
    assert (match.status, list(steps)) == ("offered", ["approved", "offered"])


@override_settings(INTEREST_MAX_OPEN_PER_VOLUNTEER=2)
def test_asking_for_many_roles_at_once_stops_at_the_cap():
    harbor = OrganizationFactory.create(name="Harbor House")
    roles = [peer_line(harbor, title=f"Line {i}") for i in range(THREADS)]
    ada = new_volunteer("Ada")

    outcomes = _race(
        [lambda r=r: interest.interest_express(actor=ada.user, opportunity_id=r.pk) for r in roles]
    )

    assert sorted(outcomes) == ["ok"] * 2 + ["too_many_requests"] * (THREADS - 2), outcomes
    assert InterestRequest.objects.filter(volunteer=ada, status="pending").count() == 2


def test_asking_for_one_role_twice_at_once_stores_one_request():
    harbor = OrganizationFactory.create(name="Harbor House")
    role = peer_line(harbor)
    ada = new_volunteer("Ada")

    outcomes = _race(
        [lambda: interest.interest_express(actor=ada.user, opportunity_id=role.pk)] * THREADS
    )

    assert sorted(outcomes) == ["already_asked"] * (THREADS - 1) + ["ok"], outcomes
    assert InterestRequest.objects.filter(volunteer=ada).count() == 1
