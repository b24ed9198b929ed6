"""Serializer fields and input helpers shared by every API."""

from __future__ import annotations

import math
from typing import Any

from rest_framework import serializers

NOT_FINITE_MESSAGE = "A valid finite number is required."


class FiniteFloatField(serializers.FloatField):
    """A FloatField that refuses what DRF's would take as a number but is not one: ``true`` (which
    DRF reads as 1.0) and "NaN" or "Infinity" (min/max checks compare False against NaN, so a NaN
    latitude would slip past the range check)."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            raise serializers.ValidationError(NOT_FINITE_MESSAGE, code="invalid")
        return value


def latitude_field() -> FiniteFloatField:
    return FiniteFloatField(min_value=-90, max_value=90, allow_null=True, required=False)


def longitude_field() -> FiniteFloatField:
    return FiniteFloatField(min_value=-180, max_value=180, allow_null=True, required=False)


def refuse_fields(serializer: serializers.Serializer, messages: dict[str, str]) -> None:
    """Answer 400 on fields a client may read but not write here, rather than silently ignore them
    (a coordinator who PATCHes ``status`` must learn that the role is still open)."""
    initial = getattr(serializer, "initial_data", None)
    if not isinstance(initial, dict):
        return
    errors = {field: [message] for field, message in messages.items() if field in initial}
    if errors:
        raise serializers.ValidationError(errors)
