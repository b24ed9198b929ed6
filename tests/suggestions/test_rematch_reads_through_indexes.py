"""A single rematch reads the volunteer's (or the role's) own suggestions through an index: the
open-suggestion partial indexes (or the older status index), never reading the withdrawn rows
that pile up beside them."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matching.models import Match, MatchStatus
from suggestions.services import rematch
from tests.factories import MatchFactory
from tests.suggestions.test_suggestions_tasks import listening_roles, remote_listeners

pytestmark = pytest.mark.django_db


def _plan(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a test table is tiny
            cursor.execute(f"EXPLAIN {sql}")
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())


def _keyed_on(plan: str, column: str) -> bool:
    """The plan reads matching_match through an index searched on ``column`` (only the rows of
    that volunteer or role), not a scan of the table or of a whole index."""
    if connection.vendor == "postgresql":
        return re.search(rf"Index Cond: \(.*\b{column} = ", plan) is not None
    pattern = rf"SEARCH matching_match USING (COVERING )?INDEX \S+ \({column}="
    return re.search(pattern, plan) is not None


def _own_reads(run, column: str, key: int) -> list[str]:
    """The SELECTs on matching_match that a call made, filtered by ``column`` = or IN (key)."""
    own = re.compile(rf'(?<!NOT \()"matching_match"\."{column}" (= {key}\b|IN \({key}\))')
    with CaptureQueriesContext(connection) as queries:
        run()
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and 'FROM "matching_match"' in q["sql"]
        if own.search(q["sql"])
    ]


@pytest.fixture
def crowded(harbor):
    """Listeners and roles with suggestions, and many withdrawn rows beside them."""
    volunteers = remote_listeners(3)
    roles = listening_roles(harbor, 3)
    for volunteer in volunteers:
        for role in roles:
            MatchFactory.create(volunteer=volunteer, opportunity=role, status=MatchStatus.WITHDRAWN)
    rematch.volunteer_rematch(profile_id=volunteers[1].id)
    return volunteers, roles


def test_a_volunteer_rematch_reads_her_suggestions_through_the_open_index(crowded):
    volunteers, _ = crowded
    ada = volunteers[0]

    reads = _own_reads(lambda: rematch.volunteer_rematch(profile_id=ada.id), "volunteer_id", ada.id)

    plans = {sql: _plan(sql) for sql in reads}
    assert plans
    assert [sql for sql, plan in plans.items() if not _keyed_on(plan, "volunteer_id")] == []
    if connection.vendor == "postgresql":
        assert any("match_open_by_" in plan for plan in plans.values())
    assert Match.objects.filter(volunteer=ada, status=MatchStatus.SUGGESTED).exists()


def test_a_role_rematch_reads_its_suggestions_through_the_open_index(crowded):
    _, roles = crowded
    role = roles[0]

    reads = _own_reads(
        lambda: rematch.opportunity_rematch(opportunity_id=role.id), "opportunity_id", role.id
    )

    plans = {sql: _plan(sql) for sql in reads}
    assert plans
    assert [sql for sql, plan in plans.items() if not _keyed_on(plan, "opportunity_id")] == []
    if connection.vendor == "postgresql":
        assert any("match_open_by_" in plan for plan in plans.values())
