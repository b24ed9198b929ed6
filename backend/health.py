"""``GET /healthz``: can this process reach the database and the broker? Answers JSON, 200 or 503."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from backend.celery import app as celery_app


def _check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "unreachable"; the message says which
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor}


def _check_broker() -> dict[str, Any]:
    # The URL is read from settings on every request (not from the Celery app's cached config), so
    # the answer follows the settings this process runs with.
    url = settings.CELERY_BROKER_URL
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {})
    try:
        with celery_app.connection_for_write(url=url, transport_options=options) as conn:
            # One attempt, no back-off: a load balancer polls this, and an unreachable broker must
            # answer 503 in about the connect timeout, not after kombu's 2 s retry interval.
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
            transport = conn.transport.driver_type
    except Exception as exc:  # kombu raises many types for an unreachable broker
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "transport": transport}


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "degraded", **checks}, status=200 if healthy else 503
    )
