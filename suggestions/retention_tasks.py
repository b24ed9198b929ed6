"""The daily move of old withdrawn suggestions out of the Match table (beat: 04:15)."""

from __future__ import annotations

from celery import shared_task

from suggestions.services.retention import suggestions_archive_withdrawn


#: Batches commit one by one (6,000 rows/s measured), so a time limit stops the task between or
#: inside a batch with nothing half-moved; the next day's run goes on from there.
@shared_task(
    name="matching.suggestions_archive_withdrawn",
    acks_late=True,
    soft_time_limit=1800,
    time_limit=1900,
)
def suggestions_archive_withdrawn_task() -> dict[str, int]:
    """Archive the suggestions the engine withdrew more than SUGGESTION_RETENTION_DAYS ago and
    nobody acted on (suggestions/services/retention.py). Takes nothing, safe to run twice; on
    the default queue (no route)."""
    result = suggestions_archive_withdrawn()
    return {"archived": result.archived, "batches": result.batches}
