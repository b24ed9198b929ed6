"""What the notifications app does when a match moves (backend/events.py): the people involved
hear about the steps that concern them, by a task queued after the change committed."""

from __future__ import annotations

import logging

from kombu.exceptions import OperationalError

from backend.events import subscribe
from notifications.dispatch import is_notified
from notifications.tasks import invitation_email_task, notify_interest_task, notify_transition_task
from organizations.events import MemberInvited
from placements.events import InterestRequestChanged, MatchTransitioned
from placements.models import InterestStatus

logger = logging.getLogger(__name__)


def notify_transition(event: MatchTransitioned) -> None:
    """Queue the notice of this transition. A broker that is down must not fail the request that
    changed the match: the daily resend finds transitions that have no notice."""
    try:
        notify_transition_task.delay(event.transition_id)
    except (OperationalError, OSError):
        logger.warning(
            "Could not queue notice of transition %s; the daily resend sends it",
            event.transition_id,
        )


def email_invitation(event: MemberInvited) -> None:
    """Queue the invitation's email; if the broker is down, the admin can revoke and invite again,
    and the invitee also finds it in their invitations once signed in."""
    try:
        invitation_email_task.delay(event.invitation_id)
    except (OperationalError, OSError):
        logger.warning("Could not queue the email of invitation %s", event.invitation_id)


def notify_interest(event: InterestRequestChanged) -> None:
    """Queue the notice of a new interest request (to the role's coordinators) or a declined one
    (to the volunteer); a broker that is down loses it (logged), and the request still waits on
    Asked by volunteers, or says it was declined on the volunteer's roles page."""
    try:
        notify_interest_task.delay(event.interest_id)
    except (OperationalError, OSError):
        logger.warning("Could not queue the notice of interest request %s", event.interest_id)


def register() -> None:
    subscribe(
        InterestRequestChanged,
        notify_interest,
        when=lambda event: event.to_status in (InterestStatus.PENDING, InterestStatus.DECLINED),
    )
    subscribe(MemberInvited, email_invitation)
    subscribe(
        MatchTransitioned,
        notify_transition,
        when=lambda event: is_notified(event.from_status, event.to_status),
    )
