"""A volunteer's data rights over the API: a copy of everything held about them, and erasure."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiTypes, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle, ScopedRateThrottle
from rest_framework.views import APIView

from volunteers.selectors import volunteer_profile_of
from volunteers.services.data_rights import volunteer_erase, volunteer_export

from .views import VolunteerMeView


class EraseSerializer(serializers.Serializer):
    # Not required here: the service answers a missing password with its own field message.
    password = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)


class VolunteerExportView(APIView):
    """Everything held about the caller, as JSON: account, profile, trainings, checks, matches and
    their history, hours, ratings given and received, notifications, and who read their lived
    experience. A coordinator-only account has no profile: 404."""

    @extend_schema(responses=OpenApiTypes.OBJECT, operation_id="volunteers_me_export")
    def get(self, request: Request) -> Response:
        profile = volunteer_profile_of(user=request.user)
        response = Response(volunteer_export(profile=profile))
        response["Content-Disposition"] = 'attachment; filename="kindred-match-export.json"'
        response["Cache-Control"] = "no-store"
        return response


class VolunteerMeWithErasureView(VolunteerMeView):
    """The caller's own profile (read, edit) and, with their password, its erasure."""

    http_method_names = ["get", "patch", "delete", "head", "options"]
    # The erasure checks a password: throttled like a sign-in, so a borrowed token cannot be used
    # to guess it. Reading and editing keep the default throttles.
    throttle_scope = "auth"

    def get_throttles(self) -> list[BaseThrottle]:
        if self.request.method == "DELETE":
            return [ScopedRateThrottle()]
        return list(super().get_throttles())

    @extend_schema(
        request=EraseSerializer, responses={204: None}, operation_id="volunteers_me_destroy"
    )
    def delete(self, request: Request) -> Response:
        profile = volunteer_profile_of(user=request.user)
        serializer = EraseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        volunteer_erase(profile=profile, password=serializer.validated_data.get("password"))
        return Response(status=status.HTTP_204_NO_CONTENT)
