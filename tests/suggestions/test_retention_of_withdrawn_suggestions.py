"""Retention of withdrawn suggestions (issue 11): what the engine withdrew, and nobody acted on,
moves from Match to ArchivedSuggestion SUGGESTION_RETENTION_DAYS after its withdrawal; what a
person decided, withdrew or was told about stays (suggestions/services/retention.py). Dates are
relative to now; the clock moves with time-machine."""

from __future__ import annotations

import datetime as dt
import importlib
from io import StringIO

import pytest
import time_machine
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from backend.celery import app
from backend.celery_queues import ROUTES
from matching.engine import FEATURE_NAMES
from matching.models import ArchivedSuggestion, Match, MatchStatus, MatchTransition
from notifications.models import Notification
from suggestions.retention_tasks import suggestions_archive_withdrawn_task
from suggestions.services import rematch, scoring_model
from suggestions.services.retention import (
    archivable_suggestions,
    retention_cutoff,
    suggestions_archive_withdrawn,
)
from tests.factories import MatchFactory, OpportunityFactory, VolunteerProfileFactory
from tests.suggestions.test_suggestions_services import listening_role, make_listener
from volunteers.services.data_rights import volunteer_account_erase

pytestmark = pytest.mark.django_db

PAST_RETENTION = dt.timedelta(days=settings.SUGGESTION_RETENTION_DAYS + 1)


def withdrawn_by_the_engine(**fields) -> Match:
    """A suggestion the engine withdrew (its one transition: suggested -> withdrawn, no actor),
    ``age`` ago."""
    age = fields.pop("age", PAST_RETENTION)
    match = MatchFactory.create(status=MatchStatus.WITHDRAWN, **fields)
    MatchTransition.objects.create(
        match=match,
        from_status=MatchStatus.SUGGESTED,
        to_status=MatchStatus.WITHDRAWN,
        reason="outranked",
    )
    Match.objects.filter(id=match.id).update(updated_at=timezone.now() - age)
    return match


def aged(match: Match, age: dt.timedelta = PAST_RETENTION) -> Match:
    Match.objects.filter(id=match.id).update(updated_at=timezone.now() - age)
    return match


def test_a_withdrawn_suggestion_moves_after_the_retention_and_the_pair_is_suggested_again(
    ada, harbor
):
    """Given Ada was suggested for a role and the engine withdrew the suggestion when she stopped
    taking remote work, when the retention has not passed nothing moves; once it has, the row and
    its transition move to the archive with the withdrawal's reason and the rules it broke; and
    when she takes remote work again the pair is suggested again as a new open row, which a
    second store leaves as it is."""
    make_listener(ada)
    role = listening_role(harbor)
    rematch.volunteer_rematch(profile_id=ada.id)
    [first] = Match.objects.filter(volunteer=ada, opportunity=role)
    ada.modes = ["in_person"]
    ada.save()
    rematch.volunteer_rematch(profile_id=ada.id)
    first.refresh_from_db()
    assert first.status == MatchStatus.WITHDRAWN

    assert suggestions_archive_withdrawn().archived == 0
    with time_machine.travel(timezone.now() + PAST_RETENTION):
        result = suggestions_archive_withdrawn()
    assert (result.archived, result.batches) == (1, 1)
    assert not Match.objects.filter(id=first.id).exists()
    assert not MatchTransition.objects.filter(match_id=first.id).exists()
    archived = ArchivedSuggestion.objects.get(id=first.id)
    assert (archived.volunteer_id, archived.opportunity_id) == (ada.id, role.id)
    assert archived.reason == "no_longer_eligible"
    assert archived.note  # the rules the pair broke
    assert (archived.score, archived.features, archived.facts) == (
        first.score,
        first.features,
        first.facts,
    )
    assert archived.withdrawn_at == first.updated_at

    ada.modes = ["remote"]
    ada.save()
    rematch.volunteer_rematch(profile_id=ada.id)
    [again] = Match.objects.filter(volunteer=ada, opportunity=role)
    assert again.status == MatchStatus.SUGGESTED
    assert again.id != first.id
    rematch.volunteer_rematch(profile_id=ada.id)
    assert list(Match.objects.filter(volunteer=ada, opportunity=role)) == [again]

    # Withdrawn again and archived again: the archive holds the pair twice, by the matches' ids.
    ada.modes = ["in_person"]
    ada.save()
    rematch.volunteer_rematch(profile_id=ada.id)
    with time_machine.travel(timezone.now() + PAST_RETENTION):
        assert suggestions_archive_withdrawn().archived == 1
    assert set(ArchivedSuggestion.objects.values_list("id", flat=True)) == {first.id, again.id}


def test_what_a_person_decided_withdrew_or_was_told_about_stays(ada, harbor, sam):
    """Given old matches of every kind, only the engine's own withdrawn suggestion moves: a
    rejection (the refit's negative label), a coordinator's withdrawal of a suggestion, a match
    withdrawn after approval, one with a queue position, one a notification points at, and a
    recent engine withdrawal all stay, and the refit learns from the same decisions as before."""
    role = OpportunityFactory.create(organization=harbor)
    moves = withdrawn_by_the_engine(opportunity=role)
    recent = withdrawn_by_the_engine(opportunity=role, age=dt.timedelta(days=1))
    rejected = aged(
        MatchFactory.create(
            opportunity=role,
            status=MatchStatus.REJECTED,
            features=dict.fromkeys(FEATURE_NAMES, 0.5),
        )
    )
    by_coordinator = MatchFactory.create(opportunity=role, status=MatchStatus.WITHDRAWN)
    MatchTransition.objects.create(
        match=by_coordinator, from_status="suggested", to_status="withdrawn", actor=sam
    )
    aged(by_coordinator)
    after_approval = MatchFactory.create(opportunity=role, status=MatchStatus.WITHDRAWN)
    MatchTransition.objects.create(
        match=after_approval, from_status="suggested", to_status="approved", actor=sam
    )
    MatchTransition.objects.create(
        match=after_approval, from_status="approved", to_status="withdrawn"
    )
    aged(after_approval)
    positioned = withdrawn_by_the_engine(opportunity=role, shown_position=3)
    told = withdrawn_by_the_engine(opportunity=role)
    Notification.objects.create(
        recipient=told.volunteer.user,
        kind="match_withdrawn",
        match=told,
        title="t",
        body="b",
        key=f"told-{told.id}",
    )
    decisions_before = scoring_model.decisions_to_learn_from()

    archivable = archivable_suggestions(before=retention_cutoff())
    assert list(archivable.values_list("id", flat=True)) == [moves.id]
    assert suggestions_archive_withdrawn().archived == 1

    assert list(ArchivedSuggestion.objects.values_list("id", flat=True)) == [moves.id]
    kept = {recent, rejected, by_coordinator, after_approval, positioned, told}
    assert set(Match.objects.values_list("id", flat=True)) == {m.id for m in kept}
    assert MatchTransition.objects.filter(match=by_coordinator).count() == 1
    assert MatchTransition.objects.filter(match=after_approval).count() == 2
    after = scoring_model.decisions_to_learn_from()
    assert len(after.labels) == len(decisions_before.labels) == 1


def test_it_moves_in_batches_and_a_second_run_finds_nothing(harbor):
    role = OpportunityFactory.create(organization=harbor)
    old = [withdrawn_by_the_engine(opportunity=role) for _ in range(5)]

    result = suggestions_archive_withdrawn(batch_size=2)

    assert (result.archived, result.batches) == (5, 3)
    assert ArchivedSuggestion.objects.count() == 5
    assert not Match.objects.filter(id__in=[m.id for m in old]).exists()
    assert not MatchTransition.objects.exists()
    assert suggestions_archive_withdrawn().archived == 0
    limited = suggestions_archive_withdrawn(batch_size=1, max_batches=1)
    assert limited.archived == 0


def test_the_operators_command_counts_then_moves(harbor):
    role = OpportunityFactory.create(organization=harbor)
    for _ in range(3):
        withdrawn_by_the_engine(opportunity=role)
    out = StringIO()

    call_command("suggestions_archive", "--dry-run", stdout=out)
    assert "3 withdrawn suggestions" in out.getvalue()
    assert Match.objects.count() == 3

    call_command("suggestions_archive", "--batch-size", "2", stdout=out)
    assert "Archived 3 withdrawn suggestions" in out.getvalue()
    assert Match.objects.count() == 0
    with pytest.raises(CommandError, match="at least 1"):
        call_command("suggestions_archive", "--batch-size", "0")


def test_the_daily_beat_entry_runs_the_task_on_the_default_queue(harbor):
    entry = PeriodicTask.objects.get(name="matching: archive old withdrawn suggestions")
    assert entry.task == "matching.suggestions_archive_withdrawn"
    assert entry.enabled
    assert entry.crontab is not None
    assert entry.task in app.tasks
    assert entry.task not in ROUTES  # the default queue

    migration = importlib.import_module("suggestions.migrations.0003_suggestion_retention_schedule")
    migration.register(django_apps, None)  # run again: the same entry, brought back
    assert PeriodicTask.objects.filter(task=entry.task).count() == 1
    assert PeriodicTask.objects.get(task=entry.task).crontab.hour == "4"

    withdrawn_by_the_engine(opportunity=OpportunityFactory.create(organization=harbor))
    assert suggestions_archive_withdrawn_task() == {"archived": 1, "batches": 1}
    assert suggestions_archive_withdrawn_task() == {"archived": 0, "batches": 0}


def test_erasure_deletes_her_archived_suggestions():
    bo = VolunteerProfileFactory.create()
    other = VolunteerProfileFactory.create()
    withdrawn_by_the_engine(volunteer=bo)
    withdrawn_by_the_engine(volunteer=other)
    suggestions_archive_withdrawn()
    assert ArchivedSuggestion.objects.count() == 2

    volunteer_account_erase(user=bo.user)

    assert list(ArchivedSuggestion.objects.values_list("volunteer_id", flat=True)) == [other.id]
