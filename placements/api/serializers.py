"""Input and output shapes of the match lifecycle API. No rule lives here: reason codes are
checked by the services, so the API and the tasks refuse the same things with the same words."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from backend.filters import MAX_OBJECT_ID
from matching.models import Match, MatchStatus, MatchTransition
from placements.services.bulk import BULK_ACTIONS

#: Once the volunteer has said yes, a role that hides its address shows it to them.
ADDRESS_REVEALED_STATUSES = frozenset(
    {MatchStatus.ACCEPTED, MatchStatus.ACTIVE, MatchStatus.ON_HOLD, MatchStatus.COMPLETED}
)
BULK_MAX_IDS = 100


class ReasonNoteInput(serializers.Serializer):
    reason = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class NoInput(serializers.Serializer):
    """An action that takes nothing but the match (fields sent anyway are ignored)."""


class NoteInput(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class BulkInput(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_OBJECT_ID),
        min_length=1,
        max_length=BULK_MAX_IDS,
    )
    action = serializers.ChoiceField(choices=BULK_ACTIONS)
    reason = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class BulkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.IntegerField(help_text="The HTTP status this id alone would have had.")
    code = serializers.CharField()
    message = serializers.CharField()
    match_status = serializers.CharField(allow_null=True)
    # Each result also carries "fields" (the error's per-field messages), omitted here because
    # the name would shadow Serializer.fields.


class BulkResponseSerializer(serializers.Serializer):
    results = BulkResultSerializer(many=True)


class MatchStateSerializer(serializers.ModelSerializer):
    """What a coordinator gets back after acting on a match."""

    volunteer = serializers.SerializerMethodField()
    opportunity = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ["id", "status", "volunteer", "opportunity", "updated_at"]

    def get_volunteer(self, match: Match) -> dict[str, Any]:
        return {"id": match.volunteer_id, "display_name": match.volunteer.display_name}

    def get_opportunity(self, match: Match) -> dict[str, Any]:
        return {"id": match.opportunity_id, "title": match.opportunity.title}


class VolunteerMatchSerializer(serializers.ModelSerializer):
    """A match as its volunteer sees it: the role and the organization, and the place only once
    they accepted when the role hides its address."""

    role = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = ["id", "status", "reasons", "role", "organization", "created_at", "updated_at"]

    def get_role(self, match: Match) -> dict[str, Any]:
        role = match.opportunity
        shown = not role.hide_address or match.status in ADDRESS_REVEALED_STATUSES
        return {
            "id": role.pk,
            "title": role.title,
            "description": role.description,
            "mode": role.mode,
            "hours_per_week": None if role.hours_per_week is None else str(role.hours_per_week),
            "availability": role.availability,
            "starts_on": role.starts_on,
            "ends_on": role.ends_on,
            "address_hidden": not shown,
            "address": role.address if shown else None,
            "postcode": role.postcode if shown else None,
            "latitude": role.latitude if shown else None,
            "longitude": role.longitude if shown else None,
        }

    def get_organization(self, match: Match) -> dict[str, Any]:
        organization = match.opportunity.organization
        return {
            "id": organization.pk,
            "name": organization.name,
            "website": organization.website,
            "contact_email": organization.contact_email,
            "verified": organization.is_verified,
        }


class TransitionSerializer(serializers.ModelSerializer):
    """One step of a match's history. Coordinators see who acted; the volunteer sees which side."""

    at = serializers.DateTimeField(source="created_at")
    actor = serializers.SerializerMethodField()

    class Meta:
        model = MatchTransition
        fields = ["id", "from_status", "to_status", "at", "reason", "note", "actor"]

    def get_actor(self, transition: MatchTransition) -> dict[str, Any]:
        if transition.actor_id is None:
            kind = "system"
        elif transition.actor_id == transition.match.volunteer.user_id:
            kind = "volunteer"
        else:
            kind = "coordinator"
        out: dict[str, Any] = {"kind": kind}
        if self.context.get("show_actor_email") and transition.actor is not None:
            out["email"] = transition.actor.email
        return out
