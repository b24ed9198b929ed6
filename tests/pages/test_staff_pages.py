"""Pat, platform staff, works the verification queues on the pages: Lantern House waits to be
verified, Ada's background check and Bo's training wait to be verified. The decisions are the
services the API and the admin call; nobody but staff with the second factor passed gets in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from audit.models import AuditEntry
from organizations.models import OrganizationVerification, VerificationStatus
from tests.factories import OrganizationFactory, TrainingRecordFactory, training_type
from tests.support.second_factor import staff_login
from volunteers.models import TrainingRecord, VolunteerProfile

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

QUEUES = ("/staff/organizations/", "/staff/checks/", "/staff/trainings/")


@pytest.fixture
def pat(staff) -> Client:
    browser = Client()
    staff_login(browser, staff)
    return browser


@pytest.fixture
def lantern():
    return OrganizationFactory.create(
        name="Lantern House",
        verification_status=VerificationStatus.PENDING,
        website="https://lantern.example",
    )


def test_pat_sees_lantern_waiting_and_verifies_it_with_the_evidence(pat, lantern):
    queue = pat.get("/staff/organizations/").content.decode()
    page = pat.get(f"/staff/organizations/{lantern.pk}/").content.decode()

    response = pat.post(
        f"/staff/organizations/{lantern.pk}/",
        {
            "decision": "verified",
            "registration_number": "EIN 12-3456789",
            "contact": "Phoned the director on the listed number",
        },
    )

    assert "Lantern House" in queue
    assert "https://lantern.example" in page
    assert response["Location"] == "/staff/organizations/"
    lantern.refresh_from_db()
    assert lantern.verification_status == "verified"
    record = OrganizationVerification.objects.get(organization=lantern)
    assert record.contact == "Phoned the director on the listed number"
    assert (
        f"/staff/organizations/{lantern.pk}/"
        not in pat.get("/staff/organizations/").content.decode()
    )


def test_verifying_without_saying_who_confirmed_is_refused_on_the_field(pat, lantern):
    response = pat.post(
        f"/staff/organizations/{lantern.pk}/",
        {"decision": "verified", "registration_number": "EIN 12-3456789"},
    )

    assert response.status_code == 400
    assert 'id="id_contact_error"' in response.content.decode()
    lantern.refresh_from_db()
    assert lantern.verification_status == "pending"


def test_a_refusal_needs_a_note_and_keeps_it(pat, lantern):
    bare = pat.post(f"/staff/organizations/{lantern.pk}/", {"decision": "refused"})
    noted = pat.post(
        f"/staff/organizations/{lantern.pk}/",
        {"decision": "refused", "note": "No registration found under this name."},
    )

    assert bare.status_code == 400
    assert 'id="id_note_error"' in bare.content.decode()
    assert noted.status_code == 302
    lantern.refresh_from_db()
    assert lantern.verification_status == "refused"
    assert OrganizationVerification.objects.get(organization=lantern).note.startswith("No reg")


def test_pat_records_adas_cleared_check(pat, ada):
    ada.background_check_status = "pending"
    ada.save()
    cleared_on = timezone.localdate() - dt.timedelta(days=3)

    queue = pat.get("/staff/checks/").content.decode()
    response = pat.post(
        f"/staff/checks/{ada.pk}/", {"status": "cleared", "cleared_on": cleared_on.isoformat()}
    )

    assert "Ada" in queue
    assert response["Location"] == "/staff/checks/"
    ada.refresh_from_db()
    assert (ada.background_check_status, ada.background_check_cleared_on) == (
        "cleared",
        cleared_on,
    )
    assert ada.background_check_verified_at is not None
    assert ada.background_check_verified_for is None


def test_a_cleared_check_without_its_date_is_refused_on_the_field(pat, ada):
    ada.background_check_status = "pending"
    ada.save()

    response = pat.post(f"/staff/checks/{ada.pk}/", {"status": "cleared"})

    assert response.status_code == 400
    assert 'id="id_cleared_on_error"' in response.content.decode()
    assert VolunteerProfile.objects.get(pk=ada.pk).background_check_status == "pending"


def test_pat_confirms_a_check_a_coordinator_recorded(pat, ada, harbor, sam):
    ada.background_check_status = "cleared"
    ada.background_check_cleared_on = timezone.localdate() - dt.timedelta(days=10)
    ada.background_check_verified_at = timezone.now()
    ada.background_check_verified_by = sam
    ada.background_check_verified_for = harbor
    ada.save()

    response = pat.post(f"/staff/checks/{ada.pk}/", {"confirm": "1"})

    assert response.status_code == 302
    ada.refresh_from_db()
    assert ada.background_check_verified_for is None


def test_pat_verifies_bos_declared_training(pat, bo):
    record = TrainingRecordFactory.create(
        profile=bo, verified=False, verified_at=None, training_type=training_type("mhfa")
    )

    queue = pat.get("/staff/trainings/").content.decode()
    response = pat.post(f"/staff/trainings/{record.pk}/verify/")

    assert "Bo" in queue
    assert response.status_code == 302
    assert TrainingRecord.objects.get(pk=record.pk).verified


def test_a_training_that_needs_its_completion_date_is_refused_with_the_reason(pat, bo):
    kind = training_type("mhfa")
    kind.valid_for_months = 36
    kind.save()
    record = TrainingRecordFactory.create(
        profile=bo, verified=False, verified_at=None, training_type=kind, completed_on=None
    )

    response = pat.post(f"/staff/trainings/{record.pk}/verify/", follow=True)

    assert "the completion date is needed" in response.content.decode()
    assert not TrainingRecord.objects.get(pk=record.pk).verified


def test_the_navigation_offers_the_queues_to_staff_only(pat, alex):
    coordinator = Client()
    coordinator.force_login(alex)

    assert 'href="/staff/organizations/"' in pat.get("/").content.decode()
    assert 'href="/staff/organizations/"' not in coordinator.get("/").content.decode()


def test_everyone_but_staff_is_refused(alex, staff, lantern, ada):
    signed_in = Client()
    signed_in.force_login(alex)
    no_second_factor = Client()
    no_second_factor.force_login(staff)
    addresses = [*QUEUES, f"/staff/organizations/{lantern.pk}/", f"/staff/checks/{ada.pk}/"]

    for browser in (signed_in, no_second_factor):
        answers = [browser.get(a).status_code for a in addresses]
        answers.append(
            browser.post(
                f"/staff/organizations/{lantern.pk}/", {"decision": "verified"}
            ).status_code
        )
        assert set(answers) == {403}
    assert Client().get("/staff/organizations/")["Location"].startswith("/sign-in/")
    lantern.refresh_from_db()
    assert lantern.verification_status == "pending"


def test_the_evidence_pat_notes_is_kept_with_the_check_and_the_training_not_in_the_audit(
    pat, ada, bo
):
    ada.background_check_status = "pending"
    ada.save()
    record = TrainingRecordFactory.create(
        profile=bo, verified=False, verified_at=None, training_type=training_type("mhfa")
    )
    cleared_on = (timezone.localdate() - dt.timedelta(days=3)).isoformat()

    pat.post(
        f"/staff/checks/{ada.pk}/",
        {"status": "cleared", "cleared_on": cleared_on, "note": "Certificate 4411 seen"},
    )
    pat.post(f"/staff/trainings/{record.pk}/verify/", {"note": "MHFA card, issued this year"})

    assert VolunteerProfile.objects.get(pk=ada.pk).background_check_note == "Certificate 4411 seen"
    assert (
        TrainingRecord.objects.get(pk=record.pk).verification_note == "MHFA card, issued this year"
    )
    logged = AuditEntry.objects.filter(event__in=["background_check_recorded", "training_verified"])
    assert logged.count() == 2
    assert not any("note" in entry.data for entry in logged)


def test_a_note_over_the_limit_is_refused_on_the_field_and_nothing_is_recorded(pat, ada):
    ada.background_check_status = "pending"
    ada.save()
    cleared_on = (timezone.localdate() - dt.timedelta(days=3)).isoformat()

    response = pat.post(
        f"/staff/checks/{ada.pk}/",
        {"status": "cleared", "cleared_on": cleared_on, "note": "x" * 501},
    )

    assert response.status_code == 400
    assert 'id="id_note_error"' in response.content.decode()
    assert VolunteerProfile.objects.get(pk=ada.pk).background_check_status == "pending"
