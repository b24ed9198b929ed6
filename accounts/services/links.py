"""The emailed links of an account (verify an address, set a new password): built on
``PUBLIC_BASE_URL``, naming the account by ``uidb64`` (Django's encoding of its id), and queued
emails that carry them (accounts/email_tasks.py)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

logger = logging.getLogger(__name__)


def uidb64_of(user: Any) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def link_user(uidb64: str) -> Any | None:
    """The active account a link names, or None for garbage, an unknown id or a deactivated
    account (they all get one message: the link does not work)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    if not 0 < pk < 2**63:  # beyond a 64-bit key the database would raise, not answer
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


def public_link(url_name: str, *, user: Any, token: str) -> str:
    """``{PUBLIC_BASE_URL}/account/.../<uidb64>/<token>/``: the page that opens from the email."""
    path = reverse(url_name, kwargs={"uidb64": uidb64_of(user), "token": token})
    return f"{settings.PUBLIC_BASE_URL}{path}"


def account_email_queue(*, task_name: str, user_id: int) -> None:
    """Queue ``accounts.email_tasks.<task_name>(user_id)`` after the current transaction commits
    (at once outside one). A broker that is down must not fail the change, which is saved: the
    person can ask again (resend, another reset), so the failure is logged, not raised."""
    # Imported here: the tasks module imports the services that build each email.
    from accounts import email_tasks

    task = getattr(email_tasks, task_name)

    def send() -> None:
        try:
            task.delay(user_id)
        except Exception:  # kombu raises many types for an unreachable broker
            logger.warning("Could not queue %s for user:%s", task_name, user_id)

    transaction.on_commit(send, robust=True)
