"""Input and output shapes of interest requests. No rule lives here: the services check the
message, the reason and the engine's rules, so the pages and the API refuse the same things."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from backend.filters import MAX_OBJECT_ID
from placements.models import MESSAGE_MAX_LENGTH, InterestRequest


class InterestInput(serializers.Serializer):
    opportunity = serializers.IntegerField(min_value=1, max_value=MAX_OBJECT_ID)
    # Longer messages reach the service, which refuses them on this field in its own words.
    message = serializers.CharField(
        max_length=MESSAGE_MAX_LENGTH * 4, required=False, allow_blank=True, default=""
    )


class InterestDeclineInput(serializers.Serializer):
    reason = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class InterestAcceptInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class _Role(serializers.Serializer):
    def to_representation(self, interest: InterestRequest) -> dict[str, Any]:
        role = interest.opportunity
        return {"id": role.pk, "title": role.title, "organization": role.organization.name}


class MyInterestSerializer(serializers.ModelSerializer):
    """A request as the volunteer who made it sees it."""

    opportunity = _Role(source="*", read_only=True)

    class Meta:
        model = InterestRequest
        fields = ["id", "opportunity", "message", "status", "reason", "match", "created_at"]
        read_only_fields = fields


class CoordinatorInterestSerializer(serializers.ModelSerializer):
    """A request as the role's coordinators see it: the volunteer's name and their message."""

    opportunity = _Role(source="*", read_only=True)
    volunteer = serializers.SerializerMethodField()

    class Meta:
        model = InterestRequest
        fields = [
            "id",
            "opportunity",
            "volunteer",
            "message",
            "reasons",
            "status",
            "reason",
            "decided_at",
            "match",
            "created_at",
        ]
        read_only_fields = fields

    def get_volunteer(self, interest: InterestRequest) -> dict[str, Any]:
        return {"id": interest.volunteer_id, "display_name": interest.volunteer.display_name}


class RoleForYouSerializer(serializers.Serializer):
    """One of "roles for you": the role, the engine's reasons, the distance as a band."""

    def to_representation(self, item: Any) -> dict[str, Any]:
        role = item.opportunity
        return {
            "id": role.pk,
            "title": role.title,
            "organization": role.organization.name,
            "mode": role.mode,
            "reasons": list(item.reasons),
            "distance_band": item.distance_band,
        }
