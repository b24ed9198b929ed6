"""Register the lifecycle's daily sweep with django-celery-beat. Idempotent: re-running finds the
row by name and only brings it back to these settings; reversing removes it.

Early morning, local time (CELERY_TIMEZONE): the sweep's withdrawals happen before the
notifications' digest (07:00) counts what waits for review.
"""

from django.db import migrations

SWEEP = "lifecycle: daily sweep"


def register(apps, schema_editor):
    from django.conf import settings

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="5",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.CELERY_TIMEZONE,
    )
    PeriodicTask.objects.update_or_create(
        name=SWEEP,
        defaults={
            "task": "lifecycle.daily_sweep",
            "crontab": crontab,
            "interval": None,
            "enabled": True,
        },
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=SWEEP).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(register, unregister)]
