"""Who may see which organization and its members: queryset filters, so anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from organizations import membership
from organizations.models import Membership, Organization, OrganizationQuerySet

#: The status of a role the world may read (opportunities' ``Opportunity.Status.PUBLISHED``; named
#: here as the value the lookup compares, since organizations sit below opportunities).
_PUBLISHED = "published"


def organizations_of_member(*, user: Any) -> OrganizationQuerySet:
    """The caller's own organizations (none for anonymous callers)."""
    return Organization.objects.filter(id__in=membership.organization_ids_of(user))


def organization_list_visible(*, user: Any) -> OrganizationQuerySet:
    """The caller's own organizations plus every organization with a published role.

    An organization that posts a published role is public information (its name is on the role);
    one that has only drafts is known to its members alone, so everyone else gets a 404.
    Subqueries rather than joins: no duplicates, so no DISTINCT to fight ordering and paging.
    """
    public = Q(id__in=Organization.objects.filter(opportunities__status=_PUBLISHED).values("id"))
    return Organization.objects.filter(public | Q(id__in=membership.organization_ids_of(user)))


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user")
