"""A review row's skills, causes and languages are read for the whole page in one query
(``volunteer_review_lists``): each list must be what the volunteer's relations give, in the
same order, and a single row read through the serializer alone reads them itself. The queue
counts its rows in the page's own query: the count must be right on every page."""

from __future__ import annotations

import pytest
from django.utils import timezone

from matching.models import Match
from suggestions.api.serializers import ReviewMatchSerializer
from suggestions.selectors import volunteer_review_lists
from tests.factories import (
    MatchFactory,
    OpportunityFactory,
    VolunteerProfileFactory,
    cause,
    language,
    skill,
)

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/matches/"


def _volunteer(skills, causes, languages):
    profile = VolunteerProfileFactory.create()
    profile.skills.set([skill(s) for s in skills])
    profile.causes.set([cause(c) for c in causes])
    profile.languages.set([language(code) for code in languages])
    return profile


def _expected(profile) -> dict:
    return {
        "skills": [{"slug": s.slug, "name": s.name} for s in profile.skills.all()],
        "causes": [{"slug": c.slug, "name": c.name} for c in profile.causes.all()],
        "languages": [{"code": lang.code, "name": lang.name} for lang in profile.languages.all()],
    }


def test_each_row_lists_what_the_relations_hold_in_their_order(harbor, sam_client):
    role = OpportunityFactory.create(organization=harbor)
    people = [
        _volunteer(["tutoring", "active-listening", "peer-support"], ["suicide-prevention"], []),
        _volunteer([], ["mental-health", "loneliness"], ["zh", "es", "en"]),
        _volunteer(["peer-support"], [], ["es"]),
    ]
    for person in people:
        MatchFactory.create(volunteer=person, opportunity=role)
    rows = {
        row["volunteer"]["id"]: row["volunteer"] for row in sam_client.get(QUEUE).json()["results"]
    }
    assert set(rows) == {p.id for p in people}
    for person in people:
        shown = {key: rows[person.id][key] for key in ("skills", "causes", "languages")}
        assert shown == _expected(person)
    lists = volunteer_review_lists(p.id for p in people)
    assert [slug for slug, _ in lists[people[0].id]["skills"]] == [
        s.slug for s in people[0].skills.all()
    ]


def test_one_row_alone_reads_its_lists_itself(harbor):
    person = _volunteer(["tutoring", "active-listening"], ["loneliness"], ["es", "en"])
    match = MatchFactory.create(
        volunteer=person, opportunity=OpportunityFactory.create(organization=harbor)
    )
    row = ReviewMatchSerializer(
        Match.objects.select_related("volunteer", "opportunity").get(pk=match.pk),
        context={"today": timezone.localdate()},
    ).data
    assert {key: row["volunteer"][key] for key in ("skills", "causes", "languages")} == _expected(
        person
    )


def test_the_queue_counts_its_rows_on_every_page(harbor, sam_client):
    role = OpportunityFactory.create(organization=harbor)
    for i in range(5):
        MatchFactory.create(opportunity=role, score=i / 10)
    seen = []
    for offset in (0, 2, 4, 6):
        body = sam_client.get(f"{QUEUE}?opportunity={role.id}&limit=2&offset={offset}").json()
        assert body["count"] == 5
        assert (body["next"] is not None) == (offset + 2 < 5)
        seen += [row["id"] for row in body["results"]]
    assert len(seen) == len(set(seen)) == 5
