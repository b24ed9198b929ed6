"""Refuse the NUL character anywhere in a request's JSON body or query string.

No field of this API can hold it, and PostgreSQL cannot even compare against it: a lookup such as
``causes=["\\u0000"]`` raised a driver error (a 500) until this guard (found by the schema fuzz test
against PostgreSQL). Refusing it once, at the edge, covers every serializer field and filter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

NUL_MESSAGE = "Text may not contain the NUL character (\\u0000)."


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(key) or _contains_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


class NulRefusingJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):  # type: ignore[no-untyped-def]
        data = super().parse(stream, media_type, parser_context)
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
