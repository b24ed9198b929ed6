"""Schedule the daily archive of old withdrawn suggestions (suggestions/services/retention.py) with
django-celery-beat (backend/beat.py: idempotent and reversible). 04:15 local time: after the
retention sweep (02:30) and the refit (03:30), before the lifecycle's sweep (05:00)."""

from django.db import migrations

from backend.beat import daily_task_register, tasks_unregister

NAME = "matching: archive old withdrawn suggestions"


def register(apps, schema_editor):
    daily_task_register(
        apps, name=NAME, task="matching.suggestions_archive_withdrawn", hour=4, minute=15
    )


def unregister(apps, schema_editor):
    tasks_unregister(apps, [NAME])


class Migration(migrations.Migration):
    dependencies = [
        ("suggestions", "0002_run_plan_slice"),
        ("matching", "0006_archived_suggestions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
