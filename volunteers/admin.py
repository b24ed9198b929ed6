"""Staff tools. The admin is staff-only, so private fields (date of birth, background check, lived
experience) are visible here; verification fields stay read-only because a verification must name
who made it and when, which only the services record."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.errors import ApplicationError

from .models import TrainingRecord, VolunteerProfile
from .services import training_verify

_VERIFICATION_FIELDS = ("verified", "verified_by", "verified_at")


class TrainingRecordInline(admin.TabularInline):
    model = TrainingRecord
    extra = 0
    fields = ("training_type", "completed_on", "expires_on", *_VERIFICATION_FIELDS)
    readonly_fields = _VERIFICATION_FIELDS


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(admin.ModelAdmin):
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
class TrainingRecordAdmin(admin.ModelAdmin):
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
        verified = 0
        for record in queryset.select_related("profile", "training_type"):
            try:
                training_verify(record=record, verified_by=request.user)
            except ApplicationError as exc:
                self.message_user(request, f"{record}: {exc.message}", level=messages.WARNING)
            else:
                verified += 1
        self.message_user(request, f"{verified} training(s) verified.")
