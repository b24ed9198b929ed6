"""Platform staff verify organizations here, through the service (with its audit row); the rows
themselves are view-only (backend/admin.py)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.admin import ViewOnlyAdmin, ViewOnlyInline, run_service_action
from organizations.models import Membership, Organization
from organizations.services import organization_verification_set


class MembershipInline(ViewOnlyInline):
    model = Membership
    raw_id_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = fields


@admin.register(Organization)
class OrganizationAdmin(ViewOnlyAdmin):
    list_display = ("name", "verification_status", "contact_email", "postcode", "created_at")
    list_filter = ("verification_status", "created_at")
    search_fields = ("name", "contact_email", "postcode")
    inlines = (MembershipInline,)
    actions = ("mark_verified", "mark_unverified")

    @admin.action(description="Mark selected organizations as verified (I have checked them)")
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        run_service_action(
            self,
            request,
            queryset,
            lambda org: organization_verification_set(
                organization=org, verified=True, actor=request.user
            ),
            "{count} organization(s) verified.",
        )

    @admin.action(description="Mark selected organizations as not verified")
    def mark_unverified(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        run_service_action(
            self,
            request,
            queryset,
            lambda org: organization_verification_set(
                organization=org, verified=False, actor=request.user
            ),
            "{count} organization(s) marked as not verified.",
        )


@admin.register(Membership)
class MembershipAdmin(ViewOnlyAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organization__name")
    raw_id_fields = ("user", "organization")
