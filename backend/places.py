"""Places, in one module: coordinates, distances and postcodes.

* Distances: the great-circle (haversine) formula is the engine's (``matching.engine.geo``, pure
  numpy, also what ranking uses); here it is also built as a database expression so a distance
  filter pages and orders like any other field, on hidden addresses snapped to a grid.
* Postcodes: an offline look-up of US ZIP code centroids from the ``zipcodes`` package, no network
  call. A volunteer who types only a ZIP code can still be matched by distance. Anything the
  package does not know (a foreign postcode, a typo) resolves to nothing rather than an error: a
  volunteer who only wants remote or phone roles needs no location at all.
* Coordinates: a pair is given whole or not at all.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from functools import lru_cache
from typing import Protocol

import zipcodes
from django.core.exceptions import ValidationError
from django.db.models import Case, ExpressionWrapper, F, FloatField, Value, When
from django.db.models.expressions import Combinable, Expression
from django.db.models.functions import ASin, Cos, Floor, Least, Radians, Sin, Sqrt

from matching.engine.geo import EARTH_RADIUS_KM, haversine_km

__all__ = ["EARTH_RADIUS_KM", "haversine_km"]

# --- Distances ----------------------------------------------------------------------------------

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
    PostgreSQL raises on asin(1.0000001). The role list uses :class:`DistanceKm`, the same SQL
    written at once; this composed form is its reference (tests compare the two).
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


#: The SQL ``distance_km_expression`` compiles to, parenthesised as Django writes it (so each
#: database computes the same floating-point value): {L} and {G} are the public latitude and
#: longitude, {least} the database's LEAST (MIN on SQLite).
_PUBLIC = "CASE WHEN {hide} THEN ((FLOOR(({column} / %s)) + %s) * %s) ELSE {column} END"
_HAVERSINE = (
    "(%s * ASIN(SQRT({least}(((SIN((RADIANS(({L} - %s)) / %s)) * SIN((RADIANS(({L} - %s)) / %s)))"
    " + (((%s * COS(RADIANS({L}))) * SIN((RADIANS(({G} - %s)) / %s)))"
    " * SIN((RADIANS(({G} - %s)) / %s)))), %s))))"
)


class DistanceKm(Expression):
    """``distance_km_expression`` as one expression: the same SQL, without composing, resolving
    and compiling its sixty nodes for each use (a role list used it three times a request: the
    page's SELECT and WHERE and the count's WHERE, about a third of a browse's CPU time).

    With ``modes``, only rows whose ``mode`` is one of them and that have a place get a distance,
    the others NULL: ``Case(When(mode__in=modes, latitude__isnull=False, then=...))`` in SQL."""

    output_field = FloatField()

    def __init__(
        self, latitude: float, longitude: float, *, modes: Collection[str] | None = None
    ) -> None:
        super().__init__()
        self.latitude, self.longitude = float(latitude), float(longitude)
        self.modes = sorted(modes) if modes is not None else None
        self.columns: list = [F("latitude"), F("longitude"), F("hide_address"), F("mode")]

    def get_source_expressions(self) -> list:
        return self.columns

    def set_source_expressions(self, exprs: Sequence[Combinable | Expression]) -> None:
        self.columns = list(exprs)

    def as_sql(self, compiler, connection, **extra):  # type: ignore[no-untyped-def, override]
        (lat, _), (lon, _), (hide, _), (mode, _) = (compiler.compile(c) for c in self.columns)
        least = "MIN" if connection.vendor == "sqlite" else "LEAST"
        grid = [HIDDEN_GRID_DEGREES, 0.5, HIDDEN_GRID_DEGREES]
        sql = _HAVERSINE.format(
            least=least,
            L=_PUBLIC.format(hide=hide, column=lat),
            G=_PUBLIC.format(hide=hide, column=lon),
        )
        half_lat = [*grid, self.latitude, 2.0]
        half_lon = [*grid, self.longitude, 2.0]
        params = [
            2.0 * EARTH_RADIUS_KM,
            *half_lat,
            *half_lat,
            math.cos(math.radians(self.latitude)),
            *grid,
            *half_lon,
            *half_lon,
            1.0,
        ]
        if self.modes is None:
            return sql, params
        marks = ", ".join(["%s"] * len(self.modes))
        travelled = (
            f"CASE WHEN ({lat} IS NOT NULL AND {mode} IN ({marks})) THEN {sql} ELSE NULL END"
        )
        return travelled, [*self.modes, *params]


# --- Coordinates --------------------------------------------------------------------------------

COORDINATES_TOGETHER_MESSAGE = "Give both latitude and longitude, or neither."


def check_coordinates_together(place: object) -> None:
    """Raise a per-field ValidationError naming the missing half of a coordinate pair."""
    latitude = getattr(place, "latitude", None)
    longitude = getattr(place, "longitude", None)
    if latitude is not None and longitude is None:
        raise ValidationError({"longitude": COORDINATES_TOGETHER_MESSAGE})
    if longitude is not None and latitude is None:
        raise ValidationError({"latitude": COORDINATES_TOGETHER_MESSAGE})


# --- Postcodes ----------------------------------------------------------------------------------


def postcode_normalise(postcode: str) -> str:
    return " ".join(postcode.split()).upper()


#: What zipcodes.matching accepts. Checked first: on other text (non-ASCII, say) the package's Rust
#: core panics with an exception that is not even an ``Exception`` (found by the API fuzz test).
_US_ZIP = re.compile(r"\d{5}(-\d{4})?", re.ASCII)


# zipcodes.matching scans every US ZIP (about 4 ms a call); profiles and roles repeat postcodes.
@lru_cache(maxsize=4096)
def postcode_coordinates(postcode: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a US ZIP code's centroid, or None when it cannot be resolved."""
    postcode = postcode.strip()
    if not _US_ZIP.fullmatch(postcode):
        return None
    try:
        found = zipcodes.matching(postcode)
    except (ValueError, TypeError):  # shaped like a ZIP code yet refused by the package
        return None
    for entry in found:
        try:
            return float(entry["lat"]), float(entry["long"])
        except (KeyError, TypeError, ValueError):
            continue
    return None


class Place(Protocol):
    """Anything located by a postcode and a coordinate pair: an organization, a role."""

    postcode: str
    latitude: float | None
    longitude: float | None


def place_from_postcode(place: Place, changed: Collection[str]) -> bool:
    """Fill ``place``'s coordinates from a postcode that this change sets without coordinates.

    Explicit coordinates in the same change win: they are more precise than a ZIP centroid. False
    when the new postcode does not resolve, so the caller decides whether a place is required (a
    role volunteers travel to) or optional (an organization); the postcode is kept as written.
    """
    if "postcode" not in changed or {"latitude", "longitude"} & set(changed):
        return True
    if not place.postcode:
        return True
    found = postcode_coordinates(place.postcode)
    if found is None:
        return False
    place.latitude, place.longitude = found
    return True
