"""Guards at the edge of the API, applied once for every serializer field and filter.

* The NUL character anywhere in a JSON body or query string is refused: no field can hold it, and
  PostgreSQL cannot even compare against it (``causes=["\\u0000"]`` raised a driver error, a 500,
  until this guard; found by the schema fuzz test against PostgreSQL).
* A JSON body larger than ``API_MAX_BODY_BYTES`` (256 KiB; the largest valid body, a profile with
  every list full, is under 20 KiB) is refused with 413 before it is parsed: a 1.9 MB list got a
  gunicorn worker killed while it was validated.
* JSON nested deeper than ``MAX_JSON_DEPTH`` is refused with 400 before it is parsed: depth 1,000
  gave 500s (Python's recursion limit). No body of this API nests deeper than 4.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser

NUL_MESSAGE = "Text may not contain the NUL character (\\u0000)."
TOO_LARGE_MESSAGE = "The request body is larger than {limit} KiB; send less at once."
TOO_DEEP_MESSAGE = "The JSON is nested more than {depth} levels deep."
MAX_JSON_DEPTH = 32
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(rb"[\[\]{}]")


class RequestTooLarge(APIException):
    status_code = 413
    default_code = "request_too_large"


def json_depth(raw: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest, without parsing it (strings removed
    first, so brackets inside them do not count)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub(b"", raw)):
        if bracket in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


class NulRefusingJSONParser(JSONParser):
    """DRF's JSON parser behind the guards above: size first, then depth, then NUL."""

    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        limit = settings.API_MAX_BODY_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge(TOO_LARGE_MESSAGE.format(limit=limit // 1024))
        if json_depth(raw) > MAX_JSON_DEPTH:
            raise ParseError(TOO_DEEP_MESSAGE.format(depth=MAX_JSON_DEPTH))
        data = super().parse(io.BytesIO(raw), media_type, parser_context)
        if _contains_nul(data):
            raise ParseError(NUL_MESSAGE)
        return data


class NulRefusingQueryStringMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = {
            key: [NUL_MESSAGE]
            for key, values in request.GET.lists()
            if _contains_nul(key) or _contains_nul(values)
        }
        if fields:
            # imported here: backend.errors imports DRF, whose settings import this module
            from backend.errors import INVALID_INPUT_MESSAGE

            body = {
                "error": {"code": "invalid", "message": INVALID_INPUT_MESSAGE, "fields": fields}
            }
            return JsonResponse(body, status=400)
        return self.get_response(request)
