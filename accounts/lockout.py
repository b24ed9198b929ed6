"""Lockout after repeated failed sign-ins (django-axes), on the API token endpoint and the admin
login alike: ``AXES_FAILURE_LIMIT`` failures (5) for one account or from one address lock it for
``AXES_COOLOFF_TIME`` (30 minutes), then the lock expires by itself.

Settings point here (backend/settings/base.py): the backend, the username and the 429 answer.
"""

from __future__ import annotations

import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop

LOCKED_OUT_CODE = "locked_out"
LOCKED_OUT_TEMPLATE = "accounts/locked_out.html"
LOCKED_OUT_MESSAGE = gettext_noop(
    "Too many failed sign-in attempts for this account or from this address. Signing in is "
    "paused for {minutes} minutes; try again after that, or reset your password."
)


class RequestLockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out account or address before any password is checked. A sign-in through
    HTTP always passes its request (the token service, the admin's login form); a call without one
    (the shell, a management command) cannot be counted against an address and is not checked."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def attempted_username(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The account an attempt was for, normalised like sign-in does: the API sends ``email``, the
    admin's login form ``username`` (it is the email: ``User.USERNAME_FIELD``)."""
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        value = source.get("email") or source.get("username")
        if value:
            return str(value).strip().lower()
    return None


def cool_off_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def locked_out_message() -> str:
    return gettext(LOCKED_OUT_MESSAGE).format(minutes=math.ceil(cool_off_seconds() / 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """429 with ``Retry-After``: the one JSON error shape for the API, plain text for the admin,
    a page for the pages' sign-in form."""
    message = locked_out_message()
    if request.path.startswith("/api/"):
        body = {"error": {"code": LOCKED_OUT_CODE, "message": message, "fields": {}}}
        response: HttpResponse = JsonResponse(body, status=429)
    elif request.path.startswith("/admin/"):
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    else:
        # The pages' sign-in: a page a person reads, with the same message.
        response = render(request, LOCKED_OUT_TEMPLATE, {"message": message}, status=429)
    response["Retry-After"] = str(cool_off_seconds())
    return response
