"""Staff's second factor, the writes: the API's check of a code (it records the device's use,
or its failure and a failed sign-in) and enrolling a device (``manage.py totp_enroll``, the demo
seed). The rules and messages are in accounts/second_factor.py."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.second_factor import (
    DEVICE_NAME,
    INVALID_CODE,
    INVALID_MESSAGE,
    NOT_STAFF_CODE,
    NOT_STAFF_MESSAGE,
    REQUIRED_CODE,
    REQUIRED_MESSAGE,
    SETUP_REQUIRED_CODE,
    SETUP_REQUIRED_MESSAGE,
    code_failed,
    confirmed_devices,
    required_for,
)
from backend.errors import ApplicationError


def second_factor_check(*, user: Any, code: str | None, http_request: Any) -> None:
    """The API's check of a staff member's code, after the password passed. Refuses with a
    clear code: no device set up, no code sent, or a wrong (or replayed) code, the last counted
    as a failed sign-in. Returns quietly for an account that needs no second factor."""
    if not required_for(user):
        return
    devices = confirmed_devices(user)
    if not devices:
        raise ApplicationError(gettext(SETUP_REQUIRED_MESSAGE), code=SETUP_REQUIRED_CODE)
    if not code:
        raise ApplicationError(
            gettext(REQUIRED_MESSAGE),
            code=REQUIRED_CODE,
            fields={"otp": [gettext(REQUIRED_MESSAGE)]},
        )
    # Each device is tried on its own (django-otp's verify_token locks the row and records the
    # failure, so its own back-off of 1, 2, 4... seconds applies as well).
    if not any(verify_token(user, device.persistent_id, code) for device in devices):
        code_failed(user=user, http_request=http_request)
        raise ApplicationError(
            gettext(INVALID_MESSAGE), code=INVALID_CODE, fields={"otp": [gettext(INVALID_MESSAGE)]}
        )


@transaction.atomic
def user_totp_enroll(*, user: Any, key: str | None = None) -> TOTPDevice:
    """Give a staff account one confirmed TOTP device, replacing any it had (a lost phone): the
    old codes stop working at once. ``key`` (hex) is for the demo seed's fixed, demo-only key;
    otherwise a random 20-byte key. Refuses a non-staff account."""
    if not user.is_staff:
        raise ApplicationError(
            gettext(NOT_STAFF_MESSAGE).format(email=user.email), code=NOT_STAFF_CODE
        )
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice(user=user, name=DEVICE_NAME, confirmed=True)
    if key is not None:
        device.key = key
    device.full_clean()
    device.save()
    return device
