"""The shape of a demo role and the weekly slot groups the demo roles share (demo.data.roles)."""

from __future__ import annotations

from dataclasses import dataclass

from demo.specs import RoleSpec

WEEKDAY_EVENINGS = ("mon-evening", "tue-evening", "wed-evening", "thu-evening", "fri-evening")
WEEKDAY_AFTERNOONS = (
    "mon-afternoon",
    "tue-afternoon",
    "wed-afternoon",
    "thu-afternoon",
    "fri-afternoon",
)
NIGHTS = ("fri-night", "sat-night", "sun-night", "wed-night")
WEEKEND_MORNINGS = ("sat-morning", "sun-morning")


@dataclass(frozen=True)
class DemoRole:
    """One demo role: ``spec`` without dates, and how long it runs from the seeding day."""

    spec: RoleSpec  # starts_on and ends_on are set by demo.catalogue
    ends_after_months: int | None = None  # None: open-ended
