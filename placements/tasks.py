"""Celery tasks of the match lifecycle. Tasks take ids (or nothing), are safe to run twice, and call
one service."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from placements.services import rechecks, sweep


@shared_task(name="lifecycle.daily_sweep", acks_late=True)
def lifecycle_daily_sweep_task() -> dict[str, int]:
    """Withdraw what is no longer eligible, hold what lapsed, resume what was renewed, and start
    what has started (beat: daily, 05:00)."""
    return sweep.matches_sweep(today=timezone.localdate())


@shared_task(name="lifecycle.volunteer_recheck", acks_late=True)
def lifecycle_volunteer_recheck_task(profile_id: int) -> int:
    """Re-check one volunteer's open matches (queued after their profile, check or training
    changed)."""
    return rechecks.volunteer_recheck(profile_id=profile_id)


@shared_task(name="lifecycle.opportunity_recheck", acks_late=True)
def lifecycle_opportunity_recheck_task(opportunity_id: int) -> int:
    """Re-check one role's open matches (queued after it was edited, closed or filled)."""
    return rechecks.opportunity_recheck(opportunity_id=opportunity_id)


@shared_task(name="lifecycle.commitment_recheck", acks_late=True)
def lifecycle_commitment_recheck_task(match_id: int) -> int:
    """Re-check the other open matches of a volunteer who just committed to a role (accepted):
    an offer the new commitment leaves no room for is withdrawn at once."""
    return rechecks.commitment_recheck(match_id=match_id)
