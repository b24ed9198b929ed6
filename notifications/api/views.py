"""Each person reads and marks only their own notifications (others' answer 404)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.api.serializers import NotificationSerializer
from notifications.models import Notification
from notifications.selectors import notifications_of
from notifications.services import reading
from placements.api.views import signed_in


@extend_schema(
    parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="1: unread only")]
)
class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):  # schema generation is anonymous
            return Notification.objects.none()
        queryset = notifications_of(self.request.user)
        if self.request.query_params.get("unread") in {"1", "true", "yes"}:
            queryset = queryset.unread()
        return queryset


class NotificationReadView(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        notification = get_object_or_404(notifications_of(request.user), pk=pk)
        notification = reading.notification_mark_read(notification=notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    @extend_schema(request=None, responses={200: {"type": "object"}})
    def post(self, request: Request) -> Response:
        marked = reading.notification_mark_all_read(recipient=signed_in(request))
        return Response({"marked": marked})
