"""Filters the page templates use to show codes in words and distances as a person reads them."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.formats import number_format

from matching.engine import rules
from organizations.membership import verified_organization_ids_of
from pages import labels

register = template.Library()


@register.filter
def mode_label(code: str) -> str:
    return labels.label(labels.MODES, code)


@register.filter
def status_label(code: str) -> str:
    return labels.label(labels.MATCH_STATUSES, code)


@register.filter
def check_label(code: str) -> str:
    return labels.label(labels.CHECK_STATUSES, code)


@register.filter
def band_label(code: str | None) -> str:
    """A kilometre band (the engine's code) in the deployment's unit, as a person reads it."""
    if not code:
        return ""
    miles = settings.DISTANCE_UNIT == rules.MILES
    return labels.label(labels.DISTANCE_BANDS_IN_MILES if miles else labels.DISTANCE_BANDS, code)


@register.simple_tag
def role_distance(opportunity: object) -> str:
    """How far a listed role is from the searched place: a band when its address is hidden (the
    distance is measured to a grid cell, and a figure would suggest more than it knows), else
    the distance in the deployment's unit (settings.DISTANCE_UNIT) with one decimal, in the
    reader's number format."""
    km = getattr(opportunity, "distance_km", None)
    if km is None:
        return ""
    if getattr(opportunity, "hide_address", False):
        return band_label(rules.distance_band(km))
    return distance_shown(km)


def distance_shown(km: float) -> str:
    """``km`` in the deployment's unit: "3.2 km", or "2.0 mi"."""
    unit = settings.DISTANCE_UNIT
    shown = rules.km_in(km, unit)
    return f"{number_format(round(shown, 1), decimal_pos=1)} {unit}"


@register.filter
def get_item(mapping: dict | None, key: str) -> object:
    return (mapping or {}).get(key)


@register.filter
def get_attr(obj: object, name: str) -> object:
    return getattr(obj, name, "")


@register.simple_tag
def reviews_suggestions(user: object) -> bool:
    """Whether the navigation offers the review queue: a member of a verified organization."""
    return bool(getattr(user, "is_authenticated", False)) and (
        verified_organization_ids_of(user).exists()
    )
