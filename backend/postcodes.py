"""Offline postcode look-up: US ZIP code centroids from the ``zipcodes`` package, no network call.

A volunteer who types only a ZIP code can still be matched by distance. Anything the package does
not know (a foreign postcode, a typo) resolves to nothing rather than an error: a volunteer who only
wants remote or phone roles needs no location at all.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from typing import Protocol

import zipcodes


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
