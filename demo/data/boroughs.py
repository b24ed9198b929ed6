"""Where generated volunteers live: ZIP codes of the five boroughs, weighted by population."""

from __future__ import annotations

BOROUGH_ZIPS: dict[str, tuple[str, ...]] = {
    "brooklyn": (
        "11201",
        "11206",
        "11211",
        "11215",
        "11220",
        "11226",
        "11230",
        "11235",
        "11212",
        "11209",
    ),
    "queens": (
        "11354",
        "11368",
        "11372",
        "11375",
        "11377",
        "11385",
        "11432",
        "11434",
        "11101",
        "11691",
    ),
    "manhattan": (
        "10002",
        "10009",
        "10025",
        "10027",
        "10031",
        "10034",
        "10016",
        "10029",
        "10023",
        "10011",
    ),
    "bronx": (
        "10451",
        "10453",
        "10456",
        "10458",
        "10461",
        "10463",
        "10467",
        "10469",
        "10472",
        "10474",
    ),
    "staten_island": ("10301", "10304", "10306", "10312", "10314"),
}
# Population in millions (2020 census), the weight for where a volunteer lives.
BOROUGH_WEIGHTS = {
    "brooklyn": 2.7,
    "queens": 2.4,
    "manhattan": 1.7,
    "bronx": 1.5,
    "staten_island": 0.5,
}
# Fallback when the zipcodes package does not know a ZIP: the borough's centre.
BOROUGH_CENTRES = {
    "brooklyn": (40.6782, -73.9442),
    "queens": (40.7282, -73.7949),
    "manhattan": (40.7831, -73.9712),
    "bronx": (40.8448, -73.8648),
    "staten_island": (40.5795, -74.1502),
}
