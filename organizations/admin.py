from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from .models import Membership, Organization


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ("user",)
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    """Platform staff verify organizations here; the API never lets anyone else set ``verified``."""

    list_display = ("name", "verified", "contact_email", "postcode", "created_at")
    list_editable = ("verified",)
    list_filter = ("verified", "created_at")
    search_fields = ("name", "contact_email", "postcode")
    readonly_fields = ("created_at", "updated_at")
    inlines = (MembershipInline,)
    actions = ("mark_verified", "mark_unverified")

    @admin.action(description="Mark selected organizations as verified")
    def mark_verified(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        queryset.update(verified=True)

    @admin.action(description="Mark selected organizations as not verified")
    def mark_unverified(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        queryset.update(verified=False)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__email", "organization__name")
    raw_id_fields = ("user", "organization")
