"""The permission functions on their own: role x ownership -> allowed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import (
    MatchFactory,
    OpportunityFactory,
    OrganizationFactory,
    UserFactory,
    VolunteerProfileFactory,
)
from volunteers.permissions import (
    can_confirm_verification,
    can_verify_volunteer,
    verifying_organization_ids,
)
from volunteers.selectors import profiles_verifiable_by

pytestmark = pytest.mark.django_db


@pytest.fixture
def callers(ada, bo, sam, staff):
    inactive_staff = UserFactory.create(
        email="former@kindred.example", is_staff=True, is_active=False
    )
    pat_profile = VolunteerProfileFactory.create(user=staff, display_name="Pat")
    return {
        "anonymous": AnonymousUser(),
        "ada": ada.user,
        "bo": bo.user,
        "sam": sam,
        "pat": staff,
        "former staff": inactive_staff,
        "_pat_profile": pat_profile,
    }


# (caller, whose profile, may verify)
TABLE = [
    ("anonymous", "ada", False),
    ("ada", "ada", False),  # nobody verifies themselves
    ("bo", "ada", False),
    ("sam", "ada", False),  # a coordinator only for a volunteer matched with their roles
    ("pat", "ada", True),
    ("pat", "pat", False),  # staff included
    ("former staff", "ada", False),
]


@pytest.mark.parametrize(("caller", "owner", "may_verify"), TABLE)
def test_can_verify_volunteer_table(callers, ada, caller, owner, may_verify):
    profile = ada if owner == "ada" else callers["_pat_profile"]

    assert can_verify_volunteer(callers[caller], profile) is may_verify


@pytest.mark.parametrize(
    ("caller", "visible"),
    [("anonymous", 0), ("ada", 0), ("bo", 0), ("sam", 0), ("pat", 3), ("former staff", 0)],
)
def test_who_sees_profiles_for_verification(callers, caller, visible):
    assert profiles_verifiable_by(callers[caller]).count() == visible


@pytest.mark.parametrize(
    ("organization_status", "may_verify"),
    [("verified", True), ("pending", False), ("refused", False)],
)
def test_a_coordinator_verifies_a_matched_volunteer_only_for_a_verified_organization(
    ada, harbor, sam, organization_status, may_verify
):
    harbor.verification_status = organization_status
    harbor.save()
    MatchFactory.create(volunteer=ada, opportunity=OpportunityFactory.create(organization=harbor))

    assert can_verify_volunteer(sam, ada) is may_verify
    assert verifying_organization_ids(sam, ada) == ([harbor.id] if may_verify else [])
    assert profiles_verifiable_by(sam).filter(pk=ada.pk).exists() is may_verify


def test_a_match_with_another_organization_gives_a_coordinator_nothing(ada, sam):
    other = OrganizationFactory.create(name="Elsewhere")
    MatchFactory.create(volunteer=ada, opportunity=OpportunityFactory.create(organization=other))

    assert can_verify_volunteer(sam, ada) is False
    assert profiles_verifiable_by(sam).count() == 0


@pytest.mark.parametrize(
    ("caller", "owner", "may_confirm"),
    [
        ("pat", "ada", True),
        ("pat", "pat", False),
        ("sam", "ada", False),
        ("former staff", "ada", False),
    ],
)
def test_only_staff_confirm_and_correct(callers, ada, harbor, caller, owner, may_confirm):
    MatchFactory.create(volunteer=ada, opportunity=OpportunityFactory.create(organization=harbor))
    profile = ada if owner == "ada" else callers["_pat_profile"]

    assert can_confirm_verification(callers[caller], profile) is may_confirm
