"""The audit log in the admin: read-only, for platform staff."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "event", "subject_type", "subject_id", "actor")
    list_filter = ("event", "subject_type")
    search_fields = ("subject_id", "actor__email")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "event", "actor", "subject_type", "subject_id", "data")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
