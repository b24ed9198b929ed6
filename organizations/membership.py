"""Is this user a member of this organization, and in which role: the one place that answers it.

Every "who may see" (selectors) and "who may act" (permissions) rule that depends on membership asks
here, so the answer for an anonymous caller, an inactive account or a removed member is the same
everywhere. Admins and coordinators review and run matches alike; admins also manage the
organization and its members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from organizations.models import Membership


def signed_in(user: Any) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def organization_ids_of(user: Any) -> QuerySet[Membership, Any]:
    """The caller's organizations as a subquery of ids (empty for anonymous callers), for
    ``organization_id__in=`` filters: no join, so no duplicate rows and no DISTINCT."""
    if not signed_in(user):
        return Membership.objects.none().values("organization_id")
    return Membership.objects.filter(user=user).values("organization_id")


def verified_organization_ids_of(user: Any) -> QuerySet[Membership, Any]:
    """``organization_ids_of`` kept to the organizations platform staff verified: the only ones
    whose members may see anything about a volunteer (suggestions, matches, hours)."""
    return organization_ids_of(user).filter(organization__verification_status="verified")


def member_roles(user: Any) -> dict[int, str]:
    """organization id -> role, for the caller's memberships (empty for anonymous callers)."""
    if not signed_in(user):
        return {}
    return dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))


def membership_role(user: Any, organization_id: int) -> str | None:
    """The caller's role in the organization, or None for outsiders and anonymous callers."""
    if not signed_in(user):
        return None
    return (
        Membership.objects.filter(user=user, organization_id=organization_id)
        .values_list("role", flat=True)
        .first()
    )


def is_member(user: Any, organization_id: int) -> bool:
    return membership_role(user, organization_id) is not None


def is_admin(user: Any, organization_id: int) -> bool:
    return membership_role(user, organization_id) == Membership.Role.ADMIN


def belongs_to_an_organization(user: Any) -> bool:
    return signed_in(user) and Membership.objects.filter(user=user).exists()


def active_members_of(organization_ids: Iterable[int]) -> dict[int, list[Any]]:
    """organization id -> its members who can still sign in (those who hear about its matches),
    for many organizations in one query."""
    members: dict[int, list[Any]] = defaultdict(list)
    for membership in (
        Membership.objects.filter(organization_id__in=list(organization_ids))
        .select_related("user")
        .order_by("id")
    ):
        if membership.user.is_active:
            members[membership.organization_id].append(membership.user)
    return members


def active_members(organization_id: int) -> list[Any]:
    """``active_members_of`` for one organization."""
    return active_members_of([organization_id]).get(organization_id, [])
