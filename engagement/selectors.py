"""Who may see which hours: queryset filters, so anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from engagement.models import HoursLog
from engagement.services import HOURS_MATCH_STATUSES
from matching import selectors
from matching.models import Match
from organizations.membership import signed_in


def hours_for_coordinator(user: Any) -> QuerySet[HoursLog]:
    return HoursLog.objects.filter(match__in=selectors.matches_for_coordinator(user))


def hours_matches_for_volunteer(user: Any) -> QuerySet[Match]:
    """The caller's matches they may log hours on (HOURS_MATCH_STATUSES); a lookup outside it is a
    404, so nobody learns whether someone else's match exists."""
    if not signed_in(user):
        return Match.objects.none()
    return Match.objects.filter(volunteer__user=user, status__in=HOURS_MATCH_STATUSES)


def hours_for_volunteer(user: Any) -> QuerySet[HoursLog]:
    return HoursLog.objects.filter(match__volunteer__user=user)
