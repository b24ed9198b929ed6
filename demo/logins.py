"""The demo logins: four accounts sharing one printed password, and Jordan's complete profile. The
staff login also has a second factor with a fixed, demo-only key (printed by ``make run``)."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services.second_factor import user_totp_enroll
from demo.specs import TrainingSpec, VolunteerSpec, add_months
from organizations.models import Membership, Organization

DEFAULT_PASSWORD = "kindred-demo-2026"

VOLUNTEER_LOGIN = "volunteer@demo.kindred"
COORDINATOR_LOGIN = "coordinator@demo.kindred"
ADMIN_LOGIN = "admin@demo.kindred"
STAFF_LOGIN = "staff@demo.kindred"
#: The demo staff login's TOTP secret, base32 as authenticator apps and ``oathtool`` take it. Demo
#: only: it is printed for anyone running the demo, so it protects nothing. A real staff account
#: gets a random key (``manage.py totp_enroll <email>``).
STAFF_TOTP_SECRET = "KINDREDMATCHDEMOSTAFFSECONDFACTR"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    first_name: str
    last_name: str


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("volunteer", VOLUNTEER_LOGIN, "Jordan", "Rivera"),
    DemoLogin("coordinator", COORDINATOR_LOGIN, "Sam", "Okafor"),
    DemoLogin("org admin", ADMIN_LOGIN, "Alex", "Chen"),
    DemoLogin("platform staff", STAFF_LOGIN, "Robin", "Staff"),
)


def demo_volunteer_spec(*, today: dt.date) -> VolunteerSpec:
    """Jordan, the demo volunteer: every section of the profile filled in, so the demo shows it all."""
    mhfa_done = today - dt.timedelta(days=200)
    peer_done = today - dt.timedelta(days=420)
    cleared = today - dt.timedelta(days=90)
    return VolunteerSpec(
        email=VOLUNTEER_LOGIN,
        first_name="Jordan",
        last_name="Rivera",
        display_name="Jordan Rivera",
        bio="I moved to Washington Heights five years ago and want to give back. Friends say I'm a "
        "patient listener; I'm happiest one-to-one or in small groups, in English or Spanish.",
        postcode="10032",
        latitude=40.8390,
        longitude=-73.9415,
        max_travel_km=8.0,
        modes=("in_person", "remote", "phone", "hybrid"),
        availability=(
            "tue-evening",
            "wed-evening",
            "thu-evening",
            "sat-morning",
            "sat-afternoon",
            "sun-morning",
        ),
        max_hours_per_week=Decimal("5"),
        max_commitments=2,
        date_of_birth=add_months(today, -12 * 34) - dt.timedelta(days=40),
        background_check_status="cleared",
        background_check_cleared_on=cleared,
        background_check_expires_on=add_months(cleared, 36),
        lived_experience="I went through a long period of anxiety and depression in college; a peer "
        "support group got me through it.",
        share_lived_experience=True,
        skills=(
            "active-listening",
            "peer-support",
            "group-facilitation",
            "befriending",
            "translation",
        ),
        causes=("mental-health", "loneliness", "lgbtq"),
        languages=("en", "es"),
        trainings=(
            TrainingSpec("mhfa", mhfa_done, add_months(mhfa_done, 36), verified=True),
            TrainingSpec("peer-support-training", peer_done, None, verified=True),
        ),
    )


def ensure_logins(password: str, demo_organizations: Sequence[Organization]) -> None:
    """The four demo accounts exist, have ``password``, and hold their roles (a few rows: no bulk)."""
    User = get_user_model()
    # One hash for the four accounts: they share the password anyway, and Argon2 spends 0.4 s per
    # hash by design, which was half of a whole seeding run.
    encoded = make_password(password)
    users = {}
    for login in DEMO_LOGINS:
        user = User.objects.filter(email=login.email).first() or User(email=login.email)
        user.first_name, user.last_name = login.first_name, login.last_name
        user.is_active = True
        if login.email == STAFF_LOGIN:
            user.is_staff = user.is_superuser = True
        user.password = encoded
        user.save()
        users[login.email] = user
    ensure_staff_second_factor(users[STAFF_LOGIN])
    for organization in demo_organizations:
        for email, role in (
            (COORDINATOR_LOGIN, Membership.Role.COORDINATOR),
            (ADMIN_LOGIN, Membership.Role.ADMIN),
        ):
            Membership.objects.update_or_create(
                user=users[email], organization=organization, defaults={"role": role}
            )


def staff_totp_key_hex() -> str:
    return base64.b32decode(STAFF_TOTP_SECRET).hex()


def ensure_staff_second_factor(staff: Any) -> TOTPDevice:
    """The demo staff login has one confirmed TOTP device with the demo key (kept when it already
    has it, so seeding twice does not reset the device's record of codes used)."""
    devices = list(TOTPDevice.objects.filter(user=staff, confirmed=True))
    if len(devices) == 1 and devices[0].key == staff_totp_key_hex():
        return devices[0]
    return user_totp_enroll(user=staff, key=staff_totp_key_hex())


def staff_second_factor_help() -> str:
    """What ``make run`` prints so the demo staff login can sign in to the admin and the API."""
    device = TOTPDevice.objects.filter(user__email=STAFF_LOGIN, confirmed=True).first()
    if device is None:
        return ""
    return "\n".join(
        [
            f"Second factor of {STAFF_LOGIN} (demo-only key; staff need a code to sign in):",
            f"  otpauth URI  {device.config_url}",
            f"  a code now   oathtool --totp -b {STAFF_TOTP_SECRET}",
            '  API          POST /api/v1/auth/token/ with "otp": "<the 6-digit code>"',
        ]
    )
