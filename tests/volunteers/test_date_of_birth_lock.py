"""Finding 5: a date of birth flipped 16 times in a row. Once set, it changes only through platform
staff, with a note; the volunteer sees each correction."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEntry
from tests.conftest import client_for
from tests.factories import UserFactory, VolunteerProfileFactory
from tests.support.broker import queued_tasks
from volunteers.models import DateOfBirthCorrection, VolunteerProfile
from volunteers.services.date_of_birth import (
    CORRECTION_NOTE_REQUIRED_MESSAGE,
    CORRECTION_SAME_DATE_MESSAGE,
)
from volunteers.services.profile_update import DATE_OF_BIRTH_LOCKED_MESSAGE

pytestmark = pytest.mark.django_db

ME = "/api/v1/volunteers/me/"
BORN = dt.date(1990, 5, 17)


def correct_url(profile_id: int) -> str:
    return f"/api/v1/volunteers/{profile_id}/date-of-birth/"


@pytest.fixture
def born_ada(ada):
    ada.date_of_birth = BORN
    ada.save()
    return ada


def test_ada_sets_her_date_of_birth_the_first_time(ada, ada_client):
    response = ada_client.patch(ME, {"date_of_birth": BORN.isoformat()}, format="json")

    assert response.status_code == 200, response.json()
    assert VolunteerProfile.objects.get(pk=ada.pk).date_of_birth == BORN


def test_ada_cannot_flip_her_date_of_birth_once_set(born_ada, ada_client):
    """Given Ada's date of birth is set, when she sends 16 different dates in a row (the finding),
    then each is refused with a message to ask staff, and it stays as it was."""
    answers = [
        ada_client.patch(
            ME, {"date_of_birth": dt.date(1990 + n % 8, 1 + n % 12, 1).isoformat()}, format="json"
        )
        for n in range(16)
    ]

    assert [a.status_code for a in answers] == [400] * 16
    assert all(
        a.json()["error"]["fields"]["date_of_birth"] == [DATE_OF_BIRTH_LOCKED_MESSAGE]
        for a in answers
    )
    assert VolunteerProfile.objects.get(pk=born_ada.pk).date_of_birth == BORN


def test_clearing_a_set_date_of_birth_is_refused_too(born_ada, ada_client):
    response = ada_client.patch(ME, {"date_of_birth": None}, format="json")

    assert response.status_code == 400
    assert VolunteerProfile.objects.get(pk=born_ada.pk).date_of_birth == BORN


def test_sending_back_the_same_date_of_birth_is_fine(born_ada, ada_client):
    read = ada_client.get(ME).json()

    response = ada_client.patch(ME, read, format="json")

    assert response.status_code == 200, response.json()


def test_pat_corrects_adas_date_of_birth_with_a_note_and_she_sees_it(
    born_ada, ada_client, staff, staff_client, django_capture_on_commit_callbacks
):
    """Given Ada's date of birth is set, when Pat corrects it with a note, then it changes, a
    correction row names Pat, the audit log records it, her matching re-runs, and Ada's profile
    lists the correction with its note."""
    corrected = dt.date(1991, 5, 17)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            correct_url(born_ada.id),
            {"date_of_birth": corrected.isoformat(), "note": "Passport seen: typo in the year."},
            format="json",
        )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["volunteer"], body["date_of_birth"], body["corrected_by"]) == (
        born_ada.id,
        corrected.isoformat(),
        staff.id,
    )
    assert VolunteerProfile.objects.get(pk=born_ada.pk).date_of_birth == corrected
    correction = DateOfBirthCorrection.objects.get(profile=born_ada)
    assert (correction.corrected_by_id, correction.note) == (
        staff.id,
        "Passport seen: typo in the year.",
    )
    entry = AuditEntry.objects.get(event="volunteer_profile_updated", subject_id=str(born_ada.id))
    assert entry.actor_id == staff.id
    assert entry.data["matching_changed"] is True
    assert ("matching.volunteer_rematch", [born_ada.id]) in queued_tasks()
    seen = ada_client.get(ME).json()["date_of_birth_corrections"]
    assert [c["note"] for c in seen] == ["Passport seen: typo in the year."]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    [
        ({"date_of_birth": "1991-05-17", "note": "  "}, "note", CORRECTION_NOTE_REQUIRED_MESSAGE),
        (
            {"date_of_birth": "1990-05-17", "note": "Seen."},
            "date_of_birth",
            CORRECTION_SAME_DATE_MESSAGE,
        ),
        ({"date_of_birth": "1899-12-31", "note": "Seen."}, "date_of_birth", None),
        ({"note": "Seen."}, "date_of_birth", None),
    ],
)
def test_a_correction_that_does_not_add_up_is_refused(
    born_ada, staff_client, payload, field, message
):
    response = staff_client.post(correct_url(born_ada.id), payload, format="json")

    assert response.status_code == 400, response.json()
    fields = response.json()["error"]["fields"]
    assert field in fields
    if message is not None:
        assert fields[field] == [message]
    assert VolunteerProfile.objects.get(pk=born_ada.pk).date_of_birth == BORN
    assert not DateOfBirthCorrection.objects.exists()


@pytest.mark.parametrize("caller", ["ada", "bo", "sam"])
def test_nobody_but_staff_corrects_a_date_of_birth(born_ada, bo, sam, caller):
    user = {"ada": born_ada.user, "bo": bo.user, "sam": sam}[caller]
    response = client_for(user).post(
        correct_url(born_ada.id),
        {"date_of_birth": "1991-05-17", "note": "Trust me."},
        format="json",
    )

    assert response.status_code == 404
    assert VolunteerProfile.objects.get(pk=born_ada.pk).date_of_birth == BORN


def test_staff_do_not_correct_their_own_date_of_birth():
    quinn = UserFactory.create(email="quinn@kindred.example", is_staff=True)
    own = VolunteerProfileFactory.create(user=quinn, date_of_birth=BORN)

    response = client_for(quinn).post(
        correct_url(own.id), {"date_of_birth": "1991-05-17", "note": "Mine."}, format="json"
    )

    assert response.status_code == 403
    assert VolunteerProfile.objects.get(pk=own.pk).date_of_birth == BORN
