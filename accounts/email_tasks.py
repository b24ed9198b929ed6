"""Emails about an account (verification, password reset and change, a sign-up with an address
that has an account), sent by the worker. Each task takes the account's id, re-reads it and sends
nothing when there is nothing to say any more (a verified address, a deactivated account); the
services queue them after commit (accounts/services/links.py)."""

from __future__ import annotations

import smtplib

from celery import shared_task

from accounts.services import email_verification, passwords

#: SMTP hiccups are retried with exponential back-off, as notifications/tasks.py does.
_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(name="accounts.email_verification", acks_late=True, **_RETRY)
def email_verification_task(user_id: int) -> bool:
    return email_verification.email_verification_send(user_id=user_id)


@shared_task(name="accounts.sign_up_attempt_email", acks_late=True, **_RETRY)
def sign_up_attempt_email_task(user_id: int) -> bool:
    return email_verification.sign_up_attempt_send(user_id=user_id)


@shared_task(name="accounts.password_reset_email", acks_late=True, **_RETRY)
def password_reset_email_task(user_id: int) -> bool:
    return passwords.password_reset_email_send(user_id=user_id)


@shared_task(name="accounts.password_changed_email", acks_late=True, **_RETRY)
def password_changed_email_task(user_id: int) -> bool:
    return passwords.password_changed_email_send(user_id=user_id)
