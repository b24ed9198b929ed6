"""Thin views of the match lifecycle: find the match through the caller's visibility filter (404
otherwise), validate the input, call one service, answer with the new state."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.throttles import PerOrganizationThrottle
from matching import selectors
from matching.models import Match, MatchStatus, MatchTransition
from organizations.membership import member_roles
from placements import permissions, states
from placements.api.serializers import (
    BulkInput,
    BulkResponseSerializer,
    MatchStateSerializer,
    NoInput,
    NoteInput,
    ReasonNoteInput,
    TransitionSerializer,
    VolunteerMatchSerializer,
)
from placements.services import bulk, rechecks, transitions

if TYPE_CHECKING:
    from accounts.models import User

S = MatchStatus


def signed_in(request: Request) -> User:
    """The caller; every view here requires sign-in (the default permission class)."""
    return cast("User", request.user)


_RELATED = ("volunteer__user", "opportunity__organization")


class _MatchAction(APIView):
    """POST one lifecycle action on one match. Subclasses name the visibility filter, the input
    and the service call."""

    input_serializer: type[serializers.Serializer] = ReasonNoteInput
    output_serializer: type[serializers.Serializer] = MatchStateSerializer

    def visible(self, request: Request) -> QuerySet[Match]:
        raise NotImplementedError

    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        match = get_object_or_404(self.visible(request), pk=pk)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        self.perform(request, match, data.validated_data)
        match = Match.objects.select_related(*_RELATED).get(pk=match.pk)
        return Response(self.output_serializer(match).data)


class _CoordinatorAction(_MatchAction):
    def visible(self, request: Request) -> QuerySet[Match]:
        return selectors.matches_for_coordinator(request.user)


class _VolunteerAction(_MatchAction):
    output_serializer = VolunteerMatchSerializer

    def visible(self, request: Request) -> QuerySet[Match]:
        return selectors.matches_for_volunteer(request.user)


@extend_schema(request=NoteInput, responses=MatchStateSerializer)
class MatchApproveView(_CoordinatorAction):
    input_serializer = NoteInput

    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        transitions.match_approve(match_id=match.pk, actor=signed_in(request), note=data["note"])


@extend_schema(request=ReasonNoteInput, responses=MatchStateSerializer)
class MatchRejectView(_CoordinatorAction):
    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        transitions.match_reject(
            match_id=match.pk, actor=signed_in(request), reason=data["reason"], note=data["note"]
        )


@extend_schema(request=NoteInput, responses=MatchStateSerializer)
class MatchStartView(_CoordinatorAction):
    input_serializer = NoteInput

    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        transitions.match_activate(match_id=match.pk, actor=signed_in(request))


@extend_schema(request=None, responses=MatchStateSerializer)
class MatchResumeView(_CoordinatorAction):
    """Resume a match on hold once the check or training that held it is valid again (409 with
    the reasons while it is not)."""

    input_serializer = NoInput

    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        rechecks.match_resume(match_id=match.pk, actor=signed_in(request))


@extend_schema(request=ReasonNoteInput, responses=MatchStateSerializer)
class MatchCompleteView(_CoordinatorAction):
    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        transitions.match_complete(
            match_id=match.pk, actor=signed_in(request), reason=data["reason"], note=data["note"]
        )


@extend_schema(request=ReasonNoteInput, responses=MatchStateSerializer)
class MatchWithdrawView(_CoordinatorAction):
    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        transitions.match_withdraw(
            match_id=match.pk, actor=signed_in(request), reason=data["reason"], note=data["note"]
        )


@extend_schema(request=None, responses=VolunteerMatchSerializer)
class MyMatchAcceptView(_VolunteerAction):
    input_serializer = NoInput

    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        transitions.match_accept(match_id=match.pk, actor=signed_in(request))


@extend_schema(request=ReasonNoteInput, responses=VolunteerMatchSerializer)
class MyMatchDeclineView(_VolunteerAction):
    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        transitions.match_decline(
            match_id=match.pk, actor=signed_in(request), reason=data["reason"], note=data["note"]
        )


@extend_schema(request=ReasonNoteInput, responses=VolunteerMatchSerializer)
class MyMatchWithdrawView(_VolunteerAction):
    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        transitions.match_withdraw(
            match_id=match.pk, actor=signed_in(request), reason=data["reason"], note=data["note"]
        )


@extend_schema(request=ReasonNoteInput, responses=VolunteerMatchSerializer)
class MyMatchCompleteView(_VolunteerAction):
    def perform(self, request: Request, match: Match, data: dict[str, Any]) -> None:
        transitions.match_complete(
            match_id=match.pk, actor=signed_in(request), reason=data["reason"], note=data["note"]
        )


@extend_schema(request=BulkInput, responses=BulkResponseSerializer)
class MatchBulkView(APIView):
    """Approve or reject many suggestions; each id is applied (its own transaction) or refused on
    its own, and the answer lists what happened to each, in the order given."""

    # Expensive: a budget per organization of the caller (backend/throttles.py), 429 past it.
    throttle_classes = [PerOrganizationThrottle]
    throttle_scope = "bulk_review"
    throttle_organizations = staticmethod(member_roles)

    def post(self, request: Request) -> Response:
        data = BulkInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        results = bulk.matches_bulk_review(
            actor=signed_in(request),
            ids=values["ids"],
            action=values["action"],
            reason=values["reason"],
            note=values["note"],
        )
        return Response({"results": [asdict(result) for result in results]})


class MatchHistoryView(generics.ListAPIView):
    """Every step of a match: coordinators of the role's organization see all of it, with who
    acted; the volunteer sees their own match from the offer on, with which side acted."""

    serializer_class = TransitionSerializer
    pagination_class = None

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # schema generation has no match id
            return MatchTransition.objects.none()
        match = get_object_or_404(
            selectors.matches_for_history(self.request.user).select_related(*_RELATED),
            pk=self.kwargs["pk"],
        )
        self.show_actor_email = permissions.can_review(self.request.user, match)
        transitions = match.transitions.select_related("actor", "match__volunteer")
        if not self.show_actor_email:
            transitions = transitions.filter(~Q(to_status__in=[S.APPROVED, S.REJECTED]))
        return transitions.order_by("created_at", "id")

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["show_actor_email"] = getattr(self, "show_actor_email", False)
        return context


class MyMatchListView(generics.ListAPIView):
    """The caller's offered, accepted, active and on-hold matches (``?status=declined,completed``
    etc. for others the volunteer was offered)."""

    serializer_class = VolunteerMatchSerializer
    shown = {S.OFFERED, S.ACCEPTED, S.ACTIVE, S.ON_HOLD, S.DECLINED, S.COMPLETED, S.WITHDRAWN}

    def get_queryset(self):  # type: ignore[no-untyped-def]
        statuses: set[str] = set(states.SHOWN_TO_VOLUNTEER)
        wanted = self.request.query_params.get("status")
        if wanted:
            statuses = {s for s in wanted.split(",") if s in self.shown}
        return (
            selectors.matches_for_volunteer(self.request.user)
            .filter(status__in=statuses)
            .select_related(*_RELATED)
            .order_by("-updated_at", "-id")
        )


class MyMatchDetailView(generics.RetrieveAPIView):
    serializer_class = VolunteerMatchSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return selectors.matches_for_volunteer(self.request.user).select_related(*_RELATED)
