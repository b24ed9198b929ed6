"""Who may see which organization and its members: queryset filters, so anything else is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from organizations import membership
from organizations.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationQuerySet,
    OrganizationVerification,
    VerificationStatus,
)

#: The status of a role the world may read (opportunities' ``Opportunity.Status.PUBLISHED``; named
#: here as the value the lookup compares, since organizations sit below opportunities).
_PUBLISHED = "published"


def organizations_of_member(*, user: Any) -> OrganizationQuerySet:
    """The caller's own organizations (none for anonymous callers)."""
    return Organization.objects.filter(id__in=membership.organization_ids_of(user))


def organization_list_visible(*, user: Any) -> OrganizationQuerySet:
    """The caller's own organizations plus every verified organization with a published role;
    platform staff see every organization, pending ones included, to verify or refuse them.

    An organization that posts a published role is public information (its name is on the role);
    one that has only drafts is known to its members alone, so everyone else gets a 404.
    Subqueries rather than joins: no duplicates, so no DISTINCT to fight ordering and paging.
    """
    if membership.signed_in(user) and user.is_staff and user.is_active:
        return Organization.objects.all()
    public = Q(
        id__in=Organization.objects.filter(
            verification_status=VerificationStatus.VERIFIED, opportunities__status=_PUBLISHED
        ).values("id")
    )
    return Organization.objects.filter(public | Q(id__in=membership.organization_ids_of(user)))


def membership_list(*, organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user")


def verification_list(*, organization: Organization) -> QuerySet[OrganizationVerification]:
    return OrganizationVerification.objects.filter(organization=organization).select_related(
        "decided_by"
    )


def invitation_list(*, organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organization=organization).select_related("organization")


def invitations_addressed_to(*, user: Any) -> QuerySet[Invitation]:
    """Every invitation to the caller's account email (any status, so answering an old one is a
    409, not a 404); none for anonymous callers."""
    if not membership.signed_in(user) or not user.email:
        return Invitation.objects.none()
    return Invitation.objects.filter(email__iexact=user.email).select_related("organization")


def invitations_pending_for(*, user: Any, now: Any) -> QuerySet[Invitation]:
    return invitations_addressed_to(user=user).filter(
        status=Invitation.Status.PENDING, expires_at__gt=now
    )
