"""Password change and reset, email verification: thin views over accounts/services/passwords.py
and email_verification.py. Every one is throttled with the ``auth`` scope: each checks a password
or a secret from a link, or sends an email."""

from __future__ import annotations

from typing import cast

from django.contrib.auth import SESSION_KEY, update_session_auth_hash
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.api.views import AnonymousAuthView
from accounts.models import DeviceToken, User
from accounts.services.email_verification import (
    EMAIL_VERIFIED_MESSAGE,
    VERIFICATION_SENT_MESSAGE,
    email_verification_request,
    user_email_verify,
)
from accounts.services.passwords import (
    RESET_REQUESTED_MESSAGE,
    reset_minutes,
    user_password_change,
    user_password_reset_confirm,
    user_password_reset_request,
)
from accounts.services.tokens import DEFAULT_TOKEN_NAME

from .recovery_serializers import (
    DetailSerializer,
    EmailVerifySerializer,
    NewTokenSerializer,
    PasswordChangeSerializer,
    PasswordResetConfirmSerializer,
    PasswordResetRequestSerializer,
)


def signed_in(request: Request) -> User:
    """The caller of a view that requires sign-in."""
    return cast("User", request.user)


class SignedInAuthView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class PasswordChangeView(SignedInAuthView):
    @extend_schema(
        request=PasswordChangeSerializer,
        responses=NewTokenSerializer,
        operation_id="auth_password_change",
        summary="Change your password (signs out every other device)",
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        current = request.auth if isinstance(request.auth, DeviceToken) else None
        user = signed_in(request)
        secret = user_password_change(
            user=user,
            token_name=current.name if current is not None else DEFAULT_TOKEN_NAME,
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            **serializer.validated_data,
        )
        if request._request.session.get(SESSION_KEY) == str(user.pk):
            # This browser stays signed in; every other session no longer matches the hash.
            user.refresh_from_db(fields=["password"])
            update_session_auth_hash(request._request, user)
        return Response(NewTokenSerializer({"token": secret}).data)


class PasswordResetRequestView(AnonymousAuthView):
    @extend_schema(
        request=PasswordResetRequestSerializer,
        responses={202: DetailSerializer},
        auth=[],
        operation_id="auth_password_reset",
        summary="Email a link that sets a new password (the same answer for any address)",
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user_password_reset_request(email=serializer.validated_data["email"])
        message = gettext(RESET_REQUESTED_MESSAGE).format(minutes=reset_minutes())
        return Response({"detail": message}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(AnonymousAuthView):
    @extend_schema(
        request=PasswordResetConfirmSerializer,
        responses={204: None},
        auth=[],
        operation_id="auth_password_reset_confirm",
        summary="Set a new password from the emailed link (signs out every device)",
    )
    def post(self, request: Request) -> Response:
        serializer = PasswordResetConfirmSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user_password_reset_confirm(
            uidb64=data["uid"], token=data["token"], new_password=data["new_password"]
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmailVerifyView(AnonymousAuthView):
    @extend_schema(
        request=EmailVerifySerializer,
        responses=DetailSerializer,
        auth=[],
        operation_id="auth_email_verify",
        summary="Verify your email address with the emailed link",
    )
    def post(self, request: Request) -> Response:
        serializer = EmailVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user_email_verify(uidb64=data["uid"], token=data["token"])
        return Response({"detail": gettext(EMAIL_VERIFIED_MESSAGE)})


class EmailVerificationResendView(SignedInAuthView):
    @extend_schema(
        request=None,
        responses={202: DetailSerializer},
        operation_id="auth_email_verify_resend",
        summary="Email a new verification link",
    )
    def post(self, request: Request) -> Response:
        email_verification_request(user=signed_in(request))
        return Response(
            {"detail": gettext(VERIFICATION_SENT_MESSAGE)}, status=status.HTTP_202_ACCEPTED
        )
