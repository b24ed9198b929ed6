"""The demo logins `make run` prints work on the pages: the volunteer lands on her roles, the
coordinator on his review queue, and the demo's roles are listed for everyone."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from demo.logins import COORDINATOR_LOGIN, DEFAULT_PASSWORD, VOLUNTEER_LOGIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo runs only there (its accounts share a printed password)
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False


@pytest.mark.usefixtures("demo")
@pytest.mark.parametrize(
    ("email", "landing"), [(VOLUNTEER_LOGIN, "/me/roles/"), (COORDINATOR_LOGIN, "/review/")]
)
def test_a_demo_login_signs_in_on_the_pages(client, email, landing):
    response = client.post("/sign-in/", {"email": email, "password": DEFAULT_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == landing
    assert client.get(landing).status_code == 200


@pytest.mark.usefixtures("demo")
def test_the_demo_roles_are_listed_and_open(client):
    listing = client.get("/roles/")
    page = listing.context["page"]

    assert page.paginator.count > 20
    assert client.get(f"/roles/{page.object_list[0].pk}/").status_code == 200
