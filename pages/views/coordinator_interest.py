"""The coordinator's "Asked by volunteers" tab of the review queue: interest requests waiting for
an answer on the roles of their verified organizations, per role, accepted or declined through
the API's services (``placements.services.interest``). Accepting approves the pair's match, which
offers the role to the volunteer, as approving a suggestion does.

A request shows the volunteer's name, their message, when they asked and the engine's reasons as
they were frozen then (the distance only as a band); nothing is computed from the volunteer's
private values when the page is read. The engine's rules were checked when they asked and are
checked again on accept.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from backend.errors import ApplicationError
from opportunities.models import Opportunity
from organizations.membership import verified_organization_ids_of
from pages import labels
from pages.views.common import signed_in_required
from placements.models import InterestStatus
from placements.selectors import interest_requests_for_coordinator
from placements.services import interest

#: Requests per page; the rest follow once these are answered.
ASKED_SIZE = 50


def _reviewer_required(request: HttpRequest) -> None:
    if not verified_organization_ids_of(request.user).exists():
        raise PermissionDenied


@signed_in_required
@require_GET
def asked_queue(request: HttpRequest) -> HttpResponse:
    _reviewer_required(request)
    roles = Opportunity.objects.filter(
        organization_id__in=verified_organization_ids_of(request.user)
    ).order_by("title")
    waiting = (
        interest_requests_for_coordinator(request.user)
        .filter(status=InterestStatus.PENDING)
        .select_related("volunteer", "opportunity__organization")
        .order_by("opportunity__title", "created_at", "id")
    )
    chosen = request.GET.get("role", "")
    if chosen:
        if not chosen.isdigit() or not roles.filter(pk=chosen).exists():
            raise Http404
        waiting = waiting.filter(opportunity_id=chosen)
    context = {
        "requests": list(waiting[:ASKED_SIZE]),
        "roles": roles,
        "chosen": chosen,
        "reasons": list(labels.COORDINATOR_REASONS.items()),
    }
    return render(request, "pages/coordinator/asked.html", context)


@signed_in_required
@require_POST
def asked_act(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept or decline one request (the button pressed: ``action``)."""
    _reviewer_required(request)
    if not interest_requests_for_coordinator(request.user).filter(pk=pk).exists():
        raise Http404
    action = request.POST.get("action", "")
    role = request.POST.get("role", "")
    back = redirect(reverse("pages:review-asked") + (f"?role={role}" if role.isdigit() else ""))
    try:
        if action == "accept":
            note = request.POST.get("note", "")[:2000]
            interest.interest_accept(interest_id=pk, actor=request.user, note=note)  # type: ignore[arg-type]
            messages.success(request, _("Accepted: the volunteer is offered the role."))
        elif action == "decline":
            reason = request.POST.get("reason", "")
            interest.interest_decline(interest_id=pk, actor=request.user, reason=reason)  # type: ignore[arg-type]
            messages.success(request, _("Declined: the volunteer is told."))
        else:
            raise Http404
    except ApplicationError as error:
        messages.error(request, error.message)
    return back
