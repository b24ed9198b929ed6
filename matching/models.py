from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.models import TimeStampedModel


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    OFFERED = "offered", "Offered"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    ACTIVE = "active", "Active"
    ON_HOLD = "on_hold", "On hold"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


#: Statuses that hold one of the role's places (capacity) and one of the volunteer's commitments.
#: A match on hold (a check or required training lapsed) keeps both until it is renewed or ends.
OCCUPYING_STATUSES = frozenset(
    {
        MatchStatus.APPROVED,
        MatchStatus.OFFERED,
        MatchStatus.ACCEPTED,
        MatchStatus.ACTIVE,
        MatchStatus.ON_HOLD,
    }
)


class MatchQuerySet(models.QuerySet["Match"]):
    def occupying(self) -> MatchQuerySet:
        return self.filter(status__in=OCCUPYING_STATUSES)


class Match(TimeStampedModel):
    """A volunteer/role pair: first a suggestion by the engine, then a lifecycle run by people.

    At most one match per pair is open (not withdrawn); a withdrawn suggestion stays for the record
    and a later suggestion of the same pair is a new row.
    """

    # Personal data (backend/personal.py): exported; kept for the organization's records after
    # erasure, naming the profile ("Former volunteer"); no personal field of its own.
    PERSONAL_OWNER = ("volunteer__user",)
    PERSONAL_FIELDS = ()
    PERSONAL_ERASURE = "keep"

    # PROTECT: a match is the organization's record too. Deleting its volunteer's profile or
    # account through the ORM is refused (ProtectedError) instead of taking the history with
    # it; a person leaves by erasure (volunteers.services.data_rights), which keeps the match.
    volunteer = models.ForeignKey(
        "volunteers.VolunteerProfile", on_delete=models.PROTECT, related_name="matches"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="matches"
    )
    status = models.CharField(
        max_length=16, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED
    )
    score = models.FloatField(default=0)
    features = models.JSONField(default=dict, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    facts = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the organization is shown about the volunteer, frozen when the engine made "
        "the suggestion: distance band, minimum age met, check cleared. Only the engine refreshes "
        "it, so moving the role or its start date cannot recover a private value.",
    )
    model_version = models.CharField(
        max_length=64,
        blank=True,
        help_text="The scoring model version that scored it; a promotion rescores every open "
        "suggestion, so one role's queue is always scored by one version.",
    )
    shown_position = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Its rank in the role's review queue (1 = top, in the queue's default order: "
        "score, then id) when a coordinator decided on it; empty while undecided. The refit "
        "weighs decisions by it, since people decide more often on what sits at the top.",
    )
    run = models.ForeignKey(
        "MatchRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="matches"
    )

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "matches"
        ordering = ["-score", "id"]
        indexes = [
            models.Index(fields=["opportunity", "status", "-score"]),
            models.Index(fields=["volunteer", "status"]),
            # Open suggestions only: a rematch reads the volunteer's or the role's own through
            # these, and counts per role (fair exposure) from the second alone, never touching
            # the withdrawn rows that pile up beside them.
            models.Index(
                fields=["volunteer", "opportunity", "score"],
                condition=Q(status="suggested"),
                name="match_open_by_volunteer",
            ),
            models.Index(
                fields=["opportunity", "volunteer", "score"],
                condition=Q(status="suggested"),
                name="match_open_by_role",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "opportunity"],
                condition=~Q(status="withdrawn"),
                name="match_one_open_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "suggested",
                        "approved",
                        "rejected",
                        "offered",
                        "accepted",
                        "declined",
                        "active",
                        "on_hold",
                        "completed",
                        "withdrawn",
                    ]
                ),
                name="match_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1), name="match_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} -> {self.opportunity} ({self.status})"

    def queue_position(self) -> int:
        """Its rank among its role's open suggestions in the queue's default order (``-score``,
        then ``id``): 1 + the suggestions ranked above it. One count on the (opportunity, status,
        -score) index."""
        above = Match.objects.filter(
            opportunity_id=self.opportunity_id, status=MatchStatus.SUGGESTED
        ).filter(Q(score__gt=self.score) | Q(score=self.score, id__lt=self.pk))
        return above.count() + 1


class MatchTransition(models.Model):
    """Audit record of one status change: who, when, from, to, why."""

    # Personal data (backend/personal.py): kept for the organization's records; erasure replaces
    # the volunteer's name and email in a coordinator's note.
    PERSONAL_OWNER = ("match__volunteer__user",)
    PERSONAL_FIELDS = ()
    PERSONAL_ERASURE = "keep"
    PERSONAL_MENTIONS = ("note",)

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=16, choices=MatchStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=MatchStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the system acted (for example a daily eligibility sweep).",
    )
    reason = models.CharField(max_length=64, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.from_status or '-'} -> {self.to_status}"


class ArchivedSuggestion(models.Model):
    """A suggestion the engine withdrew and nobody ever acted on, moved out of ``Match`` after
    SUGGESTION_RETENTION_DAYS (suggestions/services/retention.py): the pair, what the engine
    computed, and why and when it was withdrawn. Nothing in the product reads it; it is kept for
    operators and analysis, and it goes when the volunteer is erased."""

    # Personal data (backend/personal.py): exported; deleted on erasure (nobody's record).
    PERSONAL_OWNER = ("volunteer__user",)
    PERSONAL_FIELDS = ("facts",)
    PERSONAL_ERASURE = "delete"

    id = models.BigIntegerField(primary_key=True, help_text="The match's id when it was open.")
    volunteer = models.ForeignKey(
        "volunteers.VolunteerProfile", on_delete=models.CASCADE, related_name="+"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="+"
    )
    score = models.FloatField(default=0)
    features = models.JSONField(default=dict, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    run = models.ForeignKey(
        "MatchRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suggested_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField()
    reason = models.CharField(max_length=64, blank=True, help_text="The withdrawal's reason.")
    note = models.TextField(blank=True, help_text="The withdrawal's note (the rules it broke).")
    archived_at = models.DateTimeField()

    class Meta:
        ordering = ["-withdrawn_at", "-id"]

    def __str__(self) -> str:
        return f"archived suggestion {self.id} ({self.volunteer_id} -> {self.opportunity_id})"


class MatchRun(TimeStampedModel):
    """A full matching run split into chunks that Celery workers share."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0, help_text="Number of chunks.")
    done = models.PositiveIntegerField(default=0, help_text="Chunks finished.")
    errors = models.JSONField(default=list, blank=True)
    model_version = models.CharField(max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")), name="run_done_le_total"
            )
        ]

    def __str__(self) -> str:
        return f"run {self.id} ({self.status}, {self.done}/{self.total})"


class MatchRunChunk(models.Model):
    """One unit of a run: a slice of volunteer ids. ``done`` flips once, so a chunk redelivered after
    a worker died is counted once."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    volunteer_ids = models.JSONField(default=list)
    done = models.BooleanField(default=False)
    attempts = models.PositiveIntegerField(default=0)
    suggestions = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "index"]
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="chunk_unique_index")]

    def __str__(self) -> str:
        return f"chunk {self.index} of run {self.run_id}"


class ScoringModelVersion(models.Model):
    """A fitted scoring model, stored as the engine's JSON (no pickle), with its metrics on the
    decisions that came after the ones it learned from. At most one is current (none: the
    hand-set weights); a refit replaces it only when better by more than chance
    (docs/matching.md, "How the score learns")."""

    version = models.CharField(max_length=64, unique=True)
    parameters = models.JSONField()
    training_size = models.PositiveIntegerField(default=0)
    metrics = models.JSONField(default=dict, blank=True)
    organization_offsets = models.JSONField(
        default=dict,
        blank=True,
        help_text="{organization id: offset} learned beside the shared weights so that one "
        "organization's habit of saying yes or no does not move them; never used to score.",
    )
    is_current = models.BooleanField(default=False)
    promoted_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it last became current (a rollback goes back to "
        "the version promoted before it).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="one_current_scoring_model",
            )
        ]

    def __str__(self) -> str:
        return self.version
