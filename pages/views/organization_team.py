"""An organization's team on the pages: its admins see the members and pending invitations,
invite by email, revoke an invitation, change a member's role or remove them; the invitee sees
their pending invitations and accepts or declines. Input is checked by the API's serializers, the
writes are the API's services (``invitation_create``, ``membership_role_change``...), and their
refusals (the last admin, an address already invited) are shown as they word them. Inviting is
within the API's ``member_add`` budget."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.errors import ApplicationError
from organizations import permissions
from organizations.api.serializers import InvitationInputSerializer, MembershipRoleSerializer
from organizations.models import Invitation, Membership, Organization
from organizations.selectors import (
    invitation_list,
    invitations_addressed_to,
    invitations_pending_for,
    membership_list,
    organizations_of_member,
)
from organizations.services.invitations import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_revoke,
)
from organizations.services.members import membership_remove, membership_role_change
from pages.views.common import signed_in_required, validated, within_budget

TOO_MANY_INVITATIONS_MESSAGE = gettext_lazy(
    "Too many invitations from you just now; wait a while and try again."
)
ROLES = [
    (Membership.Role.ADMIN, gettext_lazy("Admin")),
    (Membership.Role.COORDINATOR, gettext_lazy("Coordinator")),
]


def _managed(request: HttpRequest, pk: int) -> Organization:
    """An organization the caller administers: 404 for a non-member, 403 for a coordinator."""
    organization = organizations_of_member(user=request.user).filter(pk=pk).first()
    if organization is None:
        raise Http404
    if not permissions.can_manage_members(request.user, organization):
        raise PermissionDenied
    return organization


def _team_page(
    request: HttpRequest,
    organization: Organization,
    *,
    errors: dict[str, list[str]] | None = None,
) -> HttpResponse:
    context = {
        "organization": organization,
        "members": membership_list(organization=organization).order_by("role", "user__email"),
        "invitations": invitation_list(organization=organization)
        .filter(status=Invitation.Status.PENDING)
        .order_by("email"),
        "roles": ROLES,
        "errors": errors or {},
        "sent": request.POST,
        "now": timezone.now(),
    }
    status = 400 if errors else 200
    return render(request, "pages/organization/team.html", context, status=status)


@signed_in_required
def team(request: HttpRequest, pk: int) -> HttpResponse:
    return _team_page(request, _managed(request, pk))


@signed_in_required
@require_POST
def invitation_new(request: HttpRequest, pk: int) -> HttpResponse:
    organization = _managed(request, pk)
    if not within_budget(request, "member_add"):
        return _team_page(
            request, organization, errors={"email": [str(TOO_MANY_INVITATIONS_MESSAGE)]}
        )
    body = {"email": request.POST.get("email", "").strip()}
    if request.POST.get("role"):
        body["role"] = request.POST["role"]  # else the serializer's default, a coordinator
    data, errors = validated(InvitationInputSerializer, body)
    if data is not None:
        try:
            invitation_create(organization=organization, actor=request.user, **data)
        except ApplicationError as error:
            errors = {k: [str(m) for m in v] for k, v in (error.fields or {}).items()}
            errors = errors or {"email": [error.message]}
        else:
            messages.success(
                request,
                _("%(email)s is invited. They join once they accept, signed in with that address.")
                % {"email": data["email"]},
            )
            return redirect("pages:team", pk=organization.pk)
    return _team_page(request, organization, errors=errors)


@signed_in_required
@require_POST
def invitation_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.filter(organization__in=organizations_of_member(user=request.user)),
        pk=pk,
    )
    try:
        invitation_revoke(invitation=invitation, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation is revoked."))
    return redirect("pages:team", pk=invitation.organization_id)


def _membership(request: HttpRequest, pk: int) -> Membership:
    # A membership of an organization the caller is not in is not found.
    return get_object_or_404(
        Membership.objects.filter(organization__in=organizations_of_member(user=request.user)),
        pk=pk,
    )


@signed_in_required
@require_POST
def member_role(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    data, errors = validated(MembershipRoleSerializer, {"role": request.POST.get("role", "")})
    if data is None:
        messages.error(request, " ".join(m for found in errors.values() for m in found))
        return redirect("pages:team", pk=membership.organization_id)
    try:
        membership_role_change(membership=membership, actor=request.user, role=data["role"])
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The role is changed."))
    return redirect("pages:team", pk=membership.organization_id)


@signed_in_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request, pk)
    organization_id = membership.organization_id
    leaving = membership.user_id == request.user.pk
    try:
        membership_remove(membership=membership, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("pages:team", pk=organization_id)
    if leaving:
        messages.success(request, _("You left the organization."))
        return redirect("pages:organizations")
    messages.success(request, _("The member is removed."))
    return redirect("pages:team", pk=organization_id)


@signed_in_required
def my_invitations(request: HttpRequest) -> HttpResponse:
    pending = invitations_pending_for(user=request.user, now=timezone.now()).order_by("created_at")
    return render(request, "pages/organization/invitations.html", {"invitations": pending})


def _answer(request: HttpRequest, pk: int, *, accept: bool) -> HttpResponse:
    # Only the invitee finds it: anyone else gets the 404 of an id that names nothing.
    invitation = get_object_or_404(invitations_addressed_to(user=request.user), pk=pk)
    try:
        if accept:
            invitation_accept(invitation=invitation, user=request.user)
        else:
            invitation_decline(invitation=invitation, user=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("pages:invitations")
    if accept:
        messages.success(
            request, _("You joined %(name)s.") % {"name": invitation.organization.name}
        )
        return redirect("pages:organization", pk=invitation.organization_id)
    messages.success(request, _("The invitation is declined."))
    return redirect("pages:invitations")


@signed_in_required
@require_POST
def invitation_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, accept=True)


@signed_in_required
@require_POST
def invitation_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(request, pk, accept=False)
