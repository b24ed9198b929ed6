"""Distances on the Earth's surface, in kilometres."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG); BallTree's haversine works on the unit sphere


def haversine_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> NDArray:
    """Great-circle distance between points given in degrees; broadcasts like numpy."""
    p1, l1, p2, l2 = (np.radians(np.asarray(a, dtype=np.float64)) for a in (lat1, lon1, lat2, lon2))
    return haversine_km_radians(p1, l1, p2, l2)


def haversine_km_radians(p1: NDArray, l1: NDArray, p2: NDArray, l2: NDArray) -> NDArray:
    a = np.sin((p2 - p1) / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def km_to_radians(km: ArrayLike) -> NDArray:
    return np.asarray(km, dtype=np.float64) / EARTH_RADIUS_KM
