"""Notifications, for reading: they are written by notifications.services only."""

from django.contrib import admin

from backend.admin import ViewOnlyAdmin
from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ViewOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__email", "title", "key")
    raw_id_fields = ("recipient", "match", "transition")
    readonly_fields = ("key", "created_at", "emailed_at")
