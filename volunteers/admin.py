"""Staff tools. The admin is staff-only, so the date of birth and the background check are visible
here; lived experience is not (only whether it is shared): every read of it is for a coordinator of
a role that values it, and is written to the volunteer's access log. Profiles and trainings are view-only (backend/admin.py): the
volunteer edits their profile through the API, and a verification goes through its service, which
names who made it and when. A date of birth is corrected on its own admin page (admin_forms),
through the same service as the staff API."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from backend.admin import ViewOnlyAdmin, ViewOnlyInline, run_service_action

from .admin_forms import date_of_birth_view
from .models import DateOfBirthCorrection, TrainingRecord, VolunteerProfile
from .services.verification import background_check_confirm, training_confirm, training_verify

_VERIFICATION_FIELDS = ("verified", "verified_by", "verified_at", "verified_for")


class TrainingRecordInline(ViewOnlyInline):
    model = TrainingRecord
    fields = ("training_type", "completed_on", "expires_on", *_VERIFICATION_FIELDS)
    readonly_fields = fields


class DateOfBirthCorrectionInline(ViewOnlyInline):
    model = DateOfBirthCorrection
    fields = ("corrected_at", "corrected_by", "note")
    readonly_fields = fields


@admin.register(VolunteerProfile)
class VolunteerProfileAdmin(ViewOnlyAdmin):
    list_display = ("display_name", "user", "background_check_status", "paused", "updated_at")
    list_filter = ("background_check_status", "paused", "share_lived_experience")
    search_fields = ("display_name", "user__email", "postcode")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    filter_horizontal = ("skills", "causes", "languages")
    inlines = [TrainingRecordInline, DateOfBirthCorrectionInline]
    readonly_fields = (
        "created_at",
        "updated_at",
        "matched_at",
        "background_check_verified_by",
        "background_check_verified_at",
        "background_check_verified_for",
        "correct_date_of_birth",
    )
    actions = ["confirm_checks"]
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
                    ("date_of_birth", "correct_date_of_birth"),
                    "background_check_status",
                    ("background_check_cleared_on", "background_check_expires_on"),
                    ("background_check_verified_by", "background_check_verified_at"),
                    "background_check_verified_for",
                    "share_lived_experience",
                ),
            },
        ),
        ("Record", {"fields": ("created_at", "updated_at", "matched_at")}),
    )

    @admin.display(description="Correction")
    def correct_date_of_birth(self, profile: VolunteerProfile) -> str:
        url = reverse("admin:volunteers_volunteerprofile_date_of_birth", args=[profile.pk])
        return format_html('<a href="{}">Correct the date of birth (with a note)</a>', url)

    def get_urls(self) -> list[URLPattern]:
        def view(request: HttpRequest, object_id: str) -> HttpResponse:
            return date_of_birth_view(self, request, object_id)

        own = [
            path(
                "<path:object_id>/date-of-birth/",
                self.admin_site.admin_view(view),
                name="volunteers_volunteerprofile_date_of_birth",
            )
        ]
        return own + super().get_urls()

    @admin.action(description="Confirm the coordinators' background checks (counts for every role)")
    def confirm_checks(self, request: HttpRequest, queryset: QuerySet[VolunteerProfile]) -> None:
        run_service_action(
            self,
            request,
            queryset,
            lambda profile: background_check_confirm(profile=profile, confirmed_by=request.user),
            "{count} check(s) confirmed.",
        )


@admin.register(TrainingRecord)
class TrainingRecordAdmin(ViewOnlyAdmin):
    list_display = (
        "profile",
        "training_type",
        "completed_on",
        "expires_on",
        "verified",
        "verified_for",
    )
    list_filter = (
        "verified",
        ("verified_for", admin.EmptyFieldListFilter),
        "training_type",
        "profile__background_check_status",
        "profile__paused",
    )
    search_fields = ("profile__display_name", "profile__user__email")
    list_select_related = ("profile", "training_type")
    raw_id_fields = ("profile",)
    readonly_fields = _VERIFICATION_FIELDS
    actions = ["verify_selected", "confirm_selected"]

    @admin.action(
        description="Verify the selected trainings for every role (I have seen the certificates)"
    )
    def verify_selected(self, request: HttpRequest, queryset: QuerySet[TrainingRecord]) -> None:
        run_service_action(
            self,
            request,
            queryset.select_related("profile", "training_type"),
            lambda record: training_verify(record=record, verified_by=request.user),
            "{count} training(s) verified.",
        )

    @admin.action(description="Confirm the coordinators' verifications (counts for every role)")
    def confirm_selected(self, request: HttpRequest, queryset: QuerySet[TrainingRecord]) -> None:
        run_service_action(
            self,
            request,
            queryset.select_related("profile", "training_type"),
            lambda record: training_confirm(record=record, confirmed_by=request.user),
            "{count} verification(s) confirmed.",
        )
