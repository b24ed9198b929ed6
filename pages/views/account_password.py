"""Passwords on the pages: change it while signed in (with the current one), or set a new one from
the emailed link ("Forgot your password?" on the sign-in page). The API's services
(accounts/services/passwords.py): the same validators, the same lockout lift, the same "password
changed" email, and every API token revoked. A change keeps this browser signed in (its session
takes the new password's hash); every other session no longer matches and is signed out."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.models import User
from accounts.services.passwords import (
    RESET_LINK_INVALID_CODE,
    RESET_LINK_INVALID_MESSAGE,
    RESET_REQUESTED_MESSAGE,
    password_reset_link_valid,
    reset_minutes,
    user_password_change,
    user_password_reset_confirm,
    user_password_reset_request,
)
from backend.errors import ApplicationError
from pages.views.account import TOO_MANY_ATTEMPTS_MESSAGE
from pages.views.account_forms import (
    PasswordChangeForm,
    PasswordResetConfirmForm,
    PasswordResetRequestForm,
    add_password_errors,
)
from pages.views.common import signed_in_required, within_budget

# Marked for the catalogue (gettext_noop), translated when shown: tests compare the English.
PASSWORD_CHANGED_MESSAGE = gettext_noop(
    "Your password is changed. Every other device and browser was signed out; this one stays "
    "signed in."
)
PASSWORD_SET_MESSAGE = gettext_noop(
    "Your new password is set, and every device was signed out. Sign in with it now."
)
CONFIRM_TEMPLATE = "pages/account/password_reset_confirm.html"


@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@signed_in_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        # The old password is checked: the API's sign-in budget, so guessing it here is as slow.
        if not within_budget(request, "auth"):
            form.add_error(None, TOO_MANY_ATTEMPTS_MESSAGE)
        elif form.is_valid():
            user = cast(User, request.user)  # signed_in_required
            try:
                user_password_change(
                    user=user,
                    old_password=form.cleaned_data["old_password"],
                    new_password=form.cleaned_data["new_password1"],
                    issue_token=False,
                )
            except ApplicationError as error:
                add_password_errors(form, error)
            else:
                # This browser stays signed in: its session takes the new password's hash.
                user.refresh_from_db(fields=["password"])
                update_session_auth_hash(request, user)
                messages.success(request, _(PASSWORD_CHANGED_MESSAGE))
                return redirect("pages:sessions")
        status = 400
    return render(request, "pages/account/password_change.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for the link. The same answer whether or not the address has an account."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST":
        if not within_budget(request, "auth"):
            form.add_error(None, TOO_MANY_ATTEMPTS_MESSAGE)
        elif form.is_valid():
            user_password_reset_request(email=form.cleaned_data["email"])
            return redirect("pages:password-reset-sent")
        return render(request, "pages/account/password_reset.html", {"form": form}, status=400)
    return render(request, "pages/account/password_reset.html", {"form": form})


def password_reset_sent(request: HttpRequest) -> HttpResponse:
    message = _(RESET_REQUESTED_MESSAGE).format(minutes=reset_minutes())
    return render(request, "pages/account/password_reset_sent.html", {"message": message})


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page the emailed link opens. A GET only shows the form (mail scanners fetch links:
    looking must not use the link up); the POST sets the password, once."""
    refused = {"refused": _(RESET_LINK_INVALID_MESSAGE)}
    # A dead link says so first, whatever was typed (the service checks again, under a lock).
    if not password_reset_link_valid(uidb64=uidb64, token=token):
        return render(request, CONFIRM_TEMPLATE, refused, status=400)
    if request.method == "GET":
        return render(request, CONFIRM_TEMPLATE, {"form": PasswordResetConfirmForm()})
    form = PasswordResetConfirmForm(request.POST)
    if form.is_valid():
        try:
            user_password_reset_confirm(
                uidb64=uidb64, token=token, new_password=form.cleaned_data["new_password1"]
            )
        except ApplicationError as error:
            if error.code == RESET_LINK_INVALID_CODE:
                return render(request, CONFIRM_TEMPLATE, refused, status=400)
            add_password_errors(form, error)
        else:
            return render(request, CONFIRM_TEMPLATE, {"done": _(PASSWORD_SET_MESSAGE)})
    return render(request, CONFIRM_TEMPLATE, {"form": form}, status=400)
