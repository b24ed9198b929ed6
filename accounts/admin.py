import contextlib

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from knox.models import AuthToken

from .models import DeviceToken, User


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


# knox registers its token model in the admin; a token is its owner's to list and revoke (the API),
# and staff have no business with its digest. Nobody reads tokens here.
for token_model in (AuthToken, DeviceToken):
    with contextlib.suppress(NotRegistered):
        admin.site.unregister(token_model)
