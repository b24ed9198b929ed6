"""A volunteer's request to be considered for a role ("I'm interested"), waiting in the role's
coordinators' queue beside the engine's suggestions.

A request is not a match: it never holds a place and the engine never reads it, so a full run or
a rematch leaves it alone. A coordinator who accepts it approves the pair's match through the one
lifecycle (placements/services/interest.py), and the match carries on from there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.models import TimeStampedModel

#: A short word to the coordinator, optional.
MESSAGE_MAX_LENGTH = 500


class InterestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the coordinator"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class InterestRequest(TimeStampedModel):
    """One volunteer asking to be considered for one role; at most one pending per pair."""

    # Personal data (backend/personal.py): the volunteer's own request and message are exported;
    # erasure deletes them (a decided request is kept in the match's history instead).
    PERSONAL_OWNER = ("volunteer__user",)
    PERSONAL_FIELDS = ("message",)
    PERSONAL_ERASURE = "delete"

    volunteer = models.ForeignKey(
        "volunteers.VolunteerProfile", on_delete=models.CASCADE, related_name="interest_requests"
    )
    opportunity = models.ForeignKey(
        "opportunities.Opportunity", on_delete=models.CASCADE, related_name="interest_requests"
    )
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    status = models.CharField(
        max_length=16, choices=InterestStatus.choices, default=InterestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The coordinator who accepted or declined it.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(
        max_length=64, blank=True, help_text="Why a coordinator declined it (a reason code)."
    )
    reasons = models.JSONField(
        default=list,
        blank=True,
        help_text="The engine's reasons for the pair when the volunteer asked, the distance as a "
        "band: what the coordinators read. Frozen then, as a suggestion's facts are, so moving "
        "the role and reading again tells nothing new.",
    )
    match = models.ForeignKey(
        "matching.Match",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The match its acceptance approved.",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["opportunity", "status", "created_at"]),
            models.Index(fields=["volunteer", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "opportunity"],
                condition=Q(status="pending"),
                name="interest_one_pending_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined", "withdrawn"]),
                name="interest_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} asks for {self.opportunity} ({self.status})"
