"""The daily retention sweep: inactive accounts warned then erased, old results and logs purged."""

from __future__ import annotations

from celery import shared_task

from accounts.services.retention import accounts_retention_sweep


@shared_task(name="accounts.retention_sweep", acks_late=True)
def accounts_retention_sweep_task() -> dict[str, int]:
    """Warn, then erase, accounts unused for ACCOUNT_RETENTION_MONTHS; purge task results and
    sign-in and access logs past their retention (beat: daily, 02:30). Takes nothing, safe to run
    twice (accounts/services/retention.py)."""
    return accounts_retention_sweep()
