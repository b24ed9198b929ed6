"""The coordinator's pages. The review queue: suggestions for their roles with scores, reasons and what is
missing, approved or rejected one by one or in bulk. The rows are the API's review rows
(``ReviewMatchSerializer``: what a coordinator may see, lived experience only where the role values
it, each read logged); approving and rejecting are the API's transition and bulk services, bulk
within the API's per-organization budget. Hours to verify: the API's hours list and its verify
service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from backend.errors import ApplicationError
from backend.throttles import PerOrganizationThrottle
from engagement import selectors as hours_selectors
from engagement.models import Rating
from engagement.services import hours_log_verify, hours_totals_csv
from matching import selectors as match_selectors
from matching.models import MatchStatus
from opportunities.models import Opportunity
from organizations.membership import member_roles, verified_organization_ids_of
from pages import labels
from pages.views.common import signed_in_required, validated
from placements.api.serializers import BulkInput
from placements.services import bulk, transitions
from suggestions import selectors
from suggestions.api.serializers import ReviewMatchSerializer
from suggestions.services import access_log

#: Rows per page of the queue; the rest follow once these are reviewed.
QUEUE_SIZE = 50


class _BulkBudget:
    """The API's bulk-review budget (backend/throttles.py), so the page is no way around it."""

    throttle_scope = "bulk_review"
    throttle_organizations = staticmethod(member_roles)


def _reviewer_required(request: HttpRequest) -> None:
    if not verified_organization_ids_of(request.user).exists():
        raise PermissionDenied


@signed_in_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _reviewer_required(request)
    roles = Opportunity.objects.filter(
        organization_id__in=verified_organization_ids_of(request.user)
    ).order_by("title")
    queue = selectors.review_queue_for(request.user).select_related("opportunity__organization")
    queue = queue.filter(status=MatchStatus.SUGGESTED).order_by("-score", "id")
    chosen = request.GET.get("role", "")
    if chosen:
        if not chosen.isdigit() or not roles.filter(pk=chosen).exists():
            raise Http404
        queue = queue.filter(opportunity_id=chosen)
    matches = list(queue[:QUEUE_SIZE])
    rows = ReviewMatchSerializer(
        matches, many=True, context={"request": request, "today": timezone.localdate()}
    ).data
    access_log.lived_experience_reads_record(actor=request.user, matches=matches)
    context = {
        "rows": rows,
        "roles": roles,
        "chosen": chosen,
        "reasons": list(labels.COORDINATOR_REASONS.items()),
    }
    return render(request, "pages/coordinator/review_queue.html", context)


@signed_in_required
@require_POST
def review_act(request: HttpRequest) -> HttpResponse:
    _reviewer_required(request)
    reason = request.POST.get("reason", "")
    note = request.POST.get("note", "")[:2000]
    role = request.POST.get("role", "")
    back = redirect(reverse("pages:review") + (f"?role={role}" if role.isdigit() else ""))
    one = request.POST.get("one", "")
    if one:
        action, _sep, match_id = one.partition(":")
        if action not in ("approve", "reject") or not match_id.isdigit():
            raise Http404
        _single(request, action=action, match_id=int(match_id), reason=reason, note=note)
        return back
    sent = {
        "ids": request.POST.getlist("ids"),
        "action": request.POST.get("action", ""),
        "reason": reason,
        "note": note,
    }
    data, _errors = validated(BulkInput, sent)  # the API's bounds: ids, action, reason, note
    if data is None:
        messages.error(request, _("Tick at least one volunteer and choose approve or reject."))
        return back
    if not PerOrganizationThrottle().allow_request(request, _BulkBudget()):
        messages.error(
            request,
            _(
                "Your organization reviewed many suggestions at once just now; try again in a while."
            ),
        )
        return back
    results = bulk.matches_bulk_review(actor=request.user, **data)  # type: ignore[arg-type]
    done = [r for r in results if r.status == 200]
    refused = [r for r in results if r.status != 200]
    if done:
        count = len(done)
        words = ngettext("%(count)d suggestion reviewed.", "%(count)d suggestions reviewed.", count)
        messages.success(request, words % {"count": count})
    for result in refused:
        messages.error(request, result.message)
    return back


def _single(request: HttpRequest, *, action: str, match_id: int, reason: str, note: str) -> Any:
    # Visibility first, as the API's single-match address: someone else's match is a 404.
    if not selectors.review_queue_for(request.user).filter(pk=match_id).exists():
        raise Http404
    try:
        if action == "approve":
            transitions.match_approve(match_id=match_id, actor=request.user, note=note)  # type: ignore[arg-type]
            messages.success(request, _("Approved: the volunteer is offered the role."))
        else:
            transitions.match_reject(
                match_id=match_id,
                actor=request.user,  # type: ignore[arg-type]
                reason=reason,
                note=note,
            )
            messages.success(request, _("Rejected."))
    except ApplicationError as error:
        messages.error(request, error.message)


@signed_in_required
def hours_to_verify(request: HttpRequest) -> HttpResponse:
    """Hours volunteers logged on the coordinator's roles, not yet verified, oldest first."""
    _reviewer_required(request)
    logs = (
        hours_selectors.hours_for_coordinator(request.user)
        .filter(verified_at__isnull=True)
        .select_related("match__volunteer", "match__opportunity")
        .order_by("date", "id")[:QUEUE_SIZE]
    )
    # Completed roles whose volunteer the organization has not rated yet (account_ratings.py).
    to_rate = (
        match_selectors.matches_for_coordinator(request.user)
        .filter(status=MatchStatus.COMPLETED)
        .exclude(ratings__side=Rating.Side.ORGANIZATION)
        .exclude(volunteer__user_id=request.user.pk or 0)  # their own, rated as its volunteer
        .select_related("volunteer", "opportunity")
        .order_by("-updated_at", "-id")[:QUEUE_SIZE]
    )
    context = {"logs": logs, "to_rate": to_rate}
    return render(request, "pages/coordinator/hours.html", context)


#: The totals a coordinator can download: per volunteer or per role (the API's ``by``).
HOURS_CSV_BY = ("volunteer", "role")


@signed_in_required
def hours_csv(request: HttpRequest) -> HttpResponse:
    """The API's hours/totals.csv for the signed-in browser: the same selector and service."""
    _reviewer_required(request)
    by = request.GET.get("by", "volunteer")
    if by not in HOURS_CSV_BY:
        messages.error(request, _("Choose totals per volunteer or per role."))
        return redirect("pages:hours")
    logs = hours_selectors.hours_for_coordinator(request.user)
    response = HttpResponse(hours_totals_csv(logs, by=by), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hours-by-{by}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@signed_in_required
@require_POST
def hours_verify(request: HttpRequest, pk: int) -> HttpResponse:
    _reviewer_required(request)
    log = hours_selectors.hours_for_coordinator(request.user).filter(pk=pk).first()
    if log is None:
        raise Http404
    try:
        hours_log_verify(log_id=log.pk, actor=request.user)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Hours verified."))
    return redirect("pages:hours")
