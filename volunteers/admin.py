"""Staff tools. The admin is staff-only, so private fields (date of birth, background check, lived
experience) are visible here. Profiles and trainings are view-only (backend/admin.py): the
volunteer edits their profile through the API, and a verification goes through its service, which
names who made it and when."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.admin import ViewOnlyAdmin, ViewOnlyInline, run_service_action

from .models import TrainingRecord, VolunteerProfile
from .services.verification import training_verify

_VERIFICATION_FIELDS = ("verified", "verified_by", "verified_at")


class TrainingRecordInline(ViewOnlyInline):
    model = TrainingRecord
    fields = ("training_type", "completed_on", "expires_on", *_VERIFICATION_FIELDS)
    readonly_fields = fields


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(ViewOnlyAdmin):
    list_display = ("display_name", "user", "background_check_status", "paused", "updated_at")
    list_filter = ("background_check_status", "paused", "share_lived_experience")
    search_fields = ("display_name", "user__email", "postcode")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    filter_horizontal = ("skills", "causes", "languages")
    inlines = [TrainingRecordInline]
    readonly_fields = (
        "created_at",
        "updated_at",
        "matched_at",
        "background_check_verified_by",
        "background_check_verified_at",
    )
    fieldsets = (
        (None, {"fields": ("user", "display_name", "bio", "paused")}),
        ("Interests", {"fields": ("skills", "causes", "languages")}),
        (
            "Where and when",
            {
                "fields": (
                    "postcode",
                    ("latitude", "longitude"),
                    "max_travel_km",
                    "modes",
                    "availability",
                    "max_hours_per_week",
                    "max_commitments",
                )
            },
        ),
        (
            "Private",
            {
                "description": "Never shown to other volunteers or the public.",
                "fields": (
                    "date_of_birth",
                    "background_check_status",
                    ("background_check_cleared_on", "background_check_expires_on"),
                    ("background_check_verified_by", "background_check_verified_at"),
                    "lived_experience",
                    "share_lived_experience",
                ),
            },
        ),
        ("Record", {"fields": ("created_at", "updated_at", "matched_at")}),
    )


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ViewOnlyAdmin):
    list_display = ("profile", "training_type", "completed_on", "expires_on", "verified")
    list_filter = (
        "verified",
        "training_type",
        "profile__background_check_status",
        "profile__paused",
    )
    search_fields = ("profile__display_name", "profile__user__email")
    list_select_related = ("profile", "training_type")
    raw_id_fields = ("profile",)
    readonly_fields = _VERIFICATION_FIELDS
    actions = ["verify_selected"]

    @admin.action(description="Verify the selected trainings (I have seen the certificates)")
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[TrainingRecord]) -> None:
        run_service_action(
            self,
            request,
            queryset.select_related("profile", "training_type"),
            lambda record: training_verify(record=record, verified_by=request.user),
            "{count} training(s) verified.",
        )
