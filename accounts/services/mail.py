"""The one way an email about an account is sent: to the account's address, from the project's
sender (the verification, reset, password-changed, sign-up-attempt and retention emails)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage


def account_email_send(*, user: Any, subject: str, body: str) -> None:
    EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    ).send()
