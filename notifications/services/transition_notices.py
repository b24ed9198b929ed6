"""Notices of match transitions: who hears about each one (see notifications/messages.py), and
the resend of the notices whose task was lost."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from matching.engine.eligibility import ROLE_NOT_OPEN
from matching.models import Match, MatchStatus, MatchTransition
from notifications import messages as m
from notifications.dispatch import NOTIFIED_TRANSITIONS, is_notified
from notifications.models import Notification
from notifications.services.delivery import Draft, notifications_deliver
from organizations.membership import active_members
from placements.services import reasons
from placements.services.eligibility import ineligibility_words
from placements.states import SHOWN_TO_VOLUNTEER

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
        **reasons.STAFF_REASONS,
        **reasons.COMPLETE_REASONS,
    }
    label = labels.get(transition.reason, transition.reason)
    codes = _system_codes(transition)
    if codes:  # the system names the rules it acted on, in words
        label = m.SYSTEM_REASON.format(label=label, rules=ineligibility_words(codes))
    return m.REASON_SUFFIX.format(reason=label)


def _system_codes(transition: MatchTransition) -> list[str]:
    """The engine codes a system transition acted on (the system writes them in the note)."""
    if transition.actor_id is not None or not transition.note:
        return []
    return [code.strip() for code in transition.note.split(",") if code.strip()]


Notice = tuple["User", str, str, str]


def _withdrawn(
    transition: MatchTransition, volunteer_user: User, coordinators: list[User]
) -> list[Notice]:
    to_coordinators: list[Notice] = [
        (u, Kind.MATCH_WITHDRAWN, m.WITHDRAWN_TITLE, m.WITHDRAWN_BODY_TO_COORDINATOR)
        for u in coordinators
        if u.pk != transition.actor_id
    ]
    system = transition.actor_id is None
    if transition.reason == reasons.STAFF_SAFEGUARDING:
        # Platform staff ended it: the organization always hears, the volunteer if they knew.
        shown = transition.from_status in SHOWN_TO_VOLUNTEER
        to_volunteer_too = [
            (volunteer_user, Kind.MATCH_WITHDRAWN, m.WITHDRAWN_TITLE, m.WITHDRAWN_BODY_TO_VOLUNTEER)
        ]
        return (to_volunteer_too if shown else []) + to_coordinators
    if transition.from_status == S.SUGGESTED:
        # The volunteer never saw it. Coordinators hear when the system found it no longer
        # eligible, unless only because the role closed or filled up (their own doing); a
        # suggestion outranked by better ones is just gone from the queue.
        codes = set(_system_codes(transition))
        eligible_lost = system and transition.reason == reasons.SYSTEM_NO_LONGER_ELIGIBLE
        return to_coordinators if eligible_lost and codes - {ROLE_NOT_OPEN} else []
    to_volunteer: list[Notice] = []
    if transition.from_status in SHOWN_TO_VOLUNTEER:
        to_volunteer = [
            (volunteer_user, Kind.MATCH_WITHDRAWN, m.WITHDRAWN_TITLE, m.WITHDRAWN_BODY_TO_VOLUNTEER)
        ]
    if transition.actor_id == volunteer_user.pk:
        return to_coordinators
    if system:
        return to_volunteer + to_coordinators
    return to_volunteer


def _held_or_resumed(
    transition: MatchTransition, volunteer_user: User, coordinators: list[User]
) -> list[Notice]:
    others = [u for u in coordinators if u.pk != transition.actor_id]
    if transition.to_status == S.ON_HOLD:
        return [
            (volunteer_user, Kind.MATCH_ON_HOLD, m.ON_HOLD_TITLE, m.ON_HOLD_BODY_TO_VOLUNTEER),
            *(
                (u, Kind.MATCH_ON_HOLD, m.ON_HOLD_TITLE, m.ON_HOLD_BODY_TO_COORDINATOR)
                for u in others
            ),
        ]
    return [
        (u, Kind.MATCH_RESUMED, m.RESUMED_TITLE, m.RESUMED_BODY) for u in [volunteer_user, *others]
    ]


def _recipients(transition: MatchTransition, match: Match) -> list[Notice]:
    """(recipient, kind, title template, body template) for one transition."""
    volunteer_user = match.volunteer.user
    coordinators = _reviewers(match.opportunity.organization_id)
    by_volunteer = transition.actor_id == volunteer_user.pk
    to = transition.to_status
    if to == S.ON_HOLD or (transition.from_status == S.ON_HOLD and to in {S.ACCEPTED, S.ACTIVE}):
        return _held_or_resumed(transition, volunteer_user, coordinators)
    if to == S.OFFERED:
        return [(volunteer_user, Kind.MATCH_OFFERED, m.OFFERED_TITLE, m.OFFERED_BODY)]
    if to == S.ACCEPTED:
        return [(u, Kind.MATCH_ACCEPTED, m.ACCEPTED_TITLE, m.ACCEPTED_BODY) for u in coordinators]
    if to == S.DECLINED:
        return [(u, Kind.MATCH_DECLINED, m.DECLINED_TITLE, m.DECLINED_BODY) for u in coordinators]
    if to == S.WITHDRAWN:
        return _withdrawn(transition, volunteer_user, coordinators)
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
    if transition is None or not is_notified(transition.from_status, transition.to_status):
        return []
    match = transition.match
    context: dict[str, Any] = {
        "volunteer": match.volunteer.display_name,
        "role": match.opportunity.title,
        "organization": match.opportunity.organization.name,
        "reason": _reason_suffix(transition),
        "status": S(transition.to_status).label.lower(),
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
    missing = (
        MatchTransition.objects.filter(created_at__gte=since, notifications__isnull=True)
        .filter(NOTIFIED_TRANSITIONS)
        .values_list("pk", flat=True)
    )
    count = 0
    for transition_id in list(missing):
        notifications_for_transition(transition_id=transition_id)
        count += 1
    return count
