"""``manage.py suggestions_archive``: move old withdrawn suggestions out of the Match table now.

What the daily beat task does (suggestions/services/retention.py), for an operator: after an
import, before a vacuum, or with ``--dry-run`` to see how many rows would move.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from suggestions.services.retention import (
    ARCHIVE_BATCH,
    archivable_suggestions,
    retention_cutoff,
    suggestions_archive_withdrawn,
)


class Command(BaseCommand):
    help = (
        "Archive the suggestions the engine withdrew more than SUGGESTION_RETENTION_DAYS ago "
        "and nobody acted on."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch-size", type=int, default=ARCHIVE_BATCH, help="Rows per transaction."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count the rows that would move; move none."
        )

    def handle(self, *args: object, batch_size: int, dry_run: bool, **options: object) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        days = settings.SUGGESTION_RETENTION_DAYS
        if dry_run:
            count = archivable_suggestions(before=retention_cutoff()).count()
            self.stdout.write(f"{count} withdrawn suggestions older than {days} days would move.")
            return
        result = suggestions_archive_withdrawn(batch_size=batch_size)
        self.stdout.write(
            f"Archived {result.archived} withdrawn suggestions older than {days} days "
            f"in {result.batches} batches."
        )
