"""Staff's second factor in tests: a device, its current code, and a Django test client signed in
to the admin the way a member of staff is after the login form (password and code)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services.second_factor import user_totp_enroll


def totp_device(user: Any) -> TOTPDevice:
    """A confirmed TOTP device for a staff account (``manage.py totp_enroll`` does the same)."""
    return user_totp_enroll(user=user)


def current_code(device: TOTPDevice) -> str:
    """The code the member of staff's authenticator app shows now (on the clock time-machine
    may have moved)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def staff_login(client: Client, user: Any) -> TOTPDevice:
    """``client.force_login(user)`` plus a passed second factor, as the admin's login form leaves
    the session (django-otp keeps the device's id in it)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device
