"""Organization staff's pages: create an organization (pending until platform staff verify it),
see its roles and their fill, post a role, publish and close it. Input is checked by the API's own
serializers; the writes are the API's services, with the API's permission rules."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from backend.errors import ApplicationError
from matching.models import MatchStatus
from opportunities import permissions
from opportunities.api.serializers import OpportunityInputSerializer
from opportunities.models import Opportunity
from opportunities.services import opportunity_close, opportunity_create, opportunity_publish
from organizations.api.serializers import OrganizationInputSerializer
from organizations.models import Organization
from organizations.selectors import organizations_of_member
from organizations.services.organizations import organization_create
from pages import labels
from pages.views.common import signed_in_required, validated
from placements.states import COMMITTED_STATUSES
from taxonomy.availability import DAYS, PARTS_OF_DAY
from taxonomy.models import Cause, Skill

ORGANIZATION_FIELDS = ("name", "description", "website", "contact_email", "postcode")
ROLE_TEXT_FIELDS = ("title", "description", "postcode", "address", "hours_per_week", "capacity")
ROLE_DATE_FIELDS = ("starts_on", "ends_on")
ROLE_LISTS = ("causes", "required_skills", "availability")


def _errors_of(error: ApplicationError) -> dict[str, list[str]]:
    found = {name: [str(m) for m in msgs] for name, msgs in (error.fields or {}).items()}
    return found or {"__all__": [error.message]}


@signed_in_required
def my_organizations(request: HttpRequest) -> HttpResponse:
    organizations = organizations_of_member(user=request.user).order_by("name")
    context = {"organizations": organizations}
    return render(request, "pages/organization/list.html", context)


@signed_in_required
@require_http_methods(["GET", "POST"])
def organization_new(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        sent = {name: request.POST.get(name, "").strip() for name in ORGANIZATION_FIELDS}
        data, errors = validated(OrganizationInputSerializer, sent)
        if data is not None:
            try:
                organization = organization_create(creator=request.user, **data)
            except ApplicationError as error:
                errors = _errors_of(error)
            else:
                messages.success(
                    request,
                    _("Your organization is created and waits for platform staff to verify it."),
                )
                return redirect("pages:organization", pk=organization.pk)
    context = {"errors": errors, "sent": request.POST}
    status = 400 if errors else 200
    return render(request, "pages/organization/new.html", context, status=status)


def _my_organization(request: HttpRequest, pk: int) -> Organization:
    # The API's rule: an organization's private page is for its members; others find nothing.
    organization = organizations_of_member(user=request.user).filter(pk=pk).first()
    if organization is None:
        raise Http404
    return organization


@signed_in_required
def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _my_organization(request, pk)
    roles = organization.opportunities.annotate(
        filled=Count("matches", filter=Q(matches__status__in=list(COMMITTED_STATUSES))),
        waiting=Count("matches", filter=Q(matches__status=MatchStatus.SUGGESTED)),
    ).order_by("status", "title")
    context = {"organization": organization, "roles": roles}
    return render(request, "pages/organization/detail.html", context)


def _role_input(post: QueryDict, organization: Organization) -> dict[str, Any]:
    """What the form sent, shaped as the API's POST body."""
    data: dict[str, Any] = {"organization": organization.pk, "mode": post.get("mode", "")}
    for name in ROLE_TEXT_FIELDS:
        value = post.get(name, "").strip()
        if value or name in ("description", "postcode", "address"):
            data[name] = value
    for name in ROLE_DATE_FIELDS:
        data[name] = post.get(name) or None
    for name in ROLE_LISTS:
        data[name] = post.getlist(name)
    data["hide_address"] = "hide_address" in post
    return data


@signed_in_required
@require_http_methods(["GET", "POST"])
def role_new(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _my_organization(request, pk)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        data, errors = validated(
            OpportunityInputSerializer,
            _role_input(request.POST, organization),
            context={"request": request},
        )
        if data is not None:
            try:
                opportunity_create(**data, actor=request.user)
            except ApplicationError as error:
                errors = _errors_of(error)
            else:
                messages.success(request, _("The role is saved as a draft. Publish it when ready."))
                return redirect("pages:organization", pk=organization.pk)
    context = {
        "organization": organization,
        "errors": errors,
        "sent": request.POST,
        "chosen": {name: set(request.POST.getlist(name)) for name in ROLE_LISTS},
        "causes": Cause.objects.all(),
        "skills": Skill.objects.all(),
        "modes": list(labels.MODES.items()),
        "days": [(day, labels.DAYS[day]) for day in DAYS],
        "parts": [(part, labels.PARTS_OF_DAY[part]) for part in PARTS_OF_DAY],
    }
    status = 400 if errors else 200
    return render(request, "pages/organization/role_new.html", context, status=status)


def _my_role(request: HttpRequest, pk: int, allowed: Any) -> Opportunity:
    role = (
        Opportunity.objects.filter(organization__in=organizations_of_member(user=request.user))
        .filter(pk=pk)
        .first()
    )
    if role is None:
        raise Http404
    if not allowed(request.user, role):
        raise PermissionDenied
    return role


@signed_in_required
@require_POST
def role_publish(request: HttpRequest, pk: int) -> HttpResponse:
    role = _my_role(request, pk, permissions.can_publish_opportunity)
    try:
        opportunity_publish(opportunity=role, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Published: volunteers can find the role now."))
    return redirect("pages:organization", pk=role.organization_id)


@signed_in_required
@require_POST
def role_close(request: HttpRequest, pk: int) -> HttpResponse:
    role = _my_role(request, pk, permissions.can_close_opportunity)
    try:
        opportunity_close(opportunity=role, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Closed: the role is no longer shown."))
    return redirect("pages:organization", pk=role.organization_id)
