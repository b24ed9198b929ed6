"""``manage.py match_all`` (the refit is in test_scoring_model_versions.py)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command

from matching.engine import DEFAULT_MODEL
from matching.models import Match, MatchRun
from suggestions.services import runs
from tests.factories import OpportunityFactory, VolunteerProfileFactory, skill

pytestmark = pytest.mark.django_db


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
