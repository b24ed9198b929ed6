"""Places: the great-circle distance computed inside the database, so a distance filter pages and
orders like any other field. Postcode look-up lives in backend/postcodes.py."""

from __future__ import annotations

import math

from django.core.exceptions import ValidationError
from django.db.models import Case, ExpressionWrapper, F, FloatField, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import ASin, Cos, Floor, Least, Radians, Sin, Sqrt

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG); haversine error against WGS84 is under 0.5 %

#: Hidden addresses are measured from the centre of a 0.01-degree cell (about 1.1 km north-south,
#: 0.85 km east-west in New York): close to postcode precision, so changing ``radius_km`` a few
#: times cannot pin down a crisis service's door.
HIDDEN_GRID_DEGREES = 0.01


def _snapped(field: str) -> Combinable:
    cells = Floor(F(field) / Value(HIDDEN_GRID_DEGREES))
    return (cells + Value(0.5)) * Value(HIDDEN_GRID_DEGREES)


def public_coordinate(field: str) -> Case:
    """The coordinate the world may measure against: exact, or snapped to a grid when hidden."""
    return Case(
        When(hide_address=True, then=_snapped(field)),
        default=F(field),
        output_field=FloatField(),
    )


def distance_km_expression(latitude: float, longitude: float) -> ExpressionWrapper:
    """Haversine distance in km from (latitude, longitude) to each row's public coordinates.

    Built from Sin/Cos/ASin/Radians/Sqrt so it runs on SQLite and PostgreSQL alike. ``Least`` keeps the
    argument of ASIN at or below 1: rounding can push it just above for antipodal points, and
    PostgreSQL raises on asin(1.0000001).
    """
    row_lat = public_coordinate("latitude")
    row_lon = public_coordinate("longitude")
    half_dlat = Sin(Radians(row_lat - Value(latitude)) / Value(2.0))
    half_dlon = Sin(Radians(row_lon - Value(longitude)) / Value(2.0))
    a = (
        half_dlat * half_dlat
        + Value(math.cos(math.radians(latitude))) * Cos(Radians(row_lat)) * half_dlon * half_dlon
    )
    return ExpressionWrapper(
        Value(2.0 * EARTH_RADIUS_KM) * ASin(Sqrt(Least(a, Value(1.0)))),
        output_field=FloatField(),
    )


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The same formula in Python, for tests and for callers that already hold both points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(h, 1.0)))


COORDINATES_TOGETHER_MESSAGE = "Give both latitude and longitude, or neither."


def check_coordinates_together(place: object) -> None:
    """Raise a per-field ValidationError naming the missing half of a coordinate pair."""
    latitude = getattr(place, "latitude", None)
    longitude = getattr(place, "longitude", None)
    if latitude is not None and longitude is None:
        raise ValidationError({"longitude": COORDINATES_TOGETHER_MESSAGE})
    if longitude is not None and latitude is None:
        raise ValidationError({"latitude": COORDINATES_TOGETHER_MESSAGE})
