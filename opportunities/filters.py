"""Filters for the role list. Bad filter values answer 400 with a message on the parameter."""

from __future__ import annotations

import math
from typing import Any

import django_filters
from django import forms
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.utils.translation import gettext, gettext_noop
from rest_framework.filters import OrderingFilter

from backend.filters import ObjectIdFilter
from backend.places import EARTH_RADIUS_KM, HIDDEN_GRID_DEGREES, DistanceKm
from matching.engine import rules
from opportunities.models import TRAVEL_MODES, Mode, Opportunity
from opportunities.search import opportunities_matching_text
from taxonomy.models import Cause, Skill

MAX_RADIUS_KM = 500
DEFAULT_RADIUS_KM = 25
MAX_RADIUS_MI = 310  # about MAX_RADIUS_KM
NEAR_FORMAT_MESSAGE = gettext_noop(
    "Use near=latitude,longitude in decimal degrees, such as near=40.7359,-73.9911."
)
NEAR_RANGE_MESSAGE = gettext_noop("Latitude must be within -90..90 and longitude within -180..180.")
RADIUS_NEEDS_NEAR_MESSAGE = gettext_noop("radius_km needs near=latitude,longitude.")
RADIUS_MI_NEEDS_NEAR_MESSAGE = gettext_noop("radius_mi needs near=latitude,longitude.")
ONE_RADIUS_MESSAGE = gettext_noop("Give radius_km or radius_mi, not both.")
INCLUDE_REMOTE_NEEDS_NEAR_MESSAGE = gettext_noop("include_remote needs near=latitude,longitude.")


def bounding_box(latitude: float, longitude: float, *, radius_km: float) -> Q:
    """Stored coordinates that may lie within ``radius_km``: a box on the indexed ``latitude`` and
    ``longitude`` (index ``opportunity_lat_lon``) that the exact haversine then narrows.

    The box of a spherical circle: latitude +- r/R, longitude +- asin(sin(r/R) / cos(latitude)),
    each widened by a grid cell, since a hidden address is measured from its cell's centre. No
    longitude bound when the circle reaches a pole or crosses the antimeridian (the latitude
    bound alone still prunes)."""
    angle = radius_km / EARTH_RADIUS_KM
    delta_lat = math.degrees(angle) + HIDDEN_GRID_DEGREES
    box = Q(latitude__gte=latitude - delta_lat, latitude__lte=latitude + delta_lat)
    if abs(latitude) + delta_lat >= 90:
        return box
    delta_lon = (
        math.degrees(math.asin(min(1.0, math.sin(angle) / math.cos(math.radians(latitude)))))
        + HIDDEN_GRID_DEGREES
    )
    if longitude - delta_lon < -180 or longitude + delta_lon > 180:
        return box
    return box & Q(longitude__gte=longitude - delta_lon, longitude__lte=longitude + delta_lon)


class LatLonField(forms.CharField):
    def clean(self, value: Any) -> tuple[float, float] | None:
        value = super().clean(value)
        if not value:
            return None
        parts = value.split(",")
        try:
            if len(parts) != 2:
                raise ValueError
            latitude, longitude = (float(part) for part in parts)
        except ValueError:
            raise forms.ValidationError(gettext(NEAR_FORMAT_MESSAGE)) from None
        if not (math.isfinite(latitude) and math.isfinite(longitude)):
            raise forms.ValidationError(gettext(NEAR_FORMAT_MESSAGE))
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise forms.ValidationError(gettext(NEAR_RANGE_MESSAGE))
        return latitude, longitude


class LatLonFilter(django_filters.Filter):
    field_class = LatLonField


class OpportunityFilterForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("near") is None and "near" not in self.errors:
            if cleaned.get("radius_km") is not None:
                self.add_error("radius_km", gettext(RADIUS_NEEDS_NEAR_MESSAGE))
            if cleaned.get("radius_mi") is not None:
                self.add_error("radius_mi", gettext(RADIUS_MI_NEEDS_NEAR_MESSAGE))
            if cleaned.get("include_remote"):
                self.add_error("include_remote", gettext(INCLUDE_REMOTE_NEEDS_NEAR_MESSAGE))
        if cleaned.get("radius_km") is not None and cleaned.get("radius_mi") is not None:
            self.add_error("radius_mi", gettext(ONE_RADIUS_MESSAGE))
        return cleaned


class OpportunityFilter(django_filters.FilterSet):
    cause = django_filters.ModelChoiceFilter(
        queryset=Cause.objects.all(),
        to_field_name="slug",
        method="filter_cause",
        label="Cause slug.",
    )
    skill = django_filters.ModelChoiceFilter(
        queryset=Skill.objects.all(),
        to_field_name="slug",
        method="filter_skill",
        label="Skill slug, required or preferred.",
    )
    mode = django_filters.ChoiceFilter(choices=Mode.choices)
    status = django_filters.ChoiceFilter(
        choices=Opportunity.Status.choices,
        label="Only meaningful for members: everyone else sees published roles only.",
    )
    # A number, not a choice of organizations: an unknown id and a private one both list nothing.
    organization = ObjectIdFilter(field_name="organization_id")
    q = django_filters.CharFilter(
        method="filter_text", max_length=200, label="Text in the title or description."
    )
    near = LatLonFilter(method="filter_near", label="latitude,longitude")
    radius_km = django_filters.NumberFilter(
        method="filter_near",
        min_value=0,
        max_value=MAX_RADIUS_KM,
        label=f"Kilometres around `near` (default {DEFAULT_RADIUS_KM}, at most {MAX_RADIUS_KM}).",
    )
    radius_mi = django_filters.NumberFilter(
        method="filter_near",
        min_value=0,
        max_value=MAX_RADIUS_MI,
        label=f"Miles around `near`, instead of `radius_km` (at most {MAX_RADIUS_MI}).",
    )
    include_remote = django_filters.BooleanFilter(
        method="filter_near", label="With `near`: also list remote and phone roles."
    )

    class Meta:
        model = Opportunity
        fields: list[str] = []
        form = OpportunityFilterForm

    def filter_cause(self, queryset: QuerySet, name: str, value: Cause | None) -> QuerySet:
        if value is None:
            return queryset
        through = Opportunity.causes.through.objects.filter(cause=value)
        return queryset.filter(id__in=through.values("opportunity_id"))

    def filter_skill(self, queryset: QuerySet, name: str, value: Skill | None) -> QuerySet:
        if value is None:
            return queryset
        required = Opportunity.required_skills.through.objects.filter(skill=value)
        preferred = Opportunity.preferred_skills.through.objects.filter(skill=value)
        return queryset.filter(
            Q(id__in=required.values("opportunity_id"))
            | Q(id__in=preferred.values("opportunity_id"))
        )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return opportunities_matching_text(queryset, value)

    def filter_near(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        # near, radius_km (or radius_mi) and include_remote act together in filter_queryset below.
        return queryset

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        near = self.form.cleaned_data.get("near")
        if near is None:
            # Always present, so ?ordering=distance_km is valid (and a no-op) without near.
            return queryset.annotate(distance_km=Value(None, output_field=FloatField()))
        radius = self.form.cleaned_data.get("radius_km")
        miles = self.form.cleaned_data.get("radius_mi")
        if miles is not None:
            radius_km = rules.km_from(float(miles), rules.MILES)
        else:
            radius_km = float(radius) if radius is not None else float(DEFAULT_RADIUS_KM)
        # Remote and phone roles have no place to travel to (even if a postcode was kept): they
        # carry no distance, so the radius leaves them out unless include_remote asks for them.
        distance = DistanceKm(*near, modes=TRAVEL_MODES)
        wanted = Q(distance_km__lte=radius_km) & bounding_box(*near, radius_km=radius_km)
        if self.form.cleaned_data.get("include_remote"):
            wanted |= Q(mode__in=[Mode.REMOTE, Mode.PHONE])
        queryset = queryset.annotate(distance_km=distance).filter(wanted)
        return queryset.order_by(F("distance_km").asc(nulls_last=True), "id")


class NullsLastOrderingFilter(OrderingFilter):
    """``?ordering=distance_km`` puts roles without a distance last on SQLite and PostgreSQL alike
    (their defaults differ)."""

    def filter_queryset(self, request: Any, queryset: QuerySet, view: Any) -> QuerySet:
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        terms = [
            F(term[1:]).desc(nulls_last=True)
            if term.startswith("-")
            else F(term).asc(nulls_last=True)
            for term in ordering
        ]
        return queryset.order_by(*terms, "id")
