"""Sign-in and the caller's tokens (volunteers/api has the sign-up). Sign-up and sign-in are open
to anonymous callers and throttled with the ``auth`` scope (the rate is
``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"]``) to slow password guessing; the token list,
revocation and logout are the signed-in caller's own."""

from __future__ import annotations

from django.contrib.auth import logout
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.models import DeviceToken
from accounts.services.tokens import (
    user_token_obtain,
    user_token_revoke,
    user_tokens_live,
    user_tokens_revoke_all,
)

from .serializers import CredentialsSerializer, DeviceTokenSerializer, TokenSerializer


class AnonymousAuthView(APIView):
    # No authentication: a stale token in the header must not turn a sign-in into a 401.
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class TokenObtainView(AnonymousAuthView):
    @extend_schema(
        request=CredentialsSerializer,
        responses=TokenSerializer,
        auth=[],
        operation_id="auth_token",
    )
    def post(self, request: Request) -> Response:
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance, secret = user_token_obtain(request=request, **serializer.validated_data)
        return Response(TokenSerializer({"token": secret, "instance": instance}).data)


class TokenListView(APIView):
    @extend_schema(responses=DeviceTokenSerializer(many=True), operation_id="auth_tokens_list")
    def get(self, request: Request) -> Response:
        tokens = user_tokens_live(user=request.user)
        context = {"token_in_use": request.auth}
        return Response(DeviceTokenSerializer(tokens, many=True, context=context).data)


class TokenRevokeView(APIView):
    @extend_schema(request=None, responses={204: None}, operation_id="auth_tokens_revoke")
    def delete(self, request: Request, token_id: str) -> Response:
        user_token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _end_session(request: Request) -> None:
    """A caller signed in with the browser's session is logged out of it too."""
    if not isinstance(request.auth, DeviceToken) and request._request.user.is_authenticated:
        logout(request._request)


class LogoutView(APIView):
    @extend_schema(request=None, responses={204: None}, operation_id="auth_logout")
    def post(self, request: Request) -> Response:
        """Revoke the token making this request (the caller's other devices stay signed in)."""
        if isinstance(request.auth, DeviceToken):
            user_token_revoke(user=request.user, token_id=request.auth.token_key)
        _end_session(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LogoutAllView(APIView):
    @extend_schema(request=None, responses={204: None}, operation_id="auth_logout_all")
    def post(self, request: Request) -> Response:
        """Revoke every token of the caller, on every device."""
        user_tokens_revoke_all(user=request.user)
        _end_session(request)
        return Response(status=status.HTTP_204_NO_CONTENT)
