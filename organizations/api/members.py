"""The team of an organization: its member list, invitations, role changes and removals.

Only members see any of it: everyone else gets a 404, even for a public organization, so the list
of who works at a helpline never leaks. Nobody is added directly: an admin invites an address and
the person accepts (``organizations.services.invitations``).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import MethodNotAllowed, PermissionDenied
from rest_framework.generics import GenericAPIView, ListAPIView, ListCreateAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from organizations import permissions
from organizations.api.serializers import (
    InvitationInputSerializer,
    InvitationSerializer,
    MembershipRoleSerializer,
    MembershipSerializer,
)
from organizations.models import Invitation, Membership, Organization
from organizations.selectors import (
    invitation_list,
    invitations_addressed_to,
    invitations_pending_for,
    membership_list,
    organizations_of_member,
)
from organizations.services import (
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_revoke,
    membership_remove,
    membership_role_change,
)
from organizations.services.invitations import ONLY_ADMINS_INVITE_MESSAGE
from organizations.services.members import ONLY_ADMINS_CHANGE_ROLES_MESSAGE

MEMBERS_JOIN_BY_INVITATION_MESSAGE = gettext_noop(
    "Members join by invitation: POST /api/v1/organizations/{id}/invitations/ with their email; "
    "they become members when they accept."
)


class _OfMyOrganization(GenericAPIView):
    """The organization named in the path, if the caller is one of its members (else 404)."""

    def get_organization(self) -> Organization:
        if not hasattr(self, "_organization"):
            self._organization = get_object_or_404(
                organizations_of_member(user=self.request.user), pk=self.kwargs["organization_pk"]
            )
        return self._organization


@extend_schema_view(
    get=extend_schema(summary="Members of an organization", description="Members only.")
)
class OrganizationMembersView(_OfMyOrganization, ListAPIView):
    serializer_class = MembershipSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Membership]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return Membership.objects.none()
        return membership_list(organization=self.get_organization())

    @extend_schema(exclude=True)
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Adding someone without their consent is gone; say where the way in is now.
        self.get_organization()
        raise MethodNotAllowed("POST", detail=gettext(MEMBERS_JOIN_BY_INVITATION_MESSAGE))


@extend_schema_view(
    patch=extend_schema(
        summary="Change a member's role",
        description="Admins only. The last admin cannot be demoted (409).",
        request=MembershipRoleSerializer,
        responses={200: MembershipSerializer},
    ),
    delete=extend_schema(
        summary="Remove a member, or leave",
        description="Admins remove anyone; a member may remove themselves. The last admin can "
        "neither leave nor be removed (409).",
        responses={204: None},
    ),
)
class OrganizationMemberView(_OfMyOrganization):
    serializer_class = MembershipSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self) -> Membership:
        return get_object_or_404(
            membership_list(organization=self.get_organization()), pk=self.kwargs["membership_pk"]
        )

    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership = self.get_object()
        if not permissions.can_manage_members(request.user, membership.organization):
            raise PermissionDenied(gettext(ONLY_ADMINS_CHANGE_ROLES_MESSAGE))
        data = MembershipRoleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = membership_role_change(
            membership=membership, actor=request.user, role=data.validated_data["role"]
        )
        return Response(MembershipSerializer(membership).data)

    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership_remove(membership=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    get=extend_schema(summary="Invitations of an organization", description="Admins only."),
    post=extend_schema(
        summary="Invite someone to the team",
        description="Admins only. A pending invitation for the address, valid for 14 days; the "
        "person becomes a member when they accept. The answer is the same whether or not the "
        "address has an account.",
        request=InvitationInputSerializer,
        responses={201: InvitationSerializer},
    ),
)
class OrganizationInvitationsView(_OfMyOrganization, ListCreateAPIView):
    serializer_class = InvitationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []
    throttle_scope = "member_add"

    def get_throttles(self) -> list:
        # Inviting address after address is bounded like adding members was.
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    def _admin_only(self) -> Organization:
        organization = self.get_organization()
        if not permissions.can_manage_members(self.request.user, organization):
            raise PermissionDenied(gettext(ONLY_ADMINS_INVITE_MESSAGE))
        return organization

    def get_queryset(self) -> QuerySet[Invitation]:
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return invitation_list(organization=self._admin_only())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organization = self._admin_only()
        data = InvitationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invitation = invitation_create(
            organization=organization, actor=request.user, **data.validated_data
        )
        return Response(InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    post=extend_schema(
        summary="Revoke an invitation",
        description="Admins only; a pending invitation only (409 otherwise).",
        request=None,
        responses={200: InvitationSerializer},
    )
)
class OrganizationInvitationRevokeView(_OfMyOrganization):
    serializer_class = InvitationSerializer
    permission_classes = [IsAuthenticated]

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organization = self.get_organization()
        invitation = get_object_or_404(
            invitation_list(organization=organization), pk=self.kwargs["invitation_pk"]
        )
        if not permissions.can_manage_members(request.user, organization):
            raise PermissionDenied(gettext(ONLY_ADMINS_INVITE_MESSAGE))
        invitation = invitation_revoke(invitation=invitation, actor=request.user)
        return Response(InvitationSerializer(invitation).data)


@extend_schema_view(
    get=extend_schema(
        summary="My pending invitations",
        description="Invitations to the caller's account email that are still open.",
    )
)
class MyInvitationsView(ListAPIView):
    serializer_class = InvitationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Invitation]:
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return invitations_pending_for(user=self.request.user, now=timezone.now())


class _MyInvitationAnswer(GenericAPIView):
    serializer_class = InvitationSerializer
    permission_classes = [IsAuthenticated]

    def get_object(self) -> Invitation:
        # Only the invitee can find it: anyone else gets the 404 of an id that names nothing.
        return get_object_or_404(
            invitations_addressed_to(user=self.request.user), pk=self.kwargs["invitation_pk"]
        )


@extend_schema_view(
    post=extend_schema(
        summary="Accept an invitation",
        description="The invitee only (404 for anyone else): they become a member with the "
        "invited role. An expired or answered invitation is a 409.",
        request=None,
        responses={201: MembershipSerializer},
    )
)
class InvitationAcceptView(_MyInvitationAnswer):
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        membership = invitation_accept(invitation=self.get_object(), user=request.user)
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    post=extend_schema(
        summary="Decline an invitation",
        description="The invitee only (404 for anyone else). An expired or answered invitation "
        "is a 409.",
        request=None,
        responses={200: InvitationSerializer},
    )
)
class InvitationDeclineView(_MyInvitationAnswer):
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        invitation = invitation_decline(invitation=self.get_object(), user=request.user)
        return Response(InvitationSerializer(invitation).data)
