"""Celery tasks of the match lifecycle. Celery autodiscovers only ``tasks.py``; this module is
imported by notifications/tasks.py so its tasks are registered in every worker."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.utils import timezone

from matching import lifecycle

#: How far back the sweep looks for transitions whose notices were never sent.
RECONCILE_WINDOW = dt.timedelta(days=3)


@shared_task(name="lifecycle.daily_sweep", acks_late=True)
def lifecycle_daily_sweep_task() -> dict[str, int]:
    """Withdraw what is no longer eligible, start what has started, resend lost notices."""
    from notifications.services import notices_reconcile

    result = lifecycle.matches_sweep(today=timezone.localdate())
    result["notices_resent"] = notices_reconcile(since=timezone.now() - RECONCILE_WINDOW)
    return result
