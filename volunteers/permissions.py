"""Who may act on a volunteer profile. Small named functions, each with a test table in
tests/volunteers/test_volunteer_permissions.py. Who may *see* a profile is a queryset filter
(``selectors.profiles_verifiable_by``); these answer whether a caller who can see it may act.
A volunteer edits only their own profile, and /volunteers/me/ finds it by the caller, so that needs
no function here."""

from __future__ import annotations

from typing import Any

from organizations.membership import verified_organization_ids_of

from .models import VolunteerProfile


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def is_platform_staff(user: Any) -> bool:
    return _active(user) and bool(getattr(user, "is_staff", False))


def verifying_organization_ids(user: Any, profile: VolunteerProfile) -> list[int]:
    """The caller's organizations for which they may verify this volunteer's credentials: those
    platform staff verified, with a role the volunteer has a match on (any status: a coordinator
    sees them all). A coordinator's verification counts for that organization's roles only."""
    if not _active(user) or profile.user_id == getattr(user, "pk", None):
        return []
    return sorted(
        set(
            profile.matches.filter(
                opportunity__organization_id__in=verified_organization_ids_of(user)
            ).values_list("opportunity__organization_id", flat=True)
        )
    )


def can_verify_volunteer(user: Any, profile: VolunteerProfile) -> bool:
    """Record a background check or verify a training.

    Platform staff (the verification counts everywhere), or a coordinator or admin of a verified
    organization whose role the volunteer is matched with (it counts for that organization's
    roles). Nobody verifies their own profile, staff included: a check is only worth something
    when a second person looked at the paperwork.
    """
    if not _active(user) or profile.user_id == getattr(user, "pk", None):
        return False
    return is_platform_staff(user) or bool(verifying_organization_ids(user, profile))


def can_confirm_verification(user: Any, profile: VolunteerProfile) -> bool:
    """Confirm a coordinator's verification so it counts everywhere, or correct a date of birth:
    platform staff, never on their own profile."""
    return is_platform_staff(user) and profile.user_id != getattr(user, "pk", None)
