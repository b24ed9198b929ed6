"""Finding 7, the credential part: in the admin, credential verification is read-only and changes
only through admin actions (and one small page) that call the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils.html import escape

from audit.models import AuditEntry
from tests.factories import MatchFactory, OpportunityFactory, TrainingRecordFactory
from tests.support.dates import days_from_today
from volunteers.models import DateOfBirthCorrection, VolunteerProfile
from volunteers.services.date_of_birth import CORRECTION_SAME_DATE_MESSAGE
from volunteers.services.verification import background_check_record, training_verify

pytestmark = pytest.mark.django_db

PROFILES = "/admin/volunteers/volunteerprofile/"
TRAININGS = "/admin/volunteers/trainingrecord/"


@pytest.fixture
def matched_ada(ada, harbor):
    MatchFactory.create(volunteer=ada, opportunity=OpportunityFactory.create(organization=harbor))
    return ada


def test_the_verification_fields_cannot_be_edited_in_the_admin(pat_admin, ada):
    """Given Ada's unverified MHFA, when Pat posts its change form marking it verified, then the
    admin refuses (403) and it stays unverified."""
    client, _ = pat_admin
    record = TrainingRecordFactory.create(profile=ada, verified=False, verified_at=None)

    page = client.get(f"{TRAININGS}{record.id}/change/")
    edit = client.post(f"{TRAININGS}{record.id}/change/", {"verified": "on"})

    assert page.status_code == 200
    assert b'name="verified"' not in page.content
    assert edit.status_code == 403
    record.refresh_from_db()
    assert record.verified is False


def test_pat_confirms_a_coordinators_training_verification_with_an_action(
    pat_admin, matched_ada, sam
):
    client, pat = pat_admin
    record = TrainingRecordFactory.create(
        profile=matched_ada, completed_on=days_from_today(-30), verified=False, verified_at=None
    )
    training_verify(record=record, verified_by=sam)

    response = client.post(
        TRAININGS, {"action": "confirm_selected", "_selected_action": [record.id]}
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.verified_for_id, record.verified_by_id) == (None, pat.id)
    entry = AuditEntry.objects.filter(event="training_verified").latest("id")
    assert (entry.actor_id, entry.data["confirmed"]) == (pat.id, True)


def test_pat_confirms_a_coordinators_check_with_an_action(pat_admin, matched_ada, harbor, sam):
    client, pat = pat_admin
    background_check_record(
        profile=matched_ada, verified_by=sam, status="cleared", cleared_on=days_from_today(-5)
    )
    assert VolunteerProfile.objects.get(pk=matched_ada.pk).background_check_verified_for == harbor

    response = client.post(
        PROFILES, {"action": "confirm_checks", "_selected_action": [matched_ada.id]}
    )

    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(pk=matched_ada.pk)
    assert (profile.background_check_verified_for_id, profile.background_check_verified_by_id) == (
        None,
        pat.id,
    )


def test_pat_corrects_a_date_of_birth_on_its_admin_page(pat_admin, ada):
    """Given Ada's date of birth is set, when Pat opens the profile, follows the correction link
    and submits the date she already has, then the service's refusal is shown and nothing changes;
    with a new date and a note, it changes and the correction is listed on the profile."""
    client, pat = pat_admin
    ada.date_of_birth = dt.date(1990, 5, 17)
    ada.save()
    url = f"{PROFILES}{ada.id}/date-of-birth/"

    profile_page = client.get(f"{PROFILES}{ada.id}/change/")
    form = client.get(url)
    same_date = client.post(url, {"date_of_birth": "1990-05-17", "note": "Passport seen."})
    with_note = client.post(url, {"date_of_birth": "1991-05-17", "note": "Passport seen."})

    assert url.encode() in profile_page.content
    assert form.status_code == 200
    assert same_date.status_code == 200
    assert escape(CORRECTION_SAME_DATE_MESSAGE).encode() in same_date.content
    assert with_note.status_code == 302
    assert VolunteerProfile.objects.get(pk=ada.pk).date_of_birth == dt.date(1991, 5, 17)
    correction = DateOfBirthCorrection.objects.get(profile=ada)
    assert (correction.corrected_by_id, correction.note) == (pat.id, "Passport seen.")
    assert b"Passport seen." in client.get(f"{PROFILES}{ada.id}/change/").content


def test_a_staff_member_without_admin_rights_cannot_open_the_correction_page(ada, bo):
    client = Client()
    client.force_login(bo.user)

    response = client.get(f"{PROFILES}{ada.id}/date-of-birth/")

    assert response.status_code == 302  # to the admin login
    assert not DateOfBirthCorrection.objects.exists()
