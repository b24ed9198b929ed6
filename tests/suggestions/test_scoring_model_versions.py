"""The scoring model's versions: a refit that waits for enough decisions from enough
organizations, is judged on later decisions, and once promoted (or rolled back) rescores every
open suggestion so that a queue never mixes two versions."""

from __future__ import annotations

import random
from unittest import mock

import numpy as np
import pytest

from audit.models import AuditEntry
from backend.errors import ConflictError
from matching.engine import DEFAULT_MODEL, FEATURE_NAMES, ScoringModel
from matching.models import Match, MatchStatus, ScoringModelVersion
from opportunities.models import Opportunity
from suggestions import scoring_tasks
from suggestions.services import rematch, scoring_model
from tests.factories import OpportunityFactory, OrganizationFactory, VolunteerProfileFactory

pytestmark = pytest.mark.django_db


def roles(organizations: int) -> list[Opportunity]:
    return [
        OpportunityFactory.create(organization=OrganizationFactory.create())
        for _ in range(organizations)
    ]


def decide(n: int, *, on: list[Opportunity], seed: int = 7) -> None:
    """``n`` decisions spread over the roles ``on``, in time order: people said yes exactly when
    the volunteer had most of the required skills (which the hand-set weights barely count)."""
    rng = random.Random(seed)
    volunteers = VolunteerProfileFactory.create_batch(n)
    rows = []
    for i, volunteer in enumerate(volunteers):
        features = {name: round(rng.random(), 4) for name in FEATURE_NAMES}
        liked = features["required_skill_coverage"] > 0.5
        status = (
            [MatchStatus.APPROVED, MatchStatus.COMPLETED][i % 2]
            if liked
            else [MatchStatus.REJECTED, MatchStatus.DECLINED][i % 2]
        )
        rows.append(
            Match(
                volunteer=volunteer,
                opportunity=on[i % len(on)],
                status=status,
                features=features,
                shown_position=1 + i % 10,
            )
        )
    for row in rows:  # one by one, so each decision is later than the one before
        row.save()


def fitted(version: str, *, distance: float = 0.0) -> ScoringModelVersion:
    coefficients = tuple(
        8.0 if n == "required_skill_coverage" else distance if n == "distance_fit" else 0.0
        for n in FEATURE_NAMES
    )
    model = ScoringModel(version=version, coefficients=coefficients, intercept=-4, link="logistic")
    return ScoringModelVersion.objects.create(version=version, parameters=model.to_dict())


def open_suggestion(role: Opportunity, **features: float) -> Match:
    values = dict.fromkeys(FEATURE_NAMES, 0.2) | features
    score = float(DEFAULT_MODEL.score(np.array([[values[n] for n in FEATURE_NAMES]]))[0])
    return Match.objects.create(
        volunteer=VolunteerProfileFactory.create(),
        opportunity=role,
        features=values,
        score=score,
        model_version=DEFAULT_MODEL.version,
    )


def test_ninety_nine_decisions_of_one_coordinator_are_refused():
    decide(99, on=roles(1))

    result = scoring_model.scoring_model_refit()

    assert (result.version, result.promoted, result.labels) == (None, False, 99)
    assert result.message == "Not enough decisions to learn from: 99 decided, 200 needed."
    assert not ScoringModelVersion.objects.exists()
    assert scoring_model.scoring_model_current() == DEFAULT_MODEL


def test_enough_decisions_from_one_organization_are_refused_too():
    decide(240, on=roles(1))

    result = scoring_model.scoring_model_refit()

    assert result.version is None
    assert result.message.startswith("Decisions from too few organizations to learn from: 1, 3")


def test_a_refit_learns_from_the_earlier_decisions_and_is_promoted_on_the_later_ones(
    django_capture_on_commit_callbacks,
):
    decide(240, on=roles(3))

    with (
        mock.patch.object(scoring_tasks.scoring_model_rescore_task, "delay") as rescore,
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = scoring_model.scoring_model_refit()

    assert result.promoted is True
    stored = ScoringModelVersion.objects.get()
    assert (stored.is_current, stored.training_size) == (True, 180)
    assert stored.promoted_at is not None
    assert stored.metrics["later_decisions"] == 60
    assert stored.metrics["earlier_decisions"] == 180
    assert stored.metrics["compared_with"] == DEFAULT_MODEL.version
    assert stored.metrics["auc_difference_low"] > 0
    assert stored.metrics["verdict"].startswith("Better on 60 later decisions: AUC")
    assert set(stored.organization_offsets) == {
        str(pk) for pk in Opportunity.objects.values_list("organization_id", flat=True)
    }
    assert scoring_model.scoring_model_current().version == stored.version
    entry = AuditEntry.objects.get(event="scoring_model_promoted")
    assert (entry.actor_id, entry.subject_id) == (None, str(stored.pk))
    rescore.assert_called_once_with(stored.pk)


def test_a_refit_no_better_than_the_current_model_is_stored_but_not_promoted():
    decide(240, on=roles(3))
    sharp = fitted("sharp-v1")
    sharp.is_current = True
    sharp.save()

    result = scoring_model.scoring_model_refit()

    assert result.promoted is False
    assert "kept sharp-v1." in result.message
    assert "Not better by more than chance on 60 later decisions" in result.message
    assert ScoringModelVersion.objects.get(is_current=True).version == "sharp-v1"
    assert not AuditEntry.objects.filter(event="scoring_model_promoted").exists()


def test_a_promotion_rescores_every_open_suggestion_and_leaves_one_version_per_queue():
    """Given two of Harbor's queues scored by the hand-set weights and a decided match, when Pat
    promotes a fitted version, then every open suggestion carries that version and its score,
    and the decided match keeps the score it was decided on."""
    helpline, befriending = roles(2)
    for coverage in (0.1, 0.5, 0.9):
        open_suggestion(helpline, required_skill_coverage=coverage)
    for coverage in (0.3, 0.7):
        open_suggestion(befriending, required_skill_coverage=coverage)
    decided = open_suggestion(helpline, required_skill_coverage=0.8)
    Match.objects.filter(pk=decided.pk).update(status=MatchStatus.REJECTED)
    version = fitted("sharp-v2")

    scoring_model.scoring_model_promote(version_id=version.pk, actor=None)
    with (
        mock.patch.object(scoring_model, "RESCORE_BATCH", 2),  # several batches
        mock.patch.object(scoring_tasks.scoring_model_rescore_task, "apply_async") as sweep,
    ):
        result = scoring_tasks.scoring_model_rescore_task(version.pk)

    assert result == {"version": "sharp-v2", "rescored": 5, "skipped": False}
    sweep.assert_called_once_with(
        (version.pk, False), countdown=scoring_tasks.STRAGGLER_SWEEP_SECONDS
    )
    model = ScoringModel.from_dict(version.parameters)
    for role in (helpline, befriending):
        queue = Match.objects.filter(opportunity=role, status=MatchStatus.SUGGESTED)
        assert set(queue.values_list("model_version", flat=True)) == {"sharp-v2"}
    for match in Match.objects.filter(status=MatchStatus.SUGGESTED):
        expected = model.score(np.array([[match.features[n] for n in FEATURE_NAMES]]))[0]
        assert match.score == pytest.approx(expected, abs=1e-6)
    decided.refresh_from_db()
    assert (decided.model_version, decided.score) == (DEFAULT_MODEL.version, decided.score)
    # A rematch that read the hand-set weights before the promotion stores after the rescore:
    # the later sweep scores it too, and queues nothing more.
    straggler = open_suggestion(befriending, required_skill_coverage=0.4)
    with mock.patch.object(scoring_tasks.scoring_model_rescore_task, "apply_async") as again:
        assert scoring_tasks.scoring_model_rescore_task(version.pk, False)["rescored"] == 1
    again.assert_not_called()
    straggler.refresh_from_db()
    assert straggler.model_version == "sharp-v2"


def test_a_rescore_for_a_version_no_longer_current_does_nothing():
    role = roles(1)[0]
    open_suggestion(role)
    first, second = fitted("first"), fitted("second")
    scoring_model.scoring_model_promote(version_id=first.pk, actor=None)
    scoring_model.scoring_model_promote(version_id=second.pk, actor=None)

    assert scoring_tasks.scoring_model_rescore_task(first.pk) == {
        "version": "second",
        "rescored": 0,
        "skipped": True,
    }
    assert Match.objects.get().model_version == DEFAULT_MODEL.version


def test_each_rollback_goes_one_promotion_back_then_to_the_hand_set_weights(staff):
    first, second = fitted("first"), fitted("second")
    scoring_model.scoring_model_promote(version_id=first.pk, actor=staff)
    scoring_model.scoring_model_promote(version_id=second.pk, actor=staff)

    assert scoring_model.scoring_model_rollback(actor=staff) == first
    assert scoring_model.scoring_model_current().version == "first"
    assert scoring_model.scoring_model_rollback(actor=staff) is None
    assert scoring_model.scoring_model_current() == DEFAULT_MODEL
    with pytest.raises(ConflictError, match=scoring_model.NOTHING_TO_ROLL_BACK):
        scoring_model.scoring_model_rollback(actor=staff)

    rollbacks = AuditEntry.objects.filter(event="scoring_model_rolled_back").order_by("id")
    assert [(e.actor_id, e.data["version_id"], e.data["to_version_id"]) for e in rollbacks] == [
        (staff.pk, second.pk, first.pk),
        (staff.pk, first.pk, None),
    ]


def test_a_stored_version_that_learned_that_distance_hurts_cannot_be_promoted(staff):
    legacy = fitted("before-the-bounds", distance=-2.0)

    with pytest.raises(ConflictError, match="negative weight for distance_fit"):
        scoring_model.scoring_model_promote(version_id=legacy.pk, actor=staff)

    assert not ScoringModelVersion.objects.filter(is_current=True).exists()


def test_after_a_promotion_new_suggestions_are_scored_by_the_new_version(ada, harbor):
    version = fitted("sharp-v3")
    scoring_model.scoring_model_promote(version_id=version.pk, actor=None)
    ada.modes = ["remote"]
    ada.save()
    role = OpportunityFactory.create(organization=harbor, title="Remote listener", mode="remote")

    rematch.volunteer_rematch(profile_id=ada.id)

    assert Match.objects.get(volunteer=ada, opportunity=role).model_version == "sharp-v3"
