"""Throttles per organization for expensive actions (starting a full matching run, bulk review).

A coordinator's limit is their organization's: the history of a scope is kept per organization in
the shared cache (backend/settings CACHES), so the team shares one budget whichever member, token
or worker process the requests come through. A request counts against every organization the
caller acts for and is refused (429, with ``Retry-After``) when any of them is at its rate. A
caller with no organization (platform staff) has a budget of their own.

The view names its scope (``throttle_scope``, rates in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``)
and how to find the caller's organizations: ``throttle_organizations(user) -> iterable of ids``
(backend/ imports no app, so the view hands over ``organizations.membership``'s answer).
"""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import ScopedRateThrottle


class PerOrganizationThrottle(ScopedRateThrottle):
    """``ScopedRateThrottle`` keyed by organization instead of by user or address."""

    cache_format = "throttle_%(scope)s_%(ident)s"

    def __init__(self) -> None:
        super().__init__()
        self._histories: list[tuple[str, list[float]]] = []

    def allow_request(self, request: Any, view: Any) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        num_requests, duration = self.parse_rate(self.rate)
        if num_requests is None or duration is None:  # no rate for the scope: unthrottled
            return True
        self.num_requests, self.duration = num_requests, duration
        self.now = self.timer()
        self._histories = []
        for ident in self.idents(request, view):
            key = self.cache_format % {"scope": self.scope, "ident": ident}
            history = [t for t in self.cache.get(key, []) if t > self.now - duration]
            self._histories.append((key, history))
        full = [history for _, history in self._histories if len(history) >= num_requests]
        if full:
            # The wait is the longest one: every organization must have room again.
            self.history = max(full, key=lambda history: history[-1])
            return self.throttle_failure()
        for key, history in self._histories:
            history.insert(0, self.now)
            self.cache.set(key, history, duration)
        return True

    def idents(self, request: Any, view: Any) -> list[str]:
        user = request.user
        organizations = sorted(view.throttle_organizations(user)) if user.is_authenticated else []
        if organizations:
            return [f"org-{organization_id}" for organization_id in organizations]
        if user.is_authenticated:
            return [f"user-{user.pk}"]
        return [f"address-{self.get_ident(request)}"]
