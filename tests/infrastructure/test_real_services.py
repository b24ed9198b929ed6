"""The production path on real servers: run when the environment points the suite at them (.ci/run
does: DATABASE_URL=postgres://..., CELERY_BROKER_URL=redis://...), skipped with the reason otherwise."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django_celery_results.models import TaskResult

from suggestions.tasks import ping
from tests.support.worker import TASK_RESULT_TIMEOUT, running_worker

needs_redis = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis://"),
    reason="CELERY_BROKER_URL does not point at Redis (set CELERY_BROKER_URL=redis://...)",
)
needs_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="DATABASE_URL does not point at PostgreSQL (set DATABASE_URL=postgres://...)",
)


@pytest.mark.redis
@pytest.mark.worker
@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_task_makes_the_round_trip_through_redis_to_a_real_worker():
    with running_worker() as worker:
        result = ping.apply_async()
        assert result.get(timeout=TASK_RESULT_TIMEOUT) == "pong"

    assert "Connected to redis://" in worker.output()
    # This run's own queue on the shared server (backend/settings/test.py).
    assert result.id in worker.output()
    assert f"kindred-test-{settings.TEST_RUN_ID}" == settings.CELERY_TASK_DEFAULT_QUEUE
    assert f".> {settings.CELERY_TASK_DEFAULT_QUEUE}" in worker.output()


@pytest.mark.postgres
@pytest.mark.worker
@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_writes_to_the_postgresql_test_database_that_the_test_reads():
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")

    with running_worker() as worker:
        result = ping.delay()
        assert result.get(timeout=TASK_RESULT_TIMEOUT) == "pong"

    row = TaskResult.objects.get(task_id=result.id)
    assert (row.status, row.task_name, row.worker) == ("SUCCESS", "matching.ping", worker.hostname)
