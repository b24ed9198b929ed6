"""Pat (platform staff) reads the scoring model's versions with their metrics, promotes one and
rolls it back through the API; coordinators may not."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest

from backend.filters import MAX_OBJECT_ID
from matching.engine import DEFAULT_MODEL, FEATURE_NAMES, ScoringModel
from matching.models import Match, MatchStatus, ScoringModelVersion
from suggestions import scoring_tasks
from suggestions.api.scoring_models import ONLY_STAFF_MESSAGE
from suggestions.services.scoring_model import (
    ALREADY_CURRENT,
    NOTHING_TO_ROLL_BACK,
    VERSION_NOT_FOUND,
)
from tests.factories import OpportunityFactory, VolunteerProfileFactory
from tests.placements.lifecycle_helpers import eager_tasks  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

API = "/api/v1/matching/scoring-models/"


def stored(version: str, **metrics: float) -> ScoringModelVersion:
    coefficients = tuple(2.0 if n == "text_similarity" else 0.5 for n in FEATURE_NAMES)
    model = ScoringModel(version=version, coefficients=coefficients, intercept=-3, link="logistic")
    return ScoringModelVersion.objects.create(
        version=version,
        parameters=model.to_dict(),
        training_size=180,
        metrics={"roc_auc": 0.81, "later_decisions": 60.0, **metrics},
        organization_offsets={"7": 0.0, "9": 1.25},
    )


def test_pat_lists_the_versions_with_their_weights_and_metrics(staff_client):
    older, newer = stored("fit-1"), stored("fit-2", auc_difference_low=0.02)

    response = staff_client.get(API)

    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]
    assert rows[0]["weights"]["text_similarity"] == 2.0
    assert rows[0]["intercept"] == -3.0
    assert rows[0]["metrics"]["auc_difference_low"] == 0.02
    assert rows[0]["organization_offsets"] == {"7": 0.0, "9": 1.25}
    assert (rows[0]["is_current"], rows[0]["promoted_at"]) == (False, None)


def test_pat_promotes_a_version_and_rolls_it_back(staff_client, django_capture_on_commit_callbacks):
    first, second = stored("fit-1"), stored("fit-2")

    with (
        mock.patch.object(scoring_tasks.scoring_model_rescore_task, "delay") as rescore,
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert staff_client.post(f"{API}{first.pk}/promote/").status_code == 200
        promoted = staff_client.post(f"{API}{second.pk}/promote/")
        again = staff_client.post(f"{API}{second.pk}/promote/")
        back = staff_client.post(f"{API}rollback/")
        to_hand_set = staff_client.post(f"{API}rollback/")
        nothing = staff_client.post(f"{API}rollback/")

    assert (promoted.status_code, promoted.json()["is_current"]) == (200, True)
    assert again.status_code == 409
    assert again.json()["error"]["message"] == ALREADY_CURRENT
    assert back.status_code == 200
    assert back.json()["scores_with"] == "fit-1"
    assert back.json()["current"]["id"] == first.pk
    assert to_hand_set.json() == {"scores_with": DEFAULT_MODEL.version, "current": None}
    assert nothing.status_code == 409
    assert nothing.json()["error"]["message"] == NOTHING_TO_ROLL_BACK
    # One rescore per change of the current version, each for the version that scores now.
    assert [c.args for c in rescore.call_args_list] == [
        (first.pk,),
        (second.pk,),
        (first.pk,),
        (scoring_tasks.HAND_SET_WEIGHTS,),
    ]


def test_a_coordinator_may_not_read_or_change_the_scoring_model(sam_client, anonymous):
    version = stored("fit-1")

    for response in (
        sam_client.get(API),
        sam_client.post(f"{API}{version.pk}/promote/"),
        sam_client.post(f"{API}rollback/"),
    ):
        assert response.status_code == 403
        assert response.json()["error"]["message"] == ONLY_STAFF_MESSAGE
    assert anonymous.get(API).status_code == 401
    assert not ScoringModelVersion.objects.filter(is_current=True).exists()


@pytest.mark.parametrize("version_id", [987_654, MAX_OBJECT_ID + 1])
def test_promoting_a_version_that_does_not_exist_answers_404(staff_client, version_id):
    response = staff_client.post(f"{API}{version_id}/promote/")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == VERSION_NOT_FOUND


@pytest.mark.usefixtures("eager_tasks")
def test_pat_promotes_and_every_open_suggestion_is_rescored_through_the_task(
    staff_client, harbor, django_capture_on_commit_callbacks
):
    """No mock on the way: the promotion's event queues the rescore after commit, and the task
    (run in this process) leaves Harbor's queue scored by one version."""
    role = OpportunityFactory.create(organization=harbor)
    for coverage in (0.2, 0.6):
        Match.objects.create(
            volunteer=VolunteerProfileFactory.create(),
            opportunity=role,
            features=dict.fromkeys(FEATURE_NAMES, coverage),
            score=coverage,
            model_version=DEFAULT_MODEL.version,
        )
    version = stored("fit-1")

    with django_capture_on_commit_callbacks(execute=True):
        assert staff_client.post(f"{API}{version.pk}/promote/").status_code == 200

    queue = Match.objects.filter(opportunity=role, status=MatchStatus.SUGGESTED)
    assert set(queue.values_list("model_version", flat=True)) == {"fit-1"}
    model = ScoringModel.from_dict(version.parameters)
    expected = model.score(np.array([[0.2] * len(FEATURE_NAMES), [0.6] * len(FEATURE_NAMES)]))
    assert sorted(queue.values_list("score", flat=True)) == pytest.approx(sorted(expected))
