"""How the API knows who is calling: a device token (django-rest-knox, ``Authorization: Token
<secret>``) or the browser's session. Both record the account's activity (accounts/activity.py)
for the retention sweep; a session counts for a staff member only once they passed their second
factor (accounts/second_factor.py), and a staff token is issued only after it."""

from __future__ import annotations

from typing import Any

from knox.auth import TokenAuthentication
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request

from accounts import activity, second_factor


class DeviceTokenAuthentication(TokenAuthentication):
    """knox's token check (digest compare, expired tokens deleted and refused with 401), then the
    token's and the account's last use recorded."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is not None:
            user, token = result
            activity.token_used(token)
            activity.account_seen(user)
        return result


class SecondFactorSessionAuthentication(SessionAuthentication):
    """Django's session (with CSRF); a staff member's session only once they passed their second
    factor, otherwise the request is anonymous."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, _ = result
        if not second_factor.session_passes(request._request, user):
            return None
        activity.account_seen(user)
        return result
