"""Celery tasks of the scoring model's versions (promotion, rollback, rescoring the queues).

Imported by :mod:`suggestions.tasks` so Celery's autodiscovery registers them. Tasks take ids.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.db import InterfaceError, OperationalError

from suggestions.services import scoring_model

logger = logging.getLogger(__name__)

#: The version id that stands for the hand-set weights (no stored version is current).
HAND_SET_WEIGHTS = 0
#: A rematch or a run's chunk that read the previous version before the change may store its
#: suggestions after the rescore went by. The longest of them is cut off at 360 s (a chunk's time
#: limit, suggestions/tasks.py), so one more pass this much later finds every such row.
STRAGGLER_SWEEP_SECONDS = 400


@shared_task(
    name="matching.scoring_model_rescore",
    soft_time_limit=900,
    time_limit=1000,
    autoretry_for=(OperationalError, InterfaceError, ConnectionError, TimeoutError),
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=5,
    acks_late=True,
)
def scoring_model_rescore_task(version_id: int, sweep_later: bool = True) -> dict[str, Any]:
    """Rescore every open suggestion with the version just made current (``HAND_SET_WEIGHTS``:
    the hand-set weights), so a role's queue is never scored by two versions, then queue one more
    pass STRAGGLER_SWEEP_SECONDS later for rows stored by work that began before the change. Run
    twice, or after a later change made another version current, it does nothing more."""
    result = scoring_model.scoring_model_rescore(version_id=version_id or None)
    if sweep_later and not result.skipped:
        scoring_model_rescore_task.apply_async(
            (version_id, False), countdown=STRAGGLER_SWEEP_SECONDS
        )
    return {"version": result.version, "rescored": result.rescored, "skipped": result.skipped}


def rescore_enqueue(version_id: int | None) -> None:
    """Queue the rescore for a version just made current (None: the hand-set weights). A broker
    that is down is logged, not raised: the change is saved, and the next promotion, or staff
    promoting the same version again after a rollback, queues it anew."""
    try:
        scoring_model_rescore_task.delay(version_id or HAND_SET_WEIGHTS)
    except Exception:  # kombu raises many types for an unreachable broker
        logger.warning("Could not queue the rescore for scoring model version %s", version_id)
