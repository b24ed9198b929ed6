"""What the periodic reconciler re-queues: profiles and roles changed since they were last matched.

Nothing a full run covers is queued one by one: a run marks its volunteers matched chunk by chunk
and, when it succeeds, every published role it saw (suggestions/services/runs.py); while a run is
queued or running, what changed before it began is left to it.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db.models import F, Q, QuerySet

from opportunities.models import Opportunity
from suggestions.services import runs
from volunteers.models import VolunteerProfile

logger = logging.getLogger(__name__)


def _left_to_the_active_run(queryset: QuerySet, began: dt.datetime | None) -> QuerySet:
    """Without what the active run (begun at ``began``) will match anyway."""
    return queryset if began is None else queryset.filter(updated_at__gt=began)


def _active_run_began() -> dt.datetime | None:
    run = runs.active_run()
    return None if run is None else run.created_at


def stale_volunteer_ids(*, limit: int) -> list[int]:
    """Profiles changed since they were last matched (or never matched), oldest change first."""
    stale = VolunteerProfile.objects.filter(
        Q(matched_at__isnull=True) | Q(updated_at__gt=F("matched_at"))
    )
    return list(
        _left_to_the_active_run(stale, _active_run_began())
        .order_by("updated_at", "id")
        .values_list("id", flat=True)[:limit]
    )


def stale_opportunity_ids(*, limit: int) -> list[int]:
    """Roles changed since they were last matched (closed ones too: their suggestions must go)."""
    stale = Opportunity.objects.filter(
        Q(matched_at__isnull=True) | Q(updated_at__gt=F("matched_at"))
    )
    return list(
        _left_to_the_active_run(stale, _active_run_began())
        .order_by("updated_at", "id")
        .values_list("id", flat=True)[:limit]
    )
