"""Who may act on a volunteer profile. Small named functions, each with a test table in
tests/volunteers/test_volunteer_permissions.py. Who may *see* a profile is a queryset filter
(``selectors.profiles_verifiable_by``); these answer whether a caller who can see it may act.
A volunteer edits only their own profile, and /volunteers/me/ finds it by the caller, so that needs
no function here."""

from __future__ import annotations

from .models import VolunteerProfile


def can_verify_volunteer(user: object, profile: VolunteerProfile) -> bool:
    """Record a background check or verify a training.

    Platform staff only for now; coordinators of an organization the volunteer is matched with will
    join in the match-verification issue. Nobody verifies their own profile, staff included: a
    check is only worth something when a second person looked at the paperwork.
    """
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if profile.user_id == getattr(user, "pk", None):
        return False
    return bool(getattr(user, "is_staff", False))
