"""Register the matching engine's periodic tasks with django-celery-beat (idempotent).

* reconcile every 5 minutes: a profile or role changed while the broker was down is matched within
  5 minutes of the broker coming back;
* refit the scoring model nightly at 03:30 local time, when nobody is reviewing.

Re-running the migration (or running it on a database where an operator already created the
entries) updates the entries by name instead of duplicating them; an operator's ``enabled`` choice
is kept.
"""

from django.conf import settings
from django.db import migrations
from django.utils import timezone

RECONCILE = "matching: reconcile stale matches"
REFIT = "matching: refit scoring model"


def register(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")

    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=5, period="minutes")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.update_or_create(
        name=RECONCILE,
        defaults={
            "task": "matching.reconcile_stale_matches",
            "interval": every_five_minutes,
            "crontab": None,
            "description": "Re-enqueue profiles and roles changed since they were last matched.",
        },
    )
    PeriodicTask.objects.update_or_create(
        name=REFIT,
        defaults={
            "task": "matching.scoring_model_refit",
            "crontab": nightly,
            "interval": None,
            "description": "Fit the scoring model on reviewed matches; promote only if as good.",
        },
    )
    # A running beat reloads its schedule when this timestamp moves (signals do not fire here).
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def unregister(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[RECONCILE, REFIT]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(register, unregister)]
