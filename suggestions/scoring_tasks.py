"""Celery tasks of the scoring model's versions (promotion, rollback, rescoring the queues).

Imported by :mod:`suggestions.tasks` so Celery's autodiscovery registers them. Tasks take ids.
"""

from __future__ import annotations
