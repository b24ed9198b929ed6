"""Learning from coordinators' decisions (the nightly refit), and ``manage.py match_all``."""

from __future__ import annotations

import io
import random
import re

import pytest
from django.core.management import CommandError, call_command

from matching.engine import DEFAULT_MODEL, FEATURE_NAMES, ScoringModel
from matching.models import Match, MatchRun, MatchStatus, ScoringModelVersion
from suggestions.services import rematch, runs, scoring_model
from tests.factories import MatchFactory, OpportunityFactory, VolunteerProfileFactory, skill

pytestmark = pytest.mark.django_db


def decisions(n: int, *, seed: int = 7) -> None:
    """``n`` reviewed matches where people said yes exactly when the profile text fit the role."""
    rng = random.Random(seed)
    for i in range(n):
        features = {name: round(rng.random(), 4) for name in FEATURE_NAMES}
        liked = features["text_similarity"] > 0.5
        status = (
            [MatchStatus.APPROVED, MatchStatus.COMPLETED][i % 2]
            if liked
            else [MatchStatus.REJECTED, MatchStatus.DECLINED][i % 2]
        )
        MatchFactory.create(status=status, features=features)


def sharp_text_model(version: str) -> ScoringModel:
    """A model that already knows the rule perfectly and is confident about it."""
    coefficients = tuple(60.0 if name == "text_similarity" else 0.0 for name in FEATURE_NAMES)
    return ScoringModel(
        version=version, coefficients=coefficients, intercept=-30.0, link="logistic"
    )


def test_a_refit_that_beats_the_hand_set_weights_becomes_current_and_scores_new_suggestions(
    ada, harbor
):
    decisions(60)

    result = scoring_model.scoring_model_refit(min_labels=40)

    assert result.promoted is True
    stored = ScoringModelVersion.objects.get()
    assert stored.is_current is True
    assert stored.version.startswith("logistic-")
    assert stored.training_size == 45  # 75% of 60; the rest is held out
    assert set(stored.metrics) == {"roc_auc", "average_precision", "log_loss"}
    assert stored.metrics["roc_auc"] > 0.9
    assert scoring_model.scoring_model_current().version == stored.version

    # Ada's next suggestions say which model scored them.
    ada.modes = ["remote"]
    ada.save()
    role = OpportunityFactory.create(organization=harbor, title="Remote listener", mode="remote")
    role.required_skills.add(skill("active-listening"))
    ada.skills.add(skill("active-listening"))
    rematch.volunteer_rematch(profile_id=ada.id)
    assert Match.objects.get(volunteer=ada, opportunity=role).model_version == stored.version


def test_a_refit_that_does_worse_than_the_current_model_is_stored_but_not_promoted():
    decisions(60)
    sharp = sharp_text_model("sharp-v1")
    ScoringModelVersion.objects.create(
        version=sharp.version, parameters=sharp.to_dict(), is_current=True
    )

    result = scoring_model.scoring_model_refit(min_labels=40)

    assert result.promoted is False
    assert result.message.endswith("kept sharp-v1.")
    assert ScoringModelVersion.objects.count() == 2
    assert ScoringModelVersion.objects.get(is_current=True).version == "sharp-v1"


def test_too_few_decisions_fit_nothing():
    decisions(10)

    result = scoring_model.scoring_model_refit(min_labels=40)

    assert (result.version, result.promoted, result.labels) == (None, False, 10)
    assert result.message == "Not enough decisions to learn from: 10 labelled, 40 needed."
    assert not ScoringModelVersion.objects.exists()
    assert scoring_model.scoring_model_current() == DEFAULT_MODEL


def test_match_all_prints_counts(harbor):
    for i in range(3):
        volunteer = VolunteerProfileFactory.create(display_name=f"V{i}", modes=["remote"])
        volunteer.skills.add(skill("tutoring"))
    for i in range(2):
        OpportunityFactory.create(organization=harbor, title=f"Online tutor {i}", mode="remote")
    out = io.StringIO()

    call_command("match_all", "--chunk-size", "2", stdout=out)

    text = out.getvalue()
    assert text.startswith("Matching 3 volunteers against 2 published roles...\n")
    assert "succeeded, 2/2 chunks of 2." in text
    assert "Suggestions stored: 6; withdrawn: 0; open suggestions now: 6." in text
    assert f"Model: {DEFAULT_MODEL.version}." in text
    assert MatchRun.objects.get().status == MatchRun.Status.SUCCEEDED


def test_match_all_explains_a_bad_chunk_size_and_a_run_in_progress():
    with pytest.raises(CommandError, match=re.escape("--chunk-size must be at least 1.")):
        call_command("match_all", "--chunk-size", "0", stdout=io.StringIO())

    VolunteerProfileFactory.create()
    runs.match_run_start(requested_by=None)
    with pytest.raises(CommandError, match=re.escape(runs.RUN_IN_PROGRESS_MESSAGE)):
        call_command("match_all", stdout=io.StringIO())


def test_match_all_queue_hands_the_run_to_the_workers_after_commit(
    harbor, django_capture_on_commit_callbacks
):
    VolunteerProfileFactory.create(modes=["remote"])
    OpportunityFactory.create(organization=harbor, mode="remote")
    out = io.StringIO()

    with django_capture_on_commit_callbacks() as callbacks:
        call_command("match_all", "--queue", stdout=out)

    run = MatchRun.objects.get()
    assert run.status == MatchRun.Status.QUEUED
    assert run.done == 0
    assert f"Run {run.id} queued: {run.total} chunks for the workers" in out.getvalue()
    assert len(callbacks) == 1
    assert not Match.objects.exists()  # nothing computed in this process


@pytest.mark.parametrize(
    ("volunteers", "chunk"),
    [(0, 1000), (5_000, 1000), (20_000, 1000), (50_000, 2500), (100_000, 5000), (1_000_000, 5000)],
)
def test_a_full_run_is_cut_into_about_twenty_chunks_of_one_to_five_thousand(volunteers, chunk):
    assert runs.run_chunk_size(volunteers=volunteers) == chunk
