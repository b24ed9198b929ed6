"""Signing in and out (a browser session with CSRF; the same checks as the API's token endpoint,
django-axes' lockout included) and signing up as a volunteer (the API's registration service,
which emails the link that accounts/pages.py opens)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.services.sessions import user_session_sign_in, user_session_sign_out
from backend.errors import ApplicationError
from organizations.membership import verified_organization_ids_of
from pages.forms import SignInForm, SignUpForm, add_service_errors
from pages.views.common import within_budget
from volunteers.services.registration import volunteer_register

#: The API's ``auth`` budget (sign-in, sign-up) applies to the pages' forms too.
TOO_MANY_ATTEMPTS_MESSAGE = _("Too many attempts from here just now; wait a minute and try again.")


def _next_page(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return ""


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not within_budget(request, "auth"):
            form.add_error(None, TOO_MANY_ATTEMPTS_MESSAGE)
        elif form.is_valid():
            try:
                user = user_session_sign_in(
                    request=request,
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password"],
                    otp=form.cleaned_data["otp"] or None,
                )
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                return redirect(_next_page(request) or _landing(user))
        status = 400
    context = {"form": form, "next": _next_page(request)}
    return render(request, "pages/sign_in.html", context, status=status)


def _landing(user: object) -> str:
    if hasattr(user, "volunteer_profile"):
        return "pages:my-roles"
    if verified_organization_ids_of(user).exists():
        return "pages:review"
    return "pages:home"


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    user_session_sign_out(request=request)
    return redirect("pages:home")


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST":
        if not within_budget(request, "auth"):
            form.add_error(None, TOO_MANY_ATTEMPTS_MESSAGE)
        elif form.is_valid():
            try:
                volunteer_register(**form.cleaned_data)
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                # The same answer whether or not the address had an account (as the API's 202).
                return redirect("pages:sign-up-sent")
        return render(request, "pages/sign_up.html", {"form": form}, status=400)
    return render(request, "pages/sign_up.html", {"form": form})


def sign_up_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/sign_up_sent.html")
