"""Who may act on an organization. Who may *see* one is a queryset filter (``selectors``).

Platform staff get no special powers through the API: they moderate (and set ``verified``) in the
Django admin, which keeps every API rule answerable by membership alone.
"""

from __future__ import annotations

from typing import Any

from organizations.models import Membership, Organization


def membership_role(user: Any, organization: Organization) -> str | None:
    """The caller's role in the organization, or None for outsiders and anonymous callers."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.filter(user=user, organization=organization)
        .values_list("role", flat=True)
        .first()
    )


def is_member(user: Any, organization: Organization) -> bool:
    return membership_role(user, organization) is not None


def is_admin(user: Any, organization: Organization) -> bool:
    return membership_role(user, organization) == Membership.Role.ADMIN


def can_edit_organization(user: Any, organization: Organization) -> bool:
    return is_admin(user, organization)


def can_view_members(user: Any, organization: Organization) -> bool:
    return is_member(user, organization)


def can_add_member(user: Any, organization: Organization) -> bool:
    return is_admin(user, organization)
