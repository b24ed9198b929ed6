"""Rosa the researcher checks the relevance benchmark's parts before trusting its table: the metrics
on toy rankings, the personas and judgments on file, and the baselines on a handful of personas.
No database: the product path is what ``bench/relevance.py`` itself runs."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from bench._relevance_ceiling import (
    EligibleView,
    blocked_table,
    ceiling_rankings,
    relevant_reachable_share,
    restricted_to_eligible,
)
from bench._relevance_data import (
    baseline_rankings,
    load_catalogue,
    load_personas,
    persona_query,
)
from bench._relevance_scoring import (
    evaluate,
    load_judgments,
    ndcg_at,
    pool_for,
    precision_at,
    recall_at,
    reciprocal_rank,
)
from taxonomy.availability import SLOT_SET
from taxonomy.seed import CAUSES, SKILLS, TRAININGS

GRADES = {"a": 3, "b": 2, "c": 1, "d": 0}


def test_a_perfect_ranking_scores_one_and_a_reversed_one_less():
    assert ndcg_at(["a", "b", "c", "d"], GRADES) == pytest.approx(1.0)
    assert ndcg_at(["d", "c", "b", "a"], GRADES) < 1.0
    assert ndcg_at([], GRADES) == 0.0


def test_ndcg_uses_graded_gains_and_log_discounts():
    # Only "b" (gain 2^2-1 = 3) at rank 2: 3/log2(3), ideal 7/1 + 3/log2(3) + 1/2.
    ideal = 7 + 3 / math.log2(3) + 1 / 2
    assert ndcg_at(["x", "b"], GRADES) == pytest.approx((3 / math.log2(3)) / ideal)


def test_precision_recall_and_mrr_count_grade_two_and_up_as_relevant():
    ranking = ["d", "c", "b", "x", "a"]
    assert precision_at(ranking, GRADES) == pytest.approx(2 / 10)
    assert recall_at(ranking, GRADES, k=3) == pytest.approx(1 / 2)
    assert recall_at(ranking, GRADES) == pytest.approx(1.0)
    assert reciprocal_rank(ranking, GRADES) == pytest.approx(1 / 3)
    assert reciprocal_rank(["c", "d"], GRADES) == 0.0


def test_an_unjudged_role_counts_as_not_relevant():
    assert ndcg_at(["unjudged", "a"], GRADES) < ndcg_at(["a", "unjudged"], GRADES)


def test_the_pool_holds_every_rankers_top_ten_plus_five_random_roles():
    keys = [f"r{i}" for i in range(100)]
    rankings = {"one": keys[:20], "two": keys[5:25]}
    pool = pool_for(rankings, keys, seed=1)
    assert pool[:15] == keys[:15]
    assert len(pool) == 20
    assert len(set(pool)) == 20
    assert pool_for(rankings, keys, seed=1) == pool


def test_the_personas_are_filled_in_with_real_slugs_and_both_halves_hold_mental_health():
    personas = load_personas()
    assert len(personas) >= 40
    assert sum(p.mental_health for p in personas) > len(personas) / 2
    assert len({p.id for p in personas}) == len(personas)
    for split in ("tune", "holdout"):
        assert sum(p.mental_health for p in personas if p.split == split) >= 10
    assert {p.split for p in personas} == {"tune", "holdout"}
    assert any(p.age < 18 for p in personas)
    assert any(p.age > 55 for p in personas)
    skills, causes, trainings = dict(SKILLS), dict(CAUSES), {t[0] for t in TRAININGS}
    for persona in personas:
        assert set(persona.skills) <= skills.keys(), persona.id
        assert set(persona.causes) <= causes.keys(), persona.id
        assert set(persona.trainings) <= trainings, persona.id
        assert set(persona.availability) <= SLOT_SET, persona.id
        assert persona.postcode.isdigit()
        assert len(persona.postcode) == 5


def test_every_judgment_names_a_persona_and_a_role_of_the_catalogue():
    personas = {p.id for p in load_personas()}
    roles = load_catalogue()
    keys = {r.key for r in roles}
    assert len(keys) == len(roles)
    assert sum(k.startswith("nyc-") for k in keys) == 665
    judgments = load_judgments()
    assert judgments, "bench/judgments/judgments.csv is empty"
    assert {pid for pid, _ in judgments} <= personas
    assert {key for _, key in judgments} <= keys
    assert set(judgments.values()) <= {0, 1, 2, 3}
    per_persona = Counter(pid for pid, _ in judgments)
    assert set(per_persona) == personas


def test_the_baselines_rank_the_whole_catalogue_for_a_handful_of_personas():
    personas = load_personas()[:4]
    roles = load_catalogue()
    assert "Peer support" in persona_query(personas[0])
    rankings = baseline_rankings(personas, roles)
    assert len(rankings) == 4
    for lists in rankings.values():
        assert all(sorted(r) == sorted(role.key for role in roles) for r in lists)
    results = evaluate(rankings, personas, load_judgments())
    bm25 = results["BM25 (bm25s)"]["all"]["nDCG@10"]
    assert bm25 > results["random (fixed seed)"]["all"]["nDCG@10"]


def test_the_ceiling_orders_the_eligible_roles_by_their_grades():
    personas = load_personas()[:1]
    pid = personas[0].id
    judgments = {(pid, "a"): 1, (pid, "b"): 3, (pid, "far"): 3}
    view = EligibleView(features=[{"a": {}, "b": {}, "c": {}}], blocked=[{"far": ["too_far"]}])

    assert ceiling_rankings(view, personas, judgments) == [["b", "a", "c"]]
    assert restricted_to_eligible({"bm25": [["far", "c", "a"]]}, view) == {
        "bm25 (eligible roles only)": [["c", "a"]]
    }
    assert relevant_reachable_share(view, personas, judgments) == 0.5
    assert "| too_far | 1 | 1 |" in blocked_table(view, personas)
