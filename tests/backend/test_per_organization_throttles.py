"""Expensive actions are throttled per organization (issue 9): starting a full matching run and
bulk review answer 429 with ``Retry-After`` once the organization's budget is spent, whichever
member sends them, while another organization keeps its own budget."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

from tests.conftest import client_for
from tests.factories import MembershipFactory

RUNS = "/api/v1/matching/runs/"
BULK = "/api/v1/matches/bulk/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_rates(monkeypatch):
    monkeypatch.setattr(
        ScopedRateThrottle, "THROTTLE_RATES", {"match_run": "1/hour", "bulk_review": "2/hour"}
    )
    cache.clear()
    yield
    cache.clear()


def bulk(user):
    return client_for(user).post(BULK, {"ids": [987654], "action": "approve"}, format="json")


def test_a_second_full_run_from_the_same_organization_is_throttled(sam, alex, rita, tight_rates):
    """Given Sam of Harbor House started a full run, when Alex, also of Harbor House, starts
    another within the hour, then it is refused with 429 and Retry-After; Rita of Riverside is
    not throttled (with no volunteers yet, each run finishes at once)."""
    first = client_for(sam).post(RUNS)
    second = client_for(alex).post(RUNS)
    other_organization = client_for(rita).post(RUNS)

    assert first.status_code == 202, first.json()
    assert second.status_code == 429
    assert second.json()["error"]["code"] == "throttled"
    assert 0 < int(second["Retry-After"]) <= 3600
    assert other_organization.status_code == 202


def test_bulk_review_is_a_budget_of_the_organization_not_of_the_member(
    sam, alex, rita, tight_rates
):
    """Given Harbor House may send two bulk reviews an hour, when Sam sends one and Alex one,
    then Sam's next is 429 with Retry-After, and Rita of Riverside still gets her answer."""
    answers = [bulk(sam), bulk(alex), bulk(sam)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "Retry-After" in answers[2]
    assert bulk(rita).status_code == 200


def test_a_member_of_two_organizations_counts_against_both(sam, rita, riverside, tight_rates):
    """Given Sam also coordinates at Riverside, when Sam's bulk reviews spend Harbor's budget,
    then Rita of Riverside (whose budget Sam's requests shared) is throttled too."""
    MembershipFactory.create(user=sam, organization=riverside)
    assert [bulk(sam).status_code, bulk(sam).status_code] == [200, 200]

    assert bulk(rita).status_code == 429


def test_a_volunteer_refused_the_run_spends_no_budget(ada, sam, tight_rates):
    """The permission check comes first: a 403 does not count against anyone's budget."""
    assert client_for(ada.user).post(RUNS).status_code == 403

    assert client_for(sam).post(RUNS).status_code == 202
