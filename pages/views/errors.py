"""The error pages a person sees (backend/urls.py names them as Django's handlers). With
DJANGO_DEBUG off they replace Django's plain ones; the API keeps its JSON errors."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "pages/errors/400.html", status=400)


@requires_csrf_token
def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "pages/errors/403.html", status=403)


@requires_csrf_token
def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return render(request, "pages/errors/404.html", status=404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors' data: whatever failed may be what they read (the user, the session).
    return render(request, "pages/errors/500.html", {"plain": True}, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "pages/errors/403_csrf.html", status=403)
