"""Sign-in (volunteers/api has the sign-up). Both are open to anonymous callers and throttled with the ``auth`` scope
(the rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["auth"]``) to slow password guessing."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts.services import user_token_obtain

from .serializers import CredentialsSerializer, TokenSerializer


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
        _, secret = user_token_obtain(request=request, **serializer.validated_data)
        return Response(TokenSerializer({"key": secret}).data)
