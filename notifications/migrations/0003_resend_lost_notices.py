"""Schedule the daily resend of lost notices (05:30, after the lifecycle's sweep at 05:00), which
the sweep itself used to do. Idempotent, like 0002."""

from django.db import migrations

NAME = "notifications: resend lost notices"


def register(apps, schema_editor):
    from django.conf import settings

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="5",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.CELERY_TIMEZONE,
    )
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": "notifications.resend_lost_notices",
            "crontab": crontab,
            "interval": None,
            "enabled": True,
        },
    )


def unregister(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_periodic_tasks")]

    operations = [migrations.RunPython(register, unregister)]
