"""Staff accounts need a second factor: a TOTP device (django-otp) confirmed for the account.

The admin is django-otp's ``OTPAdminSite`` (a code on its login form); the API gives a staff
member a token only with a valid code (accounts/services), and counts a staff session only once
its second factor passed (accounts/authentication.py). ``STAFF_SECOND_FACTOR_REQUIRED`` (default
on) turns the rule off for a deployment that enforces it elsewhere."""

from __future__ import annotations

from typing import Any

from django.conf import settings


def required_for(user: Any) -> bool:
    return bool(settings.STAFF_SECOND_FACTOR_REQUIRED and getattr(user, "is_staff", False))


def session_passes(http_request: Any, user: Any) -> bool:
    """Whether a signed-in session counts: always for non-staff; for staff once django-otp's
    middleware marked the session verified."""
    if not required_for(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
