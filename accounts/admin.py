import contextlib
from typing import Any

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from knox.models import AuthToken

from backend.admin import run_service_action

from .models import DeviceToken, User
from .services.erasure import account_erase


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (
            "Important dates",
            {"fields": ("last_login", "last_seen_at", "email_verified_at", "date_joined")},
        ),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    actions = ("erase_accounts",)

    # An account is never deleted: its row is what the organizations' match history, the audit
    # log and the hours point at (matching.Match.volunteer is PROTECT, so the ORM would refuse
    # anyway). It leaves by erasure, the same service as the retention sweep and a volunteer's own
    # request: "Erase account" below.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="Erase account", permissions=["change"])
    def erase_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        run_service_action(
            self,
            request,
            queryset.order_by("pk"),
            lambda user: account_erase(user=user),
            "{count} account(s) erased: personal data gone, the organizations' records kept.",
        )


# knox registers its token model in the admin; a token is its owner's to list and revoke (the API),
# and staff have no business with its digest. Nobody reads tokens here.
for token_model in (AuthToken, DeviceToken):
    with contextlib.suppress(NotRegistered):
        admin.site.unregister(token_model)
