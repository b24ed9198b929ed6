"""Register the lifecycle's daily sweep with django-celery-beat (backend/beat.py: idempotent and
reversible).

Early morning, local time (CELERY_TIMEZONE): the sweep's withdrawals happen before the
notifications' digest (07:00) counts what waits for review.
"""

from django.db import migrations

from backend.beat import daily_task_register, tasks_unregister

SWEEP = "lifecycle: daily sweep"


def register(apps, schema_editor):
    daily_task_register(apps, name=SWEEP, task="lifecycle.daily_sweep", hour=5, minute=0)


def unregister(apps, schema_editor):
    tasks_unregister(apps, [SWEEP])


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(register, unregister)]
