"""What the periodic reconciler re-queues: profiles and roles changed since they were last matched."""

from __future__ import annotations

import logging

from django.db.models import F, Q

from opportunities.models import Opportunity
from volunteers.models import VolunteerProfile

logger = logging.getLogger(__name__)


def stale_volunteer_ids(*, limit: int) -> list[int]:
    """Profiles changed since they were last matched (or never matched), oldest change first."""
    return list(
        VolunteerProfile.objects.filter(
            Q(matched_at__isnull=True) | Q(updated_at__gt=F("matched_at"))
        )
        .order_by("updated_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def stale_opportunity_ids(*, limit: int) -> list[int]:
    """Roles changed since they were last matched (closed ones too: their suggestions must go)."""
    return list(
        Opportunity.objects.filter(Q(matched_at__isnull=True) | Q(updated_at__gt=F("matched_at")))
        .order_by("updated_at", "id")
        .values_list("id", flat=True)[:limit]
    )
