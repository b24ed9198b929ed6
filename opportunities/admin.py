from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from suggestions.dispatch import request_opportunity_rematch

from .models import Opportunity


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = ("title", "organization", "status", "mode", "published_at", "updated_at")
    list_filter = ("status", "mode", "hide_address", "background_check_required")
    search_fields = ("title", "description", "organization__name")
    raw_id_fields = ("organization",)
    filter_horizontal = (
        "causes",
        "required_skills",
        "preferred_skills",
        "languages",
        "required_trainings",
    )
    readonly_fields = ("published_at", "matched_at", "created_at", "updated_at")
    list_select_related = ("organization",)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Staff edits change matching inputs too; ask once the many-to-many fields are saved.
        super().save_related(request, form, formsets, change)
        request_opportunity_rematch(form.instance.id)
