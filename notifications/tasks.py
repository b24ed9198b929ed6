"""Celery tasks of notifications. Tasks take ids, are safe to run twice (each notification has a
unique key) and are queued after commit (notifications/dispatch.py)."""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.utils import timezone

from notifications.services import (
    delivery,
    digest,
    expiry_reminders,
    interest_notices,
    invitation_notices,
    transition_notices,
)

#: How far back the daily resend looks for transitions whose notices were never sent.
RESEND_WINDOW = dt.timedelta(days=3)

#: SMTP hiccups are retried with exponential back-off (2, 4, 8 ... s, at most 10 minutes apart).
_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 8,
}


@shared_task(name="notifications.notify_transition", acks_late=True, **_RETRY)
def notify_transition_task(transition_id: int) -> int:
    return len(transition_notices.notifications_for_transition(transition_id=transition_id))


@shared_task(name="notifications.review_digest", acks_late=True, **_RETRY)
def review_digest_task() -> int:
    return len(digest.notifications_review_digest(today=timezone.localdate()))


@shared_task(name="notifications.expiry_reminders", acks_late=True, **_RETRY)
def expiry_reminders_task() -> int:
    return len(expiry_reminders.notifications_expiry_reminders(today=timezone.localdate()))


@shared_task(name="notifications.resend_lost_notices", acks_late=True, **_RETRY)
def resend_lost_notices_task() -> int:
    """Send the notices of recent transitions whose task was lost (the broker was down when the
    match changed), then the emails of recent notices that never went out (the sending worker
    died, or the retries ran out). Daily, after the lifecycle sweep. Returns how many transitions
    it found without notices."""
    since = timezone.now() - RESEND_WINDOW
    handled = transition_notices.notices_reconcile(since=since)
    delivery.notifications_email_unsent(since=since)
    return handled


@shared_task(name="notifications.invitation_email", acks_late=True, **_RETRY)
def invitation_email_task(invitation_id: int) -> bool:
    return invitation_notices.invitation_email_send(invitation_id=invitation_id)


@shared_task(name="notifications.interest_notice", acks_late=True, **_RETRY)
def notify_interest_task(interest_id: int) -> int:
    return len(interest_notices.notifications_for_interest(interest_id=interest_id))
