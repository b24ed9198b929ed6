"""Platform staff verify organizations here, through the service (with its audit row); the rows
themselves are view-only (backend/admin.py)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from backend.admin import ViewOnlyAdmin, ViewOnlyInline, run_service_action
from organizations.models import Invitation, Membership, Organization, OrganizationVerification
from organizations.services import organization_refuse_from_admin, organization_verify_from_admin


class VerificationInline(ViewOnlyInline):
    model = OrganizationVerification
    fields = (
        "decision",
        "decided_by",
        "decided_at",
        "registration_number",
        "website",
        "contact",
        "note",
    )
    readonly_fields = fields


class MembershipInline(ViewOnlyInline):
    model = Membership
    raw_id_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = fields


@admin.register(Organization)
class OrganizationAdmin(ViewOnlyAdmin):
    list_display = (
        "name",
        "verification_status",
        "registration_number",
        "verified_by",
        "verified_at",
        "contact_email",
        "postcode",
        "created_at",
    )
    list_filter = ("verification_status", "created_at")
    search_fields = ("name", "contact_email", "postcode", "registration_number")
    inlines = (VerificationInline, MembershipInline)
    actions = ("mark_verified", "mark_refused")

    @admin.action(
        description="Verify selected organizations (I checked their registration number and "
        "their contact confirmed)"
    )
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        run_service_action(
            self,
            request,
            queryset,
            lambda org: organization_verify_from_admin(organization=org, actor=request.user),
            "{count} organization(s) verified.",
        )

    @admin.action(
        description="Refuse selected organizations (their published roles go back to draft)"
    )
    def mark_refused(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        run_service_action(
            self,
            request,
            queryset,
            lambda org: organization_refuse_from_admin(organization=org, actor=request.user),
            "{count} organization(s) refused.",
        )


@admin.register(Membership)
class MembershipAdmin(ViewOnlyAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organization__name")
    raw_id_fields = ("user", "organization")


@admin.register(Invitation)
class InvitationAdmin(ViewOnlyAdmin):
    list_display = ("email", "organization", "role", "status", "expires_at", "created_at")
    list_filter = ("status", "role")
    search_fields = ("email", "organization__name")
    raw_id_fields = ("organization", "invited_by")
