"""Lived experience is shown only to coordinators of verified organizations, only for roles that
value it, only while the volunteer shares it, and every time it is shown an access-log entry says
who read it, whose, when and for which role; the volunteer reads that log at
GET /api/v1/volunteers/me/lived-experience/reads/."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from organizations.models import Membership
from suggestions.events import LivedExperienceRead
from tests.conftest import client_for
from tests.factories import (
    MatchFactory,
    MembershipFactory,
    OpportunityFactory,
    OrganizationFactory,
    UserFactory,
    VolunteerProfileFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/matches/"
READS = "/api/v1/volunteers/me/lived-experience/reads/"
STORY = "I recovered from depression with the help of a peer group."


@pytest.fixture
def sharing_ada(ada):
    ada.lived_experience = STORY
    ada.share_lived_experience = True
    ada.save()
    return ada


@pytest.fixture
def peer_group(harbor):
    return OpportunityFactory.create(
        organization=harbor, title="Peer support group", mode="remote", lived_experience_valued=True
    )


def _reads() -> list[tuple]:
    return list(
        AuditEntry.objects.filter(event=LivedExperienceRead.name)
        .order_by("id")
        .values_list("actor_id", "subject_id", "data")
    )


def test_each_read_is_logged_and_ada_reads_her_log_newest_first(
    sam, alex, sharing_ada, peer_group, ada_client
):
    """Given Ada shares her story and Harbor's peer group values it, when Sam reads the queue and
    Alex opens her row, each of them read it once and both reads are logged; Ada sees who read it,
    at which organization, for which role, newest first."""
    match = MatchFactory.create(volunteer=sharing_ada, opportunity=peer_group)

    queue = client_for(sam).get(QUEUE)
    row = client_for(alex).get(f"{QUEUE}{match.pk}/")

    assert queue.json()["results"][0]["volunteer"]["lived_experience"] == STORY
    assert row.json()["volunteer"]["lived_experience"] == STORY
    entry = {"profile_id": sharing_ada.pk, "opportunity_id": peer_group.pk}
    assert _reads() == [
        (sam.pk, str(sharing_ada.pk), entry),
        (alex.pk, str(sharing_ada.pk), entry),
    ]

    log = ada_client.get(READS)

    assert log.status_code == 200
    assert log.json()["count"] == 2
    results = log.json()["results"]
    assert [r["reader"] for r in results] == ["alex@harbor.example", "sam@harbor.example"]
    assert {r["organization"] for r in results} == {"Harbor House"}
    assert {tuple(r["opportunity"].items()) for r in results} == {
        (("id", peer_group.pk), ("title", "Peer support group"))
    }
    assert results[0]["read_at"] >= results[1]["read_at"]
    assert STORY not in log.content.decode()


def test_no_read_is_logged_where_nothing_was_shown(sam, sharing_ada, bo, harbor, peer_group):
    """Given a role that does not value lived experience, and Bo who does not share his, Sam's
    rows show no story and nothing is logged."""
    bo.lived_experience, bo.share_lived_experience = "Private story", False
    bo.save()
    office = OpportunityFactory.create(organization=harbor, title="Office help", mode="remote")
    MatchFactory.create(volunteer=sharing_ada, opportunity=office)
    MatchFactory.create(volunteer=bo, opportunity=peer_group)

    rows = client_for(sam).get(QUEUE).json()["results"]

    assert [r["volunteer"]["lived_experience"] for r in rows] == [None, None]
    assert _reads() == []


def test_an_unverified_organization_is_never_shown_a_story(sharing_ada):
    """Given a pending organization whose role values lived experience, its coordinator is never
    shown Ada's story, and nothing is logged."""
    pending = OrganizationFactory.create(name="New Start", verification_status="pending")
    coordinator = MembershipFactory.create(
        user=UserFactory.create(email="nia@newstart.example"),
        organization=pending,
        role=Membership.Role.COORDINATOR,
    ).user
    role = OpportunityFactory.create(
        organization=pending, title="Listening circle", mode="remote", lived_experience_valued=True
    )
    MatchFactory.create(volunteer=sharing_ada, opportunity=role)

    answer = client_for(coordinator).get(QUEUE)

    assert STORY not in answer.content.decode()
    assert _reads() == []


def test_withdrawing_consent_hides_the_story_at_once(sam, sharing_ada, peer_group):
    """Given Sam read Ada's story once, when Ada stops sharing it, his next read shows nothing and
    adds nothing to her log."""
    MatchFactory.create(volunteer=sharing_ada, opportunity=peer_group)
    client_for(sam).get(QUEUE)
    sharing_ada.share_lived_experience = False
    sharing_ada.save()

    row = client_for(sam).get(QUEUE).json()["results"][0]

    assert row["volunteer"]["lived_experience"] is None
    assert len(_reads()) == 1


def test_a_page_of_stories_is_logged_in_one_insert(sam, peer_group):
    """Given many sharing volunteers on one page, each row shown is logged, and the page costs the
    same number of queries for 2 rows as for 20."""

    def queries_for(n: int) -> int:
        for _ in range(n):
            volunteer = VolunteerProfileFactory.create(
                lived_experience=STORY, share_lived_experience=True
            )
            MatchFactory.create(volunteer=volunteer, opportunity=peer_group)
        AuditEntry.objects.filter(event=LivedExperienceRead.name).delete()
        with CaptureQueriesContext(connection) as queries:
            answer = client_for(sam).get(QUEUE + "?limit=100")
        assert answer.status_code == 200
        assert AuditEntry.objects.filter(event=LivedExperienceRead.name).count() == len(
            answer.json()["results"]
        )
        return len(queries)

    assert queries_for(2) == queries_for(18)


def test_only_ada_reads_her_log(sam, bo, sharing_ada, peer_group, anonymous):
    """Given Sam read Ada's story, Bo's log and Sam's own are empty, and anonymous callers are
    refused."""
    MatchFactory.create(volunteer=sharing_ada, opportunity=peer_group)
    client_for(sam).get(QUEUE)

    assert client_for(bo.user).get(READS).json()["count"] == 0
    assert client_for(sam).get(READS).json()["count"] == 0
    assert anonymous.get(READS).status_code == 401
    assert client_for(sharing_ada.user).get(READS).json()["count"] == 1
