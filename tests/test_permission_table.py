"""Who may do what to roles and organizations, as one table: role x resource x action -> status.

The cast: anonymous; Ada (a volunteer); Sam (coordinator of Harbor House); Alex (admin of Harbor
House); Rita (coordinator of Riverside Helpline, an outsider to Harbor); Pat (platform staff, whose
one API power here is seeing every organization, to verify or refuse it).

The rules the table pins down:
- what a caller cannot see answers 404 for every action (another organization's draft, the member
  list of an organization one does not belong to, an organization with no published role);
- what a caller can see but not change answers 403 (a published role or a public organization);
- creating a role for an organization one does not belong to answers 400 on ``organization``;
- anonymous callers may read; writing (and the member list) needs signing in: 401.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from opportunities.models import Opportunity
from organizations.models import Membership
from tests.factories import OpportunityFactory, UserFactory

PEOPLE = {
    "anonymous": "anonymous",
    "ada": "ada_client",
    "sam": "sam_client",
    "alex": "alex_client",
    "rita": "rita_client",
    "pat": "staff_client",
}


@dataclass
class World:
    published: Opportunity
    draft: Opportunity
    harbor_id: int
    riverside_id: int


@pytest.fixture
def world(harbor, riverside, sam, alex, rita) -> World:
    published = OpportunityFactory.create(organization=harbor, title="Befriender")
    draft = OpportunityFactory.create(
        organization=harbor, title="Helpline listener", status=Opportunity.Status.DRAFT
    )
    UserFactory.create(email="newcomer@example.org")
    return World(published, draft, harbor.id, riverside.id)


def list_published(client, w: World) -> Any:
    response = client.get("/api/v1/opportunities/")
    # Listing answers 200 for all; the published role must be in it for everyone.
    if response.status_code == 200:
        ids = {row["id"] for row in response.json()["results"]}
        assert w.published.id in ids
    return response


ACTIONS = {
    "list published role": list_published,
    "retrieve published role": lambda c, w: c.get(f"/api/v1/opportunities/{w.published.id}/"),
    "retrieve draft role": lambda c, w: c.get(f"/api/v1/opportunities/{w.draft.id}/"),
    "create role for Harbor": lambda c, w: c.post(
        "/api/v1/opportunities/", {"organization": w.harbor_id, "title": "Walk-and-talk buddy"}
    ),
    "patch published role": lambda c, w: c.patch(
        f"/api/v1/opportunities/{w.published.id}/", {"capacity": 3}
    ),
    "patch draft role": lambda c, w: c.patch(
        f"/api/v1/opportunities/{w.draft.id}/", {"capacity": 3}
    ),
    "publish draft role": lambda c, w: c.post(f"/api/v1/opportunities/{w.draft.id}/publish/"),
    "close published role": lambda c, w: c.post(f"/api/v1/opportunities/{w.published.id}/close/"),
    "retrieve Harbor": lambda c, w: c.get(f"/api/v1/organizations/{w.harbor_id}/"),
    "retrieve Riverside (no published role)": lambda c, w: c.get(
        f"/api/v1/organizations/{w.riverside_id}/"
    ),
    "patch Harbor": lambda c, w: c.patch(
        f"/api/v1/organizations/{w.harbor_id}/", {"description": "Peer support on the harbour."}
    ),
    "invite to Harbor": lambda c, w: c.post(
        f"/api/v1/organizations/{w.harbor_id}/invitations/",
        {"email": "newcomer@example.org", "role": "coordinator"},
    ),
    "list Harbor members": lambda c, w: c.get(f"/api/v1/organizations/{w.harbor_id}/members/"),
}

# fmt: off
TABLE = {
    #                                         anonymous ada  sam  alex rita pat
    "list published role":                    (200,     200, 200, 200, 200, 200),
    "retrieve published role":                (200,     200, 200, 200, 200, 200),
    "retrieve draft role":                    (404,     404, 200, 200, 404, 404),
    "create role for Harbor":                 (401,     400, 201, 201, 400, 400),
    "patch published role":                   (401,     403, 200, 200, 403, 403),
    "patch draft role":                       (401,     404, 200, 200, 404, 404),
    "publish draft role":                     (401,     404, 200, 200, 404, 404),
    "close published role":                   (401,     403, 200, 200, 403, 403),
    "retrieve Harbor":                        (200,     200, 200, 200, 200, 200),
    "retrieve Riverside (no published role)": (404,     404, 404, 404, 200, 200),
    "patch Harbor":                           (401,     403, 403, 200, 403, 403),
    "invite to Harbor":                       (401,     404, 403, 201, 404, 404),
    "list Harbor members":                    (401,     404, 200, 200, 404, 404),
}
# fmt: on

CASES = [
    pytest.param(person, action, TABLE[action][column], id=f"{person}-{action}")
    for action in TABLE
    for column, person in enumerate(PEOPLE)
]


def test_every_action_has_a_row():
    assert set(TABLE) == set(ACTIONS)


@pytest.mark.django_db
@pytest.mark.parametrize(("person", "action", "expected"), CASES)
def test_permission_table(request, world, person, action, expected):
    client = request.getfixturevalue(PEOPLE[person])
    before = (Opportunity.objects.count(), Membership.objects.count())

    response = ACTIONS[action](client, world)

    assert response.status_code == expected, response.content
    if expected >= 400:
        assert set(response.json()) == {"error"}
        # A refused write leaves every row as it was.
        assert (Opportunity.objects.count(), Membership.objects.count()) == before
        world.published.refresh_from_db()
        world.draft.refresh_from_db()
        assert world.published.status == Opportunity.Status.PUBLISHED
        assert world.published.capacity == 1
        assert world.draft.status == Opportunity.Status.DRAFT
