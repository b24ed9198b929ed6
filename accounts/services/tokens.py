"""API tokens: issued at sign-in, one per device or client (django-rest-knox's token, swapped for
``accounts.DeviceToken``), listed and revoked by their owner.

A token ends: ``REST_KNOX["TOKEN_TTL"]`` after it was issued (``AUTH_TOKEN_TTL_DAYS``, 30) knox
deletes it on its next use and answers 401; its owner revokes it (one, the one in use, or all of
them); a password change or reset revokes all of them (``user_tokens_revoke_all``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from knox.settings import knox_settings

from accounts.models import DeviceToken
from accounts.services.second_factor import second_factor_check
from backend.errors import ApplicationError, NotFoundError

INVALID_CREDENTIALS_MESSAGE = gettext_noop(
    "That email address and password do not match an active account."
)
TOKEN_NOT_FOUND_MESSAGE = gettext_noop("You have no token with that id.")


DEFAULT_TOKEN_NAME = "API client"  # noqa: S105  (a label, not a secret)


def user_tokens_live(*, user: Any) -> QuerySet[DeviceToken]:
    """The tokens of ``user`` that still work, newest first (knox deletes an expired one only when
    it is next presented, so the expiry is filtered here)."""
    now = timezone.now()
    return DeviceToken.objects.filter(user=user).filter(Q(expiry__isnull=True) | Q(expiry__gt=now))


@transaction.atomic
def user_token_issue(
    *, user: Any, name: str = DEFAULT_TOKEN_NAME, user_agent: str = ""
) -> tuple[DeviceToken, str]:
    """A new device token for ``user``: the stored row (a digest) and the secret, shown once.

    Expired tokens go; past ``REST_KNOX["TOKEN_LIMIT_PER_USER"]`` (20) live tokens the oldest
    are revoked, rather than refusing the sign-in as knox's own login view does: an app that
    signs in again without logging out must not lock its owner out of new devices."""
    now = timezone.now()
    DeviceToken.objects.filter(user=user, expiry__lte=now).delete()
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None:
        keep = list(
            DeviceToken.objects.filter(user=user)
            .order_by("-created")
            .values_list("digest", flat=True)[: max(limit - 1, 0)]
        )
        DeviceToken.objects.filter(user=user).exclude(digest__in=keep).delete()
    return DeviceToken.objects.create(
        user=user, name=(name or DEFAULT_TOKEN_NAME)[:100], user_agent=user_agent[:200]
    )


def user_token_obtain(
    *,
    email: str,
    password: str,
    request: Any = None,
    name: str = DEFAULT_TOKEN_NAME,
    otp: str | None = None,
) -> tuple[DeviceToken, str]:
    """A new API token for the caller's device. One message for an unknown address, a wrong
    password and a deactivated account, so the answer does not reveal which accounts exist.

    The password is checked first; then a staff member's second factor (``otp``, the code of
    their authenticator app; accounts/services/second_factor.py), whose refusals say what is
    missing and whose wrong codes count as failed sign-ins."""
    # django-axes counts the attempt and flags a lockout on the HttpRequest itself (a DRF Request
    # wraps it); AxesMiddleware then answers 429 (accounts/lockout.py).
    http_request = getattr(request, "_request", request)
    user = authenticate(http_request, email=email.strip().lower(), password=password)
    if user is None:
        raise ApplicationError(gettext(INVALID_CREDENTIALS_MESSAGE), code="invalid_credentials")
    second_factor_check(user=user, code=otp, http_request=http_request)
    user_agent = ""
    if http_request is not None:
        user_agent = http_request.META.get("HTTP_USER_AGENT", "")
    return user_token_issue(user=user, name=name, user_agent=user_agent)


def user_token_revoke(*, user: Any, token_id: str) -> None:
    """Revoke one of ``user``'s own tokens by its id (knox's ``token_key``). Someone else's token,
    or none, is the same 404: a token id tells nobody whose it is."""
    deleted, _ = DeviceToken.objects.filter(user=user, token_key=token_id).delete()
    if not deleted:
        raise NotFoundError(gettext(TOKEN_NOT_FOUND_MESSAGE))


def user_tokens_revoke_all(*, user: Any) -> int:
    """Revoke every API token of ``user`` (a password change or reset, sign out everywhere); the
    number revoked."""
    deleted, _ = DeviceToken.objects.filter(user=user).delete()
    return deleted
