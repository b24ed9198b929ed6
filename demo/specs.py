"""Plain descriptions of the demo's rows, built without the database and written by ``seeding``.

Keeping the catalogue and the volunteer generator free of the ORM lets tests check them (and the
generator's determinism) in microseconds, and lets the writer insert everything in bulk.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class OrganizationSpec:
    name: str
    contact_email: str
    description: str = ""
    website: str = ""
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    verified: bool = True


@dataclass(frozen=True)
class RoleSpec:
    """One published role. Taxonomy is named by slug (languages by ISO code)."""

    organization: str
    title: str
    description: str
    mode: str = "in_person"
    causes: tuple[str, ...] = ()
    required_skills: tuple[str, ...] = ()
    preferred_skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    required_trainings: tuple[str, ...] = ()
    address: str = ""
    postcode: str = ""
    latitude: float | None = None
    longitude: float | None = None
    hide_address: bool = False
    availability: tuple[str, ...] = ()
    hours_per_week: Decimal | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    capacity: int = 1
    min_age: int | None = None
    background_check_required: bool = False
    audience: tuple[str, ...] = ()
    lived_experience_valued: bool = False


@dataclass(frozen=True)
class TrainingSpec:
    training: str
    completed_on: dt.date
    expires_on: dt.date | None
    verified: bool


@dataclass(frozen=True)
class VolunteerSpec:
    email: str
    first_name: str
    last_name: str
    display_name: str
    bio: str
    postcode: str
    latitude: float | None
    longitude: float | None
    max_travel_km: float
    modes: tuple[str, ...]
    availability: tuple[str, ...]
    max_hours_per_week: Decimal | None
    max_commitments: int
    date_of_birth: dt.date | None
    background_check_status: str = "none"
    background_check_cleared_on: dt.date | None = None
    background_check_expires_on: dt.date | None = None
    lived_experience: str = ""
    share_lived_experience: bool = False
    paused: bool = False
    skills: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    trainings: tuple[TrainingSpec, ...] = field(default=())


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
