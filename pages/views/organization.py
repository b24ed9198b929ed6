"""Organization staff's pages: create an organization (pending until platform staff verify it)
and see its roles and their fill. The role pages are in ``organization_roles``, the team's in
``organization_team``. Input is checked by the API's own serializers; the writes are the API's
services, with the API's permission rules."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backend.errors import ApplicationError
from matching.models import MatchStatus
from organizations.api.serializers import OrganizationInputSerializer
from organizations.models import Organization
from organizations.permissions import can_manage_members
from organizations.selectors import organizations_of_member
from organizations.services.organizations import organization_create
from pages.views.common import signed_in_required, validated
from placements.states import COMMITTED_STATUSES

ORGANIZATION_FIELDS = ("name", "description", "website", "contact_email", "postcode")


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
    context = {
        "organization": organization,
        "roles": roles,
        "is_admin": can_manage_members(request.user, organization),
    }
    return render(request, "pages/organization/detail.html", context)
