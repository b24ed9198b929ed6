"""Thin views of calendars, hours and ratings."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.errors import ApplicationError
from engagement import selectors as hours_selectors
from engagement import services
from engagement.api.serializers import (
    HoursInput,
    HoursLogSerializer,
    MyHoursInput,
    RatingInput,
    RatingSerializer,
)
from engagement.models import HoursLog
from matching import selectors
from placements.api.views import signed_in
from volunteers.models import VolunteerProfile

CALENDAR_NOT_FOUND = "No calendar at this address: it may have been reset."
NO_VOLUNTEER_PROFILE = "Create your volunteer profile first."
TOTALS_BY = ("volunteer", "role")


def _own_profile(request: Request) -> VolunteerProfile:
    profile = VolunteerProfile.objects.filter(user=signed_in(request)).first()
    if profile is None:
        raise ApplicationError(NO_VOLUNTEER_PROFILE, code="not_found", status_code=404)
    return profile


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret-address iCalendar feed. No sign-in: calendar apps cannot log in; the 256-bit
    token is the credential, and a reset replaces it."""
    if request.method != "GET":
        return HttpResponse(status=405)
    volunteer = services.calendar_feed_volunteer(token=token)
    if volunteer is None:
        body = {"error": {"code": "not_found", "message": CALENDAR_NOT_FOUND, "fields": {}}}
        return JsonResponse(body, status=404)
    response = HttpResponse(
        services.calendar_build(volunteer=volunteer), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


class CalendarResetView(APIView):
    """A new secret calendar address; the previous one stops working."""

    @extend_schema(request=None, responses={200: {"type": "object"}})
    def post(self, request: Request) -> Response:
        token = services.calendar_feed_reset(volunteer=_own_profile(request))
        url = request.build_absolute_uri(reverse("calendar-feed", kwargs={"token": token}))
        return Response({"url": url})


class MyHoursView(generics.ListAPIView):
    """GET: the caller's hours. POST: log hours on one of the caller's matches named in the body,
    through the same service as the per-match address; a match they do not hold answers 404."""

    serializer_class = HoursLogSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # schema generation is anonymous
            return HoursLog.objects.none()
        return hours_selectors.hours_for_volunteer(self.request.user).select_related(
            "match__volunteer", "match__opportunity"
        )

    @extend_schema(request=MyHoursInput, responses={201: HoursLogSerializer})
    def post(self, request: Request) -> Response:
        data = MyHoursInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        match = get_object_or_404(
            hours_selectors.hours_matches_for_volunteer(request.user), pk=values.pop("match")
        )
        log = services.hours_log_add(match_id=match.pk, actor=signed_in(request), **values)
        return Response(HoursLogSerializer(log).data, status=status.HTTP_201_CREATED)


class MyMatchHoursView(APIView):
    @extend_schema(request=HoursInput, responses={201: HoursLogSerializer})
    def post(self, request: Request, pk: int) -> Response:
        match = get_object_or_404(selectors.matches_for_volunteer(request.user), pk=pk)
        data = HoursInput(data=request.data)
        data.is_valid(raise_exception=True)
        log = services.hours_log_add(
            match_id=match.pk, actor=signed_in(request), **data.validated_data
        )
        return Response(HoursLogSerializer(log).data, status=status.HTTP_201_CREATED)


class MyHoursTotalsView(APIView):
    @extend_schema(responses={200: {"type": "object"}})
    def get(self, request: Request) -> Response:
        logs = hours_selectors.hours_for_volunteer(request.user)
        return Response({"results": services.hours_totals(logs, by="role")})


@extend_schema(parameters=[OpenApiParameter("verified", OpenApiTypes.BOOL)])
class HoursListView(generics.ListAPIView):
    """Hours logged on the roles of the coordinator's organizations."""

    serializer_class = HoursLogSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        logs = hours_selectors.hours_for_coordinator(self.request.user).select_related(
            "match__volunteer", "match__opportunity"
        )
        verified = self.request.query_params.get("verified")
        if verified in {"0", "false"}:
            logs = logs.filter(verified_at__isnull=True)
        elif verified in {"1", "true"}:
            logs = logs.filter(verified_at__isnull=False)
        return logs


class HoursVerifyView(APIView):
    @extend_schema(request=None, responses=HoursLogSerializer)
    def post(self, request: Request, pk: int) -> Response:
        log = get_object_or_404(hours_selectors.hours_for_coordinator(request.user), pk=pk)
        log = services.hours_log_verify(log_id=log.pk, actor=signed_in(request))
        return Response(HoursLogSerializer(log).data)


def _totals_by(request: Request) -> str:
    by = request.query_params.get("by", "volunteer")
    if by not in TOTALS_BY:
        message = f"Choose one of: {', '.join(TOTALS_BY)}."
        raise ApplicationError(message, fields={"by": [message]})
    return by


def _totals_for(request: Request) -> tuple[str, list[dict]]:
    by = _totals_by(request)
    return by, services.hours_totals(hours_selectors.hours_for_coordinator(request.user), by=by)


@extend_schema(parameters=[OpenApiParameter("by", OpenApiTypes.STR, enum=list(TOTALS_BY))])
class HoursTotalsView(APIView):
    @extend_schema(responses={200: {"type": "object"}})
    def get(self, request: Request) -> Response:
        by, rows = _totals_for(request)
        return Response({"by": by, "results": rows})


@extend_schema(parameters=[OpenApiParameter("by", OpenApiTypes.STR, enum=list(TOTALS_BY))])
class HoursTotalsCsvView(APIView):
    @extend_schema(responses={(200, "text/csv"): OpenApiTypes.STR})
    def get(self, request: Request) -> HttpResponse:
        by = _totals_by(request)
        logs = hours_selectors.hours_for_coordinator(request.user)
        text = services.hours_totals_csv(logs, by=by)
        response = HttpResponse(text, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="hours-by-{by}.csv"'
        return response


class _RatingView(APIView):
    """GET: the match's ratings, both sides (each party sees what the other said of them).
    POST: leave the caller's side's rating once the match is completed."""

    def visible(self, request: Request):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    @extend_schema(responses={200: RatingSerializer(many=True)})
    def get(self, request: Request, pk: int) -> Response:
        match = get_object_or_404(self.visible(request), pk=pk)
        return Response(RatingSerializer(match.ratings.order_by("side"), many=True).data)

    @extend_schema(request=RatingInput, responses={201: RatingSerializer})
    def post(self, request: Request, pk: int) -> Response:
        match = get_object_or_404(self.visible(request), pk=pk)
        data = RatingInput(data=request.data)
        data.is_valid(raise_exception=True)
        rating = services.rating_leave(
            match_id=match.pk, actor=signed_in(request), **data.validated_data
        )
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class MatchRatingView(_RatingView):
    def visible(self, request: Request):  # type: ignore[no-untyped-def]
        return selectors.matches_for_coordinator(request.user)


class MyMatchRatingView(_RatingView):
    def visible(self, request: Request):  # type: ignore[no-untyped-def]
        return selectors.matches_for_volunteer(request.user)
