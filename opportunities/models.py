from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from backend.models import TimeStampedModel, coordinate_constraints
from backend.places import check_coordinates_together
from matching.engine import rules
from taxonomy.availability import INVALID_SLOT_MESSAGE, invalid_slots


class Mode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    REMOTE = "remote", "Remote"
    PHONE = "phone", "Phone"
    HYBRID = "hybrid", "Hybrid"


class Audience(models.TextChoices):
    ADULTS = "adults", "Adults"
    MINORS = "minors", "Minors"
    OLDER_ADULTS = "older_adults", "Older adults"


#: Modes where the volunteer has to travel to the role's place (the engine's rule).
TRAVEL_MODES = frozenset(Mode(mode) for mode in rules.TRAVEL_MODES)

ENDS_BEFORE_START_MESSAGE = gettext_noop("The end date cannot be before the start date.")
INVALID_AUDIENCE_MESSAGE = gettext_noop(
    "Unknown audience {audience!r}: use adults, minors or older_adults."
)
NOT_A_LIST_MESSAGE = gettext_noop("Expected a list.")
PLACE_REQUIRED_MESSAGE = gettext_noop(
    "In-person and hybrid roles need a place: a US postcode we can find, or latitude and longitude."
)
ENDED_MESSAGE = gettext_noop("This role ended on {ends_on}; move the end date to publish it.")


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def published(self) -> OpportunityQuerySet:
        return self.filter(status=Opportunity.Status.PUBLISHED)


class Opportunity(TimeStampedModel):
    """A volunteer role posted by an organization."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="opportunities"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    causes = models.ManyToManyField("taxonomy.Cause", blank=True, related_name="+")
    required_skills = models.ManyToManyField("taxonomy.Skill", blank=True, related_name="+")
    preferred_skills = models.ManyToManyField("taxonomy.Skill", blank=True, related_name="+")
    languages = models.ManyToManyField(
        "taxonomy.Language", blank=True, related_name="+", help_text="Languages the role requires."
    )
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.IN_PERSON)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    hide_address = models.BooleanField(
        default=False, help_text="Crisis services often keep their address private until a match."
    )
    availability = models.JSONField(default=list, blank=True)
    schedule_fixed = models.BooleanField(
        default=True,
        help_text="The role happens at the times listed: a volunteer must be free in one of them. "
        "Untick when the times are only a preference.",
    )
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    capacity = models.PositiveIntegerField(default=1)
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    background_check_required = models.BooleanField(default=False)
    skills_learnable_on_the_job = models.BooleanField(
        default=False,
        help_text="The role teaches its required skills: volunteers without them are suggested too.",
    )
    required_trainings = models.ManyToManyField(
        "taxonomy.TrainingType", blank=True, related_name="+"
    )
    audience = models.JSONField(default=list, blank=True)
    lived_experience_valued = models.BooleanField(
        default=False,
        help_text="Peer roles value lived experience; only then do coordinators see what a "
        "volunteer has chosen to share.",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(
        null=True, blank=True, help_text="When suggestions were last computed for this role."
    )

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["status", "mode"]),
            models.Index(fields=["organization", "status"]),
            models.Index(fields=["updated_at"]),
            # The distance filter's bounding box (opportunities/filters.py) before the haversine.
            models.Index(fields=["latitude", "longitude"], name="opportunity_lat_lon"),
        ]
        constraints = [
            *coordinate_constraints("opportunity"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="opportunity_capacity_min_1"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="opportunity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(min_age__lte=120),
                name="opportunity_min_age_range",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(hours_per_week__gt=0, hours_per_week__lte=80),
                name="opportunity_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "closed"]),
                name="opportunity_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(mode__in=["in_person", "remote", "phone", "hybrid"]),
                name="opportunity_mode_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        """Cross-field rules, reported on the field to fix (the check constraints back them up)."""
        errors: dict[str, list[str]] = {}
        try:
            check_coordinates_together(self)
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = [gettext(ENDS_BEFORE_START_MESSAGE)]
        if not isinstance(self.availability, list):
            errors["availability"] = [gettext(NOT_A_LIST_MESSAGE)]
        elif bad_slots := invalid_slots(self.availability):
            errors["availability"] = [
                gettext(INVALID_SLOT_MESSAGE).format(slot=slot) for slot in bad_slots
            ]
        if not isinstance(self.audience, list):
            errors["audience"] = [gettext(NOT_A_LIST_MESSAGE)]
        else:
            bad = [a for a in self.audience if a not in Audience.values]
            if bad:
                errors["audience"] = [
                    gettext(INVALID_AUDIENCE_MESSAGE).format(audience=a) for a in bad
                ]
        if errors:
            raise ValidationError(errors)

    def publication_problems(self, *, today: dt.date | None = None) -> dict[str, list[str]]:
        """What stops this role from being shown to volunteers; empty when it is ready."""
        today = today or timezone.localdate()
        problems: dict[str, list[str]] = {}
        if self.needs_travel and (self.latitude is None or self.longitude is None):
            problems["postcode"] = [gettext(PLACE_REQUIRED_MESSAGE)]
        if self.ends_on is not None and self.ends_on < today:
            problems["ends_on"] = [gettext(ENDED_MESSAGE).format(ends_on=self.ends_on.isoformat())]
        return problems

    @property
    def needs_travel(self) -> bool:
        return rules.needs_travel(self.mode)

    @property
    def serves_minors(self) -> bool:
        return Audience.MINORS in (self.audience or [])

    @property
    def needs_background_check(self) -> bool:
        """The engine's rule: a role with minors always needs a check."""
        return rules.needs_background_check(
            required=self.background_check_required, audience=self.audience or ()
        )

    @property
    def effective_min_age(self) -> int | None:
        """The engine's rule: a role with minors needs adults (18+), whatever min_age says."""
        return rules.effective_min_age(self.min_age, self.audience or ())
