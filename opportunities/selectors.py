"""Who may see which role: a queryset filter, so a role the caller may not see is a 404."""

from __future__ import annotations

from collections.abc import Iterable
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
    prefetch of the relation gives), read as plain values: one small query per relation and no
    model instances (a prefetch built a few hundred of them for a page of 20 roles)."""
    ids = list(opportunity_ids)
    found: dict[int, dict[str, list[str]]] = {
        pk: {name: [] for name in REFERENCE_LISTS} for pk in ids
    }
    if not ids:
        return found
    for name, key in REFERENCE_LISTS.items():
        relation = getattr(Opportunity, name)
        target = relation.field.m2m_reverse_field_name()
        ordering = [
            f"-{target}__{term[1:]}" if term.startswith("-") else f"{target}__{term}"
            for term in relation.field.related_model._meta.ordering
        ]
        rows = (
            relation.through.objects.filter(opportunity_id__in=ids)
            .order_by(*ordering)
            .values_list("opportunity_id", f"{target}__{key}")
        )
        for pk, value in rows:
            found[pk][name].append(value)
    return found
