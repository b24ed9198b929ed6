"""The coordinator's match history: every match of their roles that left the queue (approved,
rejected, offered, accepted, declined, running, completed, withdrawn), newest change first, with
each step, who took it and why. Read only; the same rows and visibility as the API's match
history (``matches_for_history``, coordinators see who acted)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from matching import selectors as match_selectors
from matching.models import Match, MatchTransition
from opportunities.models import Opportunity
from organizations.membership import verified_organization_ids_of
from pages import labels
from pages.views.common import signed_in_required
from pages.views.coordinator import _reviewer_required
from placements.services import reasons as reason_codes

#: Matches per page of the history.
HISTORY_PAGE_SIZE = 25
#: Every status but "suggested" (still in the queue), in the coordinator's words.
HISTORY_STATUSES = {
    "approved": _("Approved"),
    "rejected": _("Rejected"),
    "offered": _("Offered"),
    "accepted": _("Accepted"),
    "declined": _("Declined"),
    "active": _("Active"),
    "on_hold": _("On hold"),
    "completed": _("Completed"),
    "withdrawn": _("Withdrawn"),
}
STEP_ACTORS = {"system": _("Kindred Match"), "volunteer": _("The volunteer")}
#: Reason codes a step may carry, by who gives them: the pages' translated words first.
_REASON_TABLES = (
    labels.COORDINATOR_REASONS,
    labels.VOLUNTEER_REASONS,
    reason_codes.APPROVE_REASONS,
    reason_codes.SYSTEM_REASONS,
    reason_codes.STAFF_REASONS,
    reason_codes.COMPLETE_REASONS,
)


def reason_words(code: str) -> str:
    for table in _REASON_TABLES:
        if code in table:
            return str(table[code])
    return code


def _steps(match: Match) -> list[dict[str, object]]:
    steps = []
    for step in match.transitions.all():
        if step.actor is None:
            actor = str(STEP_ACTORS["system"])
        elif step.actor_id == match.volunteer.user_id:
            actor = str(STEP_ACTORS["volunteer"])
        else:
            actor = step.actor.email
        steps.append(
            {
                "at": step.created_at,
                "status": str(HISTORY_STATUSES.get(step.to_status, step.to_status)),
                "actor": actor,
                "reason": reason_words(step.reason) if step.reason else "",
                "note": step.note,
            }
        )
    return steps


def _choice(request: HttpRequest, name: str, allowed: set[str]) -> str:
    value = request.GET.get(name, "")
    if value and value not in allowed:
        raise Http404
    return value


@signed_in_required
def match_history(request: HttpRequest) -> HttpResponse:
    _reviewer_required(request)
    organizations = verified_organization_ids_of(request.user)
    roles = Opportunity.objects.filter(organization_id__in=organizations).order_by("title")
    role = _choice(request, "role", {str(pk) for pk in roles.values_list("pk", flat=True)})
    status = _choice(request, "status", set(HISTORY_STATUSES))
    matches = (
        match_selectors.matches_for_history(request.user)
        .filter(opportunity__organization_id__in=organizations, status__in=list(HISTORY_STATUSES))
        .select_related("volunteer", "opportunity")
        .prefetch_related(
            Prefetch(
                "transitions",
                queryset=MatchTransition.objects.select_related("actor").order_by(
                    "created_at", "id"
                ),
            )
        )
        .order_by("-updated_at", "-id")
    )
    if role:
        matches = matches.filter(opportunity_id=role)
    if status:
        matches = matches.filter(status=status)
    page = Paginator(matches, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "match": match,
            "status": HISTORY_STATUSES.get(match.status, match.status),
            "steps": _steps(match),
        }
        for match in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "roles": roles,
        "statuses": list(HISTORY_STATUSES.items()),
        "chosen_role": role,
        "chosen_status": status,
        "query": "&".join(f"{k}={v}" for k, v in (("role", role), ("status", status)) if v),
    }
    return render(request, "pages/coordinator/history.html", context)
