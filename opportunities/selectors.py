"""Who may see which role: a queryset filter, so a role the caller may not see is a 404."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from django.db import connection
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
    prefetch of the relation gives), read as plain values in one query: the five prefetches of a
    page of 20 roles built a few hundred model instances, and even five ORM queries of plain
    values cost a fifth of a browse's CPU time to build."""
    ids = [int(pk) for pk in opportunity_ids]
    found: dict[int, dict[str, list[str]]] = {
        pk: {name: [] for name in REFERENCE_LISTS} for pk in ids
    }
    if not ids:
        return found
    marks = ", ".join(["%s"] * len(ids))
    names = list(REFERENCE_LISTS)
    with connection.cursor() as cursor:
        cursor.execute(_reference_keys_sql().format(ids=marks), ids * len(names))
        for kind, pk, value, _position in cursor.fetchall():
            found[pk][names[kind]].append(value)
    return found


@cache
def _reference_keys_sql() -> str:
    """One UNION ALL branch per relation: (relation's index, role id, key, its position in the
    related model's ``Meta.ordering``), ordered by relation and position. ``{ids}`` stands for
    the roles' placeholders."""
    branches = []
    for kind, (name, key) in enumerate(REFERENCE_LISTS.items()):
        field = getattr(Opportunity, name).field
        related = field.related_model._meta
        through = field.remote_field.through._meta.db_table
        order = ", ".join(
            f"r.{related.get_field(term.lstrip('-')).column}"
            + (" DESC" if term.startswith("-") else "")
            for term in related.ordering
        )
        # Names from the models' metadata only; the ids are placeholders.
        branches.append(
            f"SELECT {kind} AS kind, t.{field.m2m_column_name()} AS opportunity_id, "  # noqa: S608
            f"r.{related.get_field(key).column} AS item, "
            f"ROW_NUMBER() OVER (ORDER BY {order}) AS position "
            f"FROM {through} t JOIN {related.db_table} r "
            f"ON r.{related.pk.column} = t.{field.m2m_reverse_name()} "
            f"WHERE t.{field.m2m_column_name()} IN ({{ids}})"
        )
    return " UNION ALL ".join(branches) + " ORDER BY kind, position"
