"""Offline postcode look-up: US ZIP code centroids from the ``zipcodes`` package, no network call.

A volunteer who types only a ZIP code can still be matched by distance. Anything the package does
not know (a foreign postcode, a typo) resolves to nothing rather than an error: a volunteer who only
wants remote or phone roles needs no location at all.
"""

from __future__ import annotations

from functools import lru_cache

import zipcodes


def postcode_normalise(postcode: str) -> str:
    return " ".join(postcode.split()).upper()


# zipcodes.matching scans every US ZIP (about 4 ms a call); profiles and roles repeat postcodes.
@lru_cache(maxsize=4096)
def postcode_coordinates(postcode: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a US ZIP code's centroid, or None when it cannot be resolved."""
    if not postcode:
        return None
    try:
        found = zipcodes.matching(postcode.strip())
    except (ValueError, TypeError):  # not shaped like "#####" or "#####-####"
        return None
    for entry in found:
        try:
            return float(entry["lat"]), float(entry["long"])
        except (KeyError, TypeError, ValueError):
            continue
    return None
