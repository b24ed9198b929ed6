"""Finding 4 of issue 8: "only the volunteer is reminded". The coordinators of a role a volunteer
committed to are told 30 days before a check or training the role needs expires, and on the day,
once each."""

from __future__ import annotations

import pytest
from django.utils import timezone

from matching.models import Match
from notifications import messages as m
from notifications.models import Notification
from notifications.services import expiry_reminders
from placements.services import transitions
from tests.factories import TrainingRecordFactory, training_type
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer, suggestion
from tests.support.dates import days_from_today

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

COORDINATORS = {"sam@harbor.example", "alex@harbor.example"}


def _active(ada, harbor, sam, *, expires_in: int) -> Match:
    ready_volunteer(
        ada,
        background_check_status="cleared",
        background_check_cleared_on=days_from_today(-300),
        background_check_expires_on=days_from_today(expires_in),
        background_check_verified_at=timezone.now(),  # verified by staff: it counts everywhere
    )
    role = peer_line(harbor, background_check_required=True)
    match = transitions.match_approve(match_id=suggestion(ada, role).pk, actor=sam)
    return transitions.match_accept(match_id=match.pk, actor=ada.user)


def _reminded(match: Match) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(match=match, kind=Notification.Kind.EXPIRY_REMINDER)
    return sorted(rows.values_list("recipient__email", "key"))


def test_coordinators_hear_30_days_before_the_check_of_an_active_match_expires_and_on_the_day(
    ada, harbor, sam, alex
):
    """Given Ada volunteers at a role that needs a check expiring in 40 days, when the daily
    reminders run 30 days before, then Ada, Sam and Alex are each told once (twice run, once
    sent); on the expiry day each is told again, once."""
    match = _active(ada, harbor, sam, expires_in=40)
    expires = days_from_today(40)

    assert expiry_reminders.notifications_expiry_reminders(today=days_from_today(9)) == []
    expiry_reminders.notifications_expiry_reminders(today=days_from_today(10))
    expiry_reminders.notifications_expiry_reminders(today=days_from_today(11))
    month_ahead = _reminded(match)
    expiry_reminders.notifications_expiry_reminders(today=expires)
    expiry_reminders.notifications_expiry_reminders(today=expires)
    on_the_day = [row for row in _reminded(match) if row not in month_ahead]

    assert {email for email, _ in month_ahead} == {"ada@example.org", *COORDINATORS}
    assert len(month_ahead) == 3
    assert {email for email, _ in on_the_day} == {"ada@example.org", *COORDINATORS}
    assert len(on_the_day) == 3
    to_sam = Notification.objects.filter(recipient=sam, match=match).first()
    assert to_sam is not None
    assert to_sam.title == m.COORDINATOR_CHECK_EXPIRY_TITLE.format(
        volunteer="Ada", date=expires.isoformat()
    )


def test_coordinators_hear_about_a_required_training_but_not_about_a_mere_offer(
    ada, bo, harbor, sam, alex
):
    """Given the role needs MHFA, Ada volunteers there and Bo is only offered it, both with MHFA
    expiring in 20 days, when the reminders run, then Sam and Alex hear about Ada's training, not
    Bo's (an offer is not someone they rely on yet), and Bo himself is reminded."""
    role = peer_line(harbor)
    role.required_trainings.add(training_type("mhfa"))
    for volunteer in (ada, bo):
        TrainingRecordFactory.create(
            profile=ready_volunteer(volunteer), expires_on=days_from_today(20)
        )
    ada_match = transitions.match_approve(match_id=suggestion(ada, role).pk, actor=sam)
    transitions.match_accept(match_id=ada_match.pk, actor=ada.user)
    bo_match = transitions.match_approve(match_id=suggestion(bo, role).pk, actor=sam)

    expiry_reminders.notifications_expiry_reminders(today=days_from_today(0))

    assert {email for email, _ in _reminded(ada_match)} == {"ada@example.org", *COORDINATORS}
    assert {email for email, _ in _reminded(bo_match)} == {"bo@example.org"}
