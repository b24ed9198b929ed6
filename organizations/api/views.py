"""Organizations API: thin views that validate input, call one service, and format the answer.

Visibility (404) is the queryset; the right to act (403) is a named permission function.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import ListCreateAPIView
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from organizations import permissions
from organizations.api.serializers import (
    MembershipInputSerializer,
    MembershipSerializer,
    OrganizationInputSerializer,
    OrganizationSerializer,
)
from organizations.membership import member_roles
from organizations.models import Membership, Organization
from organizations.selectors import (
    membership_list,
    organization_list_visible,
    organizations_of_member,
)
from organizations.services import membership_add, organization_create, organization_update

ONLY_ADMINS_EDIT_MESSAGE = "Only the organization's admins can change its details."
ONLY_ADMINS_ADD_MEMBERS_MESSAGE = "Only the organization's admins can add members."


class OrganizationFilter(django_filters.FilterSet):
    mine = django_filters.BooleanFilter(
        method="filter_mine", label="Only organizations the caller belongs to."
    )

    class Meta:
        model = Organization
        fields = ["verification_status"]

    def filter_mine(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        user = self.request.user if self.request else None
        return queryset.filter(id__in=organizations_of_member(user=user).values("id"))


@extend_schema_view(
    list=extend_schema(
        summary="Organizations the caller can see",
        description="The caller's own organizations and every organization with a published "
        "role. `mine=true` keeps only the caller's own.",
    ),
    create=extend_schema(
        request=OrganizationInputSerializer,
        responses={201: OrganizationSerializer},
        description="Create an organization; the caller becomes its admin.",
    ),
    partial_update=extend_schema(
        request=OrganizationInputSerializer, description="Admins only; `verified` is read-only."
    ),
)
class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OrganizationSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Organization]:
        return organization_list_visible(user=self.request.user)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["roles"] = member_roles(self.request.user)
        return context

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = OrganizationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organization = organization_create(creator=request.user, **data.validated_data)
        body = self.get_serializer(organization).data
        return Response(body, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organization = self.get_object()
        if not permissions.can_edit_organization(request.user, organization):
            raise PermissionDenied(ONLY_ADMINS_EDIT_MESSAGE)
        data = OrganizationInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        organization = organization_update(
            organization=organization, data=data.validated_data, actor=request.user
        )
        return Response(self.get_serializer(organization).data)


@extend_schema_view(
    get=extend_schema(summary="Members of an organization", description="Members only."),
    post=extend_schema(
        summary="Add a member",
        description="Admins only. Adds an existing account as admin or coordinator.",
        request=MembershipInputSerializer,
        responses={201: MembershipSerializer},
    ),
)
class OrganizationMembersView(ListCreateAPIView):
    """The member list exists only for members: everyone else gets a 404, even for a public
    organization, so the list of who works at a helpline never leaks."""

    serializer_class = MembershipSerializer
    permission_classes = [IsAuthenticated]
    filter_backends: list = []
    throttle_scope = "member_add"

    def get_throttles(self) -> list:
        # Adding a member by email tells whether that email has an account; bound how fast anyone
        # can ask (an invitation flow that answers the same either way is the longer-term fix).
        return [ScopedRateThrottle()] if self.request.method == "POST" else []

    def get_organization(self) -> Organization:
        if not hasattr(self, "_organization"):
            self._organization = get_object_or_404(
                organizations_of_member(user=self.request.user), pk=self.kwargs["organization_pk"]
            )
        return self._organization

    def get_queryset(self) -> QuerySet[Membership]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no caller
            return Membership.objects.none()
        return membership_list(organization=self.get_organization())

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        organization = self.get_organization()
        if not permissions.can_add_member(request.user, organization):
            raise PermissionDenied(ONLY_ADMINS_ADD_MEMBERS_MESSAGE)
        data = MembershipInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = membership_add(
            organization=organization, actor=request.user, **data.validated_data
        )
        return Response(MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)
