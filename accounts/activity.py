"""When an account was last used. Token authentication does not touch ``last_login``, so each
authenticated request records the day here instead, at most one write per account per
``SEEN_RESOLUTION`` (and per token for its ``last_used_at``): the retention sweep reads it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

SEEN_RESOLUTION = timedelta(hours=1)


def account_seen(user: Any) -> None:
    """Record that the account was used now; clears inactivity warnings already sent."""
    now = timezone.now()
    if user.last_seen_at is not None and now - user.last_seen_at < SEEN_RESOLUTION:
        return
    # ``__class__``, not ``type()``: a session user is django-otp's lazy wrapper of the account.
    user.__class__.objects.filter(pk=user.pk).update(
        last_seen_at=now, inactivity_warnings_sent=0, inactivity_warned_at=None
    )
    user.last_seen_at = now
    user.inactivity_warnings_sent = 0
    user.inactivity_warned_at = None


def token_used(token: Any) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < SEEN_RESOLUTION:
        return
    type(token).objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
