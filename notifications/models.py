from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message to one person about one event, shown in the app and sent by email.

    ``key`` names the event and the recipient (for example ``transition:42:user:7``): a task that
    runs twice finds the row and neither adds a second one nor sends a second email (``emailed_at``
    is set once the SMTP server took it).
    """

    # Personal data (backend/personal.py): the person's own notifications are exported; erasure
    # deletes them and every other one about their matches (a coordinator's names them).
    PERSONAL_OWNER = ("recipient",)
    PERSONAL_ABOUT = ("match__volunteer__user", "transition__match__volunteer__user")
    PERSONAL_FIELDS = ("title", "body")
    PERSONAL_ERASURE = "delete"

    class Kind(models.TextChoices):
        MATCH_OFFERED = "match_offered", "Role offered"
        MATCH_ACCEPTED = "match_accepted", "Offer accepted"
        MATCH_DECLINED = "match_declined", "Offer declined"
        MATCH_WITHDRAWN = "match_withdrawn", "Match withdrawn"
        MATCH_COMPLETED = "match_completed", "Match completed"
        MATCH_ON_HOLD = "match_on_hold", "Match on hold"
        MATCH_RESUMED = "match_resumed", "Match resumed"
        REVIEW_DIGEST = "review_digest", "Suggestions waiting for review"
        EXPIRY_REMINDER = "expiry_reminder", "Training or check expiring"
        INTEREST_DECLINED = "interest_declined", "Interest request declined"
        INTEREST_RECEIVED = "interest_received", "A volunteer asked for a role"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    match = models.ForeignKey(
        "matching.Match", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transition = models.ForeignKey(
        "matching.MatchTransition",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    title = models.CharField(max_length=200)
    body = models.TextField(max_length=5000)
    key = models.CharField(max_length=200, unique=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    #: Which run is emailing the row and since when. A run claims unsent rows before it talks to
    #: the SMTP server (with no transaction open), so a second run of the same task at the same time
    #: leaves them alone; a claim older than services.delivery.EMAIL_CLAIM_LEASE is a dead
    #: worker's and lapses.
    email_claim = models.UUIDField(null=True, blank=True, editable=False)
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            # The daily resend looks for recent rows whose email never went out.
            models.Index(
                fields=["created_at"],
                condition=Q(emailed_at__isnull=True),
                name="notification_unemailed",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "match_offered",
                        "match_accepted",
                        "match_declined",
                        "match_withdrawn",
                        "match_completed",
                        "match_on_hold",
                        "match_resumed",
                        "review_digest",
                        "expiry_reminder",
                        "interest_declined",
                        "interest_received",
                    ]
                ),
                name="notification_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
