"""Who may act on an organization. Who may *see* one is a queryset filter (``selectors``).

Membership answers almost every rule. Platform staff have one power here: they verify or refuse
organizations (and read the decisions, as the organization's admins may).
"""

from __future__ import annotations

from typing import Any

from organizations import membership
from organizations.models import Organization


def is_platform_staff(user: Any) -> bool:
    return (
        membership.signed_in(user)
        and bool(getattr(user, "is_staff", False))
        and bool(getattr(user, "is_active", False))
    )


def can_edit_organization(user: Any, organization: Organization) -> bool:
    return membership.is_admin(user, organization.pk)


def can_manage_members(user: Any, organization: Organization) -> bool:
    """Invite, revoke invitations, change roles and remove others: the admins."""
    return membership.is_admin(user, organization.pk)


def can_decide_verification(user: Any, organization: Organization) -> bool:
    return is_platform_staff(user)


def can_read_verifications(user: Any, organization: Organization) -> bool:
    return is_platform_staff(user) or membership.is_admin(user, organization.pk)
