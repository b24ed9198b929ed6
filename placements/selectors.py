"""Who may see which interest request: queryset filters used by the pages and the API alike.
Anything outside them answers 404, so nobody learns that someone else's request exists.

* a volunteer sees their own requests, whatever their status;
* a coordinator or admin sees the requests for the roles of their own organizations while
  platform staff have verified the organization (as with matches: matching/selectors.py).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from organizations.membership import signed_in, verified_organization_ids_of
from placements.models import InterestRequest


def interest_requests_for_volunteer(user: Any) -> QuerySet[InterestRequest]:
    if not signed_in(user):
        return InterestRequest.objects.none()
    return InterestRequest.objects.filter(volunteer__user=user)


def interest_requests_for_coordinator(user: Any) -> QuerySet[InterestRequest]:
    if not signed_in(user):
        return InterestRequest.objects.none()
    return InterestRequest.objects.filter(
        opportunity__organization_id__in=verified_organization_ids_of(user)
    ).exclude(volunteer__user=user)
