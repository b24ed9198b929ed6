"""Pat (platform staff) records background checks and verifies trainings; nobody else can."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import client_for
from tests.factories import TrainingRecordFactory, VolunteerProfileFactory, training_type
from tests.support.broker import queued_tasks
from tests.support.dates import days_from_today, iso_days_from_today
from volunteers.models import TrainingRecord, VolunteerProfile
from volunteers.selectors import PROFILE_NOT_FOUND_MESSAGE, TRAINING_NOT_FOUND_MESSAGE
from volunteers.services.verification import (
    CHECK_EXPIRES_BEFORE_CLEARED_MESSAGE,
    CLEARED_BUT_EXPIRED_MESSAGE,
    CLEARED_NEEDS_DATE_MESSAGE,
    CLEARED_ON_FUTURE_MESSAGE,
    NOT_ALLOWED_TO_VERIFY_MESSAGE,
)

pytestmark = pytest.mark.django_db


def check_url(profile_id: int) -> str:
    return f"/api/v1/volunteers/{profile_id}/background-check/"


def verify_url(profile_id: int, slug: str = "mhfa") -> str:
    return f"/api/v1/volunteers/{profile_id}/trainings/{slug}/verify/"


def check_of(profile_id: int) -> tuple:
    return VolunteerProfile.objects.filter(pk=profile_id).values_list(
        "background_check_status",
        "background_check_cleared_on",
        "background_check_expires_on",
        "background_check_verified_by",
        "background_check_verified_at",
    )[0]


def test_pat_clears_adas_check_and_the_record_names_her_and_the_time(
    ada, ada_client, staff, staff_client, django_capture_on_commit_callbacks
):
    """Given Ada's check came back clear on 2025-01-10, valid for three years from today, when Pat
    records it, then the record names Pat and the time, and Ada's matching is re-run."""
    expires = days_from_today(3 * 365)
    started = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            check_url(ada.id),
            {"status": "cleared", "cleared_on": "2025-01-10", "expires_on": expires.isoformat()},
            format="json",
        )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "cleared"
    assert (body["cleared_on"], body["expires_on"]) == ("2025-01-10", expires.isoformat())
    assert body["verified_by"] == staff.id
    status, cleared_on, expires_on, verified_by, verified_at = check_of(ada.id)
    assert (status, cleared_on, expires_on, verified_by) == (
        "cleared",
        dt.date(2025, 1, 10),
        expires,
        staff.id,
    )
    assert started <= verified_at <= timezone.now()
    # A cleared check changes what Ada is eligible for: her profile is rematched.
    assert sorted(queued_tasks()) == [  # the order the two subscribers queue in is not fixed
        ("lifecycle.volunteer_recheck", [ada.id]),
        ("matching.volunteer_rematch", [ada.id]),
    ]
    # Ada sees the same record on her own profile.
    assert ada_client.get("/api/v1/volunteers/me/").json()["background_check"] == body


def test_pat_records_a_check_that_expired(ada, staff_client):
    response = staff_client.post(
        check_url(ada.id),
        {"status": "expired", "cleared_on": "2020-01-10", "expires_on": "2023-01-10"},
        format="json",
    )

    assert response.status_code == 200
    assert check_of(ada.id)[0] == "expired"


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"status": "cleared"}, "cleared_on", CLEARED_NEEDS_DATE_MESSAGE),
        (
            {"status": "cleared", "cleared_on": iso_days_from_today(2)},
            "cleared_on",
            CLEARED_ON_FUTURE_MESSAGE,
        ),
        (
            {"status": "cleared", "cleared_on": "2025-01-10", "expires_on": "2024-01-10"},
            "expires_on",
            CHECK_EXPIRES_BEFORE_CLEARED_MESSAGE,
        ),
        (
            {"status": "cleared", "cleared_on": "2019-01-10", "expires_on": "2020-01-10"},
            "expires_on",
            CLEARED_BUT_EXPIRED_MESSAGE,
        ),
        ({"status": "approved"}, "status", None),
        ({}, "status", "This field is required."),
        ({"status": "cleared", "cleared_on": "yesterday"}, "cleared_on", None),
    ],
)
def test_a_check_that_does_not_add_up_is_refused(ada, staff_client, payload, field, message):
    before = check_of(ada.id)

    response = staff_client.post(check_url(ada.id), payload, format="json")

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert field in fields
    if message:
        assert fields[field] == [message]
    assert check_of(ada.id) == before


def test_pat_verifies_adas_mhfa(
    ada, ada_client, staff, staff_client, django_capture_on_commit_callbacks
):
    """Given Ada declared MHFA, when Pat verifies it, then the record names Pat, and Ada's profile
    is rematched (roles may ask for a verified training) once the verification is committed."""
    record = TrainingRecordFactory.create(
        profile=ada, completed_on=dt.date(2024, 3, 1), verified=False, verified_at=None
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(verify_url(ada.id))
    assert queued_tasks() == []  # nothing before the commit
    for callback in callbacks:
        callback()

    assert response.status_code == 200
    body = response.json()
    assert body["training"] == "mhfa"
    assert body["verified"] is True
    assert body["volunteer"] == ada.id
    assert body["verified_by"] == staff.id
    record.refresh_from_db()
    assert (record.verified, record.verified_by_id) == (True, staff.id)
    assert record.verified_at is not None
    assert sorted(queued_tasks()) == [  # the order the two subscribers queue in is not fixed
        ("lifecycle.volunteer_recheck", [ada.id]),
        ("matching.volunteer_rematch", [ada.id]),
    ]
    assert ada_client.get("/api/v1/volunteers/me/").json()["trainings"][0]["verified"] is True


def test_verifying_twice_keeps_the_first_verification(ada, staff_client):
    TrainingRecordFactory.create(profile=ada, verified=False, verified_at=None)
    first = staff_client.post(verify_url(ada.id)).json()

    second = staff_client.post(verify_url(ada.id))

    assert second.status_code == 200
    assert second.json()["verified_at"] == first["verified_at"]


def test_a_training_ada_never_declared_cannot_be_verified(ada, staff_client):
    TrainingRecordFactory.create(profile=ada, training_type=training_type("qpr"), verified=False)

    response = staff_client.post(verify_url(ada.id, "mhfa"))

    assert response.status_code == 404
    assert response.json()["error"]["message"] == TRAINING_NOT_FOUND_MESSAGE
    assert not TrainingRecord.objects.filter(verified=True).exists()


def test_an_unknown_volunteer_is_404_for_staff_too(staff_client):
    response = staff_client.post(check_url(987654), {"status": "pending"}, format="json")

    assert response.status_code == 404
    assert response.json()["error"]["message"] == PROFILE_NOT_FOUND_MESSAGE


def test_staff_cannot_verify_their_own_profile(staff):
    """Pat also volunteers; her own check and trainings need a second pair of eyes."""
    pat_profile = VolunteerProfileFactory.create(user=staff, display_name="Pat")
    TrainingRecordFactory.create(profile=pat_profile, verified=False, verified_at=None)
    pat = client_for(staff)

    check = pat.post(
        check_url(pat_profile.id), {"status": "cleared", "cleared_on": "2025-01-10"}, format="json"
    )
    training = pat.post(verify_url(pat_profile.id))

    for response in (check, training):
        assert response.status_code == 403
        assert response.json()["error"]["message"] == NOT_ALLOWED_TO_VERIFY_MESSAGE
    assert check_of(pat_profile.id)[0] == "none"
    assert not TrainingRecord.objects.filter(verified=True).exists()


def test_a_deactivated_staff_account_sees_nothing(ada):
    from tests.factories import UserFactory

    former = client_for(
        UserFactory.create(email="former@kindred.example", is_staff=True, is_active=False)
    )

    response = former.post(
        check_url(ada.id), {"status": "cleared", "cleared_on": "2025-01-10"}, format="json"
    )

    assert response.status_code == 404
    assert check_of(ada.id)[0] == "none"
