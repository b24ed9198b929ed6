"""The permission functions on their own: role x ownership -> allowed."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.factories import UserFactory, VolunteerProfileFactory
from volunteers.permissions import can_verify_volunteer
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
    ("sam", "ada", False),  # coordinators verify through matches, in a later issue
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
