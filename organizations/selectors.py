"""Reads that decide what a caller may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from opportunities.models import Opportunity
from organizations.models import Membership, Organization, OrganizationQuerySet


def member_roles(*, user: Any) -> dict[int, str]:
    """organization id -> role, for the caller's memberships (empty for anonymous callers)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    return dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))


def organization_list_visible(*, user: Any) -> OrganizationQuerySet:
    """The caller's own organizations plus every organization with a published role.

    An organization that posts a published role is public information (its name is on the role);
    one that has only drafts is known to its members alone, so everyone else gets a 404.
    Subqueries rather than joins: no duplicates, so no DISTINCT to fight ordering and paging.
    """
    public = Q(id__in=Opportunity.objects.published().values("organization_id"))
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.filter(public)
    own = Q(id__in=Membership.objects.filter(user=user).values("organization_id"))
    return Organization.objects.filter(public | own)


def membership_list(*, organization: Organization):
    return Membership.objects.filter(organization=organization).select_related("user")
