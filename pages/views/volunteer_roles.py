""" "Roles for you" and "I'm interested": the roles a volunteer is eligible for, ranked by the
engine (``suggestions.roles_for_volunteer``), and their interest requests, made and withdrawn
through the API's services (``placements.services.interest``).

The "I'm interested" form is a plain POST that works without JavaScript (the answer is a redirect
back with a message, or the page again with the refusal tied to the message field); with htmx
the form alone is swapped for its new state.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from backend.errors import ApplicationError, NotFoundError
from opportunities.models import Opportunity
from pages.views.common import volunteer_required
from placements.models import MESSAGE_MAX_LENGTH, InterestStatus
from placements.selectors import interest_requests_for_volunteer
from placements.services import interest
from suggestions import roles_for_volunteer as selection
from volunteers.selectors import volunteer_profile_of

#: What to do about what keeps the list empty or short (``selection.missing``), with the
#: profile step that fixes it.
TO_DO = {
    selection.PAUSED: (
        gettext_lazy(
            "Your profile is paused, so no new roles are shown. Resume it in your profile's “When” step when you are ready."
        ),
        "time",
    ),
    selection.FULLY_COMMITTED: (
        gettext_lazy(
            "You already hold as many roles as you asked for. To take on another, raise the number in your profile's “When” step."
        ),
        "time",
    ),
    selection.NO_MODES: (
        gettext_lazy(
            "Say how you can volunteer (in person, remote, phone) in your profile's “Where and how” step."
        ),
        "place",
    ),
    selection.NO_PLACE: (
        gettext_lazy(
            "Add your ZIP code in your profile's “Where and how” step to see roles near you."
        ),
        "place",
    ),
    selection.NO_TIMES: (
        gettext_lazy(
            "Tick the times you are free in your profile's “When” step: most roles meet at set times."
        ),
        "time",
    ),
}


def _asked(request: HttpRequest) -> set[int]:
    """Roles the volunteer has a request waiting for."""
    return set(
        interest_requests_for_volunteer(request.user)
        .filter(status=InterestStatus.PENDING)
        .values_list("opportunity_id", flat=True)
    )


def _page(
    request: HttpRequest,
    *,
    errors: dict[int, str] | None = None,
    sent: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    profile = volunteer_profile_of(user=request.user)
    found = selection.roles_for_volunteer(profile=profile)
    context = {
        "profile": profile,
        "roles": found.roles,
        "to_do": [(TO_DO[code][0], TO_DO[code][1]) for code in found.missing],
        "asked": _asked(request),
        "errors": errors or {},
        "sent": sent or {},
        "message_max": MESSAGE_MAX_LENGTH,
    }
    return render(request, "pages/volunteer/roles_for_you.html", context, status=status)


@volunteer_required
@require_GET
def roles_for_you(request: HttpRequest) -> HttpResponse:
    return _page(request)


#: The form's hidden ``from``: the page it was sent from, where the answer goes back to.
FROM_LIST = "roles-for-you"


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    if request.POST.get("from") == FROM_LIST:
        return redirect("pages:roles-for-you")
    return redirect("pages:role", pk=pk)


def _form(
    request: HttpRequest, role: Any, *, error: str = "", message: str = "", status: int = 200
) -> HttpResponse:
    context = {
        "role": role,
        "asked": _asked(request),
        "errors": {role.pk: error} if error else {},
        "sent": {role.pk: message} if message else {},
        "origin": request.POST.get("from", ""),
        "message_max": MESSAGE_MAX_LENGTH,
    }
    return render(
        request, "pages/volunteer/roles_for_you.html#interest_form", context, status=status
    )


@volunteer_required
@require_POST
def interest_express(request: HttpRequest, pk: int) -> HttpResponse:
    """The "I'm interested" button of a role, on Roles for you and on the role's page."""
    message = request.POST.get("message", "")
    htmx = bool(getattr(request, "htmx", False))
    try:
        interest.interest_express(actor=request.user, opportunity_id=pk, message=message)  # type: ignore[arg-type]
    except NotFoundError as missing:
        raise Http404 from missing
    except ApplicationError as error:
        words = " ".join(error.fields.get("message", [])) or error.message
        status = 400 if "message" in error.fields else 409
        role = get_object_or_404(Opportunity, pk=pk, status=Opportunity.Status.PUBLISHED)
        if htmx:
            # 200: htmx swaps no 4xx answer (its responseHandling), and the form must show why.
            return _form(request, role, error=words, message=message)
        if request.POST.get("from") == FROM_LIST:
            return _page(request, errors={pk: words}, sent={pk: message}, status=status)
        messages.error(request, words)
        return _back(request, pk)
    if htmx:
        role = get_object_or_404(Opportunity, pk=pk)
        return _form(request, role)
    messages.success(
        request, _("Your interest is sent: the role's coordinator will answer you on My roles.")
    )
    return _back(request, pk)


@volunteer_required
@require_POST
def interest_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Take back a request still waiting for an answer (from My roles)."""
    mine = get_object_or_404(interest_requests_for_volunteer(request.user), pk=pk)
    try:
        interest.interest_withdraw(interest_id=mine.pk, actor=request.user)  # type: ignore[arg-type]
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your request is withdrawn."))
    return redirect("pages:my-roles")
