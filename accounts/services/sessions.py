"""Signing in to the pages: a browser session (with CSRF) instead of an API token, through the same
checks as ``user_token_obtain``: the lockout backend (django-axes counts every failure), the one
message for any refusal, and a staff member's second factor."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.utils.translation import gettext
from django_otp import login as otp_login

from accounts.second_factor import confirmed_devices, required_for
from accounts.services.second_factor import second_factor_check
from accounts.services.tokens import INVALID_CREDENTIALS_MESSAGE
from backend.errors import ApplicationError


def user_session_sign_in(*, request: Any, email: str, password: str, otp: str | None = None) -> Any:
    """Sign ``request``'s browser in; the user. Refuses like the token endpoint does, so the two
    ways in cannot be told apart by what they reveal."""
    user = authenticate(request, email=email.strip().lower(), password=password)
    if user is None:
        raise ApplicationError(gettext(INVALID_CREDENTIALS_MESSAGE), code="invalid_credentials")
    second_factor_check(user=user, code=otp, http_request=request)
    # A new session key on sign-in (Django's login rotates it), so a fixed one cannot be reused.
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if required_for(user):
        # The code passed above: mark the session verified, as the admin's OTP form does.
        otp_login(request, confirmed_devices(user)[0])
    return user


def user_session_sign_out(*, request: Any) -> None:
    """End the browser's session (API tokens on other devices stay)."""
    logout(request)
