"""Stories about volunteer roles: posting, publishing, who sees what, and refusing bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.signals import before_task_publish

from backend.places import COORDINATES_TOGETHER_MESSAGE
from opportunities.api.serializers import (
    HOURS_RANGE_MESSAGE,
    NOT_YOUR_ORGANIZATION_MESSAGE,
    ORGANIZATION_FIXED_MESSAGE,
    STATUS_READ_ONLY_MESSAGE,
    UNKNOWN_REFERENCE_MESSAGE,
)
from opportunities.api.views import NOT_A_MEMBER_MESSAGE
from opportunities.models import ENDS_BEFORE_START_MESSAGE, PLACE_REQUIRED_MESSAGE, Opportunity
from opportunities.services import (
    ALREADY_CLOSED_MESSAGE,
    ALREADY_PUBLISHED_MESSAGE,
    NOT_READY_MESSAGE,
    POSTCODE_NOT_FOUND_MESSAGE,
)
from tests.factories import OpportunityFactory, cause, skill
from tests.support.dates import days_from_today

pytestmark = pytest.mark.django_db

# The peer group starts in five weeks and runs for six months, whatever day the suite runs on.
GROUP_STARTS = days_from_today(35)
GROUP_ENDS = GROUP_STARTS + dt.timedelta(days=175)

URL = "/api/v1/opportunities/"

GROUP = {
    "title": "Peer support co-facilitator",
    "description": "Co-lead a weekly peer group for people living with anxiety.",
    "causes": ["mental-health", "loneliness"],
    "required_skills": ["active-listening"],
    "preferred_skills": ["group-facilitation"],
    "languages": ["en", "es"],
    "mode": "in_person",
    "address": "12 Harbor Street",
    "postcode": "10003",
    "availability": ["tue-evening", "mon-morning", "tue-evening"],
    "hours_per_week": 3,
    "starts_on": GROUP_STARTS.isoformat(),
    "ends_on": GROUP_ENDS.isoformat(),
    "capacity": 2,
    "min_age": 18,
    "background_check_required": True,
    "required_trainings": ["peer-support-training"],
    "audience": ["adults"],
    "lived_experience_valued": True,
}


def fields_of(response) -> dict:
    return response.json()["error"]["fields"]


@pytest.fixture
def published_tasks():
    """(task name, first argument) of every Celery task published while the test runs."""
    sent: list[tuple[str, int]] = []

    def record(sender=None, headers=None, body=None, **kwargs):
        sent.append((headers["task"], body[0][0]))

    before_task_publish.connect(record, weak=False)
    yield sent
    before_task_publish.disconnect(record)


def test_sam_posts_a_draft_publishes_it_and_only_then_volunteers_see_it(
    harbor, sam_client, ada_client, anonymous, django_capture_on_commit_callbacks, published_tasks
):
    """Given Sam, a coordinator at Harbor House,
    when he posts a draft peer-support role, Ada and anonymous visitors cannot find it;
    once he publishes it, they can, and matching is asked to run for it."""
    with django_capture_on_commit_callbacks(execute=True):
        created = sam_client.post(URL, {"organization": harbor.id, **GROUP})
    assert created.status_code == 201, created.content
    role = created.json()
    assert role["status"] == "draft"
    assert role["organization_name"] == "Harbor House"
    assert role["availability"] == ["mon-morning", "tue-evening"]  # calendar order, no repeats
    assert sorted(role["causes"]) == ["loneliness", "mental-health"]
    assert sorted(role["languages"]) == ["en", "es"]
    assert role["hours_per_week"] == 3.0
    assert role["latitude"] == pytest.approx(40.7313)  # postcode 10003 resolved offline
    assert published_tasks == []  # drafts are never matched

    for visitor in (ada_client, anonymous):
        assert visitor.get(f"{URL}{role['id']}/").status_code == 404
        assert visitor.get(URL).json()["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        published = sam_client.post(f"{URL}{role['id']}/publish/")
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["published_at"] is not None
    assert published_tasks == [
        ("matching.opportunity_rematch", role["id"]),
        ("lifecycle.opportunity_recheck", role["id"]),
    ]

    for visitor in (ada_client, anonymous):
        assert visitor.get(f"{URL}{role['id']}/").json()["title"] == "Peer support co-facilitator"
        assert [r["id"] for r in visitor.get(URL).json()["results"]] == [role["id"]]


def test_publishing_twice_or_closing_twice_is_a_conflict(harbor, sam_client, published_tasks):
    role = OpportunityFactory.create(organization=harbor)

    again = sam_client.post(f"{URL}{role.id}/publish/")
    assert again.status_code == 409
    assert again.json()["error"]["message"] == ALREADY_PUBLISHED_MESSAGE

    assert sam_client.post(f"{URL}{role.id}/close/").status_code == 200
    closed_again = sam_client.post(f"{URL}{role.id}/close/")
    assert closed_again.status_code == 409
    assert closed_again.json()["error"]["message"] == ALREADY_CLOSED_MESSAGE


def test_closing_hides_the_role_from_volunteers_and_asks_for_a_rematch(
    harbor, sam_client, ada_client, django_capture_on_commit_callbacks, published_tasks
):
    role = OpportunityFactory.create(organization=harbor)

    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.post(f"{URL}{role.id}/close/")

    assert response.json()["status"] == "closed"
    assert published_tasks == [
        ("matching.opportunity_rematch", role.id),
        ("lifecycle.opportunity_recheck", role.id),
    ]
    assert ada_client.get(f"{URL}{role.id}/").status_code == 404
    assert sam_client.get(f"{URL}{role.id}/").status_code == 200


def test_editing_a_published_role_asks_for_a_rematch(
    harbor, sam_client, django_capture_on_commit_callbacks, published_tasks
):
    role = OpportunityFactory.create(organization=harbor)

    with django_capture_on_commit_callbacks(execute=True):
        response = sam_client.patch(f"{URL}{role.id}/", {"required_skills": ["crisis-support"]})

    assert response.status_code == 200
    assert response.json()["required_skills"] == ["crisis-support"]
    assert published_tasks == [
        ("matching.opportunity_rematch", role.id),
        ("lifecycle.opportunity_recheck", role.id),
    ]


def test_an_in_person_role_without_a_place_stays_a_draft(harbor, sam_client):
    """Sam drafts an in-person befriending role before the venue is known; publishing it is
    refused until it has a place, then succeeds."""
    draft = sam_client.post(URL, {"organization": harbor.id, "title": "Befriender"}).json()
    assert draft["mode"] == "in_person"

    refused = sam_client.post(f"{URL}{draft['id']}/publish/")

    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == NOT_READY_MESSAGE
    assert fields_of(refused) == {"postcode": [PLACE_REQUIRED_MESSAGE]}
    assert Opportunity.objects.get(pk=draft["id"]).status == Opportunity.Status.DRAFT

    sam_client.patch(f"{URL}{draft['id']}/", {"latitude": 40.7061, "longitude": -73.9969})
    assert sam_client.post(f"{URL}{draft['id']}/publish/").status_code == 200


def test_a_published_role_cannot_be_edited_into_an_incomplete_one(harbor, sam_client):
    role = OpportunityFactory.create(organization=harbor, mode="remote")

    response = sam_client.patch(f"{URL}{role.id}/", {"mode": "hybrid"})

    assert response.status_code == 400
    assert fields_of(response) == {"postcode": [PLACE_REQUIRED_MESSAGE]}
    role.refresh_from_db()
    assert role.mode == "remote"


def test_an_ended_role_cannot_be_published(harbor, sam_client):
    role = OpportunityFactory.create(
        organization=harbor,
        status=Opportunity.Status.DRAFT,
        starts_on=dt.date(2020, 1, 1),
        ends_on=dt.date(2020, 2, 1),
    )

    response = sam_client.post(f"{URL}{role.id}/publish/")

    assert response.status_code == 400
    assert list(fields_of(response)) == ["ends_on"]


def test_rita_cannot_touch_harbor_roles(harbor, rita_client):
    """Rita coordinates Riverside Helpline. Harbor's draft does not exist for her (404); Harbor's
    published role she can read but not change (403). Nothing changes either way."""
    draft = OpportunityFactory.create(organization=harbor, status=Opportunity.Status.DRAFT)
    live = OpportunityFactory.create(organization=harbor)

    assert rita_client.patch(f"{URL}{draft.id}/", {"title": "Mine now"}).status_code == 404
    refused = rita_client.patch(f"{URL}{live.id}/", {"title": "Mine now"})
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == NOT_A_MEMBER_MESSAGE
    assert rita_client.post(f"{URL}{live.id}/close/").status_code == 403
    assert set(Opportunity.objects.values_list("title", flat=True)) == {draft.title, live.title}
    live.refresh_from_db()
    assert live.status == Opportunity.Status.PUBLISHED


def test_rita_cannot_post_for_harbor_nor_tell_it_from_a_missing_organization(harbor, rita_client):
    for organization in (harbor.id, 999999):
        response = rita_client.post(URL, {"organization": organization, "title": "Listener"})
        assert response.status_code == 400
        assert fields_of(response) == {"organization": [NOT_YOUR_ORGANIZATION_MESSAGE]}
    assert not Opportunity.objects.exists()


def test_members_see_their_drafts_and_closed_roles_and_can_filter_by_status(
    harbor, riverside, sam_client, rita_client
):
    draft = OpportunityFactory.create(organization=harbor, status=Opportunity.Status.DRAFT)
    closed = OpportunityFactory.create(organization=harbor, status=Opportunity.Status.CLOSED)
    live = OpportunityFactory.create(organization=harbor)
    OpportunityFactory.create(organization=riverside, status=Opportunity.Status.DRAFT)

    everything = {r["id"] for r in sam_client.get(URL).json()["results"]}
    drafts = [r["id"] for r in sam_client.get(f"{URL}?status=draft").json()["results"]]
    ritas_drafts = rita_client.get(f"{URL}?status=draft&organization={harbor.id}").json()

    assert everything == {draft.id, closed.id, live.id}
    assert drafts == [draft.id]
    assert ritas_drafts["count"] == 0


def test_a_hidden_address_is_for_members_only(harbor, sam_client, ada_client, anonymous):
    """A crisis drop-in keeps its door private: Ada and visitors see the postcode only;
    Sam sees the address and coordinates."""
    role = OpportunityFactory.create(
        organization=harbor,
        mode="in_person",
        address="3 Safe Haven Court",
        postcode="10003",
        latitude=40.7321,
        longitude=-73.9875,
        hide_address=True,
    )

    for visitor in (ada_client, anonymous):
        body = visitor.get(f"{URL}{role.id}/").json()
        assert (body["address"], body["latitude"], body["longitude"]) == (None, None, None)
        assert body["postcode"] == "10003"
        listed = visitor.get(URL).json()["results"][0]
        assert (listed["address"], listed["latitude"], listed["longitude"]) == (None, None, None)

    body = sam_client.get(f"{URL}{role.id}/").json()
    assert body["address"] == "3 Safe Haven Court"
    assert (body["latitude"], body["longitude"]) == (40.7321, -73.9875)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"ends_on": (GROUP_STARTS - dt.timedelta(days=5)).isoformat()},
            "ends_on",
            ENDS_BEFORE_START_MESSAGE,
        ),
        ({"capacity": 0}, "capacity", None),
        ({"capacity": 10**12}, "capacity", None),
        ({"causes": ["mental-health", "astrology"]}, "causes", None),
        ({"required_skills": ["juggling"]}, "required_skills", None),
        ({"preferred_skills": "active-listening"}, "preferred_skills", None),
        ({"languages": ["xx"]}, "languages", None),
        ({"required_trainings": ["cpr-9000"]}, "required_trainings", None),
        ({"availability": ["someday-morning"]}, "availability", None),
        ({"availability": "mon-morning"}, "availability", None),
        ({"audience": ["teens"]}, "audience", None),
        ({"mode": "telepathy"}, "mode", None),
        ({"latitude": 95, "longitude": 0}, "latitude", None),
        ({"latitude": 0, "longitude": -200}, "longitude", None),
        ({"postcode": "", "latitude": 40.7}, "longitude", COORDINATES_TOGETHER_MESSAGE),
        ({"postcode": "", "longitude": -73.9}, "latitude", COORDINATES_TOGETHER_MESSAGE),
        ({"postcode": "ZZ9 9ZZ"}, "postcode", POSTCODE_NOT_FOUND_MESSAGE),
        ({"title": "x" * 201}, "title", None),
        ({"title": ""}, "title", None),
        ({"title": ["a", "list"]}, "title", None),
        ({"description": "x" * 5001}, "description", None),
        ({"min_age": 121}, "min_age", None),
        ({"min_age": -1}, "min_age", None),
        ({"hours_per_week": 81}, "hours_per_week", HOURS_RANGE_MESSAGE),
        ({"hours_per_week": 0}, "hours_per_week", HOURS_RANGE_MESSAGE),
        ({"hours_per_week": "lots"}, "hours_per_week", None),
        ({"starts_on": "next tuesday"}, "starts_on", None),
        ({"hide_address": "perhaps"}, "hide_address", None),
        ({"status": "published"}, "status", STATUS_READ_ONLY_MESSAGE),
        ({"organization": "harbor"}, "organization", None),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(
    harbor, sam_client, change, field, message
):
    response = sam_client.post(URL, {"organization": harbor.id, **GROUP, **change})

    assert response.status_code == 400, response.content
    assert field in fields_of(response), fields_of(response)
    if message:
        assert fields_of(response)[field] == [message]
    assert not Opportunity.objects.exists()


def test_an_unknown_slug_is_named_in_the_message(harbor, sam_client):
    response = sam_client.post(
        URL, {"organization": harbor.id, "title": "Listener", "causes": ["astrology"]}
    )

    assert fields_of(response) == {
        "causes": [UNKNOWN_REFERENCE_MESSAGE.format(label="cause", value="astrology")]
    }


def test_a_patch_is_checked_against_the_role_as_it_would_become(harbor, sam_client):
    """Sam moves only the end date, to before the stored start date: refused, nothing saved."""
    starts = days_from_today(90)
    role = OpportunityFactory.create(organization=harbor, starts_on=starts)

    ends = starts - dt.timedelta(days=28)  # still in the future, but before the start
    response = sam_client.patch(f"{URL}{role.id}/", {"ends_on": ends.isoformat()})

    assert response.status_code == 400
    assert fields_of(response) == {"ends_on": [ENDS_BEFORE_START_MESSAGE]}
    role.refresh_from_db()
    assert role.ends_on is None


def test_a_role_stays_with_its_organization_and_status_moves_only_by_actions(
    harbor, riverside, sam_client
):
    role = OpportunityFactory.create(organization=harbor, status=Opportunity.Status.DRAFT)

    moved = sam_client.patch(f"{URL}{role.id}/", {"organization": riverside.id})
    forced = sam_client.patch(f"{URL}{role.id}/", {"status": "published"})

    assert fields_of(moved) == {"organization": [ORGANIZATION_FIXED_MESSAGE]}
    assert fields_of(forced) == {"status": [STATUS_READ_ONLY_MESSAGE]}
    role.refresh_from_db()
    assert (role.organization, role.status) == (harbor, Opportunity.Status.DRAFT)


def test_a_new_postcode_moves_the_place(harbor, sam_client):
    """Sam changes a role's postcode from 10003 (Manhattan) to 11201 (Brooklyn): the coordinates
    follow, so the distance filter never measures from the old venue."""
    role = sam_client.post(URL, {"organization": harbor.id, **GROUP}).json()

    moved = sam_client.patch(f"{URL}{role['id']}/", {"postcode": "11201"}).json()

    assert moved["latitude"] != role["latitude"]
    assert moved["latitude"] == pytest.approx(40.6937, abs=0.01)


def test_a_remote_role_may_keep_a_postcode_that_does_not_resolve(harbor, sam_client):
    response = sam_client.post(
        URL,
        {
            "organization": harbor.id,
            "title": "Online listener",
            "mode": "remote",
            "postcode": "SW1A 1AA",
        },
    )

    assert response.status_code == 201
    assert response.json()["latitude"] is None


@pytest.mark.parametrize(
    "query",
    ["cause=astrology", "skill=juggling", "mode=telepathy", "status=archived", "organization=x"],
)
def test_bad_filters_answer_400_on_the_parameter(anonymous, query):
    response = anonymous.get(f"{URL}?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in fields_of(response)


def test_filters_by_cause_skill_mode_organization_and_text(harbor, riverside, anonymous):
    listener = OpportunityFactory.create(
        organization=harbor, title="Helpline listener", description="Evening calls."
    )
    listener.causes.add(cause("suicide-prevention"))
    listener.required_skills.add(skill("active-listening"))
    gardener = OpportunityFactory.create(
        organization=riverside,
        title="Garden buddy",
        description="Grow herbs; LISTEN too.",
        mode="phone",
    )
    gardener.preferred_skills.add(skill("active-listening"))

    def ids(query: str) -> list[int]:
        return sorted(r["id"] for r in anonymous.get(f"{URL}?{query}").json()["results"])

    assert ids("cause=suicide-prevention") == [listener.id]
    assert ids("skill=active-listening") == sorted([listener.id, gardener.id])
    assert ids("mode=phone") == [gardener.id]
    assert ids(f"organization={harbor.id}") == [listener.id]
    assert ids("q=listen") == sorted([listener.id, gardener.id])
    assert ids("q=HERBS") == [gardener.id]


def test_a_huge_limit_is_clamped_to_100(harbor, anonymous):
    OpportunityFactory.create_batch(105, organization=harbor)

    response = anonymous.get(f"{URL}?limit=100000")

    assert response.status_code == 200
    assert response.json()["count"] == 105
    assert len(response.json()["results"]) == 100


def test_an_unknown_role_is_a_404(sam_client):
    assert sam_client.get(f"{URL}999999/").status_code == 404
    assert sam_client.post(f"{URL}999999/publish/").status_code == 404
    assert sam_client.get(f"{URL}abc/").status_code == 404
