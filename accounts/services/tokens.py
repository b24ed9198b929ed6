"""API tokens: issued at sign-in, one per device or client (django-rest-knox's token, swapped for
``accounts.DeviceToken``), listed and revoked by their owner."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate

from accounts.models import DeviceToken
from backend.errors import ApplicationError

INVALID_CREDENTIALS_MESSAGE = "That email address and password do not match an active account."


DEFAULT_TOKEN_NAME = "API client"  # noqa: S105  (a label, not a secret)


def user_token_issue(
    *, user: Any, name: str = DEFAULT_TOKEN_NAME, user_agent: str = ""
) -> tuple[DeviceToken, str]:
    """A new device token for ``user``: the stored row (a digest) and the secret, shown once."""
    return DeviceToken.objects.create(user=user, name=name[:100], user_agent=user_agent[:200])


def user_token_obtain(
    *, email: str, password: str, request: Any = None, name: str = DEFAULT_TOKEN_NAME
) -> tuple[DeviceToken, str]:
    """A new API token for the caller's device. One message for an unknown address, a wrong
    password and a deactivated account, so the answer does not reveal which accounts exist."""
    # django-axes counts the attempt and flags a lockout on the HttpRequest itself (a DRF Request
    # wraps it); AxesMiddleware then answers 429 (accounts/lockout.py).
    http_request = getattr(request, "_request", request)
    user = authenticate(http_request, email=email.strip().lower(), password=password)
    if user is None:
        raise ApplicationError(INVALID_CREDENTIALS_MESSAGE, code="invalid_credentials")
    user_agent = ""
    if http_request is not None:
        user_agent = http_request.META.get("HTTP_USER_AGENT", "")
    return user_token_issue(user=user, name=name, user_agent=user_agent)


def user_tokens_revoke_all(*, user: Any) -> int:
    """Revoke every API token of ``user`` (a password change or reset, sign out everywhere); the
    number revoked."""
    deleted, _ = DeviceToken.objects.filter(user=user).delete()
    return deleted
