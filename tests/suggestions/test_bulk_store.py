"""The store writes in bulk: a fixed number of statements whatever the number of pairs, an
unchanged suggestion left untouched (its ``updated_at`` too), a changed one refreshed in place,
a reviewed pair skipped, a withdrawn pair suggested again as a new row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.engine import FEATURE_NAMES, Suggestion
from matching.models import Match, MatchStatus
from suggestions.services import store
from tests.factories import MatchFactory, OpportunityFactory, VolunteerProfileFactory

pytestmark = pytest.mark.django_db

FEATURES = dict.fromkeys(FEATURE_NAMES, 0.5)


def _suggestions(volunteers, roles, score=0.6):
    return [
        Suggestion(v.id, r.id, score, 1, FEATURES, ["Remote role", f"Cares about {r.title}"])
        for v in volunteers
        for r in roles
    ]


def _statements(suggestions) -> int:
    with CaptureQueriesContext(connection) as queries:
        store.suggestions_store(suggestions=suggestions, model_version="v1")
    return len(queries)


def test_the_number_of_statements_does_not_grow_with_the_pairs(harbor):
    volunteers = VolunteerProfileFactory.create_batch(6)
    roles = [OpportunityFactory.create(organization=harbor) for _ in range(5)]

    few = _statements(_suggestions(volunteers[:1], roles[:2]))
    many = _statements(_suggestions(volunteers[1:], roles))

    assert many == few
    assert Match.objects.filter(status=MatchStatus.SUGGESTED).count() == 2 + 25


def test_unchanged_rows_stay_untouched_and_changed_ones_are_refreshed_in_place(ada, bo, harbor):
    role = OpportunityFactory.create(organization=harbor)
    store.suggestions_store(suggestions=_suggestions([ada, bo], [role]), model_version="v1")
    before = {m.volunteer_id: m for m in Match.objects.filter(opportunity=role)}

    again = store.suggestions_store(
        suggestions=[*_suggestions([ada], [role]), *_suggestions([bo], [role], score=0.8)],
        model_version="v1",
    )

    after = {m.volunteer_id: m for m in Match.objects.filter(opportunity=role)}
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert sorted(again.match_ids) == sorted(m.id for m in before.values())
    assert after[ada.id].updated_at == before[ada.id].updated_at
    assert after[bo.id].id == before[bo.id].id
    assert (after[bo.id].score, after[bo.id].updated_at > before[bo.id].updated_at) == (0.8, True)
    assert after[ada.id].reasons == ["Remote role", f"Cares about {role.title}"]
    assert after[ada.id].features == FEATURES


def test_reviewed_pairs_are_skipped_and_withdrawn_pairs_start_a_new_row(ada, bo, harbor):
    role = OpportunityFactory.create(organization=harbor)
    offered = MatchFactory.create(volunteer=ada, opportunity=role, status=MatchStatus.OFFERED)
    withdrawn = MatchFactory.create(volunteer=bo, opportunity=role, status=MatchStatus.WITHDRAWN)

    result = store.suggestions_store(
        suggestions=_suggestions([ada, bo], [role]), model_version="v1"
    )

    assert (result.created, result.skipped_reviewed) == (1, 1)
    fresh = Match.objects.get(volunteer=bo, opportunity=role, status=MatchStatus.SUGGESTED)
    assert fresh.id != withdrawn.id
    assert result.match_ids == [fresh.id]
    offered.refresh_from_db()
    assert (offered.status, offered.score, offered.model_version) != (
        MatchStatus.SUGGESTED,
        0.6,
        "v1",
    )


def test_a_run_is_recorded_on_new_and_refreshed_rows(ada, harbor):
    from matching.models import MatchRun

    role = OpportunityFactory.create(organization=harbor)
    run = MatchRun.objects.create(total=1)
    store.suggestions_store(suggestions=_suggestions([ada], [role]), model_version="v1")
    store.suggestions_store(suggestions=_suggestions([ada], [role]), model_version="v2", run=run)

    assert Match.objects.get(volunteer=ada, opportunity=role).run_id == run.id
