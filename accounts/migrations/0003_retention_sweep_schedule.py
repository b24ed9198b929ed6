"""Schedule the daily retention sweep (accounts/services/retention.py) with django-celery-beat
(backend/beat.py: idempotent and reversible). 02:30 local time, before the scoring refit (03:30) and the lifecycle's
sweep (05:00): a quiet hour, its purges meet few requests."""

from django.db import migrations

from backend.beat import daily_task_register, tasks_unregister

NAME = "accounts: retention sweep"


def register(apps, schema_editor):
    daily_task_register(apps, name=NAME, task="accounts.retention_sweep", hour=2, minute=30)


def unregister(apps, schema_editor):
    tasks_unregister(apps, [NAME])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_device_tokens_and_account_activity"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
