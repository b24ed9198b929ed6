from __future__ import annotations

from django.conf import settings
from django.db import models

from backend.models import TimeStampedModel, coordinate_constraints
from backend.places import check_coordinates_together


class OrganizationQuerySet(models.QuerySet["Organization"]):
    pass


class Organization(TimeStampedModel):
    """A nonprofit that posts volunteer roles. ``verified`` is set by platform staff only."""

    name = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField()
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    verified = models.BooleanField(default=False)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = coordinate_constraints("organization")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The database refuses half a coordinate too; this says which half is missing.
        check_coordinates_together(self)


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        ADMIN = "admin", "Admin"
        COORDINATOR = "coordinator", "Coordinator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.COORDINATOR)

    class Meta:
        ordering = ["organization_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique"),
            models.CheckConstraint(
                condition=models.Q(role__in=["admin", "coordinator"]), name="membership_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) at {self.organization}"
