"""Schedule the daily resend of lost notices (05:30, after the lifecycle's sweep at 05:00), which
the sweep itself used to do (backend/beat.py: idempotent and reversible)."""

from django.db import migrations

from backend.beat import daily_task_register, tasks_unregister

NAME = "notifications: resend lost notices"


def register(apps, schema_editor):
    daily_task_register(
        apps, name=NAME, task="notifications.resend_lost_notices", hour=5, minute=30
    )


def unregister(apps, schema_editor):
    tasks_unregister(apps, [NAME])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_periodic_tasks")]

    operations = [migrations.RunPython(register, unregister)]
