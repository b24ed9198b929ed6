"""Organizations API: thin views that validate input, call one service, and format the answer.

Visibility (404) is the queryset; the right to act (403) is a named permission function.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_noop
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from organizations import permissions
from organizations.api.serializers import (
    OrganizationInputSerializer,
    OrganizationSerializer,
    OrganizationVerificationSerializer,
    VerificationDecisionSerializer,
)
from organizations.membership import member_roles
from organizations.models import Organization
from organizations.selectors import (
    organization_list_visible,
    organizations_of_member,
    verification_list,
)
from organizations.services import (
    organization_create,
    organization_update,
    organization_verification_decide,
)
from organizations.services.verification import ONLY_STAFF_VERIFY_MESSAGE

ONLY_ADMINS_EDIT_MESSAGE = gettext_noop("Only the organization's admins can change its details.")
ONLY_STAFF_AND_ADMINS_READ_MESSAGE = gettext_noop(
    "Only platform staff and the organization's admins can read its verification history."
)


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
        "role; platform staff see every organization (`verification_status=pending` lists "
        "those waiting for a decision). `mine=true` keeps only the caller's own.",
    ),
    create=extend_schema(
        request=OrganizationInputSerializer,
        responses={201: OrganizationSerializer},
        description="Create an organization; the caller becomes its admin. It is `pending` "
        "until platform staff verify it: until then it may draft roles but not publish them.",
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
            raise PermissionDenied(gettext(ONLY_ADMINS_EDIT_MESSAGE))
        data = OrganizationInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        organization = organization_update(
            organization=organization, data=data.validated_data, actor=request.user
        )
        return Response(self.get_serializer(organization).data)

    @extend_schema(
        summary="Verify or refuse an organization",
        description="Platform staff only. `verified` needs the registration number checked "
        "(the organization's own when none is given) and who confirmed it (`contact`); "
        "`refused` needs a `note`. Refusing a verified organization takes its published roles "
        "back to draft. Deciding what is already decided is a 409.",
        request=VerificationDecisionSerializer,
        responses={201: OrganizationVerificationSerializer},
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def verification(self, request: Request, pk: str | None = None) -> Response:
        organization = self.get_object()
        if not permissions.can_decide_verification(request.user, organization):
            raise PermissionDenied(gettext(ONLY_STAFF_VERIFY_MESSAGE))
        data = VerificationDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = organization_verification_decide(
            organization=organization, actor=request.user, **data.validated_data
        )
        return Response(
            OrganizationVerificationSerializer(record).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="An organization's verification decisions",
        description="Platform staff and the organization's admins; newest first.",
        responses={200: OrganizationVerificationSerializer(many=True)},
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[IsAuthenticated],
        filter_backends=[],
        pagination_class=None,
    )
    def verifications(self, request: Request, pk: str | None = None) -> Response:
        organization = self.get_object()
        if not permissions.can_read_verifications(request.user, organization):
            raise PermissionDenied(gettext(ONLY_STAFF_AND_ADMINS_READ_MESSAGE))
        records = verification_list(organization=organization)
        return Response(OrganizationVerificationSerializer(records, many=True).data)
