"""Matching endpoints: start and follow a full run; the coordinators' review queue.

Thin by design: validate, call one service or selector, format the answer.
"""

from __future__ import annotations

import django_filters
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.filters import ObjectIdFilter
from backend.pagination import WindowCountLimitOffsetPagination
from backend.throttles import PerOrganizationThrottle
from matching.models import Match, MatchStatus
from opportunities.models import Opportunity
from organizations.membership import member_roles
from suggestions import dispatch, selectors
from suggestions.api.serializers import (
    LivedExperienceReadSerializer,
    MatchRunSerializer,
    ReviewMatchSerializer,
)
from suggestions.permissions import can_start_match_run
from suggestions.services import access_log, runs

START_RUN_FORBIDDEN_MESSAGE = (
    "Only platform staff and organization coordinators or admins can start a matching run."
)


class CanStartMatchRun(permissions.BasePermission):
    message = START_RUN_FORBIDDEN_MESSAGE

    def has_permission(self, request: Request, view: APIView) -> bool:
        return can_start_match_run(request.user)


@extend_schema(request=None, responses={202: MatchRunSerializer})
class MatchRunCreateView(APIView):
    """POST: start a full matching run; 202 with the run to poll. While another one is queued or
    running: 409 with that run (``run``), so a second request follows it instead of starting one."""

    permission_classes = [permissions.IsAuthenticated, CanStartMatchRun]
    serializer_class = MatchRunSerializer
    # Expensive: a budget per organization of the caller (backend/throttles.py), 429 past it.
    throttle_classes = [PerOrganizationThrottle]
    throttle_scope = "match_run"
    throttle_organizations = staticmethod(member_roles)

    def post(self, request: Request) -> Response:
        try:
            run = runs.match_run_start(requested_by=request.user)
        except runs.RunInProgressError as busy:
            error = {"code": busy.code, "message": busy.message, "fields": {}}
            body = {"error": error, "run": MatchRunSerializer(busy.run).data}
            return Response(body, status=status.HTTP_409_CONFLICT)
        dispatch.request_match_run(run.id)
        return Response(MatchRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class MatchRunDetailView(generics.RetrieveAPIView):
    """GET: a run's progress, for the person who started it and platform staff (others: 404)."""

    serializer_class = MatchRunSerializer

    def get_queryset(self):
        return selectors.match_runs_visible_to(self.request.user)


class ReviewQueueFilter(django_filters.FilterSet):
    opportunity = ObjectIdFilter(field_name="opportunity_id")
    # A field of the match itself, so no row can repeat: no DISTINCT (django-filter's default for
    # a multiple choice), which made PostgreSQL sort every row of the role, JSON columns and all,
    # twice a request (the page and its count).
    status = django_filters.MultipleChoiceFilter(choices=MatchStatus.choices, distinct=False)

    class Meta:
        model = Match
        fields = ["opportunity", "status"]


class ReviewQueueMixin(generics.GenericAPIView):
    """Rows of the review queue. ``today`` is always the server's date: no caller chooses the day
    a private value is compared to. Every row that shows a lived experience is logged."""

    serializer_class = ReviewMatchSerializer

    def get_queryset(self):
        return selectors.review_queue_for(self.request.user).select_related(
            "opportunity__organization"
        )

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def shown(self, matches: list[Match]) -> list:
        data = self.get_serializer(matches, many=True).data
        access_log.lived_experience_reads_record(actor=self.request.user, matches=matches)
        return data


class ReviewQueueListView(ReviewQueueMixin, generics.ListAPIView):
    """GET: the review queue of the caller's organizations; ``status`` defaults to suggested.

    Filters: ``opportunity=<id>``, ``status=<status>`` (repeatable). Ordering: ``score``,
    ``created_at`` (default ``-score``).
    """

    filterset_class = ReviewQueueFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    # The count rides on the page's query (one query, not two).
    pagination_class = WindowCountLimitOffsetPagination
    ordering_fields = ["score", "created_at"]
    ordering = ["-score", "id"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if "status" not in self.request.query_params:
            queryset = queryset.filter(status=MatchStatus.SUGGESTED)
        return queryset

    def list(self, request: Request, *args, **kwargs) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        if page is None:
            return Response(self.shown(list(queryset)))
        return self.get_paginated_response(self.shown(list(page)))


class ReviewQueueDetailView(ReviewQueueMixin, generics.RetrieveAPIView):
    """GET: one match of the caller's organizations (any status); others' matches are 404."""

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return Response(self.shown([self.get_object()])[0])


class LivedExperienceReadsView(generics.ListAPIView):
    """GET: who was shown the caller's lived experience, for which role and when; newest first.

    Each entry is one review row that showed it to a coordinator of a verified organization."""

    serializer_class = LivedExperienceReadSerializer

    def get_queryset(self):
        return access_log.lived_experience_reads_of(self.request.user)

    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        entries = list(page if page is not None else self.get_queryset())
        roles = Opportunity.objects.select_related("organization").in_bulk(
            {entry.data.get("opportunity_id") for entry in entries}
        )
        data = LivedExperienceReadSerializer(entries, many=True, context={"roles": roles}).data
        return self.get_paginated_response(data) if page is not None else Response(data)
