"""Registering periodic tasks with django-celery-beat from a data migration, the same way in every
app: idempotent (found by name, brought back to these settings), reversible, and a running beat
reloads its schedule (the timestamp it watches moves; model signals do not fire in migrations).

Migrations pass their historical ``apps``; nothing here imports a model directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone


def daily_task_register(apps: Any, *, name: str, task: str, hour: int, minute: int) -> None:
    """Run ``task`` every day at hour:minute local time (CELERY_TIMEZONE)."""
    crontab_model = apps.get_model("django_celery_beat", "CrontabSchedule")
    crontab, _ = crontab_model.objects.get_or_create(
        minute=str(minute),
        hour=str(hour),
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.CELERY_TIMEZONE,
    )
    apps.get_model("django_celery_beat", "PeriodicTask").objects.update_or_create(
        name=name,
        defaults={"task": task, "crontab": crontab, "interval": None, "enabled": True},
    )
    _schedule_changed(apps)


def tasks_unregister(apps: Any, names: Iterable[str]) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name__in=list(names)
    ).delete()
    _schedule_changed(apps)


def _schedule_changed(apps: Any) -> None:
    apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()}
    )
