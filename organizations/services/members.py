"""Changing who is on an organization's team: an admin changes a member's role or removes them; a
member may leave. The last admin can neither leave, be removed nor be demoted: an organization
with no admin could no longer manage its team or its details. Joining is by invitation only
(``invitations``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from backend.errors import ConflictError, ForbiddenError
from backend.events import emit
from organizations import membership as membership_rules
from organizations.events import MemberRemoved, MemberRoleChanged
from organizations.models import Membership, Organization

ONLY_ADMINS_CHANGE_ROLES_MESSAGE = gettext_noop(
    "Only the organization's admins can change a member's role."
)
ONLY_ADMINS_REMOVE_MESSAGE = gettext_noop(
    "Only the organization's admins can remove other members."
)
LAST_ADMIN_MESSAGE = gettext_noop(
    "An organization needs at least one admin: make someone else an admin first."
)


def _lock_team(organization_id: int) -> None:
    # The organization row is the team's lock: two admins demoting each other at once cannot
    # both pass the last-admin check.
    Organization.objects.select_for_update().filter(pk=organization_id).first()


def _refuse_losing_the_last_admin(membership: Membership) -> None:
    if membership.role != Membership.Role.ADMIN:
        return
    others = (
        Membership.objects.filter(
            organization_id=membership.organization_id, role=Membership.Role.ADMIN
        )
        .exclude(pk=membership.pk)
        .exists()
    )
    if not others:
        raise ConflictError(gettext(LAST_ADMIN_MESSAGE))


def membership_role_change(*, membership: Membership, actor: Any, role: str) -> Membership:
    if not membership_rules.is_admin(actor, membership.organization_id):
        raise ForbiddenError(gettext(ONLY_ADMINS_CHANGE_ROLES_MESSAGE))
    with transaction.atomic():
        _lock_team(membership.organization_id)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        previous = membership.role
        if previous == role:
            return membership
        if role != Membership.Role.ADMIN:
            _refuse_losing_the_last_admin(membership)
        membership.role = role
        membership.full_clean(validate_unique=False)
        membership.save(update_fields=["role", "updated_at"])
        emit(
            MemberRoleChanged(
                actor_id=actor.pk,
                organization_id=membership.organization_id,
                user_id=membership.user_id,
                role=role,
                previous_role=previous,
            )
        )
    return membership


def membership_remove(*, membership: Membership, actor: Any) -> None:
    """An admin removes anyone; any member may remove themselves (leave)."""
    leaving = membership.user_id == getattr(actor, "pk", None)
    if not leaving and not membership_rules.is_admin(actor, membership.organization_id):
        raise ForbiddenError(gettext(ONLY_ADMINS_REMOVE_MESSAGE))
    with transaction.atomic():
        _lock_team(membership.organization_id)
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        _refuse_losing_the_last_admin(membership)
        removed = (membership.organization_id, membership.user_id, membership.role)
        membership.delete()
        emit(
            MemberRemoved(
                actor_id=actor.pk,
                organization_id=removed[0],
                user_id=removed[1],
                role=removed[2],
                left=leaving,
            )
        )
