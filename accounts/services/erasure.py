"""Erasing an account's own row: what stays is a row that names nobody."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django_otp import devices_for_user

from accounts.models import DeviceToken

#: django-axes' tables of sign-in attempts, keyed by the address typed.
SIGN_IN_RECORDS = (AccessAttempt, AccessFailureLog, AccessLog)


def sign_in_records(*, user: Any) -> list[dict[str, Any]]:
    """The account's recorded sign-ins and failed attempts (django-axes), oldest first: when, from
    which address and browser, and whether it was refused."""
    records = []
    for model in SIGN_IN_RECORDS:
        for row in model.objects.filter(username__iexact=user.email).order_by("pk"):
            time = getattr(row, "attempt_time", None)
            records.append(
                {
                    "kind": model._meta.model_name,
                    "at": time.isoformat() if time else None,
                    "ip_address": row.ip_address,
                    "user_agent": row.user_agent,
                    "failures": getattr(row, "failures_since_start", None),
                }
            )
    return records


def erased_email(user: Any) -> str:
    """A unique address that is no address: ``.invalid`` is reserved (RFC 2606)."""
    return f"erased-{user.pk}@invalid"


def user_erase(*, user: Any) -> None:
    """Erase an account's personal fields, in the caller's transaction: a unique non-address for
    the email, no names, an unusable password, deactivated, every API token deleted. The row stays
    so that what the account did (audit entries, match history) keeps pointing at something."""
    DeviceToken.objects.filter(user=user).delete()
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    # django-axes keys its sign-in records by the address typed (with the client's IP and
    # browser): they name the person, so they go with the account.
    for model in SIGN_IN_RECORDS:
        model.objects.filter(username__iexact=user.email).delete()
    user.email = erased_email(user)
    user.first_name = ""
    user.last_name = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "first_name", "last_name", "is_active", "password"])
