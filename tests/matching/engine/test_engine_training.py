"""Learning the score from decisions: enough of them, signs that hold, offsets that stay at home,
positions that count, and a promotion only when the later decisions say so beyond chance."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from matching.engine import (
    DEFAULT_MODEL,
    FEATURE_NAMES,
    Decisions,
    RefitRules,
    ScoringModel,
    compare_on_later,
    fit_model,
    refit_refusal,
    time_split,
)
from matching.engine.training import FEATURES_THAT_MUST_HELP, propensity_weights

TEXT, REQUIRED, DISTANCE = (
    FEATURE_NAMES.index(name)
    for name in ("text_similarity", "required_skill_coverage", "distance_fit")
)


def decisions(n: int, *, seed: int, organizations: int = 3, lean: dict[int, float] | None = None):
    """People say yes when text, skills and distance fit; organization k leans by ``lean[k]``."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, len(FEATURE_NAMES)))
    org = rng.integers(1, organizations + 1, n)
    logit = 4 * x[:, TEXT] + 3 * x[:, REQUIRED] + 2 * x[:, DISTANCE] - 4.5
    for k, value in (lean or {}).items():
        logit = logit + np.where(org == k, value, 0.0)
    yes = (logit + rng.logistic(0, 1, n) > 0).astype(int)
    return Decisions.of(x, yes, organizations=org, decided_at=np.arange(n, dtype=float))


def test_a_fitted_model_survives_a_json_round_trip_and_fitting_is_deterministic():
    data = decisions(800, seed=1)
    fitted = fit_model(data, version="2025-06-01")
    again = ScoringModel.from_dict(json.loads(json.dumps(fitted.model.to_dict())))
    assert again == fitted.model
    assert np.allclose(again.score(data.features), fitted.model.score(data.features))
    assert fit_model(data, version="2025-06-01") == fitted


def test_ninety_nine_decisions_of_one_coordinator_are_refused():
    one_coordinator = decisions(99, seed=2, organizations=1)
    assert refit_refusal(one_coordinator, RefitRules()) == (
        "Not enough decisions to learn from: 99 decided, 200 needed."
    )
    many_but_one_organization = decisions(400, seed=2, organizations=1)
    assert refit_refusal(many_but_one_organization, RefitRules(min_per_outcome=10)) == (
        "Decisions from too few organizations to learn from: 1, 3 needed, so one "
        "coordinator's habits do not steer everyone."
    )
    mostly_no = decisions(400, seed=2, lean={1: -6, 2: -6, 3: -6})
    message = refit_refusal(mostly_no, RefitRules())
    assert message is not None
    assert message.startswith("Not enough of each outcome to learn from:")
    assert message.endswith("50 of each needed.")
    assert refit_refusal(decisions(400, seed=2), RefitRules()) is None


def test_a_model_that_learned_a_negative_distance_weight_cannot_exist():
    """Given a coordinator who kept saying yes to volunteers far away, an unbounded fit learns
    that distance hurts; the bounded fit holds the weight at zero and still learns the rest."""
    data = decisions(1200, seed=3)
    far_is_liked = (data.features[:, DISTANCE] < 0.4).astype(int)
    perverse = Decisions.of(
        data.features,
        np.where(data.features[:, TEXT] > 0.5, 1, far_is_liked),
        organizations=data.organizations,
    )
    unbounded = LogisticRegression(max_iter=1000).fit(perverse.features, perverse.labels)
    assert unbounded.coef_[0][DISTANCE] < -1  # what the old refit would have stored

    fitted = fit_model(perverse, version="bounded").model

    assert fitted.coefficients[DISTANCE] == 0.0
    assert fitted.coefficients[TEXT] > 1
    assert all(
        c >= 0
        for name, c in zip(FEATURE_NAMES, fitted.coefficients, strict=True)
        if name in FEATURES_THAT_MUST_HELP
    )
    assert set(FEATURE_NAMES) == FEATURES_THAT_MUST_HELP


def test_one_lenient_organization_does_not_move_another_organizations_scores():
    """Harbor (1) and Riverside (2) decide alike; Quay (3) says yes far more often. With offsets
    Quay's habit lands in its own offset; without them it lifts every score Harbor sees."""
    alike = decisions(3000, seed=4)
    lenient = decisions(3000, seed=4, lean={3: 3.0})
    harbor = alike.features[alike.organizations == 1]

    before = fit_model(alike, version="a")
    after = fit_model(lenient, version="b")
    moved = np.abs(after.model.score(harbor) - before.model.score(harbor))
    no_offsets = fit_model(lenient, version="c", offset_penalty=1e9)
    moved_without = np.abs(no_offsets.model.score(harbor) - before.model.score(harbor))

    assert before.organization_offsets == {1: 0.0, 2: 0.0, 3: 0.0}
    assert after.organization_offsets[1] == after.organization_offsets[2] == 0.0
    assert after.organization_offsets[3] == pytest.approx(3.0, abs=0.5)
    assert moved.mean() < 0.02
    assert moved_without.mean() > 0.1


def test_a_decision_far_down_the_queue_weighs_more_but_never_more_than_ten_top_ones():
    weights = propensity_weights(np.array([1, 2, 5, 40, 0]))
    raw = np.array([1, 2, 5, 10, 1], dtype=float)
    assert weights == pytest.approx(raw / raw.mean())


def test_position_weights_undo_the_pull_of_the_top():
    """Coordinators decided mostly on the top rows, where they said yes more; with the weights
    the fitted intercept reflects every position, not just the top."""
    data = decisions(2000, seed=5)
    rng = np.random.default_rng(5)
    positions = rng.integers(1, 11, len(data))
    labels = np.where(positions <= 2, 1, data.labels)
    shown = Decisions.of(
        data.features, labels, organizations=data.organizations, positions=positions
    )
    weighted = fit_model(shown, version="w").model
    flat = fit_model(shown, version="f", eta=0.0).model
    assert weighted.intercept < flat.intercept


def test_the_later_decisions_judge_what_the_earlier_ones_taught():
    data = decisions(200, seed=6)
    earlier, later = time_split(data)
    assert (len(earlier), len(later)) == (150, 50)
    assert earlier.decided_at.max() < later.decided_at.min()


def test_an_auc_of_one_on_thirty_rows_is_not_enough_to_promote():
    later = decisions(30, seed=7)
    oracle = ScoringModel(
        version="oracle",
        coefficients=tuple(1.0 if n == "text_similarity" else 0.0 for n in FEATURE_NAMES),
        link="logistic",
    )
    perfect = Decisions.of(
        later.features,
        (later.features[:, TEXT] > 0.5).astype(int),
        organizations=later.organizations,
    )

    verdict = compare_on_later(oracle, DEFAULT_MODEL, perfect)

    assert verdict.promote is False
    assert verdict.reason == (
        "Too few later decisions to tell the models apart: 30 "
        f"({int(perfect.labels.sum())} yes), 50 needed with 10 of each outcome."
    )


def test_a_gain_inside_the_bootstrap_interval_is_not_promoted_and_a_clear_one_is():
    earlier, later = time_split(decisions(2400, seed=8))
    fitted = fit_model(earlier, version="fitted").model

    assert compare_on_later(fitted, fitted, later).promote is False  # no gain at all
    nudged = ScoringModel(
        version="nudged",
        coefficients=tuple(
            c * (1.02 if i == 0 else 1.0) for i, c in enumerate(fitted.coefficients)
        ),
        intercept=fitted.intercept,
        link="logistic",
    )
    tiny = compare_on_later(nudged, fitted, later)
    assert tiny.promote is False
    assert tiny.reason.startswith("Not better by more than chance on 600 later decisions: AUC")
    assert tiny.difference_low is not None
    assert tiny.difference_high is not None
    assert tiny.difference_low <= 0 <= tiny.difference_high

    clear = compare_on_later(fitted, DEFAULT_MODEL, later)
    assert clear.promote is True
    assert clear.difference_low is not None
    assert clear.difference_low > 0
    assert clear.as_metrics()["later_decisions"] == 600.0
