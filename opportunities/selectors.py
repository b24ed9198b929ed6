"""Who may see which role: a queryset filter, so a role the caller may not see is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from opportunities.models import Opportunity, OpportunityQuerySet
from organizations.membership import organization_ids_of, signed_in


def opportunity_list_visible(*, user: Any) -> OpportunityQuerySet:
    """Published roles for everyone; drafts and closed roles only for their organization.

    A subquery rather than a join: no duplicate rows, so no DISTINCT to fight the distance
    annotation, ordering and paging.
    """
    if not signed_in(user):
        return Opportunity.objects.published()
    return Opportunity.objects.filter(
        Q(status=Opportunity.Status.PUBLISHED) | Q(organization_id__in=organization_ids_of(user))
    )
