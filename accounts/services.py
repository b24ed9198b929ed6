"""Writes about accounts. Creating a volunteer account is
``volunteers.services.registration.volunteer_register`` (it creates the profile too); this module
hands out API tokens."""

from __future__ import annotations

from typing import Any

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
