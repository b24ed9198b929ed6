"""Which transitions somebody hears about. The notices themselves are queued by
``notifications.subscribers`` after the change commits."""

from __future__ import annotations

from django.db.models import Q

from matching.models import MatchStatus

#: Transitions somebody hears about (to active: only a match resumed after a hold).
NOTIFIED_STATUSES = frozenset(
    {
        MatchStatus.OFFERED,
        MatchStatus.ACCEPTED,
        MatchStatus.ACTIVE,
        MatchStatus.ON_HOLD,
        MatchStatus.DECLINED,
        MatchStatus.WITHDRAWN,
        MatchStatus.COMPLETED,
    }
)
#: The same, as a filter on MatchTransition (for the resend of lost notices).
NOTIFIED_TRANSITIONS = Q(to_status__in=NOTIFIED_STATUSES - {MatchStatus.ACTIVE}) | Q(
    to_status=MatchStatus.ACTIVE, from_status=MatchStatus.ON_HOLD
)


def is_notified(from_status: str, to_status: str) -> bool:
    """Does somebody hear about this transition? (A match that starts is no news; one that
    resumes after a hold is.)"""
    if to_status == MatchStatus.ACTIVE:
        return from_status == MatchStatus.ON_HOLD
    return to_status in NOTIFIED_STATUSES
