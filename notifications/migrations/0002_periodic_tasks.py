"""Register the notifications' daily tasks with django-celery-beat. Idempotent: re-running finds the
rows by name and only brings them back to these settings; reversing removes them."""

from django.db import migrations

#: name -> (task, hour, minute). Early morning, local time (CELERY_TIMEZONE), staggered so the
#: lifecycle's sweep (05:00, placements' migration) withdraws before the digest counts what waits
#: for review. (Lost notices are resent from 0003.)
SCHEDULE = {
    "notifications: expiry reminders": ("notifications.expiry_reminders", "6", "0"),
    "notifications: review digest": ("notifications.review_digest", "7", "0"),
}


def register(apps, schema_editor):
    from django.conf import settings

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, hour, minute) in SCHEDULE.items():
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=settings.CELERY_TIMEZONE,
        )
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={"task": task, "crontab": crontab, "interval": None, "enabled": True},
        )


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(SCHEDULE)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
