"""Who may act on a match: small named functions, each covered by the table in
tests/placements/test_lifecycle_permissions.py. Who may *see* a match is ``matching.selectors``.
"""

from __future__ import annotations

from typing import Any

from matching.models import Match
from organizations.membership import is_member, signed_in


def can_review(user: Any, match: Match) -> bool:
    """Approve, reject, offer, start, complete and withdraw as the organization, verify hours and
    rate as the organization: its admins and coordinators, never the match's own volunteer (a
    coordinator who volunteers acts on their own match only as the volunteer)."""
    return not is_match_volunteer(user, match) and is_member(
        user, match.opportunity.organization_id
    )


def is_match_volunteer(user: Any, match: Match) -> bool:
    """Accept, decline, withdraw and complete as the volunteer."""
    return signed_in(user) and match.volunteer.user_id == user.pk


def is_party(user: Any, match: Match) -> bool:
    return is_match_volunteer(user, match) or can_review(user, match)


def can_withdraw_for_safeguarding(user: Any) -> bool:
    """Platform staff end any open match on a safeguarding concern (the admin's action)."""
    return signed_in(user) and bool(user.is_active and user.is_staff)


def can_decide_interest(user: Any, opportunity: Any, volunteer_user_id: int) -> bool:
    """Accept or decline a volunteer's interest request: a coordinator or admin of the role's
    organization, never the asking volunteer themself."""
    return (
        signed_in(user)
        and user.pk != volunteer_user_id
        and is_member(user, opportunity.organization_id)
    )
