"""The score ranks by what the person asked for (issue 10): among roles she can do, the one whose
description is the work she wrote about comes first, even when another is closer and shares a
cause tag; and the words this field lives on ("mental", "health", "support") are kept."""

from __future__ import annotations

from matching.engine import MatchIndex, rank_for_volunteer
from matching.engine.scoring import DEFAULT_WEIGHTS
from matching.engine.text import MAX_DF_FROM_DOCS, TextVectorizer
from tests.matching.engine.engine_people import (
    KM_PER_DEGREE_LATITUDE,
    TODAY,
    UNION_SQUARE,
    ada,
    listening_line,
)

PEER_GROUP = (
    "Peer support group co-facilitator: help run a weekly peer support group for adults "
    "living with anxiety and depression"
)
FUNDRAISER = "Gala fundraising volunteer: sell raffle tickets and greet donors at our spring gala"


def test_the_work_she_asked_for_outranks_a_closer_role_with_her_cause_tag():
    """Found: the score ordered by distance and cause tags, not by what the person wrote."""
    maya = ada(
        text="Lived with anxiety for years and would love to help others through a support group, "
        "evenings",
        skills=frozenset(),
        max_travel_km=8.0,
    )
    # The peer group is 7 km north, within her 8 km, and not tagged with any cause.
    far_group = listening_line(
        id=21,
        text=PEER_GROUP,
        causes=frozenset(),
        required_skills=frozenset(),
        latitude=UNION_SQUARE[0] + 7.0 / KM_PER_DEGREE_LATITUDE,
    )
    # The fundraiser is at her door and tagged with her cause.
    near_gala = listening_line(
        id=22,
        text=FUNDRAISER,
        required_skills=frozenset(),
        latitude=UNION_SQUARE[0],
        longitude=UNION_SQUARE[1],
    )
    index = MatchIndex.build([far_group, near_gala], today=TODAY)

    ranked = rank_for_volunteer(maya, index, k=2)

    assert [s.opportunity_id for s in ranked] == [21, 22]


def test_text_fit_carries_more_weight_than_every_tie_breaker_together():
    """Found: a weight of 0.30 let distance and causes outweigh the text."""
    text = DEFAULT_WEIGHTS["text_similarity"]
    assert text > sum(w for name, w in DEFAULT_WEIGHTS.items() if name != "text_similarity")
    assert abs(sum(DEFAULT_WEIGHTS.values()) - 1.0) < 1e-9


def test_words_a_third_of_the_roles_use_are_kept():
    """Found: max_df 0.1 dropped "mental", "health", "support" from every role's text."""
    common = ["Mental health peer support listener"] * (MAX_DF_FROM_DOCS // 3)
    other = [f"Park clean-up crew number {i}" for i in range(MAX_DF_FROM_DOCS)]
    vectorizer = TextVectorizer().fit(common + other)

    row = vectorizer.transform(["I want mental health peer support work"])

    assert row.nnz > 0
    vocabulary = vectorizer._parts[0].vocabulary_
    assert {"mental", "health", "support"} <= set(vocabulary)
