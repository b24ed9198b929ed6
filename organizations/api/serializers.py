from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.fields import latitude_field, longitude_field, refuse_fields
from organizations.models import Invitation, Membership, Organization, OrganizationVerification

VERIFIED_READ_ONLY_MESSAGE = gettext_noop("Only platform staff can verify an organization.")

#: What outsiders never see: a shelter's street address is often what it protects most. Members do.
PRIVATE_FIELDS = ("address", "latitude", "longitude")


class OrganizationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    website = serializers.URLField(max_length=200, allow_blank=True, required=False)
    contact_email = serializers.EmailField(max_length=254)
    address = serializers.CharField(max_length=300, allow_blank=True, required=False)
    postcode = serializers.CharField(max_length=12, allow_blank=True, required=False)
    latitude = latitude_field()
    longitude = longitude_field()
    registration_number = serializers.CharField(
        max_length=64,
        allow_blank=True,
        required=False,
        help_text="Registered charity or EIN number, for platform staff to check.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refuse_fields(
            self,
            dict.fromkeys(
                ("verified", "verification_status", "verified_by", "verified_at"),
                gettext(VERIFIED_READ_ONLY_MESSAGE),
            ),
        )
        return attrs


class OrganizationSerializer(serializers.ModelSerializer):
    """Public fields for everyone; address and coordinates for members only (null otherwise)."""

    address = serializers.CharField(allow_null=True, read_only=True)
    latitude = serializers.FloatField(allow_null=True, read_only=True)
    longitude = serializers.FloatField(allow_null=True, read_only=True)
    verified = serializers.BooleanField(
        source="is_verified", read_only=True, help_text="Checked by platform staff."
    )
    my_role = serializers.SerializerMethodField(
        help_text="The caller's role in this organization, or null for non-members."
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "description",
            "website",
            "contact_email",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "registration_number",
            "verified",
            "verification_status",
            "verified_at",
            "my_role",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    # A plain inline enum: naming Membership.Role a second time ("MyRoleEnum") beside the member
    # list's RoleEnum would make drf-spectacular warn about two names for one choice set.
    @extend_schema_field({"type": "string", "enum": Membership.Role.values, "nullable": True})
    def get_my_role(self, organization: Organization) -> str | None:
        return self.context.get("roles", {}).get(organization.id)

    def to_representation(self, instance: Organization) -> dict[str, Any]:
        data = super().to_representation(instance)
        if instance.id not in self.context.get("roles", {}):
            for field in PRIVATE_FIELDS:
                data[field] = None
        return data


class MembershipRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Membership.Role.choices)


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "email", "role", "created_at"]
        read_only_fields = fields


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, default=Membership.Role.COORDINATOR
    )


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as the organization's admins and the invitee see it."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_verified = serializers.BooleanField(
        source="organization.is_verified", read_only=True
    )

    class Meta:
        model = Invitation
        fields = [
            "id",
            "organization",
            "organization_name",
            "organization_verified",
            "email",
            "role",
            "status",
            "expires_at",
            "responded_at",
            "created_at",
        ]
        read_only_fields = fields


class VerificationDecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=OrganizationVerification.Decision.choices)
    registration_number = serializers.CharField(max_length=64, allow_blank=True, required=False)
    website = serializers.URLField(max_length=200, allow_blank=True, required=False)
    contact = serializers.CharField(
        max_length=300,
        allow_blank=True,
        required=False,
        help_text="Who confirmed the organization, and how (needed to verify).",
    )
    note = serializers.CharField(
        max_length=2000, allow_blank=True, required=False, help_text="Needed to refuse."
    )


class OrganizationVerificationSerializer(serializers.ModelSerializer):
    decided_by_email = serializers.EmailField(
        source="decided_by.email", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = OrganizationVerification
        fields = [
            "id",
            "organization",
            "decision",
            "decided_by",
            "decided_by_email",
            "decided_at",
            "registration_number",
            "website",
            "contact",
            "note",
        ]
        read_only_fields = fields
