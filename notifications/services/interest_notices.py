"""The notice a volunteer gets when a coordinator declines their interest request. An accepted
request needs none of its own: the match it approved is offered, and the offer's notice follows
(transition_notices.py)."""

from __future__ import annotations

from notifications import messages as m
from notifications.models import Notification
from notifications.services.delivery import Draft, notifications_deliver
from placements.models import InterestRequest, InterestStatus
from placements.services.reasons import COORDINATOR_REASONS


def notifications_for_interest(*, interest_id: int) -> list[Notification]:
    """Tell the volunteer that their request was declined, once (the key names the request)."""
    interest = (
        InterestRequest.objects.select_related("volunteer__user", "opportunity__organization")
        .filter(pk=interest_id, status=InterestStatus.DECLINED)
        .first()
    )
    if interest is None:
        return []
    user = interest.volunteer.user
    reason = COORDINATOR_REASONS.get(interest.reason, "")
    values = {
        "volunteer": interest.volunteer.display_name,
        "role": interest.opportunity.title,
        "organization": interest.opportunity.organization.name,
        "reason": m.REASON_SUFFIX.format(reason=reason) if reason else "",
    }
    draft = Draft(
        key=f"interest:{interest.pk}:declined:user:{user.pk}",
        recipient=user,
        kind=Notification.Kind.INTEREST_DECLINED,
        title=m.INTEREST_DECLINED_TITLE.format(**values),
        body=m.INTEREST_DECLINED_BODY.format(**values),
    )
    return notifications_deliver(drafts=[draft])
