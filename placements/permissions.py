"""Who may act on a match: small named functions, each covered by the table in
tests/lifecycle/test_lifecycle_permissions.py.

Who may *see* a match is a queryset filter (``matches_for_coordinator`` /
``matches_for_volunteer``): anything outside it answers 404, so an outsider cannot even learn that a
match exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from matching.models import Match, MatchStatus, MatchTransition
from organizations.models import Membership

#: Membership roles that review and run matches. Admins and coordinators have the same lifecycle
#: rights; admins additionally manage the organization (not here).
REVIEWER_ROLES = frozenset({Membership.Role.ADMIN, Membership.Role.COORDINATOR})


def is_member_of(user: Any, organization_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return Membership.objects.filter(
        user=user, organization_id=organization_id, role__in=REVIEWER_ROLES
    ).exists()


def can_review(user: Any, match: Match) -> bool:
    """Approve, reject, offer, start, complete and withdraw as the organization."""
    return is_member_of(user, match.opportunity.organization_id)


def is_match_volunteer(user: Any, match: Match) -> bool:
    """Accept, decline, withdraw and complete as the volunteer."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return match.volunteer.user_id == user.pk


def is_party(user: Any, match: Match) -> bool:
    return is_match_volunteer(user, match) or can_review(user, match)


def can_view_history(user: Any, match: Match) -> bool:
    """Coordinators of the role's organization; the volunteer once the match was offered."""
    return can_review(user, match) or (is_match_volunteer(user, match) and was_offered(match))


def was_offered(match: Match) -> bool:
    return match.transitions.filter(to_status=MatchStatus.OFFERED).exists()


# --- Visibility as queryset filters ----------------------------------------------------------------


def _signed_in(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _reviewer_of_role(user: Any) -> Exists:
    return Exists(
        Membership.objects.filter(
            organization_id=OuterRef("opportunity__organization_id"),
            user=user,
            role__in=REVIEWER_ROLES,
        )
    )


def _was_offered() -> Exists:
    return Exists(
        MatchTransition.objects.filter(match=OuterRef("pk"), to_status=MatchStatus.OFFERED)
    )


def matches_for_coordinator(user: Any) -> QuerySet[Match]:
    """Matches of the roles of the caller's organizations."""
    if not _signed_in(user):
        return Match.objects.none()
    return Match.objects.filter(_reviewer_of_role(user))


def matches_for_volunteer(user: Any) -> QuerySet[Match]:
    """The caller's own matches that were offered to them; a suggestion or a rejected suggestion
    is never shown to the volunteer."""
    if not _signed_in(user):
        return Match.objects.none()
    return Match.objects.filter(Q(volunteer__user=user) & _was_offered())


def matches_for_history(user: Any) -> QuerySet[Match]:
    """Coordinators see their roles' matches; the volunteer their own offered ones."""
    if not _signed_in(user):
        return Match.objects.none()
    return Match.objects.filter(
        _reviewer_of_role(user) | (Q(volunteer__user=user) & _was_offered())
    )
