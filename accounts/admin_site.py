"""The admin site: django-otp's ``OTPAdminSite``, so a member of staff signs in to the admin with
their password and the current code of their authenticator app, and a session that has not passed
the second factor is not let in (accounts/second_factor.py). With
``STAFF_SECOND_FACTOR_REQUIRED`` off it behaves as Django's plain site, read on each request so a
test (or a deployment) can switch it.

It is the class of the one ``admin.site`` (swapped in ``AccountsConfig.ready``, as django-otp
documents), so every app's ``admin.register`` and backend/urls.py keep working unchanged; the
django-axes lockout of the admin login is untouched, and a wrong code counts as a failed sign-in.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from accounts import second_factor


class SecondFactorAdminAuthenticationForm(OTPAdminAuthenticationForm):
    """django-otp's admin login form, with the account's only device chosen for the member of
    staff (django-otp 1.7 asks to pick one otherwise, on a second round trip), a clear answer for
    an account with no device, and a wrong code counted by django-axes."""

    otp_error_messages = {
        **OTPAdminAuthenticationForm.otp_error_messages,
        "token_required": gettext_lazy("Enter the 6-digit code from your authenticator app."),
        "invalid_token": gettext_lazy(second_factor.INVALID_MESSAGE),
    }

    def clean_otp(self, user: Any) -> None:
        if user is None:
            return
        devices = second_factor.confirmed_devices(user)
        if not devices:
            raise forms.ValidationError(
                gettext(second_factor.SETUP_REQUIRED_MESSAGE),
                code=second_factor.SETUP_REQUIRED_CODE,
            )
        if not self.cleaned_data.get("otp_device") and len(devices) == 1:
            self.cleaned_data["otp_device"] = devices[0].persistent_id
        try:
            super().clean_otp(user)
        except forms.ValidationError:
            if self.cleaned_data.get("otp_token") and not self.cleaned_data.get("otp_challenge"):
                second_factor.code_failed(user=user, http_request=self.request)
            raise


class SecondFactorAdminSite(OTPAdminSite):
    """``OTPAdminSite`` while the setting is on, Django's plain ``AdminSite`` while it is off."""

    @property  # type: ignore[override]  # read per request, where the parent has a class attribute
    def login_form(self) -> type[AdminAuthenticationForm]:
        if settings.STAFF_SECOND_FACTOR_REQUIRED:
            return SecondFactorAdminAuthenticationForm
        return AdminAuthenticationForm

    @property  # type: ignore[override]
    def login_template(self) -> str:
        if settings.STAFF_SECOND_FACTOR_REQUIRED:
            return str(OTPAdminSite.login_template)
        return "admin/login.html"

    def has_permission(self, request: HttpRequest) -> bool:
        if settings.STAFF_SECOND_FACTOR_REQUIRED:
            return bool(super().has_permission(request))
        return AdminSite.has_permission(self, request)
