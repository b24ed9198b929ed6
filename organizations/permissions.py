"""Who may act on an organization. Who may *see* one is a queryset filter (``selectors``).

Platform staff get no special powers through the API: they moderate (and set ``verified``) in the
Django admin, which keeps every API rule answerable by membership alone.
"""

from __future__ import annotations

from typing import Any

from organizations import membership
from organizations.models import Organization


def can_edit_organization(user: Any, organization: Organization) -> bool:
    return membership.is_admin(user, organization.pk)


def can_add_member(user: Any, organization: Organization) -> bool:
    return membership.is_admin(user, organization.pk)
