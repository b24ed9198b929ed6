"""Platform staff end a match at once on a safeguarding concern: from the admin, through the
lifecycle's service (its audit row and notices), never by editing the row."""

from __future__ import annotations

import pytest
from django.core import mail

from backend.errors import ApplicationError, ForbiddenError
from matching.models import MatchStatus
from placements.admin import ADMIN_SAFEGUARDING_NOTE
from placements.services import transitions
from placements.services.reasons import STAFF_SAFEGUARDING
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def active_match(ada, harbor, sam):
    match = suggestion(ready_volunteer(ada), peer_line(harbor))
    transitions.match_approve(match_id=match.pk, actor=sam)
    return transitions.match_accept(match_id=match.pk, actor=ada.user)


def test_pat_withdraws_an_active_match_from_the_admin_and_both_sides_are_told(
    pat_admin, active_match, sam, django_capture_on_commit_callbacks
):
    """Given Ada active on Harbor's peer line, when Pat withdraws it from the admin for a
    safeguarding concern, then it is withdrawn with her name, the reason and the note in its
    history, and Ada and Sam both get the notice."""
    client, pat = pat_admin
    assert active_match.status == MatchStatus.ACTIVE
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/matching/match/",
            {"action": "withdraw_for_safeguarding", "_selected_action": [active_match.pk]},
        )

    assert response.status_code == 302
    active_match.refresh_from_db()
    assert active_match.status == MatchStatus.WITHDRAWN
    last = active_match.transitions.order_by("id").last()
    assert (last.actor, last.reason, last.note) == (
        pat,
        STAFF_SAFEGUARDING,
        ADMIN_SAFEGUARDING_NOTE,
    )
    told = {address for message in mail.outbox for address in message.to}
    assert {"ada@example.org", sam.email} <= told


def test_only_staff_withdraw_for_safeguarding_and_only_with_a_note(active_match, sam, staff):
    with pytest.raises(ForbiddenError):
        transitions.match_withdraw_for_safeguarding(
            match_id=active_match.pk, actor=sam, note="A concern."
        )
    with pytest.raises(ApplicationError) as refused:
        transitions.match_withdraw_for_safeguarding(match_id=active_match.pk, actor=staff, note=" ")

    assert refused.value.fields == {"note": [transitions.SAFEGUARDING_NOTE_REQUIRED]}
    active_match.refresh_from_db()
    assert active_match.status == MatchStatus.ACTIVE
