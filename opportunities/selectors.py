"""Who may see which role: a queryset filter, so a role the caller may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from opportunities.models import Opportunity, OpportunityQuerySet
from organizations.membership import organization_ids_of, signed_in
from organizations.models import VerificationStatus

_VERIFIED = VerificationStatus.VERIFIED


def opportunity_list_visible(*, user: Any) -> OpportunityQuerySet:
    """Published roles of verified organizations for everyone; drafts and closed roles (and a
    role whose organization is not verified) only for their organization.

    A subquery rather than a join: no duplicate rows, so no DISTINCT to fight the distance
    annotation, ordering and paging.
    """
    public = Q(status=Opportunity.Status.PUBLISHED, organization__verification_status=_VERIFIED)
    if not signed_in(user):
        return Opportunity.objects.filter(public)
    return Opportunity.objects.filter(public | Q(organization_id__in=organization_ids_of(user)))
