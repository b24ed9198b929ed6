"""Notices of match transitions: who hears about each one (see notifications/messages.py), and
the resend of the notices whose task was lost."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from matching.models import Match, MatchStatus, MatchTransition
from notifications import messages as m
from notifications.dispatch import NOTIFIED_STATUSES
from notifications.models import Notification
from notifications.services.delivery import Draft, notifications_deliver
from organizations.membership import active_members
from placements.services import reasons

if TYPE_CHECKING:
    from accounts.models import User

S = MatchStatus
Kind = Notification.Kind


def _reviewers(organization_id: int) -> list[User]:
    return active_members(organization_id)


def _reason_suffix(transition: MatchTransition) -> str:
    if not transition.reason:
        return ""
    labels = {
        **reasons.COORDINATOR_REASONS,
        **reasons.VOLUNTEER_REASONS,
        **reasons.SYSTEM_REASONS,
        **reasons.COMPLETE_REASONS,
    }
    return m.REASON_SUFFIX.format(reason=labels.get(transition.reason, transition.reason))


Notice = tuple["User", str, str, str]


def _recipients(transition: MatchTransition, match: Match) -> list[Notice]:
    """(recipient, kind, title template, body template) for one transition."""
    volunteer_user = match.volunteer.user
    coordinators = _reviewers(match.opportunity.organization_id)
    by_volunteer = transition.actor_id == volunteer_user.pk
    to = transition.to_status
    if to == S.OFFERED:
        return [(volunteer_user, Kind.MATCH_OFFERED, m.OFFERED_TITLE, m.OFFERED_BODY)]
    if to == S.ACCEPTED:
        return [(u, Kind.MATCH_ACCEPTED, m.ACCEPTED_TITLE, m.ACCEPTED_BODY) for u in coordinators]
    if to == S.DECLINED:
        return [(u, Kind.MATCH_DECLINED, m.DECLINED_TITLE, m.DECLINED_BODY) for u in coordinators]
    if to == S.WITHDRAWN:
        if transition.from_status == S.SUGGESTED:
            return []  # the volunteer never saw it; coordinators see it in the queue's history
        to_coordinators: list[Notice] = [
            (u, Kind.MATCH_WITHDRAWN, m.WITHDRAWN_TITLE, m.WITHDRAWN_BODY_TO_COORDINATOR)
            for u in coordinators
            if u.pk != transition.actor_id
        ]
        to_volunteer: list[Notice] = [
            (volunteer_user, Kind.MATCH_WITHDRAWN, m.WITHDRAWN_TITLE, m.WITHDRAWN_BODY_TO_VOLUNTEER)
        ]
        if by_volunteer:
            return to_coordinators
        if transition.actor_id is None:
            return to_volunteer + to_coordinators
        return to_volunteer
    if to == S.COMPLETED:
        item = (Kind.MATCH_COMPLETED, m.COMPLETED_TITLE, m.COMPLETED_BODY)
        if by_volunteer:
            return [(u, *item) for u in coordinators]
        return [(volunteer_user, *item)]
    return []


def notifications_for_transition(*, transition_id: int) -> list[Notification]:
    """Tell the people concerned about one match transition (see notifications/messages.py)."""
    transition = (
        MatchTransition.objects.select_related(
            "match__volunteer__user", "match__opportunity__organization"
        )
        .filter(pk=transition_id)
        .first()
    )
    if transition is None or transition.to_status not in NOTIFIED_STATUSES:
        return []
    match = transition.match
    context: dict[str, Any] = {
        "volunteer": match.volunteer.display_name,
        "role": match.opportunity.title,
        "organization": match.opportunity.organization.name,
        "reason": _reason_suffix(transition),
    }
    return notifications_deliver(
        drafts=[
            Draft(
                key=f"transition:{transition.pk}:user:{recipient.pk}",
                recipient=recipient,
                kind=kind,
                title=title.format(**context),
                body=body.format(**context),
                match=match,
                transition=transition,
            )
            for recipient, kind, title, body in _recipients(transition, match)
        ]
    )


def notices_reconcile(*, since: dt.datetime) -> int:
    """Send the notices of recent transitions that have none (their task was lost, e.g. the
    broker was down at commit). Returns how many transitions were handled."""
    missing = MatchTransition.objects.filter(
        created_at__gte=since, to_status__in=NOTIFIED_STATUSES, notifications__isnull=True
    ).values_list("pk", flat=True)
    count = 0
    for transition_id in list(missing):
        notifications_for_transition(transition_id=transition_id)
        count += 1
    return count
