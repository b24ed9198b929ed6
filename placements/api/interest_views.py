"""Thin views of interest requests: the caller's visibility filter (404 otherwise), the input,
one service, the new state. The volunteer makes, reads and withdraws their own; the coordinators
of the role's verified organization list, accept and decline them."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from placements.api.interest_serializers import (
    CoordinatorInterestSerializer,
    InterestAcceptInput,
    InterestDeclineInput,
    InterestInput,
    MyInterestSerializer,
    RoleForYouSerializer,
)
from placements.api.views import signed_in
from placements.models import InterestRequest, InterestStatus
from placements.selectors import (
    interest_requests_for_coordinator,
    interest_requests_for_volunteer,
)
from placements.services import interest
from suggestions import roles_for_volunteer as selection
from volunteers.selectors import volunteer_profile_of

_RELATED = ("volunteer", "opportunity__organization")


class MyInterestListView(generics.ListCreateAPIView):
    """The caller's interest requests, newest first (``?status=pending``); POST asks for a role."""

    serializer_class = MyInterestSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        mine = interest_requests_for_volunteer(self.request.user).select_related(*_RELATED)
        wanted = self.request.query_params.get("status")
        if wanted in InterestStatus.values:
            mine = mine.filter(status=wanted)
        return mine.order_by("-created_at", "-id")

    @extend_schema(request=InterestInput, responses={201: MyInterestSerializer})
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = InterestInput(data=request.data)
        data.is_valid(raise_exception=True)
        made = interest.interest_express(
            actor=signed_in(request),
            opportunity_id=data.validated_data["opportunity"],
            message=data.validated_data["message"],
        )
        made = InterestRequest.objects.select_related(*_RELATED).get(pk=made.pk)
        return Response(MyInterestSerializer(made).data, status=status.HTTP_201_CREATED)


class MyInterestDetailView(generics.RetrieveDestroyAPIView):
    """One of the caller's requests; DELETE withdraws it (the row stays, withdrawn)."""

    serializer_class = MyInterestSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return interest_requests_for_volunteer(self.request.user).select_related(*_RELATED)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        mine = self.get_object()
        interest.interest_withdraw(interest_id=mine.pk, actor=signed_in(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(
    parameters=[
        OpenApiParameter("opportunity", int, description="One role's requests only."),
        OpenApiParameter("status", str, description="pending (default), accepted, declined..."),
    ]
)
class InterestListView(generics.ListAPIView):
    """Requests for the roles of the caller's verified organizations, oldest first."""

    serializer_class = CoordinatorInterestSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        found = interest_requests_for_coordinator(self.request.user).select_related(*_RELATED)
        wanted = self.request.query_params.get("status") or InterestStatus.PENDING
        found = found.filter(status=wanted if wanted in InterestStatus.values else "")
        role = self.request.query_params.get("opportunity", "")
        if role:
            found = found.filter(opportunity_id=int(role) if role.isdigit() else 0)
        return found.order_by("created_at", "id")


class _CoordinatorInterestAction(APIView):
    input_serializer: type[serializers.Serializer] = InterestAcceptInput

    def perform(self, request: Request, pk: int, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        found = get_object_or_404(interest_requests_for_coordinator(request.user), pk=pk)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.perform(request, found.pk, data.validated_data)
        found = InterestRequest.objects.select_related(*_RELATED).get(pk=found.pk)
        return Response(CoordinatorInterestSerializer(found).data)


@extend_schema(request=InterestAcceptInput, responses=CoordinatorInterestSerializer)
class InterestAcceptView(_CoordinatorInterestAction):
    """Accept: the pair's match is approved, which offers the role to the volunteer."""

    def perform(self, request: Request, pk: int, data: dict[str, Any]) -> None:
        interest.interest_accept(interest_id=pk, actor=signed_in(request), note=data["note"])


@extend_schema(request=InterestDeclineInput, responses=CoordinatorInterestSerializer)
class InterestDeclineView(_CoordinatorInterestAction):
    """Decline with a reason code (the coordinators' reasons); the volunteer is told."""

    input_serializer = InterestDeclineInput

    def perform(self, request: Request, pk: int, data: dict[str, Any]) -> None:
        interest.interest_decline(interest_id=pk, actor=signed_in(request), reason=data["reason"])


@extend_schema(
    responses=inline_serializer(
        "RolesForYou",
        {
            "roles": RoleForYouSerializer(many=True),
            "missing": serializers.ListField(child=serializers.CharField()),
        },
    )
)
class RolesForYouView(APIView):
    """The published roles the caller is eligible for by the engine's rules, best first (at most
    20), with the engine's reasons and the distance as a band; ``missing`` names what in the
    profile keeps the list empty or short (paused, fully_committed, no_modes, no_place,
    no_times). A caller without a volunteer profile: 404."""

    def get(self, request: Request) -> Response:
        found = selection.roles_for_volunteer(profile=volunteer_profile_of(user=request.user))
        return Response(
            {
                "roles": RoleForYouSerializer(found.roles, many=True).data,
                "missing": list(found.missing),
            }
        )
