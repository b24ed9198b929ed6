"""Marking notifications read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from notifications.models import Notification

if TYPE_CHECKING:
    from accounts.models import User


def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, recipient: User) -> int:
    return Notification.objects.filter(recipient=recipient).unread().update(read_at=timezone.now())
