from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Model, QuerySet
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from rest_framework import serializers

from backend.fields import latitude_field, longitude_field, refuse_fields
from opportunities.models import Audience, Mode, Opportunity
from opportunities.selectors import REFERENCE_LISTS, opportunity_reference_keys
from organizations.models import Organization
from organizations.selectors import organizations_of_member
from taxonomy.availability import SLOTS
from taxonomy.models import Cause, Language, Skill, TrainingType

NOT_YOUR_ORGANIZATION_MESSAGE = gettext_noop("Choose an organization you are a member of.")
STATUS_READ_ONLY_MESSAGE = gettext_noop(
    "Use the publish and close actions to change a role's status."
)
ORGANIZATION_FIXED_MESSAGE = gettext_noop("A role stays with the organization that posted it.")
UNKNOWN_REFERENCE_MESSAGE = gettext_noop("Unknown {label} {value!r}.")
HOURS_RANGE_MESSAGE = gettext_noop("Hours per week must be more than 0 and at most 80.")
MAX_CAPACITY = 1000

#: Hidden from non-members when ``hide_address`` is set; the postcode stays visible so volunteers
#: can judge the journey.
HIDDEN_PLACE_FIELDS = ("address", "latitude", "longitude")


class ReferenceListField(serializers.ListField):
    """A list of reference-data keys (skill slugs, ISO language codes) resolved in one query, with
    a message naming each unknown key."""

    def __init__(
        self, *, queryset: QuerySet, key: str = "slug", label_name: str = "item", **kwargs: Any
    ) -> None:
        self.queryset = queryset
        self.key = key
        self.label_name = label_name
        kwargs.setdefault("child", serializers.CharField(max_length=64))
        kwargs.setdefault("max_length", 50)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> list[Model]:
        keys = list(dict.fromkeys(super().to_internal_value(data)))
        found = {
            getattr(obj, self.key): obj for obj in self.queryset.filter(**{f"{self.key}__in": keys})
        }
        unknown = [key for key in keys if key not in found]
        if unknown:
            raise serializers.ValidationError(
                [
                    gettext(UNKNOWN_REFERENCE_MESSAGE).format(
                        label=gettext(self.label_name), value=key
                    )
                    for key in unknown
                ]
            )
        return [found[key] for key in keys]


class OpportunityInputSerializer(serializers.Serializer):
    """What a coordinator sends to create (all fields) or PATCH (any subset, no organization)."""

    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.all(),
        error_messages={"does_not_exist": gettext_lazy(NOT_YOUR_ORGANIZATION_MESSAGE)},
    )
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    causes = ReferenceListField(queryset=Cause.objects.all(), label_name=gettext_noop("cause"))
    required_skills = ReferenceListField(
        queryset=Skill.objects.all(), label_name=gettext_noop("skill")
    )
    preferred_skills = ReferenceListField(
        queryset=Skill.objects.all(), label_name=gettext_noop("skill")
    )
    languages = ReferenceListField(
        queryset=Language.objects.all(),
        key="code",
        label_name=gettext_noop("language code"),
        child=serializers.CharField(max_length=2),
    )
    mode = serializers.ChoiceField(choices=Mode.choices, required=False)
    address = serializers.CharField(max_length=300, allow_blank=True, required=False)
    postcode = serializers.CharField(max_length=12, allow_blank=True, required=False)
    latitude = latitude_field()
    longitude = longitude_field()
    hide_address = serializers.BooleanField(required=False)
    availability = serializers.ListField(
        child=serializers.ChoiceField(choices=SLOTS), max_length=len(SLOTS) * 2, required=False
    )
    hours_per_week = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        allow_null=True,
        required=False,
        coerce_to_string=False,
        validators=[
            MinValueValidator(Decimal("0.1"), message=gettext_lazy(HOURS_RANGE_MESSAGE)),
            MaxValueValidator(Decimal("80"), message=gettext_lazy(HOURS_RANGE_MESSAGE)),
        ],
    )
    starts_on = serializers.DateField(allow_null=True, required=False)
    ends_on = serializers.DateField(allow_null=True, required=False)
    capacity = serializers.IntegerField(min_value=1, max_value=MAX_CAPACITY, required=False)
    min_age = serializers.IntegerField(min_value=0, max_value=120, allow_null=True, required=False)
    background_check_required = serializers.BooleanField(required=False)
    skills_learnable_on_the_job = serializers.BooleanField(
        required=False,
        help_text="The role teaches its required skills, so volunteers without them are suggested.",
    )
    schedule_fixed = serializers.BooleanField(
        required=False,
        help_text="The role happens at the times in `availability` (a volunteer must be free in "
        "one of them); false when those times are only a preference. Default true.",
    )
    required_trainings = ReferenceListField(
        queryset=TrainingType.objects.all(), label_name="training"
    )
    audience = serializers.ListField(
        child=serializers.ChoiceField(choices=Audience.choices), max_length=10, required=False
    )
    lived_experience_valued = serializers.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if self.partial:
            del self.fields["organization"]
        elif getattr(user, "is_authenticated", False):
            # Only the caller's own organizations exist here, so an outsider cannot tell another
            # organization's id from one that does not exist.
            self.fields["organization"].queryset = organizations_of_member(user=user)  # type: ignore[attr-defined]
        else:
            self.fields["organization"].queryset = Organization.objects.none()  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        refused = {
            "status": gettext(STATUS_READ_ONLY_MESSAGE),
            "published_at": gettext(STATUS_READ_ONLY_MESSAGE),
        }
        if self.partial:
            refused["organization"] = gettext(ORGANIZATION_FIXED_MESSAGE)
        refuse_fields(self, refused)
        return attrs


class OpportunitySerializer(serializers.ModelSerializer):
    """A role as callers see it. Non-members of a role with ``hide_address`` get null address and
    coordinates; ``distance_km`` is present when the list was filtered with ``near``."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    organization_verified = serializers.BooleanField(
        source="organization.is_verified",
        read_only=True,
        help_text="Platform staff checked the organization that posted this role.",
    )
    causes: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )
    required_skills: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )
    preferred_skills: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )
    languages: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="code"
    )
    required_trainings: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="slug"
    )
    address = serializers.CharField(allow_null=True, read_only=True)
    latitude = serializers.FloatField(allow_null=True, read_only=True)
    longitude = serializers.FloatField(allow_null=True, read_only=True)
    availability = serializers.ListField(
        child=serializers.ChoiceField(choices=SLOTS), read_only=True
    )
    audience = serializers.ListField(
        child=serializers.ChoiceField(choices=Audience.choices), read_only=True
    )
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, read_only=True, coerce_to_string=False
    )
    distance_km = serializers.SerializerMethodField()

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "organization",
            "organization_name",
            "organization_verified",
            "title",
            "description",
            "causes",
            "required_skills",
            "preferred_skills",
            "languages",
            "mode",
            "address",
            "postcode",
            "latitude",
            "longitude",
            "hide_address",
            "availability",
            "schedule_fixed",
            "hours_per_week",
            "starts_on",
            "ends_on",
            "capacity",
            "min_age",
            "background_check_required",
            "skills_learnable_on_the_job",
            "required_trainings",
            "audience",
            "lived_experience_valued",
            "status",
            "published_at",
            "created_at",
            "updated_at",
            "distance_km",
        ]
        read_only_fields = fields

    def get_distance_km(self, opportunity: Opportunity) -> float | None:
        distance = getattr(opportunity, "distance_km", None)
        return None if distance is None else round(distance, 2)

    def to_representation(self, instance: Opportunity) -> dict[str, Any]:
        data = _fields_of(self, instance)
        if instance.hide_address and instance.organization_id not in self.context.get("roles", {}):
            for field in HIDDEN_PLACE_FIELDS:
                data[field] = None
        return data


#: Fields whose value, of exactly this Python type, DRF shows unchanged (int(x), str(x), bool...).
_PLAIN_TYPES: dict[type, type] = {
    serializers.IntegerField: int,
    serializers.CharField: str,
    serializers.BooleanField: bool,
    serializers.FloatField: float,
}
_KEYS, _PK, _METHOD, _VALUE = range(4)


@cache
def _plan(serializer_class: type[serializers.Serializer]) -> list[tuple[str, int, Any, Any]]:
    """How to write each readable field of the serializer, worked out once from one instance of
    it: (name, how, what to read, the field or the plain type). The fields kept here are only
    asked to format values (dates, decimals, lists of choices), which needs no context."""
    plan: list[tuple[str, int, Any, Any]] = []
    for field in serializer_class(context={})._readable_fields:
        name = str(field.field_name)
        if name in REFERENCE_LISTS:
            plan.append((name, _KEYS, None, None))
        elif isinstance(field, serializers.PrimaryKeyRelatedField):
            plan.append((name, _PK, f"{field.source}_id", None))
        elif field.source == "*":
            plan.append((name, _METHOD, getattr(field, "method_name", None), field))
        else:
            plan.append((name, _VALUE, tuple(field.source_attrs), field))
    return plan


def _fields_of(serializer: serializers.Serializer, instance: Opportunity) -> dict[str, Any]:
    """What ``Serializer.to_representation`` answers for a role, at a fraction of its cost on a
    page of roles: plain values are copied when DRF would show them unchanged, the reference lists
    come from ``opportunity_reference_keys`` (``_reference_keys``, set for a whole page by the
    view) instead of one manager and model per item, and every other value is formatted by DRF's
    own field. The fields are not built for each request (``_plan``)."""
    keys = instance.__dict__.get("_reference_keys")
    if keys is None:
        keys = opportunity_reference_keys([instance.pk])[instance.pk]
    data: dict[str, Any] = {}
    for name, how, source, field in _plan(type(serializer)):
        if how == _KEYS:
            data[name] = list(keys[name])
            continue
        if how == _PK:
            data[name] = getattr(instance, source)
            continue
        if how == _METHOD:
            data[name] = getattr(serializer, source)(instance) if source else None
            continue
        value: Any = instance
        for attr in source:
            value = getattr(value, attr)
            if value is None:
                break
        if value is None:
            data[name] = None
        elif type(value) is _PLAIN_TYPES.get(type(field)):
            data[name] = value
        elif isinstance(field, serializers.ChoiceField) and type(value) is str:
            data[name] = field.choice_strings_to_values.get(value, value)
        else:
            data[name] = field.to_representation(value)
    return data
