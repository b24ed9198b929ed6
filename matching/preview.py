"""How many volunteers a role being written would reach: the live preview of the new-role and
edit pages ("About 20 eligible volunteers within 15 mi"), and the rule that rules out the most.

The role is a draft the coordinator has not saved; it becomes an engine record here the way
``records.opportunity_records`` builds one, judged as if published with a place left. Each
volunteer record is judged by the engine's own rules (``eligibility.ineligibility_reasons``): no
rule is restated here.

Private data, so the figure is banded (``count_band``): fewer than 5 is never told apart, then the
nearest 5, 10 or 100. Moving a role a few streets and reading again cannot single out a home. Only
members of a verified organization get one (the rule of ``matching.selectors``: a pending
organization's members see nothing about volunteers). It judges every volunteer near the role
(every volunteer for a role done from home), so two things are kept: the answer, cached by what the
rules read of the draft (typing the title or the description costs nothing), and in each process
the volunteers' records, rebuilt when one of them changed (``_volunteers``). Time at 20k
volunteers: docs/benchmarks.md, "Role preview" (bench/role_preview.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from numpy.typing import NDArray

from backend.places import postcode_coordinates
from matching.engine import eligibility, rules
from matching.engine.geo import haversine_km
from matching.engine.records import OpportunityRecord, VolunteerRecord
from matching.models import OCCUPYING_STATUSES, Match
from matching.records import volunteer_records
from organizations.models import Organization
from volunteers.models import TrainingRecord, VolunteerProfile

#: The preview counts volunteers within this distance of a role on site (the last distance band's
#: edge: "within 25 km", "within 15 mi").
PREVIEW_RADIUS_KM = 25.0
RADIUS_WORDS = {rules.KILOMETRES: "25 km", rules.MILES: "15 mi"}
#: Below this many, the preview says "fewer than" and names no rule.
SMALLEST_BAND = 5
#: A cached answer is at most this old: volunteers join and change their profiles all day.
CACHE_SECONDS = 300
#: The volunteers' records kept in a process are rebuilt when something they hold changed, and
#: at least this often (a change written without touching ``updated_at`` is seen by then).
RECORDS_SECONDS = 300
_RECORDS: _Kept | None = None
_RECORDS_LOCK = threading.Lock()

#: The rule in plain words, as the most common reason volunteers are ruled out.
OBSTACLES = {
    eligibility.VOLUNTEER_UNAVAILABLE: gettext_lazy(
        "Most often, volunteers are ruled out because they are paused or already hold all the "
        "roles they want."
    ),
    eligibility.MODE_NOT_ACCEPTED: gettext_lazy(
        "Most often, volunteers are ruled out because they do not take roles done this way."
    ),
    eligibility.TOO_FAR: gettext_lazy(
        "Most often, volunteers are ruled out because the role is farther than they travel."
    ),
    eligibility.TOO_YOUNG: gettext_lazy(
        "Most often, volunteers are ruled out because they are under the role's minimum age "
        "(or have not given a date of birth)."
    ),
    eligibility.BACKGROUND_CHECK_MISSING: gettext_lazy(
        "Most often, volunteers are ruled out because they do not have a verified background check."
    ),
    eligibility.TRAINING_MISSING: gettext_lazy(
        "Most often, volunteers are ruled out because they do not hold a required training."
    ),
    eligibility.LANGUAGE_MISSING: gettext_lazy(
        "Most often, volunteers are ruled out because they do not speak a required language."
    ),
    eligibility.HOURS_EXCEEDED: gettext_lazy(
        "Most often, volunteers are ruled out because they do not have these hours a week free."
    ),
    eligibility.SKILL_MISSING: gettext_lazy(
        "Most often, volunteers are ruled out because they do not have the required skills."
    ),
    eligibility.NO_SHARED_TIME: gettext_lazy(
        "Most often, volunteers are ruled out because they are not free at the role's times."
    ),
}


@dataclass(frozen=True)
class RolePreview:
    """What the page shows. ``band`` is the only form of the count that leaves this module."""

    band: int  # 0 for "fewer than SMALLEST_BAND", else the rounded count
    travels: bool  # the role is on site, so the count is within the radius
    obstacle: str | None  # a rule's code, None when nothing to say
    located: bool = True  # False: a role on site with no place yet

    @property
    def text(self) -> str:
        distance = RADIUS_WORDS[settings.DISTANCE_UNIT]
        if not self.located:
            return _("Add a ZIP code we can find to see how many volunteers are near the role.")
        if self.travels and self.band == 0:
            return _("Fewer than 5 eligible volunteers within %(distance)s.") % {
                "distance": distance
            }
        if self.travels:
            return _("About %(count)s eligible volunteers within %(distance)s.") % {
                "count": number_format(self.band, force_grouping=True),
                "distance": distance,
            }
        if self.band == 0:
            return _("Fewer than 5 eligible volunteers (a role done from home reaches anywhere).")
        return _(
            "About %(count)s eligible volunteers (a role done from home reaches anywhere)."
        ) % {"count": number_format(self.band, force_grouping=True)}

    @property
    def obstacle_text(self) -> str:
        return str(OBSTACLES[self.obstacle]) if self.obstacle in OBSTACLES else ""


def count_band(count: int) -> int:
    """0 below 5, then the nearest 5 (under 50), 10 (under 1,000) or 100: half rounds up."""
    if count < SMALLEST_BAND:
        return 0
    step = 5 if count < 50 else 10 if count < 1000 else 100
    return max(SMALLEST_BAND, math.floor(count / step + 0.5) * step)


def _slugs(items: Iterable[Any], key: str = "slug") -> frozenset[str]:
    return frozenset(getattr(item, key, item) for item in items)


def _float(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def draft_record(data: dict[str, Any], *, organization_id: int) -> OpportunityRecord:
    """The engine's record of a role from the role form's checked data (the API's input
    serializer: model instances for the lists), as ``records.opportunity_records`` reads a saved
    one; published, with its places (at least one) left. A postcode gives the coordinates when
    none are given, as the service does on save."""
    latitude, longitude = data.get("latitude"), data.get("longitude")
    if latitude is None or longitude is None:
        found = postcode_coordinates(data.get("postcode") or "")
        latitude, longitude = found if found else (None, None)
    return OpportunityRecord(
        id=0,
        organization_id=organization_id,
        title=data.get("title", ""),
        text="",
        required_skills=_slugs(data.get("required_skills", ())),
        preferred_skills=_slugs(data.get("preferred_skills", ())),
        causes=_slugs(data.get("causes", ())),
        languages=_slugs(data.get("languages", ()), key="code"),
        mode=data.get("mode") or "in_person",
        latitude=latitude,
        longitude=longitude,
        availability=frozenset(data.get("availability") or ()),
        hours_per_week=_float(data.get("hours_per_week")),
        starts_on=data.get("starts_on"),
        ends_on=data.get("ends_on"),
        capacity_left=max(int(data.get("capacity") or 1), 1),
        min_age=data.get("min_age"),
        background_check_required=bool(data.get("background_check_required")),
        required_trainings=_slugs(data.get("required_trainings", ())),
        audience=frozenset(data.get("audience") or ("adults",)),
        status="published",
        skills_learnable=bool(data.get("skills_learnable_on_the_job")),
        schedule_fixed=bool(data.get("schedule_fixed", True)),
    )


def _draft_key(record: OpportunityRecord, today: dt.date) -> str:
    # What the rules read: the title and the text rank but rule nobody out.
    ruled = replace(record, title="", text="")
    values = repr([getattr(ruled, f.name) for f in fields(ruled)]) + today.isoformat()
    return "role-preview:" + hashlib.sha256(values.encode()).hexdigest()


def _fingerprint() -> tuple[Any, ...]:
    """What changes when a volunteer's record may: their profile, a training, a commitment.
    Three small aggregates, against rebuilding 20k records (docs/benchmarks.md)."""
    profiles = VolunteerProfile.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    trainings = TrainingRecord.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    held = Match.objects.filter(status__in=OCCUPYING_STATUSES).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    return tuple(part[name] for part in (profiles, trainings, held) for name in ("n", "last"))


@dataclass(frozen=True)
class _Kept:
    key: tuple[Any, ...]
    built_at: float
    records: list[VolunteerRecord]
    latitudes: NDArray[np.float64]  # nan where unknown
    longitudes: NDArray[np.float64]


def _volunteers(today: dt.date) -> _Kept:
    """Every volunteer's record, kept in this process while nothing they hold has changed (and
    for RECORDS_SECONDS at most): building them is most of a preview's time. Their words are
    dropped (no rule reads them), which keeps the copy small."""
    global _RECORDS
    with _RECORDS_LOCK:
        key = (today, *_fingerprint())
        held = _RECORDS
        fresh = held is not None and time.monotonic() - held.built_at < RECORDS_SECONDS
        if held is not None and fresh and held.key == key:
            return held
        built = [
            replace(v, text="", wants="")
            for v in volunteer_records(VolunteerProfile.objects.all(), today=today)
        ]
        _RECORDS = _Kept(
            key=key,
            built_at=time.monotonic(),
            records=built,
            latitudes=np.array([np.nan if v.latitude is None else v.latitude for v in built]),
            longitudes=np.array([np.nan if v.longitude is None else v.longitude for v in built]),
        )
        return _RECORDS


def _considered(record: OpportunityRecord, kept: _Kept) -> list[VolunteerRecord]:
    """The volunteers within the radius of a role on site (measured all at once; the engine's
    rule then judges each one's own travel limit), every volunteer for one done from home."""
    if not record.needs_travel:
        return kept.records
    if record.latitude is None or record.longitude is None:
        return []
    km = haversine_km(kept.latitudes, kept.longitudes, record.latitude, record.longitude)
    near = np.flatnonzero(km <= PREVIEW_RADIUS_KM)  # nan (no place) compares False
    return [kept.records[i] for i in near]


def _counted(record: OpportunityRecord, today: dt.date) -> tuple[int, int, str | None]:
    """(eligible, considered, the rule that rules out the most of the considered)."""
    considered = _considered(record, _volunteers(today))
    eligible = 0
    broken: Counter[str] = Counter()
    for volunteer in considered:
        reasons = eligibility.ineligibility_reasons(volunteer, record, today=today)
        if not reasons:
            eligible += 1
        broken.update(reasons)
    top = broken.most_common(1)
    return eligible, len(considered), top[0][0] if top else None


def opportunity_preview(*, organization: Organization, data: dict[str, Any]) -> RolePreview | None:
    """The banded reach of a role draft for ``organization``; None while it is not verified."""
    if not organization.is_verified:
        return None
    today = timezone.localdate()
    record = draft_record(data, organization_id=organization.pk)
    key = _draft_key(record, today)
    counted = cache.get(key)
    if counted is None:
        counted = _counted(record, today)
        cache.set(key, counted, CACHE_SECONDS)
    eligible, considered, obstacle = counted
    return RolePreview(
        band=count_band(eligible),
        travels=record.needs_travel,
        obstacle=obstacle if considered >= SMALLEST_BAND else None,
        located=not record.needs_travel or record.has_location,
    )
