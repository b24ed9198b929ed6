"""The one error type of the project and the one DRF exception handler that maps every error to a
single JSON shape:

    {"error": {"code": "...", "message": "...", "fields": {"field": ["message", ...]}}}

Services raise ``ApplicationError`` (or Django's ``ValidationError`` from ``full_clean``); views never
build error responses by hand.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from backend import security_log

logger = logging.getLogger(__name__)

INVALID_INPUT_MESSAGE = "The request has invalid fields."
SERVER_ERROR_MESSAGE = "Something went wrong on our side; nothing was changed. Please try again."
DATABASE_UNAVAILABLE_MESSAGE = _(
    "The service is briefly unavailable; nothing was changed. Please try again in a moment."
)
#: Seconds a client is asked to wait when the database is unreachable (a restart of PostgreSQL
#: took about this long, docs/reliability.md "PostgreSQL restarted under load").
DATABASE_RETRY_AFTER = 5


class ApplicationError(Exception):
    """A business rule refused the request. ``status_code`` is the HTTP answer the API gives."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status_code is not None:
            self.status_code = status_code
        self.fields = fields or {}


class ForbiddenError(ApplicationError):
    """The caller can see the resource but may not do this to it (403). A caller who may not even
    see it gets ``NotFoundError`` instead, so its existence does not leak."""

    status_code: int = status.HTTP_403_FORBIDDEN
    code = "forbidden"


class NotFoundError(ApplicationError):
    """No such resource, or none the caller may see (404)."""

    status_code: int = status.HTTP_404_NOT_FOUND
    code = "not_found"


class ConflictError(ApplicationError):
    """The resource is not in a state that allows the action (409)."""

    status_code: int = status.HTTP_409_CONFLICT
    code = "conflict"


def _as_lists(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {key: _as_lists(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [str(item) for item in detail]
        return [_as_lists(item) for item in detail]
    return [str(detail)]


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """The one JSON shape for every error; every refused authorization (401, 403, 404 on a detail
    route) also writes one line to the ``kindred.security`` log (see backend/security_log.py)."""
    response = _error_response(exc, context)
    if response is not None and response.status_code in (401, 403, 404):
        code = str((response.data or {}).get("error", {}).get("code", ""))
        security_log.log_refusal_of(status=response.status_code, code=code, context=context)
    return response


def _error_response(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        body = {"error": {"code": exc.code, "message": exc.message, "fields": exc.fields}}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail=fields)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.PermissionDenied):
        # One code per status: DRF says "permission_denied", the services "forbidden".
        exc.detail = exceptions.ErrorDetail(str(exc.detail), code=ForbiddenError.code)

    if isinstance(exc, OperationalError | InterfaceError):
        return _database_unavailable(exc, context)
    response = exception_handler(exc, context)
    if response is None:
        # An unexpected error: log it with its traceback, answer in the one JSON shape, never leak it.
        logger.exception("Unhandled error in %s", context.get("view"))
        from rest_framework.views import set_rollback

        set_rollback()
        body = {"error": {"code": "server_error", "message": SERVER_ERROR_MESSAGE, "fields": {}}}
        return Response(body, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    detail: Any = getattr(exc, "detail", str(exc))
    if isinstance(exc, exceptions.ValidationError):
        fields = (
            _as_lists(detail)
            if isinstance(detail, dict)
            else {"non_field_errors": _as_lists(detail)}
        )
        body = {"error": {"code": "invalid", "message": INVALID_INPUT_MESSAGE, "fields": fields}}
    else:
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        body = {"error": {"code": str(code), "message": str(detail), "fields": {}}}
    response.data = body
    return response


def _database_unavailable(exc: Exception, context: dict[str, Any]) -> Response:
    """The database cannot be reached (restarted, failed over, out of connections): 503 with
    Retry-After, one log line without the traceback (an outage logs one per request). Django's
    health checks (CONN_HEALTH_CHECKS) reconnect on the first request after it is back."""
    from rest_framework.views import set_rollback

    logger.warning("Database unavailable in %s: %s", context.get("view"), str(exc).strip()[:200])
    set_rollback()
    body = {
        "error": {"code": "unavailable", "message": str(DATABASE_UNAVAILABLE_MESSAGE), "fields": {}}
    }
    response = Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    response["Retry-After"] = str(DATABASE_RETRY_AFTER)
    return response
