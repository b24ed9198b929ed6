"""Roles API. Anyone may read published roles; members of the posting organization see its drafts
and closed roles too and may change them.

Decisions (tested in tests/test_permission_table.py):
- a role the caller cannot see answers 404 for every action (drafts of other organizations);
- a role the caller can see but not change (someone else's published role) answers 403;
- creating a role for an organization the caller does not belong to answers 400 on
  ``organization`` with the same message as for an id that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.functional import SimpleLazyObject
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.request import Request
from rest_framework.response import Response

from backend.pagination import WindowCountLimitOffsetPagination
from opportunities import permissions
from opportunities.api.serializers import OpportunityInputSerializer, OpportunitySerializer
from opportunities.filters import NullsLastOrderingFilter, OpportunityFilter
from opportunities.models import Opportunity
from opportunities.selectors import opportunity_list_visible, opportunity_reference_keys
from opportunities.services import (
    opportunity_close,
    opportunity_create,
    opportunity_publish,
    opportunity_update,
)
from organizations.membership import member_roles

NOT_A_MEMBER_MESSAGE = "Only members of the organization that posted this role can change it."


@extend_schema_view(
    list=extend_schema(
        summary="Roles the caller can see",
        description="Published roles for everyone, plus drafts and closed roles of the caller's "
        "own organizations. With `near`, only roles within `radius_km` kilometres (default 25) or "
        "`radius_mi` miles (remote and phone roles only with `include_remote`), nearest first, "
        "each with `distance_km` (kilometres, whichever radius was given).",
    ),
    create=extend_schema(
        request=OpportunityInputSerializer,
        responses={201: OpportunitySerializer},
        description="Create a draft role for one of the caller's organizations.",
    ),
    partial_update=extend_schema(request=OpportunityInputSerializer),
)
class OpportunityViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = OpportunitySerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_class = OpportunityFilter
    ordering_fields = ["distance_km", "published_at", "created_at", "starts_on", "title"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    filter_backends = [DjangoFilterBackend, NullsLastOrderingFilter]
    # The count rides on the page's query: the distance filter runs once a request, not twice.
    pagination_class = WindowCountLimitOffsetPagination

    def get_queryset(self) -> QuerySet[Opportunity]:
        return opportunity_list_visible(user=self.request.user).select_related("organization")

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        # The reference lists of the role (or the page of roles) shown, in one query.
        if args and "data" not in kwargs:
            single = isinstance(args[0], Opportunity)
            shown = [args[0]] if single else list(args[0])
            keys = opportunity_reference_keys(role.pk for role in shown)
            for role in shown:
                role._reference_keys = keys[role.pk]  # type: ignore[attr-defined]
            args = (args[0] if single else shown, *args[1:])
        return super().get_serializer(*args, **kwargs)

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        # Read only for a role with a hidden address: most pages never ask (no query then).
        user = self.request.user
        context["roles"] = SimpleLazyObject(lambda: member_roles(user))
        return context

    def _answer(self, opportunity: Opportunity, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=opportunity.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    def get_object(self) -> Opportunity:
        # Visibility only: the list filters (near, q...) have nothing to say about a single role.
        opportunity = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, opportunity)
        return opportunity

    def _acting_on(self, allowed: Callable[[Any, Opportunity], bool]) -> Opportunity:
        opportunity = self.get_object()
        if not allowed(self.request.user, opportunity):
            raise PermissionDenied(NOT_A_MEMBER_MESSAGE)
        return opportunity

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = OpportunityInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        opportunity = opportunity_create(**data.validated_data, actor=request.user)
        return self._answer(opportunity, status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        opportunity = self._acting_on(permissions.can_edit_opportunity)
        data = OpportunityInputSerializer(
            data=request.data, partial=True, context={"request": request}
        )
        data.is_valid(raise_exception=True)
        opportunity = opportunity_update(
            opportunity=opportunity, data=data.validated_data, actor=request.user
        )
        return self._answer(opportunity)

    @extend_schema(request=None, responses={200: OpportunitySerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        opportunity = self._acting_on(permissions.can_publish_opportunity)
        return self._answer(opportunity_publish(opportunity=opportunity, actor=request.user))

    @extend_schema(request=None, responses={200: OpportunitySerializer})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str | None = None) -> Response:
        opportunity = self._acting_on(permissions.can_close_opportunity)
        return self._answer(opportunity_close(opportunity=opportunity, actor=request.user))
