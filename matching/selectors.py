"""Who may see which match: queryset filters used by the review queue, the lifecycle actions, the
hours and the ratings alike. Anything outside them answers 404, so an outsider cannot even learn
that a match exists.

* a coordinator or admin sees the matches of their own organizations' roles, and only while
  platform staff have verified the organization: a pending or refused organization's members see
  no volunteer data at all (review queue, offers, matches, hours). Platform staff get no special
  view: a volunteer's details are shown only to the organizations they might work with;
* a volunteer sees their own matches once they were offered (never a suggestion, nor a rejected
  suggestion).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from matching.models import Match, MatchStatus, MatchTransition
from organizations.membership import signed_in, verified_organization_ids_of


def _of_my_organizations(user: Any) -> Q:
    return Q(opportunity__organization_id__in=verified_organization_ids_of(user))


def _was_offered() -> Exists:
    return Exists(
        MatchTransition.objects.filter(match=OuterRef("pk"), to_status=MatchStatus.OFFERED)
    )


def matches_for_coordinator(user: Any) -> QuerySet[Match]:
    """Matches of the roles of the caller's verified organizations."""
    if not signed_in(user):
        return Match.objects.none()
    return Match.objects.filter(_of_my_organizations(user))


def matches_for_volunteer(user: Any) -> QuerySet[Match]:
    """The caller's own matches that were offered to them."""
    if not signed_in(user):
        return Match.objects.none()
    return Match.objects.filter(Q(volunteer__user=user) & _was_offered())


def matches_for_history(user: Any) -> QuerySet[Match]:
    """Coordinators see their roles' matches; the volunteer their own offered ones."""
    if not signed_in(user):
        return Match.objects.none()
    return Match.objects.filter(
        _of_my_organizations(user) | (Q(volunteer__user=user) & _was_offered())
    )
