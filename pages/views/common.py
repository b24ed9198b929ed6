"""What every page view shares: input checked by the API's own serializers (so a page and the API
refuse the same things with the same messages), and the audience checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from rest_framework import serializers
from rest_framework.throttling import ScopedRateThrottle

from volunteers.models import VolunteerProfile

View = Callable[..., HttpResponseBase]


def validated(
    serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any
) -> tuple[dict[str, Any] | None, dict[str, list[str]]]:
    """The serializer's validated data, or None and its messages per field."""
    serializer = serializer_class(data=data, **kwargs)
    if serializer.is_valid():
        return dict(serializer.validated_data), {}
    return None, {
        name: [str(message) for message in _flat(messages)]
        for name, messages in serializer.errors.items()
    }


def _flat(messages: Any) -> list[Any]:
    if isinstance(messages, dict):
        return [m for value in messages.values() for m in _flat(value)]
    if isinstance(messages, list):
        return [m for value in messages for m in _flat(value)]
    return [messages]


def signed_in_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), "pages:sign-in")
        return view(request, *args, **kwargs)

    return wrapped


def volunteer_required(view: View) -> View:
    """Signed in, with a volunteer profile (an organization-only account has none: 403)."""

    @signed_in_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not VolunteerProfile.objects.filter(user_id=request.user.pk or 0).exists():
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class _Scope:
    def __init__(self, scope: str) -> None:
        self.throttle_scope = scope


def within_budget(request: HttpRequest, scope: str) -> bool:
    """Whether the request fits the API's rate for ``scope`` (``DEFAULT_THROTTLE_RATES``), counted
    in the same shared cache as the API's requests: a page is no way around an API budget."""
    return ScopedRateThrottle().allow_request(request, _Scope(scope))  # type: ignore[arg-type]
