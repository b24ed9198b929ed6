"""Pat uses the admin to look after profiles and verify certificates."""

from __future__ import annotations

import pytest

from tests.factories import TrainingRecordFactory

pytestmark = pytest.mark.django_db


def test_pat_filters_profiles_by_check_and_pause_and_opens_one(pat_admin, ada):
    client, _ = pat_admin

    listing = client.get(
        "/admin/volunteers/volunteerprofile/?background_check_status=none&paused=0"
    )
    page = client.get(f"/admin/volunteers/volunteerprofile/{ada.id}/change/")

    assert listing.status_code == 200
    assert b"Ada" in listing.content
    assert page.status_code == 200
    assert b"Private" in page.content


def test_the_admin_action_verifies_through_the_service_and_records_who(pat_admin, ada):
    client, pat = pat_admin
    record = TrainingRecordFactory.create(profile=ada, verified=False, verified_at=None)

    response = client.post(
        "/admin/volunteers/trainingrecord/",
        {"action": "verify_selected", "_selected_action": [record.id]},
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.verified, record.verified_by_id) == (True, pat.id)
    assert record.verified_at is not None


def test_staff_do_not_read_lived_experience_in_the_admin(pat_admin, ada):
    """Every read of lived experience is logged for the volunteer; the admin would be a read that
    no log records, so it shows only whether Ada shares it."""
    client, _ = pat_admin
    ada.lived_experience = "Recovered from postnatal depression."
    ada.share_lived_experience = True
    ada.save()

    page = client.get(f"/admin/volunteers/volunteerprofile/{ada.id}/change/")

    assert page.status_code == 200
    assert b"postnatal" not in page.content
