"""Notices of interest requests: the role's coordinators hear that a volunteer asked (without
naming them: the request's page does), and the volunteer hears when a coordinator declined. An
accepted request needs none of its own: the match it approved is offered, and the offer's notice
follows (transition_notices.py)."""

from __future__ import annotations

from notifications import messages as m
from notifications.models import Notification
from notifications.services.delivery import Draft, notifications_deliver
from organizations.membership import active_members
from placements.models import InterestRequest, InterestStatus
from placements.services.reasons import COORDINATOR_REASONS

Kind = Notification.Kind


def _received(interest: InterestRequest) -> list[Draft]:
    role = interest.opportunity
    values = {"role": role.title, "organization": role.organization.name}
    return [
        Draft(
            key=f"interest:{interest.pk}:received:user:{member.pk}",
            recipient=member,
            kind=Kind.INTEREST_RECEIVED,
            title=m.INTEREST_RECEIVED_TITLE.format(**values),
            body=m.INTEREST_RECEIVED_BODY.format(**values),
        )
        for member in active_members(role.organization_id)
        if member.pk != interest.volunteer.user_id
    ]


def _declined(interest: InterestRequest) -> list[Draft]:
    user = interest.volunteer.user
    reason = COORDINATOR_REASONS.get(interest.reason, "")
    values = {
        "volunteer": interest.volunteer.display_name,
        "role": interest.opportunity.title,
        "organization": interest.opportunity.organization.name,
        "reason": m.REASON_SUFFIX.format(reason=reason) if reason else "",
    }
    return [
        Draft(
            key=f"interest:{interest.pk}:declined:user:{user.pk}",
            recipient=user,
            kind=Kind.INTEREST_DECLINED,
            title=m.INTEREST_DECLINED_TITLE.format(**values),
            body=m.INTEREST_DECLINED_BODY.format(**values),
        )
    ]


def notifications_for_interest(*, interest_id: int) -> list[Notification]:
    """The notices of the request's present status, once each (the key names the request, the
    status and the recipient); none once it moved on (a request withdrawn before the task ran
    tells nobody)."""
    interest = (
        InterestRequest.objects.select_related("volunteer__user", "opportunity__organization")
        .filter(pk=interest_id)
        .first()
    )
    if interest is None:
        return []
    if interest.status == InterestStatus.PENDING:
        drafts = _received(interest)
    elif interest.status == InterestStatus.DECLINED:
        drafts = _declined(interest)
    else:
        return []
    return notifications_deliver(drafts=drafts)
