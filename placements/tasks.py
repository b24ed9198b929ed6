"""Celery tasks of the match lifecycle. Tasks take ids (or nothing), are safe to run twice, and call
one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from placements.services import sweep


@shared_task(name="lifecycle.daily_sweep", acks_late=True)
def lifecycle_daily_sweep_task() -> dict[str, int]:
    """Withdraw what is no longer eligible and start what has started (beat: daily, 05:00)."""
    return sweep.matches_sweep(today=timezone.localdate())
