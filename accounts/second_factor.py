"""Staff accounts need a second factor: a TOTP device (django-otp) confirmed for the account.

The admin is django-otp's ``OTPAdminSite`` (a code on its login form; accounts/admin_site.py);
the API gives a staff member a token only with a valid code (accounts/services/tokens.py), and
counts a staff session only once its second factor passed (accounts/authentication.py). The
writes (the API's check of a code, enrolling a device) are in accounts/services/second_factor.py.
``STAFF_SECOND_FACTOR_REQUIRED`` (default on) turns the rule off for a deployment that enforces it
elsewhere.

A wrong code counts as a failed sign-in for django-axes (accounts/lockout.py), like a wrong
password: five of them lock the account and the address for the cool-off, so guessing codes (one
in a million each, with a password already known) stops where guessing passwords does.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice

SETUP_REQUIRED_CODE = "second_factor_setup_required"
SETUP_REQUIRED_MESSAGE = gettext_noop(
    "Staff accounts sign in with a second factor (a code from an authenticator app), and this "
    "account has none set up yet. Ask another member of staff to add one in the admin, or run "
    "`manage.py totp_enroll <email>` on the server."
)
REQUIRED_CODE = "second_factor_required"
REQUIRED_MESSAGE = gettext_noop(
    "Staff accounts need the 6-digit code from their authenticator app as well: send it as `otp`."
)
INVALID_CODE = "second_factor_invalid"
INVALID_MESSAGE = gettext_noop(
    "That code is not valid. Codes change every 30 seconds and each one works once: enter the "
    "current one (after several wrong codes, wait a few seconds first)."
)
#: The name of the device ``user_totp_enroll`` makes (one per account: enrolling replaces it).
DEVICE_NAME = "Authenticator app"
NOT_STAFF_CODE = "not_staff"
NOT_STAFF_MESSAGE = gettext_noop(
    "{email} is not a staff account; only staff sign in with a second factor."
)


def required_for(user: Any) -> bool:
    return bool(settings.STAFF_SECOND_FACTOR_REQUIRED and getattr(user, "is_staff", False))


def session_passes(http_request: Any, user: Any) -> bool:
    """Whether a signed-in session counts: always for non-staff; for staff once django-otp's
    middleware marked the session verified."""
    if not required_for(user):
        return True
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def confirmed_devices(user: Any) -> list[TOTPDevice]:
    return list(TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("pk"))


def code_failed(*, user: Any, http_request: Any) -> None:
    """Count a wrong code as a failed sign-in (django-axes listens to Django's signal); on the
    limit axes marks the request locked out and its middleware answers 429."""
    user_login_failed.send(sender=__name__, credentials={"email": user.email}, request=http_request)
