"""Matching API shapes. A review row shows what a coordinator needs to judge the fit for this role,
and nothing more: never the date of birth, email, coordinates or the background check's details.

What follows the volunteer's private values is read from ``Match.facts``, frozen when the engine
made the suggestion (suggestions/services/facts.py), never recomputed when the row is read, so
moving the role or its start date and reading again tells nothing new:

* ``distance_band``: "under 2 km" ... "over 25 km" for roles on site when both places were known
  ("under 1¼ mi" ... "over 15 mi" where ``DISTANCE_UNIT`` is "mi"); null otherwise. No figure
  anywhere: ``features`` leaves out ``distance_fit``, and a reason that still names a distance as
  a figure (written before reasons carried bands) shows the band instead.
* ``meets_minimum_age``: true/false against the role's minimum age on its start date.
* ``background_check_cleared``: only for roles that need a check; null otherwise.
* ``lived_experience``: only when the organization is verified, the role values lived experience
  and the volunteer chose to share it; null otherwise. Each row that shows it is written to the
  volunteer's access log by the view (suggestions/services/access_log.py).
* ``trainings``: only the trainings the role requires that the volunteer holds, with validity on
  the role's start date and whether someone verified them (their expiry is shown as it is).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rest_framework import serializers

from matching.engine.records import start_date
from matching.models import Match, MatchRun
from opportunities.models import Opportunity
from suggestions.selectors import required_training_ids, volunteer_review_lists
from suggestions.services.access_log import lived_experience_shown
from suggestions.services.facts import shown_facts, shown_features
from volunteers.models import VolunteerProfile

#: A distance as the engine's reasons used to write it ("2.4 km away", "under 0.1 km away").
_KM_FIGURE = re.compile(r"(?:under )?\d+\.\d+ km away")
DISTANCE_HIDDEN = "distance not shown"


class MatchRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = MatchRun
        fields = [
            "id",
            "status",
            "done",
            "total",
            "errors",
            "model_version",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class _OpportunitySummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Opportunity
        fields = ["id", "title"]


class ReviewVolunteerSerializer(serializers.Serializer):
    """The volunteer as the coordinator of ``match.opportunity`` sees them."""

    def to_representation(self, match: Match) -> dict[str, Any]:
        profile: VolunteerProfile = match.volunteer
        role: Opportunity = match.opportunity
        today: dt.date = self.context["today"]
        start = start_date(role, today)
        required = role.__dict__.get("_required_training_ids")
        if required is None:
            required = required_training_ids([role.id])[role.id]
        trainings = [
            {
                "slug": record.training_type.slug,
                "name": record.training_type.name,
                "expires_on": record.expires_on.isoformat() if record.expires_on else None,
                "valid": record.valid_on(start),
                "verified": record.verified,
            }
            for record in profile.trainings.all()
            if record.training_type_id in required
        ]
        facts = shown_facts(match.facts)
        lists = profile.__dict__.get("_review_lists")
        if lists is None:
            lists = volunteer_review_lists([profile.id])[profile.id]
        return {
            "id": profile.id,
            "display_name": profile.display_name,
            "skills": [{"slug": slug, "name": name} for slug, name in lists["skills"]],
            "causes": [{"slug": slug, "name": name} for slug, name in lists["causes"]],
            "languages": [{"code": code, "name": name} for code, name in lists["languages"]],
            "availability": list(profile.availability or []),
            "trainings": trainings,
            **facts,
            "lived_experience": profile.lived_experience if lived_experience_shown(match) else None,
        }


def shown_reasons(reasons: list[str], band: str | None) -> list[str]:
    """The engine's reasons with any distance written as a figure replaced by its band."""
    words = f"{band} away" if band else DISTANCE_HIDDEN
    return [_KM_FIGURE.sub(words, reason) for reason in reasons]


class _ReviewRows(serializers.ListSerializer):
    """Review rows: the volunteers' skills, causes and languages of the whole page in one query,
    the roles' required trainings in another."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        matches = list(data.all() if hasattr(data, "all") else data)
        lists = volunteer_review_lists({match.volunteer_id for match in matches})
        required = required_training_ids({match.opportunity_id for match in matches})
        for match in matches:
            match.volunteer._review_lists = lists[match.volunteer_id]
            match.opportunity._required_training_ids = required[match.opportunity_id]
        return super().to_representation(matches)


class ReviewMatchSerializer(serializers.ModelSerializer):
    opportunity = _OpportunitySummarySerializer(read_only=True)
    volunteer = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()
    features = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = [
            "id",
            "status",
            "score",
            "reasons",
            "features",
            "model_version",
            "created_at",
            "updated_at",
            "opportunity",
            "volunteer",
        ]
        read_only_fields = fields
        list_serializer_class = _ReviewRows

    def get_volunteer(self, match: Match) -> dict[str, Any]:
        return ReviewVolunteerSerializer(context=self.context).to_representation(match)

    def get_reasons(self, match: Match) -> list[str]:
        return shown_reasons(list(match.reasons or []), shown_facts(match.facts)["distance_band"])

    def get_features(self, match: Match) -> dict[str, float]:
        return shown_features(match.features)


class LivedExperienceReadSerializer(serializers.Serializer):
    """One read of the volunteer's lived experience, from their access log. ``context["roles"]``:
    {opportunity id: Opportunity with its organization}, loaded once per page."""

    read_at = serializers.DateTimeField(source="created_at", read_only=True)
    reader = serializers.SerializerMethodField()
    organization = serializers.SerializerMethodField()
    opportunity = serializers.SerializerMethodField()

    def _role(self, entry: Any) -> Opportunity | None:
        return self.context["roles"].get(entry.data.get("opportunity_id"))

    def get_reader(self, entry: Any) -> str | None:
        """The coordinator's name, or their email when they gave none."""
        if entry.actor is None:
            return None
        return entry.actor.get_full_name() or entry.actor.email

    def get_organization(self, entry: Any) -> str | None:
        role = self._role(entry)
        return role.organization.name if role is not None else None

    def get_opportunity(self, entry: Any) -> dict[str, Any] | None:
        role = self._role(entry)
        if role is None:
            return None
        return {"id": role.id, "title": role.title}
