"""Properties over generated people and roles: no suggestion ever breaks a hard rule.

Checked twice: with the engine's own scalar rules, and with an independent re-statement written
here from the issue's wording, so the test is not the code checking itself.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import MatchIndex, is_eligible, rank_all, rank_for_volunteer
from matching.engine.pairs import VolunteerTable, pair_distance_km, pair_eligible
from matching.engine.records import SLOTS, OpportunityRecord, VolunteerRecord

TODAY = date(2025, 6, 2)
SKILLS = ["listening", "tutoring", "driving", "cooking"]
CAUSES = ["mental-health", "youth", "seniors"]
LANGS = ["en", "es", "zh"]
TRAININGS = ["mhfa", "qpr", "cpr"]
MODES = ["in_person", "remote", "phone", "hybrid"]
#: Organizations owning roles (and verifying credentials); 3 owns no role in the catalogue.
ORGANIZATIONS = [1, 2, 3]
WORDS = ["listening", "support", "youth", "tutor", "tutoring", "food", "pantry", "crisis", "line"]

dates = st.dates(min_value=TODAY - timedelta(days=60), max_value=TODAY + timedelta(days=60))
maybe_date = st.none() | dates
lat = st.floats(40.70, 40.76)
lon = st.floats(-74.02, -73.95)
text = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)


def subset(items: list[str]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(items), max_size=len(items))


@st.composite
def volunteers(draw, vid: int) -> VolunteerRecord:
    located = draw(st.booleans())
    status = draw(st.sampled_from(["none", "pending", "cleared", "expired"]))
    max_commitments = draw(st.integers(1, 3))
    return VolunteerRecord(
        id=vid,
        text=draw(text),
        skills=draw(subset(SKILLS)),
        causes=draw(subset(CAUSES)),
        languages=draw(subset(LANGS)),
        latitude=draw(lat) if located else None,
        longitude=draw(lon) if located else None,
        max_travel_km=draw(st.floats(0.5, 6.0)),
        modes=draw(subset(MODES)),
        availability=draw(st.frozensets(st.sampled_from(SLOTS[:8]), max_size=4)),
        max_hours_per_week=draw(st.none() | st.sampled_from([2.0, 4.0, 8.0])),
        max_commitments=max_commitments,
        active_commitments=draw(st.integers(0, max_commitments)),
        committed_hours=draw(st.sampled_from([0.0, 1.0, 3.0])),
        date_of_birth=draw(st.none() | st.dates(date(2005, 1, 1), date(2010, 12, 31))),
        trainings=draw(st.dictionaries(st.sampled_from(TRAININGS), maybe_date, max_size=3)),
        scoped_trainings=draw(
            st.dictionaries(
                st.sampled_from(ORGANIZATIONS),
                st.dictionaries(st.sampled_from(TRAININGS), maybe_date, max_size=2),
                max_size=2,
            )
        ),
        background_check_status=status,
        background_check_expires_on=draw(maybe_date),
        background_check_verified=draw(st.booleans()),
        check_scope=draw(st.none() | st.sampled_from(ORGANIZATIONS)),
        paused=draw(st.booleans()) if vid % 5 == 0 else False,
    )


@st.composite
def roles(draw, rid: int) -> OpportunityRecord:
    mode = draw(st.sampled_from(MODES))
    located = draw(st.integers(0, 9)) > 0
    return OpportunityRecord(
        id=rid,
        organization_id=draw(st.sampled_from(ORGANIZATIONS[:2])),
        title=f"role {rid}",
        text=draw(text),
        required_skills=draw(st.frozensets(st.sampled_from(SKILLS), max_size=2)),
        preferred_skills=draw(st.frozensets(st.sampled_from(SKILLS), max_size=2)),
        causes=draw(st.frozensets(st.sampled_from(CAUSES), max_size=2)),
        languages=draw(st.frozensets(st.sampled_from(LANGS), max_size=1)),
        mode=mode,
        latitude=draw(lat) if located else None,
        longitude=draw(lon) if located else None,
        availability=draw(st.frozensets(st.sampled_from(SLOTS[:8]), max_size=3)),
        hours_per_week=draw(st.none() | st.sampled_from([1.0, 2.0, 4.0])),
        starts_on=draw(maybe_date),
        ends_on=draw(maybe_date),
        capacity_left=draw(st.integers(0, 3)),
        min_age=draw(st.none() | st.sampled_from([0, 16, 18, 21])),
        background_check_required=draw(st.booleans()),
        skills_learnable=draw(st.booleans()),
        schedule_fixed=draw(st.booleans()),
        required_trainings=draw(st.frozensets(st.sampled_from(TRAININGS), max_size=1)),
        audience=draw(
            st.sampled_from(
                [frozenset({"adults"}), frozenset({"minors"}), frozenset({"adults", "minors"})]
            )
        ),
        status=draw(st.sampled_from(["published", "published", "published", "draft", "closed"])),
    )


@st.composite
def catalogues(draw):
    n_v, n_r = draw(st.integers(1, 12)), draw(st.integers(1, 25))
    vols = [draw(volunteers(i + 1)) for i in range(n_v)]
    opps = [draw(roles(100 + j)) for j in range(n_r)]
    excluded = draw(
        st.frozensets(st.tuples(st.integers(1, n_v), st.integers(100, 100 + n_r)), max_size=6)
    )
    return vols, opps, excluded


def restated_ok(v: VolunteerRecord, o: OpportunityRecord, excluded) -> bool:
    """The issue's rules, written again from scratch."""
    start = max(o.starts_on or TODAY, TODAY)
    if o.status != "published" or o.capacity_left < 1 or (o.ends_on and o.ends_on < TODAY):
        return False
    if v.paused or v.active_commitments >= v.max_commitments or (v.id, o.id) in excluded:
        return False
    if o.mode not in v.modes:
        return False
    if o.mode in ("in_person", "hybrid"):
        if v.latitude is None or v.longitude is None or o.latitude is None or o.longitude is None:
            return False
        p1, p2 = math.radians(v.latitude), math.radians(o.latitude)
        dl = math.radians(o.longitude - v.longitude)
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        if 2 * 6371.0088 * math.asin(math.sqrt(h)) > v.max_travel_km + 1e-6:
            return False
    # Roles serving minors need adults (18 or over at the start), whatever min_age says.
    age_rule = max(o.min_age or 0, 18) if "minors" in o.audience else o.min_age or 0
    if age_rule:
        born = v.date_of_birth
        if born is None:
            return False
        had_birthday = (start.month, start.day) >= (born.month, born.day)
        if start.year - born.year - (0 if had_birthday else 1) < age_rule:
            return False
    if o.background_check_required or "minors" in o.audience:
        # Cleared, verified, by staff (no scope) or by the role's own organization.
        expires = v.background_check_expires_on
        if v.background_check_status != "cleared" or (expires is not None and expires < start):
            return False
        if not v.background_check_verified or v.check_scope not in (None, o.organization_id):
            return False
    for t in o.required_trainings:
        # Verified by staff, or by a coordinator of the role's own organization.
        held = [
            d[t] for d in (v.trainings, v.scoped_trainings.get(o.organization_id, {})) if t in d
        ]
        if not any(expires_on is None or expires_on >= start for expires_on in held):
            return False
    if not o.languages.issubset(v.languages):
        return False
    # Required skills are a rule unless the role teaches them; fixed times need a shared slot.
    if not o.skills_learnable and not o.required_skills.issubset(v.skills):
        return False
    if o.schedule_fixed and o.availability and not (o.availability & v.availability):
        return False
    if v.max_hours_per_week is None or o.hours_per_week is None:
        return True
    return not (v.committed_hours + o.hours_per_week > v.max_hours_per_week + 1e-9)


PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(catalogues(), st.booleans())
def test_rank_all_never_suggests_an_ineligible_pair(catalogue, fair):
    vols, opps, excluded = catalogue
    by_id = {o.id: o for o in opps}
    people = {v.id: v for v in vols}
    for s in rank_all(vols, opps, today=TODAY, k=3, excluded=excluded, fair=fair):
        v, o = people[s.volunteer_id], by_id[s.opportunity_id]
        assert is_eligible(v, o, today=TODAY, excluded=excluded)
        assert restated_ok(v, o, excluded)
        assert 0.0 <= s.score <= 1.0


@PROPERTY_SETTINGS
@given(catalogues())
def test_rank_for_volunteer_never_suggests_an_ineligible_pair_and_misses_none(catalogue):
    vols, opps, excluded = catalogue
    index = MatchIndex.build(opps, today=TODAY)
    for v in vols:
        shown = rank_for_volunteer(v, index, k=len(opps), excluded=excluded)
        ids = {s.opportunity_id for s in shown}
        expected = {o.id for o in opps if restated_ok(v, o, excluded)}
        assert ids == expected  # k = everything: exactly the eligible roles, no more, no less


@PROPERTY_SETTINGS
@given(catalogues())
def test_the_full_run_agrees_with_the_one_volunteer_path(catalogue):
    vols, opps, excluded = catalogue
    index = MatchIndex.build(opps, today=TODAY)
    full = rank_all(vols, opps, today=TODAY, k=3, excluded=excluded, fair=False)
    for v in vols:
        one = rank_for_volunteer(v, index, k=3, excluded=excluded)
        assert [s.opportunity_id for s in full if s.volunteer_id == v.id] == [
            s.opportunity_id for s in one
        ]


@PROPERTY_SETTINGS
@given(catalogues())
def test_vectorised_rules_agree_with_scalar_rules_on_every_pair(catalogue):
    vols, opps, _ = catalogue
    index = MatchIndex.build(opps, today=TODAY)  # open roles only
    vt = VolunteerTable.build(vols, index.vocab)
    grid_v, grid_r = np.meshgrid(np.arange(len(vols)), np.arange(len(index.roles)), indexing="ij")
    vi, ri = grid_v.ravel(), grid_r.ravel()
    got = pair_eligible(vt, index.roles, vi, ri, pair_distance_km(vt, index.roles, vi, ri))
    want = [
        is_eligible(vols[a], index.roles.records[b], today=TODAY)
        for a, b in zip(vi, ri, strict=True)
    ]
    assert got.tolist() == want


#: Open suggestions per role from other volunteers, including ids of roles not in the catalogue.
prior_exposures = st.dictionaries(st.integers(95, 130), st.integers(0, 50), max_size=30)


@PROPERTY_SETTINGS
@given(catalogues(), prior_exposures)
def test_prior_exposures_never_make_an_ineligible_pair_and_only_reorder(catalogue, prior):
    """Whatever other volunteers were shown, fair exposure with priors still suggests only
    eligible pairs, as many per volunteer as without them; for one volunteer with k = every
    role, exactly the eligible roles, each once."""
    vols, opps, excluded = catalogue
    by_id = {o.id: o for o in opps}
    people = {v.id: v for v in vols}
    fair = rank_all(vols, opps, today=TODAY, k=3, excluded=excluded, prior_exposures=prior)
    for s in fair:
        v, o = people[s.volunteer_id], by_id[s.opportunity_id]
        assert is_eligible(v, o, today=TODAY, excluded=excluded)
        assert restated_ok(v, o, excluded)
    plain = rank_all(vols, opps, today=TODAY, k=3, excluded=excluded, fair=False)
    assert sorted(s.volunteer_id for s in fair) == sorted(s.volunteer_id for s in plain)

    index = MatchIndex.build(opps, today=TODAY)
    for v in vols:
        shown = rank_for_volunteer(v, index, k=len(opps), excluded=excluded, prior_exposures=prior)
        ids = [s.opportunity_id for s in shown]
        assert len(ids) == len(set(ids))
        assert set(ids) == {o.id for o in opps if restated_ok(v, o, excluded)}
        assert [s.rank for s in shown] == list(range(1, len(shown) + 1))
        few = rank_for_volunteer(v, index, k=2, excluded=excluded, prior_exposures=prior)
        assert all(restated_ok(v, by_id[s.opportunity_id], excluded) for s in few)
        assert len(few) == min(2, len(ids))
