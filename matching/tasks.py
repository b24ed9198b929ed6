"""Celery tasks of the matching engine. Tasks take ids and are safe to run twice."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="matching.ping")
def ping() -> str:
    """A no-op round trip used by health checks and tests of the worker wiring."""
    return "pong"


@shared_task(name="matching.volunteer_rematch", acks_late=True)
def volunteer_rematch_task(profile_id: int) -> None:
    """Placeholder until the engine lands: records nothing."""


@shared_task(name="matching.opportunity_rematch", acks_late=True)
def opportunity_rematch_task(opportunity_id: int) -> None:
    """Placeholder until the engine lands: records nothing."""
