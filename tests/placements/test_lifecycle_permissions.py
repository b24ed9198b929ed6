"""Who may do what to a match, in which state: the exact answer for every cell.

People: Ada (the match's volunteer), Bo (another volunteer), Sam (coordinator at Harbor House,
which posts the role), Alex (Harbor House's admin), Rita (coordinator at Riverside, an outsider),
Pat (platform staff) and an anonymous caller. Outsiders get 404, not 403: they cannot even learn
that the match exists. A suggestion is invisible to its volunteer until it is offered.
"""

from __future__ import annotations

import pytest

from matching.models import MatchTransition
from tests.conftest import client_for
from tests.factories import MatchFactory
from tests.placements.lifecycle_helpers import peer_line, ready_volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]

STATES = ("suggested", "offered", "accepted", "active", "completed")
PATHS = {
    "suggested": [],
    "offered": ["approved", "offered"],
    "accepted": ["approved", "offered", "accepted"],
    "active": ["approved", "offered", "accepted", "active"],
    "completed": ["approved", "offered", "accepted", "active", "completed"],
}
ACTIONS = {
    "approve": ("post", "/api/v1/matches/{id}/approve/", {}),
    "reject": ("post", "/api/v1/matches/{id}/reject/", {"reason": "not_a_fit"}),
    "start": ("post", "/api/v1/matches/{id}/start/", {}),
    "complete": ("post", "/api/v1/matches/{id}/complete/", {}),
    "withdraw": ("post", "/api/v1/matches/{id}/withdraw/", {"reason": "other"}),
    "history": ("get", "/api/v1/matches/{id}/history/", None),
    "accept": ("post", "/api/v1/volunteers/me/matches/{id}/accept/", {}),
    "decline": ("post", "/api/v1/volunteers/me/matches/{id}/decline/", {}),
    "my_withdraw": ("post", "/api/v1/volunteers/me/matches/{id}/withdraw/", {"reason": "personal"}),
    "my_complete": ("post", "/api/v1/volunteers/me/matches/{id}/complete/", {}),
}
OUTSIDE = "404 404 404 404 404"
ANON = "401 401 401 401 401"
#: action -> person -> answer in each state, in the order of STATES.
TABLE = {
    "approve": {"sam": "200 409 409 409 409", "alex": "200 409 409 409 409"},
    "reject": {"sam": "200 409 409 409 409", "alex": "200 409 409 409 409"},
    "start": {"sam": "409 409 200 409 409", "alex": "409 409 200 409 409"},
    "complete": {"sam": "409 409 409 200 409", "alex": "409 409 409 200 409"},
    "withdraw": {"sam": "200 200 200 200 409", "alex": "200 200 200 200 409"},
    "history": {
        "sam": "200 200 200 200 200",
        "alex": "200 200 200 200 200",
        "ada": "404 200 200 200 200",
    },
    "accept": {"ada": "404 200 409 409 409"},
    "decline": {"ada": "404 200 409 409 409"},
    "my_withdraw": {"ada": "404 409 200 200 409"},
    "my_complete": {"ada": "404 409 409 200 409"},
}
PEOPLE = ("ada", "bo", "sam", "alex", "rita", "staff", "anonymous")


def expected(action: str, person: str, state: str) -> int:
    row = TABLE[action].get(person, ANON if person == "anonymous" else OUTSIDE)
    return int(row.split()[STATES.index(state)])


CELLS = [(a, p, s) for a in ACTIONS for p in PEOPLE for s in STATES]


@pytest.mark.parametrize(("action", "person", "state"), CELLS)
def test_permission_table(
    action, person, state, request, ada, harbor, django_capture_on_commit_callbacks
):
    request.getfixturevalue("bo")
    request.getfixturevalue("sam")
    request.getfixturevalue("alex")
    request.getfixturevalue("rita")
    request.getfixturevalue("staff")
    role = peer_line(harbor)
    match = MatchFactory.create(volunteer=ready_volunteer(ada), opportunity=role, status=state)
    previous = "suggested"
    for step in PATHS[state]:
        MatchTransition.objects.create(match=match, from_status=previous, to_status=step)
        previous = step
    if person == "anonymous":
        user = None
    elif person in {"ada", "bo"}:
        user = request.getfixturevalue(person).user  # a volunteer fixture is their profile
    else:
        user = request.getfixturevalue(person)
    client = client_for(user)
    method, url, data = ACTIONS[action]
    with django_capture_on_commit_callbacks(execute=True):
        if method == "get":
            response = client.get(url.format(id=match.pk))
        else:
            response = client.post(url.format(id=match.pk), data, format="json")
    assert response.status_code == expected(action, person, state), response.content
