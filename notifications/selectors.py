"""Who may see which notification: only its recipient (anything else is a 404)."""

from __future__ import annotations

from typing import Any

from notifications.models import Notification, NotificationQuerySet
from organizations.membership import signed_in


def notifications_of(user: Any) -> NotificationQuerySet:
    if not signed_in(user):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)
