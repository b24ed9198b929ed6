"""Thin views: check the input's shape, call one service, format the answer."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.views import AnonymousAuthView
from volunteers.api.serializers import RegisterSerializer, RegistrationAcceptedSerializer
from volunteers.selectors import (
    training_record_for_verification,
    volunteer_profile_for_staff,
    volunteer_profile_for_verification,
    volunteer_profile_row_of,
    volunteer_profile_shown_to_owner,
)
from volunteers.services.date_of_birth import date_of_birth_correct
from volunteers.services.declared_trainings import expiry_notice, expiry_notices
from volunteers.services.profile_update import volunteer_profile_update
from volunteers.services.registration import REGISTRATION_ACCEPTED_MESSAGE, volunteer_register
from volunteers.services.verification import (
    background_check_confirm,
    background_check_record,
    training_verify,
)

from .serializers import (
    BackgroundCheckRecordSerializer,
    BackgroundCheckSerializer,
    DateOfBirthCorrectedSerializer,
    DateOfBirthCorrectSerializer,
    TrainingVerificationSerializer,
    VerifyingOrganizationSerializer,
    VolunteerProfileEditedSerializer,
    VolunteerProfileSerializer,
)


class VolunteerMeView(APIView):
    """The caller's own volunteer profile, private fields included."""

    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(responses=VolunteerProfileSerializer, operation_id="volunteers_me_retrieve")
    def get(self, request: Request) -> Response:
        profile = volunteer_profile_shown_to_owner(user=request.user)
        return Response(VolunteerProfileSerializer(profile).data)

    @extend_schema(
        request=VolunteerProfileSerializer,
        responses=VolunteerProfileEditedSerializer,
        operation_id="volunteers_me_partial_update",
    )
    def patch(self, request: Request) -> Response:
        # The service locks and reads the row again: no related lists needed here.
        profile = volunteer_profile_row_of(user=request.user)
        serializer = VolunteerProfileSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        volunteer_profile_update(profile=profile, data=serializer.validated_data)
        notices = expiry_notices(serializer.validated_data.get("trainings", []))
        # Read back through the selector so the answer shows exactly what was stored.
        stored = volunteer_profile_shown_to_owner(user=request.user)
        return Response(VolunteerProfileEditedSerializer(stored, context={"notices": notices}).data)


class BackgroundCheckRecordView(APIView):
    """Platform staff, or a coordinator of a verified organization the volunteer is matched with,
    record a background check they have seen (a coordinator's counts for that organization's roles
    only). Anyone else: 404."""

    @extend_schema(
        request=BackgroundCheckRecordSerializer,
        responses=BackgroundCheckSerializer,
        operation_id="volunteers_background_check_record",
    )
    def post(self, request: Request, profile_id: int) -> Response:
        profile = volunteer_profile_for_verification(user=request.user, profile_id=profile_id)
        serializer = BackgroundCheckRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization_id = data.pop("organization", None)
        profile = background_check_record(
            profile=profile, verified_by=request.user, organization_id=organization_id, **data
        )
        return Response(BackgroundCheckSerializer(profile).data)


class BackgroundCheckConfirmView(APIView):
    """Platform staff confirm a check a coordinator recorded, so it counts for every role.
    Anyone else: 404."""

    @extend_schema(
        request=None,
        responses=BackgroundCheckSerializer,
        operation_id="volunteers_background_check_confirm",
    )
    def post(self, request: Request, profile_id: int) -> Response:
        profile = volunteer_profile_for_staff(user=request.user, profile_id=profile_id)
        profile = background_check_confirm(profile=profile, confirmed_by=request.user)
        return Response(BackgroundCheckSerializer(profile).data)


class TrainingVerifyView(APIView):
    """Platform staff, or a coordinator as for a check, verify a training the volunteer declared;
    staff verifying a coordinator's verification confirm it for every role. Anyone else: 404."""

    @extend_schema(
        request=VerifyingOrganizationSerializer,
        responses=TrainingVerificationSerializer,
        operation_id="volunteers_training_verify",
    )
    def post(self, request: Request, profile_id: int, training_slug: str) -> Response:
        record = training_record_for_verification(
            user=request.user, profile_id=profile_id, training_slug=training_slug
        )
        serializer = VerifyingOrganizationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        typed = record.expires_on
        notice = (
            None
            if record.verified
            else expiry_notice(record.training_type, record.completed_on, typed)
        )
        record = training_verify(
            record=record,
            verified_by=request.user,
            organization_id=serializer.validated_data.get("organization"),
            note=serializer.validated_data.get("note", ""),
        )
        notices = [notice] if notice else []
        return Response(TrainingVerificationSerializer(record, context={"notices": notices}).data)


class DateOfBirthCorrectView(APIView):
    """Platform staff correct a volunteer's date of birth, with a note. Anyone else: 404."""

    @extend_schema(
        request=DateOfBirthCorrectSerializer,
        responses={201: DateOfBirthCorrectedSerializer},
        operation_id="volunteers_date_of_birth_correct",
    )
    def post(self, request: Request, profile_id: int) -> Response:
        profile = volunteer_profile_for_staff(user=request.user, profile_id=profile_id)
        serializer = DateOfBirthCorrectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        correction = date_of_birth_correct(
            profile=profile, actor=request.user, **serializer.validated_data
        )
        return Response(
            DateOfBirthCorrectedSerializer(correction).data, status=status.HTTP_201_CREATED
        )


class VolunteerRegisterView(AnonymousAuthView):
    """Sign up as a volunteer: an account and an empty profile, then a verification email. The
    answer is the same 202 whether or not the address already has an account, so sign-up does
    not tell a stranger who uses the service; the owner of a taken address gets an email."""

    @extend_schema(
        request=RegisterSerializer,
        responses={202: RegistrationAcceptedSerializer},
        auth=[],
        operation_id="auth_register",
    )
    def post(self, request: Request) -> Response:
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        volunteer_register(**serializer.validated_data)
        return Response(
            {"detail": gettext(REGISTRATION_ACCEPTED_MESSAGE)}, status=status.HTTP_202_ACCEPTED
        )
