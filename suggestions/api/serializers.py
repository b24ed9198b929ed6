"""Matching API shapes. A review row shows what a coordinator needs to judge the fit for this role,
and nothing more: never the date of birth, email, coordinates or the background check's details.

* ``meets_minimum_age``: true/false against the role's minimum age on its start date (true when the
  role has none; false when the birth date is unknown and the role has one).
* ``background_check_cleared``: only for roles that need a check (required, or minors in the
  audience); null otherwise.
* ``lived_experience``: only when the role values lived experience and the volunteer chose to share
  it; null otherwise.
* ``distance_km``: only for roles on site (in person, hybrid) when both places are known; rounded
  to 0.1 km like the reasons text; null otherwise.
* ``trainings``: only the trainings the role requires that the volunteer holds, with validity on
  the role's start date and whether someone verified them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers

from matching.engine import rules
from matching.engine.geo import haversine_km
from matching.engine.records import start_date
from matching.models import Match, MatchRun
from opportunities.models import Opportunity
from volunteers.models import VolunteerProfile


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
        required = {t.id for t in role.required_trainings.all()}
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
        distance = None
        v_lat, v_lon, r_lat, r_lon = (
            profile.latitude,
            profile.longitude,
            role.latitude,
            role.longitude,
        )
        if (
            role.needs_travel
            and v_lat is not None
            and v_lon is not None
            and r_lat is not None
            and r_lon is not None
        ):
            distance = round(float(haversine_km(v_lat, v_lon, r_lat, r_lon)), 1)
        meets_age = rules.old_enough(profile.date_of_birth, role.min_age, start)
        return {
            "id": profile.id,
            "display_name": profile.display_name,
            "skills": [{"slug": s.slug, "name": s.name} for s in profile.skills.all()],
            "causes": [{"slug": c.slug, "name": c.name} for c in profile.causes.all()],
            "languages": [
                {"code": lang.code, "name": lang.name} for lang in profile.languages.all()
            ],
            "availability": list(profile.availability or []),
            "trainings": trainings,
            "distance_km": distance,
            "meets_minimum_age": meets_age,
            "background_check_cleared": (
                profile.background_check_valid_on(start) if role.needs_background_check else None
            ),
            "lived_experience": (
                profile.lived_experience
                if role.lived_experience_valued and profile.share_lived_experience
                else None
            ),
        }


class ReviewMatchSerializer(serializers.ModelSerializer):
    opportunity = _OpportunitySummarySerializer(read_only=True)
    volunteer = serializers.SerializerMethodField()

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

    def get_volunteer(self, match: Match) -> dict[str, Any]:
        return ReviewVolunteerSerializer(context=self.context).to_representation(match)
