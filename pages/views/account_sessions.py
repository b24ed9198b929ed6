"""Where the account is signed in: its API tokens (one per app or device, the API's
``auth/tokens/``) and this browser. Signing one token out, or all of them, is the API's
``user_token_revoke`` / ``user_tokens_revoke_all`` (the services behind ``auth/tokens/<id>/`` and
``auth/logout-all/``).

Browser sessions are not tracked per account (Django's session rows do not name their user), so
the page cannot list other browsers; changing the password signs every one of them out (their
sessions no longer match the password's hash), and the page says so."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.services.tokens import user_token_revoke, user_tokens_live, user_tokens_revoke_all
from backend.errors import NotFoundError
from pages.views.common import signed_in_required


@never_cache
@signed_in_required
def sessions(request: HttpRequest) -> HttpResponse:
    tokens = user_tokens_live(user=request.user).order_by("-created")
    return render(request, "pages/account/sessions.html", {"tokens": tokens})


@signed_in_required
@require_POST
def token_sign_out(request: HttpRequest, token_id: str) -> HttpResponse:
    try:
        user_token_revoke(user=request.user, token_id=token_id)
    except NotFoundError:
        raise Http404 from None  # someone else's token, or none: the same answer
    messages.success(request, _("That device is signed out."))
    return redirect("pages:sessions")


@signed_in_required
@require_POST
def tokens_sign_out_all(request: HttpRequest) -> HttpResponse:
    count = user_tokens_revoke_all(user=request.user)
    words = ngettext(
        "%(count)d device signed out. This browser stays signed in.",
        "%(count)d devices signed out. This browser stays signed in.",
        count,
    )
    messages.success(request, words % {"count": count})
    return redirect("pages:sessions")
