"""``manage.py match_all``: a full matching run, synchronously in this process.

For operators (after a bulk import, or with the workers down) and for benchmarks. It creates a
MatchRun like the API does, so the run shows in the admin and blocks a concurrent one, then
executes its chunks here one after another. With ``--queue`` it hands the chunks to the Celery
workers instead and returns at once (``make run`` does this after seeding the demo).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser

from backend.errors import ApplicationError
from matching.models import Match, MatchRun, MatchStatus
from opportunities.models import Opportunity
from suggestions import dispatch
from suggestions.services import runs
from volunteers.models import VolunteerProfile


class Command(BaseCommand):
    help = "Compute suggestions for every volunteer now, in this process, and print counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=None,
            help="Volunteers per chunk (default: about 20 chunks of 1,000 to 5,000, "
            "see suggestions.services.runs.run_chunk_size).",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Queue the run for the Celery workers and return without waiting.",
        )

    def handle(self, *args: object, chunk_size: int | None, queue: bool, **options: object) -> None:
        if chunk_size is not None and chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        volunteers = VolunteerProfile.objects.count()
        roles = Opportunity.objects.published().count()
        self.stdout.write(f"Matching {volunteers} volunteers against {roles} published roles...")
        started = time.perf_counter()
        try:
            run = runs.match_run_start(requested_by=None, chunk_size=chunk_size)
        except ApplicationError as error:
            raise CommandError(error.message) from error
        if queue:
            dispatch.request_match_run(run.id)
            self.stdout.write(
                f"Run {run.id} queued: {run.total} chunks for the workers "
                f"(GET /api/v1/matching/runs/{run.id}/ shows its progress)."
            )
            return
        stored = withdrawn = 0
        for chunk_id in run.chunks.order_by("index").values_list("id", flat=True):
            result = runs.match_run_chunk_execute(chunk_id=chunk_id)
            if result is not None:
                stored += result.stored
                withdrawn += result.withdrawn
        elapsed = time.perf_counter() - started
        run.refresh_from_db()
        open_suggestions = Match.objects.filter(status=MatchStatus.SUGGESTED).count()
        self.stdout.write(
            f"Run {run.id}: {run.status}, {run.done}/{run.total} chunks "
            f"of {chunk_size or runs.run_chunk_size(volunteers=volunteers)}.\n"
            f"Suggestions stored: {stored}; withdrawn: {withdrawn}; "
            f"open suggestions now: {open_suggestions}.\n"
            f"Model: {run.model_version}. Took {elapsed:.2f} s."
        )
        if run.status != MatchRun.Status.SUCCEEDED:
            raise CommandError(f"The run ended {run.status}: {run.errors}")
