from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from backend.models import TimeStampedModel, coordinate_constraints
from matching.engine import rules

TRAVEL_RANGE_MESSAGE = gettext_noop("Enter a travel distance between 0 and 500 km.")
COMMITMENTS_RANGE_MESSAGE = gettext_noop("Enter between 1 and 20 commitments.")
HOURS_RANGE_MESSAGE = gettext_noop(
    "Enter more than 0 and at most 80 hours a week, or leave it empty for no limit."
)
LATITUDE_RANGE_MESSAGE = gettext_noop("Latitude must be between -90 and 90.")
LONGITUDE_RANGE_MESSAGE = gettext_noop("Longitude must be between -180 and 180.")
DATE_OF_BIRTH_FUTURE_MESSAGE = gettext_noop("Date of birth cannot be in the future.")
DATE_OF_BIRTH_TOO_EARLY_MESSAGE = gettext_noop("Date of birth cannot be before 1900.")
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


def validate_date_of_birth(value: dt.date) -> None:
    # Checked against the local date: a volunteer born today in New York is not "in the future".
    if value > timezone.localdate():
        raise ValidationError(gettext(DATE_OF_BIRTH_FUTURE_MESSAGE), code="future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(gettext(DATE_OF_BIRTH_TOO_EARLY_MESSAGE), code="too_early")


def validate_hours_per_week(value: Decimal) -> None:
    # The database refuses 0 (volunteer_hours_range): "no limit" is spelled null, not 0.
    if not (0 < value <= 80):
        raise ValidationError(gettext(HOURS_RANGE_MESSAGE), code="range")


class BackgroundCheckStatus(models.TextChoices):
    NONE = "none", "None"
    PENDING = "pending", "Pending"
    CLEARED = "cleared", "Cleared"
    EXPIRED = "expired", "Expired"


#: The profile's columns the matching engine reads: ``matching.records`` builds a volunteer's record
#: from them, and ``volunteers.services`` re-runs matching when one changes. One list, so a column the
#: engine starts to read cannot be missed by the rematch.
ENGINE_FIELDS = (
    "bio",
    "latitude",
    "longitude",
    "max_travel_km",
    "modes",
    "availability",
    "max_hours_per_week",
    "max_commitments",
    "date_of_birth",
    "background_check_status",
    "background_check_expires_on",
    "paused",
    "share_lived_experience",
)


class VolunteerProfileQuerySet(models.QuerySet["VolunteerProfile"]):
    pass


class VolunteerProfile(TimeStampedModel):
    """One per volunteer user. Date of birth, background check and lived experience are private:
    never shown to other volunteers or the public, and to coordinators only as a role needs them."""

    # Personal data (backend/personal.py): the profile stays (matches point at it) under the name
    # "Former volunteer", with every field about the person blanked.
    PERSONAL_OWNER = ("user",)
    PERSONAL_FIELDS = (
        "display_name",
        "bio",
        "skills",
        "causes",
        "languages",
        "postcode",
        "latitude",
        "longitude",
        "modes",
        "availability",
        "max_hours_per_week",
        "date_of_birth",
        "background_check_status",
        "background_check_cleared_on",
        "background_check_expires_on",
        "background_check_verified_by",
        "background_check_verified_at",
        "background_check_verified_for",
        "background_check_note",
        "lived_experience",
        "share_lived_experience",
    )
    PERSONAL_ERASURE = "blank"
    PERSONAL_ERASED_VALUES = {"display_name": "Former volunteer"}

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    display_name = models.CharField(max_length=120)
    bio = models.TextField(max_length=4000, blank=True, help_text="Bio and motivation.")
    skills = models.ManyToManyField("taxonomy.Skill", blank=True, related_name="+")
    causes = models.ManyToManyField("taxonomy.Cause", blank=True, related_name="+")
    languages = models.ManyToManyField("taxonomy.Language", blank=True, related_name="+")
    postcode = models.CharField(max_length=12, blank=True)
    latitude = models.FloatField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-90, message=gettext_lazy(LATITUDE_RANGE_MESSAGE)),
            MaxValueValidator(90, message=gettext_lazy(LATITUDE_RANGE_MESSAGE)),
        ],
    )
    longitude = models.FloatField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(-180, message=gettext_lazy(LONGITUDE_RANGE_MESSAGE)),
            MaxValueValidator(180, message=gettext_lazy(LONGITUDE_RANGE_MESSAGE)),
        ],
    )
    max_travel_km = models.FloatField(
        default=10,
        validators=[
            MinValueValidator(0, message=gettext_lazy(TRAVEL_RANGE_MESSAGE)),
            MaxValueValidator(500, message=gettext_lazy(TRAVEL_RANGE_MESSAGE)),
        ],
    )
    modes = models.JSONField(default=list, blank=True, help_text="Modes accepted.")
    availability = models.JSONField(default=list, blank=True)
    max_hours_per_week = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[validate_hours_per_week],
    )
    max_commitments = models.PositiveSmallIntegerField(
        default=2,
        validators=[
            MinValueValidator(1, message=gettext_lazy(COMMITMENTS_RANGE_MESSAGE)),
            MaxValueValidator(20, message=gettext_lazy(COMMITMENTS_RANGE_MESSAGE)),
        ],
    )
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_date_of_birth])
    background_check_status = models.CharField(
        max_length=16, choices=BackgroundCheckStatus.choices, default=BackgroundCheckStatus.NONE
    )
    background_check_cleared_on = models.DateField(null=True, blank=True)
    background_check_expires_on = models.DateField(null=True, blank=True)
    background_check_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    background_check_verified_at = models.DateTimeField(null=True, blank=True)
    background_check_verified_for = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when a coordinator verified the check: it counts for that organization's "
        "roles only, until platform staff confirm it. Empty: it counts everywhere.",
    )
    background_check_note = models.TextField(
        max_length=500,
        blank=True,
        help_text="What the verifier saw (the certificate, its number, who issued it); not shown "
        "to the volunteer's organizations.",
    )
    lived_experience = models.TextField(max_length=2000, blank=True)
    share_lived_experience = models.BooleanField(default=False)
    paused = models.BooleanField(default=False)
    matched_at = models.DateTimeField(
        null=True, blank=True, help_text="When suggestions were last computed for this volunteer."
    )

    objects = VolunteerProfileQuerySet.as_manager()

    class Meta:
        ordering = ["display_name", "id"]
        indexes = [models.Index(fields=["updated_at"])]
        constraints = [
            *coordinate_constraints("volunteer"),
            models.CheckConstraint(
                condition=Q(max_travel_km__gte=0, max_travel_km__lte=500),
                name="volunteer_travel_range",
            ),
            models.CheckConstraint(
                condition=Q(max_commitments__gte=1, max_commitments__lte=20),
                name="volunteer_commitments_range",
            ),
            models.CheckConstraint(
                condition=Q(max_hours_per_week__isnull=True)
                | Q(max_hours_per_week__gt=0, max_hours_per_week__lte=80),
                name="volunteer_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(background_check_status__in=["none", "pending", "cleared", "expired"]),
                name="volunteer_background_check_status_valid",
            ),
            models.CheckConstraint(
                # A cleared check always records when it was cleared.
                condition=~Q(background_check_status="cleared")
                | Q(background_check_cleared_on__isnull=False),
                name="volunteer_cleared_check_has_date",
            ),
            models.CheckConstraint(
                condition=Q(background_check_expires_on__isnull=True)
                | Q(background_check_cleared_on__isnull=True)
                | Q(background_check_expires_on__gte=F("background_check_cleared_on")),
                name="volunteer_check_expires_after_cleared",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def age_on(self, day: dt.date) -> int | None:
        return None if self.date_of_birth is None else rules.age_on(self.date_of_birth, day)

    def background_check_valid_on(self, day: dt.date) -> bool:
        return rules.check_valid_on(
            self.background_check_status, self.background_check_expires_on, day
        )


class TrainingRecord(TimeStampedModel):
    """A training a volunteer holds. Volunteers declare it; a coordinator or staff verifies it."""

    #: Who vouched for it, and for whose roles: saved together, set or cleared as one.
    VERIFICATION_FIELDS = (
        "verified",
        "verified_by",
        "verified_at",
        "verified_for",
        "verification_note",
    )
    #: Personal data (backend/personal.py): erasure deletes the volunteer's trainings.
    PERSONAL_OWNER = ("profile__user",)
    PERSONAL_FIELDS = ("training_type", "completed_on", "expires_on", "verification_note")
    PERSONAL_ERASURE = "delete"

    profile = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="trainings"
    )
    training_type = models.ForeignKey(
        "taxonomy.TrainingType", on_delete=models.PROTECT, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    verified = models.BooleanField(default=False)
    verification_note = models.TextField(
        max_length=500, blank=True, help_text="What the verifier saw (the certificate)."
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_for = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Set when a coordinator verified the training: it counts for that "
        "organization's roles only, until platform staff confirm it. Empty: it counts everywhere.",
    )

    class Meta:
        ordering = ["training_type__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "training_type"], name="training_once_per_type"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(completed_on__isnull=True)
                | Q(expires_on__gte=F("completed_on")),
                name="training_expires_after_completed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.training_type} for {self.profile}"

    def valid_on(self, day: dt.date) -> bool:
        return rules.unexpired_on(self.expires_on, day)


class DateOfBirthCorrection(models.Model):
    """Once set, a date of birth changes only through platform staff, with a note saying why
    (``volunteers.services.date_of_birth``). The dates themselves are not copied here."""

    PERSONAL_OWNER = ("profile__user",)
    PERSONAL_FIELDS = ("note",)
    PERSONAL_ERASURE = "delete"

    profile = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="date_of_birth_corrections"
    )
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(max_length=2000)

    class Meta:
        ordering = ["-corrected_at", "-id"]

    def __str__(self) -> str:
        return f"Date of birth of {self.profile} corrected"
