from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.models import TimeStampedModel


class CalendarFeed(models.Model):
    """A volunteer's secret calendar address. Only a SHA-256 of the token is stored: the address is
    shown once, when made, and a database leak does not reveal where crisis services meet."""

    # Personal data (backend/personal.py): erasure deletes the feed; the export says it exists
    # but not its hash (a secret's, of no use to its owner).
    PERSONAL_OWNER = ("volunteer__user",)
    PERSONAL_FIELDS = ()
    PERSONAL_ERASURE = "delete"
    PERSONAL_EXPORT_EXCLUDE = ("token_hash",)

    volunteer = models.OneToOneField(
        "volunteers.VolunteerProfile", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True, help_text="When the address was last reset.")

    def __str__(self) -> str:
        return f"Calendar of {self.volunteer}"


class HoursLog(TimeStampedModel):
    """Hours a volunteer gave on an active match; a coordinator of the role verifies them."""

    # Personal data (backend/personal.py): the hours stay, anonymous through the match; the
    # volunteer's note goes.
    PERSONAL_OWNER = ("match__volunteer__user",)
    PERSONAL_FIELDS = ("note",)
    PERSONAL_ERASURE = "blank"

    match = models.ForeignKey("matching.Match", on_delete=models.CASCADE, related_name="hours_logs")
    date = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=2)
    note = models.TextField(max_length=1000, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["match", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="hours_log_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.date} ({self.match_id})"


class Rating(models.Model):
    """After completion each side may rate the other once: 1 to 5 and a comment."""

    # Personal data (backend/personal.py): ratings given and received; the scores stay, the
    # comments (free text about or by the volunteer) go.
    PERSONAL_OWNER = ("match__volunteer__user", "rater")
    PERSONAL_FIELDS = ("comment",)
    PERSONAL_ERASURE = "blank"

    class Side(models.TextChoices):
        VOLUNTEER = "volunteer", "The volunteer rates the role"
        ORGANIZATION = "organization", "The organization rates the volunteer"

    match = models.ForeignKey("matching.Match", on_delete=models.CASCADE, related_name="ratings")
    side = models.CharField(max_length=16, choices=Side.choices)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["match", "side"]
        constraints = [
            models.UniqueConstraint(fields=["match", "side"], name="rating_once_per_side"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_5"
            ),
            models.CheckConstraint(
                condition=Q(side__in=["volunteer", "organization"]), name="rating_side_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score}/5 by the {self.side} on {self.match_id}"
