"""Platform staff read volunteers' interest requests in the admin; nothing changes there."""

from __future__ import annotations

import pytest

from placements.models import InterestRequest
from placements.services import interest
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


def test_pat_lists_and_opens_a_request_and_cannot_change_it(pat_admin, ada, harbor):
    client, _ = pat_admin
    ready_volunteer(ada)
    made = interest.interest_express(actor=ada.user, opportunity_id=peer_line(harbor).pk)

    listing = client.get("/admin/placements/interestrequest/?status=pending")
    page = client.get(f"/admin/placements/interestrequest/{made.pk}/change/")
    changed = client.post(
        f"/admin/placements/interestrequest/{made.pk}/change/", {"status": "accepted"}
    )

    assert listing.status_code == 200
    assert b"Ada" in listing.content
    assert page.status_code == 200
    assert changed.status_code == 403
    assert InterestRequest.objects.get(pk=made.pk).status == "pending"
