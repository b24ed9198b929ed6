"""The pages' Content-Security-Policy: the project's self-only policy, with inline styles refused
too. The admin and Swagger UI write style attributes, so the shared policy allows them
(backend/settings/base.py); nothing under the pages needs one (pages/static/pages/site.css)."""

from __future__ import annotations

from collections.abc import Callable

from csp.constants import SELF
from django.http import HttpRequest, HttpResponseBase

#: Paths that keep the shared policy: the admin, the API and its Swagger UI.
_SHARED_POLICY_PREFIXES = ("/admin/", "/api/")


class PagesStyleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not request.path.startswith(_SHARED_POLICY_PREFIXES):
            # Read by django-csp's middleware, which runs after this one on the way out.
            response._csp_replace = {"style-src": [SELF]}  # type: ignore[attr-defined]
        return response
