"""The engine's input: plain, immutable records that the Django side builds from its models.

Nothing here knows about the database. Field names are the contract with ``matching/records.py``;
keep them stable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from matching.engine import rules
from matching.engine.rules import HOME_MODES, TRAVEL_MODES

MODES: frozenset[str] = TRAVEL_MODES | HOME_MODES

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS: tuple[str, ...] = ("morning", "afternoon", "evening", "night")
#: The 28 availability slots, "mon-morning" .. "sun-night", in a fixed order (bit i = SLOTS[i]).
SLOTS: tuple[str, ...] = tuple(f"{d}-{p}" for d in DAYS for p in PARTS)

CHECK_STATUSES: frozenset[str] = frozenset({"none", "pending", "cleared", "expired"})
AUDIENCES: frozenset[str] = frozenset({"adults", "minors", "older_adults"})
ROLE_STATUSES: frozenset[str] = frozenset({"draft", "published", "closed"})

#: Slug or code -> display name, for skills, causes, trainings and languages.
Labels = Mapping[str, str]
#: (volunteer_id, opportunity_id) pairs never to suggest again.
ExcludedPairs = frozenset[tuple[int, int]]


@dataclass(frozen=True, slots=True)
class VolunteerRecord:
    id: int
    text: str
    skills: frozenset[str] = frozenset()
    causes: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    latitude: float | None = None
    longitude: float | None = None
    max_travel_km: float = 10.0
    #: What the volunteer wrote about what they want to do (their bio): the only words of theirs a
    #: reason may quote (``quotes.in_their_words``). Never their lived experience.
    wants: str = ""
    modes: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()
    max_hours_per_week: float | None = None
    max_commitments: int = 1
    active_commitments: int = 0
    committed_hours: float = 0.0
    date_of_birth: date | None = None
    #: Trainings verified platform-wide (by staff): slug -> expiry (None: never expires).
    #: Unverified trainings are never here; they satisfy nothing.
    trainings: Mapping[str, date | None] = field(default_factory=dict)
    #: Trainings a coordinator verified: organization id -> {slug: expiry}. Each counts for that
    #: organization's roles only, until staff confirm it (then it moves to ``trainings``).
    scoped_trainings: Mapping[int, Mapping[str, date | None]] = field(default_factory=dict)
    background_check_status: str = "none"
    background_check_expires_on: date | None = None
    #: Whether someone verified the check (its verified_at is set); a cleared check counts only
    #: when verified. Defaults to True so hand-built records (tests, benches) need not say it;
    #: ``matching/records.py`` always sets it from the database.
    background_check_verified: bool = True
    #: Where the verified check counts: None = every role; an organization id = that
    #: organization's roles only (a coordinator verified it; staff have not confirmed it).
    check_scope: int | None = None
    paused: bool = False
    share_lived_experience: bool = False  # accepted for the contract; the engine does not use it

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, slots=True)
class OpportunityRecord:
    id: int
    organization_id: int
    title: str
    text: str
    required_skills: frozenset[str] = frozenset()
    preferred_skills: frozenset[str] = frozenset()
    causes: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    mode: str = "in_person"
    latitude: float | None = None
    longitude: float | None = None
    availability: frozenset[str] = frozenset()
    hours_per_week: float | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    capacity_left: int = 1
    min_age: int | None = None
    background_check_required: bool = False
    required_trainings: frozenset[str] = frozenset()
    audience: frozenset[str] = frozenset({"adults"})
    status: str = "published"
    #: The role teaches its required skills on the job, so they are a preference, not a rule.
    skills_learnable: bool = False
    #: The role's times (``availability``) are fixed: a volunteer must be free in one of them.
    #: A flexible role's times are a preference. A role with no times listed has no schedule rule.
    schedule_fixed: bool = False

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def needs_travel(self) -> bool:
        return rules.needs_travel(self.mode)

    @property
    def needs_background_check(self) -> bool:
        """A role with minors always needs a check, whatever the organization ticked."""
        return rules.needs_background_check(
            required=self.background_check_required, audience=self.audience
        )

    @property
    def needs_shared_slot(self) -> bool:
        return self.schedule_fixed and bool(self.availability)

    @property
    def effective_min_age(self) -> int | None:
        """A role with minors always needs adults (18+ on the start day), whatever min_age says."""
        return rules.effective_min_age(self.min_age, self.audience)


class _Starts(Protocol):
    """Anything with a start day: an engine record, or Django's Opportunity for the review API."""

    @property
    def starts_on(self) -> date | None: ...


def start_date(opportunity: _Starts, today: date) -> date:
    """The day the volunteer would start: the role's start, or today if it already started.

    Trainings, checks and age are judged on this day, so a certificate that lapses before the
    role begins does not count.
    """
    if opportunity.starts_on is None or opportunity.starts_on < today:
        return today
    return opportunity.starts_on
