"""Real New York neighbourhoods where the demo's own organizations and roles are placed."""

from __future__ import annotations

from typing import TypedDict


class Place(TypedDict):
    postcode: str
    latitude: float
    longitude: float


SUNSET_PARK: Place = {"postcode": "11220", "latitude": 40.6455, "longitude": -74.0124}
WASHINGTON_HEIGHTS: Place = {"postcode": "10032", "latitude": 40.8417, "longitude": -73.9394}
FLUSHING: Place = {"postcode": "11354", "latitude": 40.7594, "longitude": -73.8303}
MOTT_HAVEN: Place = {"postcode": "10454", "latitude": 40.8091, "longitude": -73.9229}
KINGSBRIDGE: Place = {"postcode": "10468", "latitude": 40.8676, "longitude": -73.9060}
CORONA_PARK: Place = {"postcode": "11368", "latitude": 40.7466, "longitude": -73.8456}
ST_GEORGE: Place = {"postcode": "10301", "latitude": 40.6437, "longitude": -74.0774}
