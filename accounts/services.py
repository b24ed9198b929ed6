"""Writes about accounts. Creating a volunteer account is
``volunteers.services.registration.volunteer_register`` (it creates the profile too); this module
hands out API tokens."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import authenticate
from rest_framework.authtoken.models import Token

from backend.errors import ApplicationError

INVALID_CREDENTIALS_MESSAGE = "That email address and password do not match an active account."


def user_token_obtain(*, email: str, password: str, request: Any = None) -> Token:
    """The caller's API token, created on first sign-in. One message for an unknown address, a
    wrong password and a deactivated account, so the answer does not reveal which accounts exist."""
    # django-axes counts the attempt and flags a lockout on the HttpRequest itself (a DRF Request
    # wraps it); AxesMiddleware then answers 429 (accounts/lockout.py).
    http_request = getattr(request, "_request", request)
    user = authenticate(http_request, email=email.strip().lower(), password=password)
    if user is None:
        raise ApplicationError(INVALID_CREDENTIALS_MESSAGE, code="invalid_credentials")
    token, _ = Token.objects.get_or_create(user=user)
    return token


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
    Token.objects.filter(user=user).delete()
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
