"""Pages for everyone: the home page, the browse and search page of published roles, a role."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from backend.places import postcode_coordinates
from opportunities.filters import OpportunityFilter
from opportunities.models import Opportunity
from opportunities.selectors import opportunity_list_visible
from organizations.membership import member_roles
from pages.forms import RoleSearchForm
from placements.models import MESSAGE_MAX_LENGTH, InterestStatus
from placements.selectors import interest_requests_for_volunteer

#: Roles per page of the browse list (the API's page size is the client's choice).
PAGE_SIZE = 20
_PREFETCH = ("causes", "required_skills", "preferred_skills", "languages", "required_trainings")


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html")


def _published(request: HttpRequest):  # type: ignore[no-untyped-def]
    # The API's visibility rule, then published only: the browse page lists what anyone may apply
    # for, never a member's own drafts.
    return (
        opportunity_list_visible(user=request.user)
        .filter(status=Opportunity.Status.PUBLISHED)
        .select_related("organization")
        .prefetch_related(*_PREFETCH)
    )


def roles(request: HttpRequest) -> HttpResponse:
    """Published roles of verified organizations, filtered with the API's own role filters
    (opportunities/filters.py); a ZIP code becomes the API's ``near``."""
    form = RoleSearchForm(request.GET or None)
    queryset = _published(request)
    status = 200
    if form.is_bound:
        if form.is_valid():
            queryset, status = _filtered(form, queryset)
        else:
            status = 400
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    # htmx asks for the results only (django-htmx's request.htmx): the same template's partial.
    htmx = bool(getattr(request, "htmx", False))
    template = "pages/roles.html#results" if htmx else "pages/roles.html"
    return render(request, template, context, status=status)


def _filtered(form: RoleSearchForm, queryset):  # type: ignore[no-untyped-def]
    data = form.cleaned_data
    params: dict[str, str] = {}
    for name in ("q", "mode"):
        if data.get(name):
            params[name] = data[name]
    for name in ("cause", "skill"):
        if data.get(name) is not None:
            params[name] = data[name].slug
    if data.get("postcode"):
        place = postcode_coordinates(data["postcode"])
        if place is None:
            form.add_error("postcode", _("We could not find that ZIP code. Check it, or clear it."))
            return queryset.none(), 400
        params["near"] = f"{place[0]},{place[1]}"
        params["include_remote"] = "true" if data.get("include_remote") else "false"
        for radius in ("radius_km", "radius_mi"):  # the form has the deployment's unit's
            if data.get(radius) is not None:
                params[radius] = str(data[radius])
    role_filter = OpportunityFilter(data=params, queryset=queryset)
    if not role_filter.is_valid():
        for name, messages in role_filter.errors.items():
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
        return queryset.none(), 400
    return role_filter.qs, 200


def role_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = _published(request).filter(pk=pk).first()
    if opportunity is None:
        raise Http404
    # As the API: a hidden address is for the posting organization's members only.
    address_shown = not opportunity.hide_address or (
        opportunity.organization_id in member_roles(request.user)
    )
    context = {
        "role": opportunity,
        "address_shown": address_shown,
        # The "I'm interested" form (pages/views/volunteer_roles.py): whether one is waiting.
        "asked": set(
            interest_requests_for_volunteer(request.user)
            .filter(opportunity=opportunity, status=InterestStatus.PENDING)
            .values_list("opportunity_id", flat=True)
        ),
        "message_max": MESSAGE_MAX_LENGTH,
    }
    return render(request, "pages/role_detail.html", context)
