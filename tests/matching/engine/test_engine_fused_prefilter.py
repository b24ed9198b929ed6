"""The full run's candidate stage (matching/engine/fused.py) drops pairs that lack a required skill
(unless the role teaches it) or share no slot with a role at fixed times, inside the product, so
its pool is not spent on pairs the exact check refuses; it never drops an eligible pair, and an
eligible pair's value is still its exact linear score.

Before: only the exact check knew these two rules (issue 10: 165 of 365 demo suggestions lacked
a required skill, 92 shared no slot), and every such pair took a place in the retrieved pool."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given

from matching.engine import MatchIndex, is_eligible
from matching.engine.eligibility import NO_SHARED_TIME, SKILL_MISSING, ineligibility_reasons
from matching.engine.fused import MAX_SCHEDULE_SETS, FusedProduct, schedule_columns
from matching.engine.pairs import pair_features
from matching.engine.records import SLOTS
from tests.matching.engine.engine_people import TODAY, ada, listening_line
from tests.matching.engine.test_engine_properties import PROPERTY_SETTINGS, catalogues
from tests.matching.engine.test_engine_properties import TODAY as PROPERTY_TODAY


def fused_values(volunteers, roles, today):
    """Every pair's fused value (linear score plus penalties, distance bound 1), and what the
    product keeps (value above the threshold)."""
    index = MatchIndex.build(roles, today=today)
    vt, vtext = index.encode(volunteers)
    fused = FusedProduct(index, vt, vtext, index.model)
    rows = np.arange(len(index.roles))
    product = (fused.volunteers @ fused.roles(rows, distance_bound=np.ones(len(rows)))).toarray()
    return index, vt, vtext, product - fused.offset, product > 0


@PROPERTY_SETTINGS
@given(catalogues())
def test_the_product_drops_every_pair_missing_a_skill_or_a_fixed_slot_and_keeps_eligible_ones(
    catalogue,
):
    vols, opps, _ = catalogue
    if not len(MatchIndex.build(opps, today=PROPERTY_TODAY).roles) or not vols:
        return
    index, vt, vtext, value, kept = fused_values(vols, opps, PROPERTY_TODAY)
    text = (vtext @ index.role_text_t).toarray()
    for vi, volunteer in enumerate(vols):
        for ri, role in enumerate(index.roles.records):
            broken = ineligibility_reasons(volunteer, role, today=PROPERTY_TODAY)
            if SKILL_MISSING in broken or NO_SHARED_TIME in broken:
                assert not kept[vi, ri], (volunteer, role)
            if is_eligible(volunteer, role, today=PROPERTY_TODAY):
                assert kept[vi, ri], (volunteer, role)
                features = pair_features(
                    vt,
                    index.roles,
                    np.array([vi]),
                    np.array([ri]),
                    text_similarity=text[vi, ri : ri + 1],
                    distance_km=np.array([np.nan]),
                )
                features[:, 5] = 1.0  # the bound the product was given
                exact = index.model.linear(features)[0] - ri * 1e-12
                assert abs(value[vi, ri] - exact) < 1e-9


def test_a_volunteer_without_the_required_skill_is_cut_in_the_product_unless_the_role_teaches_it():
    listener, other = ada(id=1), ada(id=2, skills=frozenset({"data-entry"}))
    rule, teaches = listening_line(id=10), listening_line(id=11, skills_learnable=True)
    _, _, _, _, kept = fused_values([listener, other], [rule, teaches], TODAY)

    assert kept.tolist() == [[True, True], [False, True]]


def test_a_volunteer_free_at_none_of_a_fixed_schedule_is_cut_in_the_product():
    tuesday = ada(id=1, availability=frozenset({"tue-evening"}))
    sunday = ada(id=2, availability=frozenset({"sun-morning"}))
    silent = ada(id=3, availability=frozenset())
    fixed = listening_line(id=10, schedule_fixed=True)
    flexible = listening_line(id=11, schedule_fixed=False)
    _, _, _, _, kept = fused_values([tuesday, sunday, silent], [fixed, flexible], TODAY)

    assert kept.tolist() == [[True, True], [False, True], [False, True]]


def test_rare_schedules_share_a_wider_column_that_still_never_cuts_an_eligible_pair():
    """More distinct fixed schedules than MAX_SCHEDULE_SETS: the rarest take the smallest family
    of slots that holds them (every evening, the weekend...), a sufficient sign only."""
    pairs_of_slots = [(a, b) for i, a in enumerate(SLOTS) for b in SLOTS[i + 1 :]]
    roles = [
        listening_line(id=100 + n, availability=frozenset(pair), schedule_fixed=True)
        for n, pair in enumerate(pairs_of_slots[: MAX_SCHEDULE_SETS + 20])
    ]
    people = [
        ada(id=1, availability=frozenset()),
        ada(id=2, availability=frozenset({"sun-night"})),
        ada(id=3, availability=frozenset({"mon-morning", "wed-evening"})),
    ]
    index, vt, _, _, kept = fused_values(people, roles, TODAY)
    _, requires = schedule_columns(index, vt)

    assert requires.shape[1] > MAX_SCHEDULE_SETS  # families were needed
    assert (requires.sum(axis=1) == 1).all()  # each fixed role has exactly one column
    for vi, volunteer in enumerate(people):
        for ri, role in enumerate(index.roles.records):
            if is_eligible(volunteer, role, today=TODAY):
                assert kept[vi, ri]
    assert not kept[0].any()  # free at no time: every fixed role is cut


def test_a_role_without_fixed_times_costs_no_schedule_column():
    index = MatchIndex.build([listening_line(), replace(listening_line(id=11))], today=TODAY)
    vt, _ = index.encode([ada()])
    lacks, requires = schedule_columns(index, vt)
    assert lacks.shape[1] == requires.shape[1] == 0
