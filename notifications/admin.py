from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "title", "read_at", "emailed_at")
    list_filter = ("kind",)
    search_fields = ("recipient__email", "title", "key")
    raw_id_fields = ("recipient", "match", "transition")
    readonly_fields = ("key", "created_at", "emailed_at")
