"""The engine, fed from the database: published roles prepared once per process (and rebuilt when
anything about them changes), the pairs never to suggest again, and each volunteer's best roles.

Who is shown where is a capacity-aware assignment (``matching.engine.allocation``) under
:func:`limits`: at most MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER open suggestions per volunteer and
MAX_CANDIDATES_PER_PLACE candidates per open place. A rematch sees only its own volunteers, so it
is given the open suggestions each role already has from everyone else (``prior_exposures``): they
take from the role's capacity, and a role nobody is shown to yet gets the first-candidate bonus.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Max, QuerySet, Sum
from django.utils import timezone

from matching import records as record_builders
from matching.engine import (
    MatchIndex,
    OpportunityRecord,
    Suggestion,
    VolunteerRecord,
    plan,
    rank_all_arrays,
    rank_for_volunteer,
)
from matching.engine.allocation import Limits
from matching.engine.eligibility import role_is_open
from matching.engine.geo import EARTH_RADIUS_KM
from matching.models import (
    OCCUPYING_STATUSES,
    Match,
    MatchStatus,
    ScoringModelVersion,
)
from opportunities.models import Opportunity
from organizations.models import VerificationStatus
from suggestions.services.scoring_model import REVIEWED_STATUSES, scoring_model_current
from volunteers.models import VolunteerProfile

logger = logging.getLogger(__name__)

SUGGESTIONS_PER_VOLUNTEER = 10
SUGGESTIONS_PER_ROLE = 10

#: A worker rebuilds its prepared roles at least this often even if the fingerprint did not move
#: (an edit saved with ``QuerySet.update()`` keeps ``updated_at``); a rebuild of 1,000 roles is
#: ~0.2 s, so every 5 minutes is free.
ROLE_CACHE_SECONDS = 300


def limits() -> Limits:
    """The assignment's bounds, from the settings."""
    return Limits(
        per_volunteer=settings.MAX_OPEN_SUGGESTIONS_PER_VOLUNTEER,
        per_place=settings.MAX_CANDIDATES_PER_PLACE,
    )


def _today() -> dt.date:
    return timezone.localdate()


def excluded_pairs(
    *, volunteer_ids: Iterable[int] | None = None, opportunity_ids: Iterable[int] | None = None
) -> frozenset[tuple[int, int]]:
    """Pairs never to suggest: rejected or declined, or already approved or further along."""
    query = Match.objects.filter(status__in=REVIEWED_STATUSES)
    if volunteer_ids is not None:
        query = query.filter(volunteer_id__in=list(volunteer_ids))
    if opportunity_ids is not None:
        query = query.filter(opportunity_id__in=list(opportunity_ids))
    return frozenset(query.values_list("volunteer_id", "opportunity_id"))


@dataclass
class RoleSnapshot:
    """Open roles as records, the labels, and the engine index prepared on them."""

    key: tuple
    today: dt.date
    model_version: str
    roles: dict[int, OpportunityRecord]
    labels: dict[str, str]
    index: MatchIndex | None
    built_at: float


_role_cache_lock = threading.Lock()
_role_cache: dict[str, RoleSnapshot] = {}


def _matchable_roles() -> QuerySet[Opportunity]:
    """Published roles of verified organizations: a pending or refused organization's roles are
    never matched (its published roles, if a refusal's unpublishing has not run yet, drop out
    here, so their suggestions are withdrawn as no longer eligible)."""
    return Opportunity.objects.published().filter(
        organization__verification_status=VerificationStatus.VERIFIED
    )


def _roles_fingerprint() -> tuple:
    """Changes whenever the published roles, their places taken or the current model may have
    changed: three aggregate queries instead of rebuilding 20,000 role records for every rematch.
    Count and id sum catch a role closed or published by a bulk ``update()`` that left
    ``updated_at`` alone; ROLE_CACHE_SECONDS bounds whatever else slips through."""
    roles = _matchable_roles().aggregate(n=Count("id"), ids=Sum("id"), last=Max("updated_at"))
    taken = Match.objects.filter(status__in=OCCUPYING_STATUSES).aggregate(
        n=Count("id"), ids=Sum("id"), last=Max("updated_at")
    )
    current = ScoringModelVersion.objects.filter(is_current=True).values_list("version", flat=True)
    return (*roles.values(), *taken.values(), tuple(current))


def role_snapshot() -> RoleSnapshot:
    """Published roles prepared for ranking, cached per process until anything about them changes.

    Only published roles can be eligible, so drafts and closed roles are not loaded; a suggestion
    of a role that is no longer published is withdrawn as no longer eligible. Building the index
    fits the TF-IDF vocabulary on the roles' texts; a rematch reuses it (milliseconds, not seconds).
    """
    today = _today()
    key = (*_roles_fingerprint(), today)
    with _role_cache_lock:
        cached = _role_cache.get("roles")
        if (
            cached is not None
            and cached.key == key
            and time.monotonic() - cached.built_at < ROLE_CACHE_SECONDS
        ):
            return cached
    model = scoring_model_current()
    roles = record_builders.opportunity_records(_matchable_roles().order_by("id"), today=today)
    snapshot = RoleSnapshot(
        key=key,
        today=today,
        model_version=model.version,
        roles={r.id: r for r in roles},
        labels=record_builders.labels(),
        # With no open role there is nothing to rank: skip building the index.
        index=(
            MatchIndex.build(roles, today=today, model=model)
            if any(role_is_open(role, today) for role in roles)
            else None
        ),
        built_at=time.monotonic(),
    )
    with _role_cache_lock:
        _role_cache["roles"] = snapshot
    return snapshot


def volunteers_at_cap(*, except_opportunity_id: int) -> dict[int, int]:
    """{volunteer id: open suggestions of roles other than this one} for the volunteers who hold
    the per-volunteer cap or more: a role's rematch leaves them out. One grouped query whose
    HAVING keeps only those volunteers, so it does not grow with the volunteers who have room."""
    rows = (
        Match.objects.filter(status=MatchStatus.SUGGESTED)
        .exclude(opportunity_id=except_opportunity_id)
        .order_by()
        .values_list("volunteer_id")
        .annotate(n=Count("id"))
        .filter(n__gte=limits().per_volunteer)
    )
    return dict(rows)


def _open_suggestions_per_role(*, except_volunteer_ids: Sequence[int]) -> dict[int, int]:
    """{opportunity id: open suggestions from volunteers other than these}: the exposure each role
    already has, which fair exposure carries into a chunk or a single rematch.

    One query: every role's open suggestions, UNION ALL these volunteers' own counted negatively.
    Measured on bench/end_to_end.py's set (5,000 volunteers x 1,000 roles, ~50,000 open
    suggestions, SQLite): 4 ms for one volunteer (a single rematch: 20 ms, 15 ms without priors),
    12 ms for a chunk of 1,000 (under 2% of the chunk's ~0.75 s). The plainer ``filter(status=suggested).exclude(volunteer_id__in=ids)`` took
    51-66 ms: the exclusion needs ``volunteer_id`` from every row, so SQLite cannot answer from the
    (opportunity, status, score) index alone; here each half reads one index only. Grows with the
    open suggestions (about 10 per volunteer), not with the roles."""
    suggested = Match.objects.filter(status=MatchStatus.SUGGESTED).order_by()
    everyone = suggested.values_list("opportunity_id").annotate(n=Count("id"))
    own = (
        suggested.filter(volunteer_id__in=list(except_volunteer_ids))
        .values_list("opportunity_id")
        .annotate(n=-Count("id"))
    )
    counts: dict[int, int] = {}
    for opportunity_id, n in everyone.union(own, all=True):
        counts[opportunity_id] = counts.get(opportunity_id, 0) + n
    return {opportunity_id: n for opportunity_id, n in counts.items() if n > 0}


def matchable_volunteers() -> QuerySet[VolunteerProfile]:
    """Volunteers whose account proved its email address (issue 9): someone who signed up with
    an address they do not receive is never put in front of an organization. Verifying the
    address rematches them (``suggestions.subscribers``)."""
    return VolunteerProfile.objects.filter(user__email_verified_at__isnull=False)


def verified_only(volunteers: Sequence[VolunteerRecord]) -> list[VolunteerRecord]:
    """These records without the volunteers whose email is not verified (one query)."""
    if not volunteers:
        return []
    verified = set(
        matchable_volunteers()
        .filter(id__in=[v.id for v in volunteers])
        .values_list("id", flat=True)
    )
    return [v for v in volunteers if v.id in verified]


def planned_suggestions(
    snapshot: RoleSnapshot, volunteers: Sequence[VolunteerRecord], planned: bytes
) -> list[Suggestion]:
    """A chunk's slice of its run's assignment (``run_plan``) as suggestions, explained with this
    process's records; a volunteer whose email is no longer verified gets nothing."""
    volunteers = verified_only(volunteers)
    if not volunteers or snapshot.index is None:
        return []
    return list(
        plan.suggestions_from_slice(planned, snapshot.index, volunteers, labels=snapshot.labels)
    )


def rank_volunteers(
    snapshot: RoleSnapshot,
    volunteers: Sequence[VolunteerRecord],
    excluded: frozenset[tuple[int, int]],
) -> list[Suggestion]:
    """Each volunteer's roles by the capacity-aware assignment, counting everyone else's open
    suggestions against the roles' capacity: one volunteer takes the exact single path, several
    the full-run path.

    The priors are read before ranking, outside the write transaction: two chunks running at once
    do not see each other's new suggestions, but they do see the ones those volunteers held from
    the previous run, which stay open until replaced. A volunteer whose email is not verified
    gets nothing (``verified_only``)."""
    volunteers = verified_only(volunteers)
    if not volunteers or snapshot.index is None:
        return []
    prior = _open_suggestions_per_role(except_volunteer_ids=[v.id for v in volunteers])
    if len(volunteers) == 1:
        return rank_for_volunteer(
            volunteers[0],
            snapshot.index,
            k=SUGGESTIONS_PER_VOLUNTEER,
            labels=snapshot.labels,
            excluded=excluded,
            prior_exposures=prior,
            limits=limits(),
        )
    ranked = rank_all_arrays(
        volunteers,
        index=snapshot.index,
        today=snapshot.today,
        k=SUGGESTIONS_PER_VOLUNTEER,
        labels=snapshot.labels,
        excluded=excluded,
        prior_exposures=prior,
        limits=limits(),
    )
    return list(ranked.suggestions())


def volunteers_the_rules_may_admit(
    volunteers: QuerySet[VolunteerProfile], role: OpportunityRecord
) -> QuerySet[VolunteerProfile]:
    """``volunteers`` less those two of the engine's rules surely rule out for ``role``, in SQL, so
    a role's rematch builds records only for the volunteers it may suggest (a role's rematch read
    every matchable volunteer's record: 6 s at 20,000; bench/role_rematch.py).

    Necessary conditions only, never stricter than the engine's rules, which then judge every
    pair exactly: the volunteer accepts the role's mode (their JSON list of modes holds it,
    quoted); and for a role on site with a place, each volunteer's latitude lies within their own
    travel distance of the role's (a great-circle distance of d km moves the latitude by at most
    d/R radians) and the longitude within the farthest travel distance anyone has (the box of
    ``opportunities.filters.bounding_box``)."""
    volunteers = volunteers.filter(modes__icontains=f'"{role.mode}"')
    if not role.needs_travel or not role.has_location:
        return volunteers
    lat, lon = float(role.latitude), float(role.longitude)  # type: ignore[arg-type]
    degrees_per_km = math.degrees(1.0 / EARTH_RADIUS_KM) * (1 + 1e-9)
    reach = F("max_travel_km") * degrees_per_km + 1e-9
    near = volunteers.filter(
        latitude__isnull=False,
        longitude__isnull=False,
        latitude__gte=lat - reach,
        latitude__lte=lat + reach,
    )
    farthest = volunteers.aggregate(km=Max("max_travel_km"))["km"]
    if farthest is None:
        return near
    angle = float(farthest) / EARTH_RADIUS_KM
    if abs(lat) + math.degrees(angle) >= 90 or angle >= math.pi / 2:
        return near
    delta_lon = math.degrees(math.asin(min(1.0, math.sin(angle) / math.cos(math.radians(lat)))))
    delta_lon = delta_lon * (1 + 1e-9) + 1e-9
    if lon - delta_lon < -180 or lon + delta_lon > 180:
        return near
    return near.filter(longitude__gte=lon - delta_lon, longitude__lte=lon + delta_lon)
