"""Roles for platform staff: view-only (backend/admin.py); closing a role goes through its service,
which tells the matching workers and records who closed it."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.admin import ViewOnlyAdmin, run_service_action
from opportunities.models import Opportunity
from opportunities.services import opportunity_close


@admin.register(Opportunity)
class OpportunityAdmin(ViewOnlyAdmin):
    list_display = ("title", "organization", "status", "mode", "published_at", "updated_at")
    list_filter = ("status", "mode", "hide_address", "background_check_required")
    search_fields = ("title", "description", "organization__name")
    raw_id_fields = ("organization",)
    list_select_related = ("organization",)
    actions = ("close_selected",)

    @admin.action(description="Close the selected roles (they stop being shown to volunteers)")
    def close_selected(self, request: HttpRequest, queryset: QuerySet[Opportunity]) -> None:
        run_service_action(
            self,
            request,
            queryset.exclude(status=Opportunity.Status.CLOSED),
            lambda role: opportunity_close(opportunity=role, actor=request.user),
            "{count} role(s) closed.",
        )
