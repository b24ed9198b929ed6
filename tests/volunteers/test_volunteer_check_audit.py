"""A background check recorded again replaces the profile's record, never the history."""

from __future__ import annotations

import pytest

from audit.models import AuditEntry
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#: A record by platform staff counts for every role: no organization, nothing confirmed.
PLATFORM_WIDE = {"organization_id": None, "confirmed": False}


def test_a_second_check_keeps_who_cleared_the_first_in_the_audit_log(ada, staff, staff_client):
    """Given Pat cleared Ada's check, when Quinn (also staff) records it as expired later, then the
    profile shows Quinn's record and the audit log still names Pat for the first one."""
    quinn = UserFactory.create(email="quinn@kindred.example", is_staff=True)
    url = f"/api/v1/volunteers/{ada.id}/background-check/"

    first = staff_client.post(url, {"status": "cleared", "cleared_on": "2025-01-10"}, format="json")
    second = client_for(quinn).post(url, {"status": "expired"}, format="json")

    assert (first.status_code, second.status_code) == (200, 200), second.json()
    ada.refresh_from_db()
    assert ada.background_check_verified_by_id == quinn.id
    log = list(
        AuditEntry.objects.filter(event="background_check_recorded", subject_id=str(ada.id))
        .order_by("id")
        .values_list("actor_id", "data")
    )
    assert log == [
        (staff.id, {**PLATFORM_WIDE, "profile_id": ada.id, "status": "cleared"}),
        (quinn.id, {**PLATFORM_WIDE, "profile_id": ada.id, "status": "expired"}),
    ]
