"""Shapes of the volunteer profile API. Serializers check types and known reference values only;
the rules (who may declare what, where a volunteer is, what keeps a verification) live in
``volunteers.services``."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from rest_framework import serializers
from rest_framework.fields import SkipField

from backend.fields import FiniteFloatField
from opportunities.models import Mode
from taxonomy.availability import INVALID_SLOT_MESSAGE, invalid_slots
from taxonomy.models import Cause, Language, Skill, TrainingType
from volunteers.models import BackgroundCheckStatus, VolunteerProfile

UNKNOWN_SKILL_MESSAGE = gettext_noop("Unknown skill '{value}'.")
UNKNOWN_CAUSE_MESSAGE = gettext_noop("Unknown cause '{value}'.")
UNKNOWN_LANGUAGE_MESSAGE = gettext_noop(
    "Unknown language code '{value}': use an ISO 639-1 code such as 'es'."
)
UNKNOWN_TRAINING_MESSAGE = gettext_noop("Unknown training '{value}'.")


#: At most this many skills, causes or languages in a profile (the schema's maxItems): 100,000
#: causes were accepted, and looked up one by one, before this bound.
MAX_REFERENCES = 50
TOO_MANY_REFERENCES_MESSAGE = gettext_noop("Choose at most {limit}.")


class _BoundedReferences(serializers.ManyRelatedField):
    """A list of reference-data slugs, refused before any lookup when longer than the bound."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, list) and len(data) > MAX_REFERENCES:
            raise serializers.ValidationError(
                gettext(TOO_MANY_REFERENCES_MESSAGE).format(limit=MAX_REFERENCES)
            )
        return super().to_internal_value(data)


def _reference_list(model: type[models.Model], slug_field: str, message: str) -> Any:
    return _BoundedReferences(
        child_relation=serializers.SlugRelatedField(
            slug_field=slug_field,
            queryset=model._default_manager.all(),
            error_messages={"does_not_exist": gettext_lazy(message)},
        ),
        required=False,
    )


TRAINING_REQUIRED_MESSAGE = gettext_noop("Name the training with its slug, such as 'mhfa'.")


class TrainingRecordSerializer(serializers.Serializer):
    training = serializers.SlugRelatedField(
        source="training_type",
        slug_field="slug",
        queryset=TrainingType.objects.all(),
        error_messages={"does_not_exist": gettext_lazy(UNKNOWN_TRAINING_MESSAGE)},
    )
    completed_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    verified = serializers.BooleanField(
        required=False,
        help_text="Set by platform staff or a coordinator. A volunteer may send back the value they "
        "read; claiming an unverified training is verified is refused.",
    )
    verified_by = serializers.IntegerField(source="verified_by_id", read_only=True, allow_null=True)
    verified_at = serializers.DateTimeField(read_only=True, allow_null=True)
    verified_for = serializers.IntegerField(
        source="verified_for_id",
        read_only=True,
        allow_null=True,
        help_text="The organization whose coordinator verified it: it counts for that "
        "organization's roles only, until platform staff confirm it. Empty: it counts everywhere.",
    )

    def validate(self, attrs: dict) -> dict:
        # A PATCH makes DRF treat nested fields as optional too, but a training without its type
        # means nothing: the list replaces the volunteer's trainings, so each item must name one.
        if "training_type" not in attrs:
            raise serializers.ValidationError({"training": [gettext(TRAINING_REQUIRED_MESSAGE)]})
        return attrs


class BackgroundCheckSerializer(serializers.Serializer):
    """The check as the volunteer sees it. Nested in a profile it reads the profile's
    ``background_check_*`` fields."""

    status = serializers.ChoiceField(choices=BackgroundCheckStatus.choices)
    cleared_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    verified_by = serializers.IntegerField(read_only=True, allow_null=True)
    verified_at = serializers.DateTimeField(read_only=True, allow_null=True)
    verified_for = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="As for a training: the organization whose coordinator recorded it, or empty.",
    )

    def get_attribute(self, instance: VolunteerProfile) -> VolunteerProfile:
        return instance

    def to_representation(self, instance: VolunteerProfile) -> dict[str, Any]:
        verified_at = instance.background_check_verified_at
        cleared_on = instance.background_check_cleared_on
        expires_on = instance.background_check_expires_on
        return {
            "status": instance.background_check_status,
            "cleared_on": cleared_on.isoformat() if cleared_on else None,
            "expires_on": expires_on.isoformat() if expires_on else None,
            "verified_by": instance.background_check_verified_by_id,
            "verified_at": self.fields["verified_at"].to_representation(verified_at)
            if verified_at
            else None,
            "verified_for": instance.background_check_verified_for_id,
        }


class DateOfBirthCorrectionSerializer(serializers.Serializer):
    """A correction of the volunteer's date of birth by platform staff, as the volunteer sees it."""

    corrected_at = serializers.DateTimeField(read_only=True)
    note = serializers.CharField(read_only=True)


class VolunteerProfileSerializer(serializers.Serializer):
    """The owner's own profile: read it whole, PATCH any part of it."""

    id = serializers.IntegerField(read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    email_verified = serializers.BooleanField(
        source="user.email_verified",
        read_only=True,
        help_text="Whether the volunteer followed the link emailed to this address; until then "
        "they are not matched (POST /api/v1/auth/email/verify/resend/ sends a new link).",
    )
    display_name = serializers.CharField(max_length=120)
    bio = serializers.CharField(max_length=4000, allow_blank=True, required=False)
    skills = _reference_list(Skill, "slug", UNKNOWN_SKILL_MESSAGE)
    causes = _reference_list(Cause, "slug", UNKNOWN_CAUSE_MESSAGE)
    languages = _reference_list(Language, "code", UNKNOWN_LANGUAGE_MESSAGE)
    postcode = serializers.CharField(
        max_length=12,
        allow_blank=True,
        required=False,
        help_text="A US ZIP code fills latitude and longitude when they are not given.",
    )
    latitude = FiniteFloatField(allow_null=True, required=False)
    longitude = FiniteFloatField(allow_null=True, required=False)
    max_travel_km = FiniteFloatField(required=False)
    modes = serializers.ListField(
        child=serializers.ChoiceField(choices=Mode.choices), required=False, max_length=len(Mode)
    )
    availability = serializers.ListField(
        child=serializers.CharField(max_length=20),
        required=False,
        help_text="Weekly slots such as 'mon-morning' or 'sun-night'.",
    )
    max_hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, required=False, coerce_to_string=False
    )
    max_commitments = serializers.IntegerField(required=False)
    date_of_birth = serializers.DateField(
        allow_null=True,
        required=False,
        help_text="Set once; after that only platform staff correct it (sending the same value "
        "back is fine).",
    )
    date_of_birth_corrections = DateOfBirthCorrectionSerializer(
        many=True,
        read_only=True,
        help_text="Each correction platform staff made to the date of birth, newest first.",
    )
    trainings = TrainingRecordSerializer(
        many=True,
        required=False,
        help_text="The whole declared set: a PATCH with this list replaces it.",
    )
    background_check = BackgroundCheckSerializer(required=False)
    lived_experience = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    share_lived_experience = serializers.BooleanField(required=False)
    paused = serializers.BooleanField(required=False)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Any) -> dict[str, Any]:
        """DRF's answer; the skill, cause and language keys are read from ``_reference_keys``
        when the selector loaded them with the profile (``volunteer_profile_shown_to_owner``:
        one query, where three prefetches built a model per item)."""
        keys = instance.__dict__.get("_reference_keys") if hasattr(instance, "__dict__") else None
        if keys is None:
            return super().to_representation(instance)
        data: dict[str, Any] = {}
        for field in self._readable_fields:
            name = str(field.field_name)
            if name in keys:
                data[name] = list(keys[name])
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            data[name] = None if attribute is None else field.to_representation(attribute)
        return data

    def validate_availability(self, value: list[str]) -> list[str]:
        bad = invalid_slots(value)
        if bad:
            raise serializers.ValidationError(
                [gettext(INVALID_SLOT_MESSAGE).format(slot=slot) for slot in bad]
            )
        return value


NOTICES_HELP = (
    "What was stored differently from what was sent, such as a training's expiry capped at its "
    "validity period after completion."
)


class _NoticesMixin(serializers.Serializer):
    notices = serializers.SerializerMethodField(help_text=NOTICES_HELP)

    def get_notices(self, instance: Any) -> list[str]:
        return list(self.context.get("notices", []))


class VolunteerProfileEditedSerializer(_NoticesMixin, VolunteerProfileSerializer):
    """The profile as stored after an edit, with notices."""


ORGANIZATION_HELP = (
    "For a coordinator: the organization the verification is for (required when the volunteer "
    "is matched with roles of more than one of theirs). Platform staff verify for every role."
)


class VerifyingOrganizationSerializer(serializers.Serializer):
    organization = serializers.IntegerField(
        required=False, allow_null=True, help_text=ORGANIZATION_HELP
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=500,
        trim_whitespace=True,
        help_text="What the verifier saw (the certificate, its number, who issued it): kept with "
        "the check or training, for platform staff and in the volunteer's own data export.",
    )


class BackgroundCheckRecordSerializer(VerifyingOrganizationSerializer):
    """What platform staff or a coordinator record after seeing the paperwork."""

    status = serializers.ChoiceField(choices=BackgroundCheckStatus.choices)
    cleared_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)


class TrainingVerificationSerializer(_NoticesMixin, TrainingRecordSerializer):
    """A verified training as its verifier sees it after verifying it."""

    volunteer = serializers.IntegerField(source="profile_id", read_only=True)


class DateOfBirthCorrectSerializer(serializers.Serializer):
    """What platform staff send to correct a date of birth."""

    date_of_birth = serializers.DateField()
    note = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        trim_whitespace=True,
        help_text="Why: the document seen, who asked. Required.",
    )


class DateOfBirthCorrectedSerializer(serializers.Serializer):
    volunteer = serializers.IntegerField(source="profile_id")
    date_of_birth = serializers.DateField(source="profile.date_of_birth")
    corrected_by = serializers.IntegerField(source="corrected_by_id", allow_null=True)
    corrected_at = serializers.DateTimeField()
    note = serializers.CharField()


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    # Not trimmed: leading or trailing spaces are part of what the person typed. The cap keeps a
    # megabyte "password" away from the hasher.
    password = serializers.CharField(write_only=True, max_length=256, trim_whitespace=False)
    display_name = serializers.CharField(max_length=120)


class RegistrationAcceptedSerializer(serializers.Serializer):
    """The one answer to a sign-up, whether or not the address had an account: no token, no ids
    (the emails say what to do next)."""

    detail = serializers.CharField()
