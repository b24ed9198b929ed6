"""Smallest valid records for engine tests; each test spells out only what it relies on."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date
from typing import Any

from matching.engine.geo import EARTH_RADIUS_KM
from matching.engine.records import OpportunityRecord, VolunteerRecord

TODAY = date(2025, 6, 2)
KM_PER_DEGREE_LATITUDE = math.pi * EARTH_RADIUS_KM / 180.0
# Union Square and a point exactly 2.0 km due north of it.
UNION_SQUARE = (40.7359, -73.9911)
TWO_KM_NORTH = (40.7359 + 2.0 / KM_PER_DEGREE_LATITUDE, -73.9911)

LABELS = {
    "active-listening": "Active listening",
    "spanish": "Spanish",
    "mhfa": "Mental Health First Aid",
    "mental-health": "Mental health",
    "es": "Spanish",
}


def ada(**changes: Any) -> VolunteerRecord:
    """Ada the volunteer: at Union Square, travels 5 km, accepts everything, free evenings.

    ``changes`` are any of VolunteerRecord's fields (``dataclasses.replace`` refuses the others).
    """
    base = VolunteerRecord(
        id=1,
        text="Retired nurse who loves active listening and peer support groups",
        skills=frozenset({"active-listening"}),
        causes=frozenset({"mental-health"}),
        languages=frozenset({"en"}),
        latitude=UNION_SQUARE[0],
        longitude=UNION_SQUARE[1],
        max_travel_km=5.0,
        modes=frozenset({"in_person", "remote", "phone", "hybrid"}),
        availability=frozenset({"tue-evening", "thu-evening"}),
        max_commitments=2,
        date_of_birth=date(1960, 3, 1),
    )
    return replace(base, **changes)


def listening_line(**changes: Any) -> OpportunityRecord:
    """A drop-in listening circle 2 km north of Ada, Tuesday evenings.

    ``changes`` are any of OpportunityRecord's fields (``dataclasses.replace`` refuses the others).
    """
    base = OpportunityRecord(
        id=10,
        organization_id=100,
        title="Listening circle host",
        text="Listening circle host: active listening and peer support for mental health",
        required_skills=frozenset({"active-listening"}),
        causes=frozenset({"mental-health"}),
        mode="in_person",
        latitude=TWO_KM_NORTH[0],
        longitude=TWO_KM_NORTH[1],
        availability=frozenset({"tue-evening"}),
        hours_per_week=2.0,
        capacity_left=1,
    )
    return replace(base, **changes)
