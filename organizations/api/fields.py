"""Serializer fields shared by the organizations and opportunities APIs."""

from __future__ import annotations

import math
from typing import Any

from rest_framework import serializers

NOT_FINITE_MESSAGE = "A finite number is required."


class FiniteFloatField(serializers.FloatField):
    """FloatField that refuses "NaN" and "Infinity": min/max checks compare False against NaN, so
    without this a NaN latitude would slip past the range check."""

    def to_internal_value(self, data: Any) -> float:
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            raise serializers.ValidationError(NOT_FINITE_MESSAGE)
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
