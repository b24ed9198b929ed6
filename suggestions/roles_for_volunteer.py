""" "Roles for you": the published roles of verified organizations a volunteer is eligible for by the
engine's rules, ranked by the engine's own score for them, each with the engine's reasons and the
distance as a band.

Computed from the role catalogue the suggestions are ranked on (``candidates.role_snapshot``, its
prepared index and labels), never from Match rows: a volunteer never sees what the engine
suggested to coordinators (placements/states.py, SHOWN_TO_VOLUNTEER), nor anything about other
volunteers. The one-volunteer ranking is the engine's ``rank_for_volunteer`` without the
assignment's limits or fair exposure: the top roles by score, as the volunteer's own list, which
takes no place in anyone's queue. Pairs a person already decided on (rejected, declined, or a
match in progress) are left out, as the engine leaves them out of suggestions.

The distance band is the store's own (``facts.pair_facts``: the band in ``DISTANCE_UNIT`` for roles
on site when both places are known, None otherwise), never a figure; reasons pass through the
review queue's ``shown_reasons`` so a figure written by an older engine shows as the band.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from matching import records as record_builders
from matching.engine import rank_for_volunteer
from opportunities.models import Opportunity
from suggestions.api.serializers import shown_reasons
from suggestions.services.candidates import excluded_pairs, role_snapshot
from suggestions.services.facts import pair_facts
from volunteers.models import VolunteerProfile

#: Roles shown at most.
ROLES_FOR_YOU = 20

#: What keeps the list empty or short, as codes the page words: the profile says how they
#: volunteer, when they are free, whether they are paused, and whether they hold as many roles as
#: they asked for (``max_commitments``).
NO_MODES = "no_modes"
NO_TIMES = "no_times"
NO_PLACE = "no_place"
PAUSED = "paused"
FULLY_COMMITTED = "fully_committed"


@dataclass(frozen=True)
class RoleForYou:
    opportunity: Opportunity
    score: float
    reasons: list[str]
    distance_band: str | None


@dataclass(frozen=True)
class RolesForYou:
    roles: list[RoleForYou] = field(default_factory=list)
    #: Codes above: what the volunteer can do about an empty or short list.
    missing: list[str] = field(default_factory=list)


def _missing(profile: VolunteerProfile, *, active: int, maximum: int) -> list[str]:
    missing = []
    if profile.paused:
        missing.append(PAUSED)
    elif active >= maximum:
        missing.append(FULLY_COMMITTED)
    if not profile.modes:
        missing.append(NO_MODES)
    elif profile.latitude is None and set(profile.modes) & {"in_person", "hybrid"}:
        missing.append(NO_PLACE)
    if not profile.availability:
        missing.append(NO_TIMES)
    return missing


def roles_for_volunteer(
    *, profile: VolunteerProfile, k: int = ROLES_FOR_YOU, today: dt.date | None = None
) -> RolesForYou:
    """The volunteer's top ``k`` eligible roles, best first, with the reasons and the band."""
    today = today or timezone.localdate()
    volunteer = record_builders.volunteer_record(profile, today=today)
    missing = _missing(
        profile, active=volunteer.active_commitments, maximum=volunteer.max_commitments
    )
    if PAUSED in missing or FULLY_COMMITTED in missing:
        return RolesForYou(missing=missing)
    snapshot = role_snapshot()
    if snapshot.index is None:
        return RolesForYou(missing=missing)
    found = rank_for_volunteer(
        volunteer,
        snapshot.index,
        k=k,
        labels=snapshot.labels,
        excluded=excluded_pairs(volunteer_ids=[profile.pk]),
    )
    ids = [s.opportunity_id for s in found]
    roles = Opportunity.objects.select_related("organization").in_bulk(ids)
    facts = pair_facts([(profile.pk, i) for i in ids], today=today)
    shown = []
    for suggestion in found:
        role = roles.get(suggestion.opportunity_id)
        if role is None:  # deleted since the snapshot was built
            continue
        band = facts.get((profile.pk, role.pk), {}).get("distance_band")
        shown.append(
            RoleForYou(
                opportunity=role,
                score=suggestion.score,
                reasons=shown_reasons(list(suggestion.reasons), band),
                distance_band=band,
            )
        )
    return RolesForYou(roles=shown, missing=missing)
