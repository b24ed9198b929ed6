"""Thin views: check the input's shape, call one service, format the answer."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.views import AnonymousAuthView
from volunteers.api.serializers import RegisteredSerializer, RegisterSerializer
from volunteers.selectors import (
    training_record_for_verification,
    volunteer_profile_for_verification,
    volunteer_profile_of,
)
from volunteers.services.profile_update import volunteer_profile_update
from volunteers.services.registration import volunteer_register
from volunteers.services.verification import background_check_record, training_verify

from .serializers import (
    BackgroundCheckRecordSerializer,
    BackgroundCheckSerializer,
    TrainingVerificationSerializer,
    VolunteerProfileSerializer,
)


class VolunteerMeView(APIView):
    """The caller's own volunteer profile, private fields included."""

    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(responses=VolunteerProfileSerializer, operation_id="volunteers_me_retrieve")
    def get(self, request: Request) -> Response:
        profile = volunteer_profile_of(user=request.user)
        return Response(VolunteerProfileSerializer(profile).data)

    @extend_schema(
        request=VolunteerProfileSerializer,
        responses=VolunteerProfileSerializer,
        operation_id="volunteers_me_partial_update",
    )
    def patch(self, request: Request) -> Response:
        profile = volunteer_profile_of(user=request.user)
        serializer = VolunteerProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        volunteer_profile_update(profile=profile, data=serializer.validated_data)
        # Read back through the selector so the answer shows exactly what was stored.
        return Response(VolunteerProfileSerializer(volunteer_profile_of(user=request.user)).data)


class BackgroundCheckRecordView(APIView):
    """Platform staff record a background check they have seen. Anyone else: 404."""

    @extend_schema(
        request=BackgroundCheckRecordSerializer,
        responses=BackgroundCheckSerializer,
        operation_id="volunteers_background_check_record",
    )
    def post(self, request: Request, profile_id: int) -> Response:
        profile = volunteer_profile_for_verification(user=request.user, profile_id=profile_id)
        serializer = BackgroundCheckRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = background_check_record(
            profile=profile, verified_by=request.user, **serializer.validated_data
        )
        return Response(BackgroundCheckSerializer(profile).data)


class TrainingVerifyView(APIView):
    """Platform staff verify a training the volunteer declared. Anyone else: 404."""

    @extend_schema(
        request=None,
        responses=TrainingVerificationSerializer,
        operation_id="volunteers_training_verify",
    )
    def post(self, request: Request, profile_id: int, training_slug: str) -> Response:
        record = training_record_for_verification(
            user=request.user, profile_id=profile_id, training_slug=training_slug
        )
        record = training_verify(record=record, verified_by=request.user)
        return Response(TrainingVerificationSerializer(record).data)


class VolunteerRegisterView(AnonymousAuthView):
    """Sign up as a volunteer: an account, an empty profile and a token, in one step."""

    @extend_schema(
        request=RegisterSerializer,
        responses={201: RegisteredSerializer},
        auth=[],
        operation_id="auth_register",
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = volunteer_register(**serializer.validated_data)
        return Response(RegisteredSerializer(profile).data, status=status.HTTP_201_CREATED)
