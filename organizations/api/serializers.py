from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.fields import latitude_field, longitude_field, refuse_fields
from organizations.models import Membership, Organization

VERIFIED_READ_ONLY_MESSAGE = "Only platform staff can verify an organization."

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

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refuse_fields(self, {"verified": VERIFIED_READ_ONLY_MESSAGE})
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
            "verified",
            "verification_status",
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


class MembershipInputSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(
        choices=Membership.Role.choices, default=Membership.Role.COORDINATOR
    )


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "email", "role", "created_at"]
        read_only_fields = fields
