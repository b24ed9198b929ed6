"""The two pages emailed links open: verify an address, set a new password. They call the same
services as the API (accounts/services/), so a link works once whichever way it is followed.

A GET never consumes a link: mail scanners and link previews fetch URLs, so the page only shows
a button (a POST form with Django's CSRF token) or the form for the new password. The answers
are never cached, and the pages load nothing from elsewhere, so the token in the address reaches
no third party."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts.services.email_verification import (
    EMAIL_VERIFIED_MESSAGE,
    VERIFICATION_LINK_INVALID_MESSAGE,
    email_verification_link_valid,
    user_email_verify,
)
from accounts.services.passwords import (
    RESET_LINK_INVALID_CODE,
    RESET_LINK_INVALID_MESSAGE,
    password_reset_link_valid,
    user_password_reset_confirm,
)
from backend.errors import ApplicationError

PASSWORDS_DIFFER_MESSAGE = gettext_noop("The two passwords do not match.")
PASSWORD_SET_MESSAGE = gettext_noop(
    "Your new password is set, and every device was signed out. Sign in with it in the app."
)
VERIFY_TEMPLATE = "accounts/verify_email.html"
RESET_TEMPLATE = "accounts/password_reset.html"


@never_cache
@require_http_methods(["GET", "POST"])
def verify_email_page(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    if request.method == "POST":
        try:
            user_email_verify(uidb64=uidb64, token=token)
        except ApplicationError as error:
            return render(request, VERIFY_TEMPLATE, {"refused": error.message}, status=400)
        return render(request, VERIFY_TEMPLATE, {"done": gettext(EMAIL_VERIFIED_MESSAGE)})
    if not email_verification_link_valid(uidb64=uidb64, token=token):
        return render(
            request,
            VERIFY_TEMPLATE,
            {"refused": gettext(VERIFICATION_LINK_INVALID_MESSAGE)},
            status=400,
        )
    return render(request, VERIFY_TEMPLATE, {})


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_page(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    if request.method == "GET":
        if not password_reset_link_valid(uidb64=uidb64, token=token):
            return render(
                request,
                RESET_TEMPLATE,
                {"refused": gettext(RESET_LINK_INVALID_MESSAGE)},
                status=400,
            )
        return render(request, RESET_TEMPLATE, {})

    new_password = request.POST.get("new_password1", "")
    if new_password != request.POST.get("new_password2", ""):
        return render(
            request, RESET_TEMPLATE, {"errors": [gettext(PASSWORDS_DIFFER_MESSAGE)]}, status=400
        )
    try:
        user_password_reset_confirm(uidb64=uidb64, token=token, new_password=new_password)
    except ApplicationError as error:
        if error.code == RESET_LINK_INVALID_CODE:
            return render(request, RESET_TEMPLATE, {"refused": error.message}, status=400)
        messages = [message for field in error.fields.values() for message in field]
        return render(request, RESET_TEMPLATE, {"errors": messages or [error.message]}, status=400)
    return render(request, RESET_TEMPLATE, {"done": gettext(PASSWORD_SET_MESSAGE)})
