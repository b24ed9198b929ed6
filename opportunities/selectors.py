"""Who may see which role: a queryset filter, so a role the caller may not see is a 404."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q

from backend.related_lists import related_lists
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


#: A role's lists of reference data as the API shows them: relation -> the key each item is shown
#: by (skill slugs, ISO language codes).
REFERENCE_LISTS = {
    "causes": "slug",
    "required_skills": "slug",
    "preferred_skills": "slug",
    "languages": "code",
    "required_trainings": "slug",
}


def opportunity_reference_keys(opportunity_ids: Iterable[int]) -> dict[int, dict[str, list[str]]]:
    """{role id: {relation: [keys]}} for these roles, each list in its model's order (what a
    prefetch of the relation gives), in one query (backend/related_lists.py): the five prefetches
    of a page of 20 roles built a few hundred model instances, and even five ORM queries of plain
    values cost a fifth of a browse's CPU time to build."""
    return related_lists(Opportunity, _REFERENCE_FIELDS, opportunity_ids)


_REFERENCE_FIELDS = tuple((name, (key,)) for name, key in REFERENCE_LISTS.items())
