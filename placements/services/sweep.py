"""The daily sweep: withdraw suggestions and offers that broke a rule since they were made, and
start accepted matches whose role has begun."""

from __future__ import annotations

import dataclasses
import datetime as dt

from django.utils import timezone

from backend.errors import ConflictError
from matching.engine import eligibility
from matching.models import OCCUPYING_STATUSES, Match, MatchStatus
from matching.records import opportunity_records, volunteer_records
from opportunities.models import Opportunity
from placements.services.eligibility import SWEPT_STATUSES, sweep_codes
from placements.services.transitions import match_activate, match_withdraw_if_ineligible
from volunteers.models import VolunteerProfile

S = MatchStatus

#: Records are built for this many matches at once: the builders cost a fixed handful of queries
#: per batch, and 500 keeps one batch's records well under 10 MB.
SWEEP_BATCH = 500


def matches_sweep(*, today: dt.date | None = None) -> dict[str, int]:
    """The daily sweep: withdraw suggestions and offers that are no longer eligible, and activate
    accepted matches whose role starts today or started earlier. Safe to run twice."""
    today = today or timezone.localdate()
    withdrawn = 0
    candidates = list(
        Match.objects.filter(status__in=SWEPT_STATUSES)
        .order_by("id")
        .values_list("id", "volunteer_id", "opportunity_id", "status")
    )
    for start in range(0, len(candidates), SWEEP_BATCH):
        batch = candidates[start : start + SWEEP_BATCH]
        volunteers = {
            r.id: r
            for r in volunteer_records(
                VolunteerProfile.objects.filter(pk__in={row[1] for row in batch}), today=today
            )
        }
        roles = {
            r.id: r
            for r in opportunity_records(
                Opportunity.objects.filter(pk__in={row[2] for row in batch}), today=today
            )
        }
        for match_id, volunteer_id, opportunity_id, status in batch:
            role = roles[opportunity_id]
            if status in OCCUPYING_STATUSES:  # its own place does not count against it
                role = dataclasses.replace(role, capacity_left=role.capacity_left + 1)
            codes = eligibility.ineligibility_reasons(volunteers[volunteer_id], role, today=today)
            if sweep_codes(codes) and match_withdraw_if_ineligible(match_id=match_id, today=today):
                withdrawn += 1
    activated = 0
    starting = Match.objects.filter(status=S.ACCEPTED).exclude(opportunity__starts_on__gt=today)
    for match_id in list(starting.values_list("id", flat=True)):
        try:
            match_activate(match_id=match_id, actor=None, today=today)
        except ConflictError:
            continue  # changed meanwhile (withdrawn, or already active)
        activated += 1
    return {"withdrawn": withdrawn, "activated": activated}
