"""The volunteer's data rights on the pages: download everything held about them, and erase their
account with their password. The API's services (``volunteer_export``, ``volunteer_erase``); the
erasure checks a password, so it has the API's sign-in budget (the ``auth`` throttle scope)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from accounts.services.sessions import user_session_sign_out
from backend.errors import ApplicationError
from pages.views.common import volunteer_required, within_budget
from volunteers.selectors import volunteer_profile_of
from volunteers.services.data_rights import volunteer_erase, volunteer_export


@never_cache
@volunteer_required
def account(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/volunteer/account.html", {"errors": {}})


@never_cache
@volunteer_required
def export(request: HttpRequest) -> HttpResponse:
    data = volunteer_export(profile=volunteer_profile_of(user=request.user))
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="kindred-match-export.json"'
    return response


@never_cache
@sensitive_post_parameters("password")
@volunteer_required
@require_http_methods(["POST"])
def erase(request: HttpRequest) -> HttpResponse:
    if not within_budget(request, "auth"):
        messages.error(request, _("Too many attempts just now; try again in a minute."))
        return redirect("pages:account")
    profile = volunteer_profile_of(user=request.user)
    try:
        volunteer_erase(profile=profile, password=request.POST.get("password", ""))
    except ApplicationError as error:
        errors = {name: [str(m) for m in msgs] for name, msgs in error.fields.items()}
        context = {"errors": errors or {"__all__": [error.message]}}
        return render(request, "pages/volunteer/account.html", context, status=400)
    user_session_sign_out(request=request)
    messages.success(request, _("Your account and your data are erased."))
    return redirect("pages:home")
