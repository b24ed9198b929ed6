from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from backend.models import TimeStampedModel, coordinate_constraints
from backend.places import check_coordinates_together


class OrganizationQuerySet(models.QuerySet["Organization"]):
    pass


class VerificationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    VERIFIED = "verified", "Verified"
    REFUSED = "refused", "Refused"


class Organization(TimeStampedModel):
    """A nonprofit that posts volunteer roles. It starts ``pending``; only platform staff verify or
    refuse it (``organizations.services.verification``), and only a verified organization's roles
    are published, matched and shown volunteers' details."""

    name = models.CharField(max_length=200)
    description = models.TextField(max_length=5000, blank=True)
    website = models.URLField(blank=True)
    contact_email = models.EmailField()
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    registration_number = models.CharField(
        max_length=64,
        blank=True,
        help_text="Registered charity number or EIN, for platform staff to check.",
    )
    verification_status = models.CharField(
        max_length=16, choices=VerificationStatus.choices, default=VerificationStatus.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            *coordinate_constraints("organization"),
            models.CheckConstraint(
                condition=Q(verification_status__in=["pending", "verified", "refused"]),
                name="organization_verification_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verification_status == VerificationStatus.VERIFIED

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


class OrganizationVerification(models.Model):
    """One decision by platform staff on an organization, with what they checked. Never edited:
    a later decision is a new row."""

    class Decision(models.TextChoices):
        VERIFIED = "verified", "Verified"
        REFUSED = "refused", "Refused"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="verifications"
    )
    decision = models.CharField(max_length=16, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    registration_number = models.CharField(
        max_length=64, blank=True, help_text="The charity or EIN number checked."
    )
    website = models.URLField(blank=True, help_text="The website checked.")
    contact = models.CharField(
        max_length=300, blank=True, help_text="Who was contacted, and how, to confirm."
    )
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["verified", "refused"]),
                name="organization_verification_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.decision}"


class Invitation(TimeStampedModel):
    """An organization's admin invites someone by email; they become a member only when they
    accept, signed in with that address."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        REVOKED = "revoked", "Revoked"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    role = models.CharField(
        max_length=16, choices=Membership.Role.choices, default=Membership.Role.COORDINATOR
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField()
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "email"],
                condition=Q(status="pending"),
                name="invitation_one_pending_per_email",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined", "revoked"]),
                name="invitation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(role__in=["admin", "coordinator"]), name="invitation_role_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organization} ({self.status})"
