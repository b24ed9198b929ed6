"""Ratings on the pages: once a role is completed, the volunteer rates the role (from My roles)
and a coordinator of the role's organization rates the volunteer (from the hours page). Who may
rate which side, once, only when completed: the API's ``rating_leave`` decides; input is checked
by the API's ``RatingInput`` (1 to 5, a comment up to 2,000 characters)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.errors import ApplicationError
from engagement.api.serializers import RatingInput
from engagement.services import rating_leave
from matching import selectors
from pages.views.common import signed_in_required, validated, volunteer_required


def _rate(request: HttpRequest, match_id: int, back: str) -> HttpResponse:
    data, _errors = validated(RatingInput, request.POST)
    if data is None:
        messages.error(request, _("Choose a score from 1 to 5 (the comment is optional)."))
        return redirect(back)
    try:
        rating_leave(match_id=match_id, actor=request.user, **data)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Thank you: your rating is saved."))
    return redirect(back)


@volunteer_required
@require_POST
def volunteer_rates_role(request: HttpRequest, pk: int) -> HttpResponse:
    # The API's filter: a match the caller never held is a 404 here too.
    match = get_object_or_404(selectors.matches_for_volunteer(request.user), pk=pk)
    return _rate(request, match.pk, "pages:my-roles")


@signed_in_required
@require_POST
def coordinator_rates_volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(selectors.matches_for_coordinator(request.user), pk=pk)
    return _rate(request, match.pk, "pages:hours")
