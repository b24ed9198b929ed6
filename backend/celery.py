"""The Celery application; configuration lives in Django settings under the CELERY_ namespace."""

import os

from celery import Celery
from celery.signals import before_task_publish, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.local")

app = Celery("kindred")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_filesystem_broker_folders() -> None:
    """The filesystem transport does not create its folders; every process that publishes or
    consumes calls this first."""
    from pathlib import Path

    from django.conf import settings

    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if key in options:
            Path(options[key]).mkdir(parents=True, exist_ok=True)


@worker_init.connect
def _prepare_worker(**_: object) -> None:
    ensure_filesystem_broker_folders()


_broker_folders_ready = False


@before_task_publish.connect
def _prepare_publisher(**_: object) -> None:
    global _broker_folders_ready
    if not _broker_folders_ready:
        ensure_filesystem_broker_folders()
        _broker_folders_ready = True
