"""Deleting an account must not take the organizations' records with it (issue 9): the ORM refuses
(``Match.volunteer`` is PROTECT), and the admin offers "Erase account" instead of delete, which
erases the person by the data-rights service and keeps the match history."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.db import transaction
from django.db.models.deletion import ProtectedError
from django.test import RequestFactory

from accounts.models import User
from engagement.models import HoursLog, Rating
from matching.models import Match, MatchTransition
from tests.conftest import client_for
from tests.volunteers.data_rights_world import EMAIL, build_world
from volunteers.models import VolunteerProfile
from volunteers.services.data_rights import FORMER_VOLUNTEER

pytestmark = pytest.mark.django_db

USERS = "/admin/accounts/user/"


def _records(match: Match) -> tuple[int, int, int, int, int]:
    return (
        Match.objects.filter(pk=match.pk).count(),
        MatchTransition.objects.filter(match=match).count(),
        HoursLog.objects.filter(match=match).count(),
        Rating.objects.filter(match=match).count(),
        VolunteerProfile.objects.filter(pk=match.volunteer_id).count(),
    )


def test_deleting_a_volunteer_with_match_history_through_the_orm_is_refused(harbor, sam):
    """Given Ada Quillfeather with an active match, its history, hours and ratings, when someone
    deletes her account (or her profile) through the ORM, then ProtectedError is raised and
    nothing is removed: the match, its steps, hours, ratings, her profile and account are there."""
    world = build_world(harbor, sam)
    user = world.profile.user
    before = _records(world.match)

    for doomed in (user, world.profile):
        with pytest.raises(ProtectedError), transaction.atomic():
            doomed.delete()

    assert _records(world.match) == before == (1, 2, 1, 2, 1)
    assert User.objects.filter(pk=user.pk, email=EMAIL).exists()


def test_the_admin_offers_erase_account_instead_of_delete(pat_admin):
    """Given Pat in the admin, when they open an account, then it cannot be deleted (no delete
    permission, no "delete selected" action) and "Erase account" is offered."""
    _, pat = pat_admin
    request = RequestFactory().get(USERS)
    request.user = pat
    user_admin = admin.site._registry[User]

    assert not user_admin.has_delete_permission(request)
    assert not user_admin.has_delete_permission(request, pat)
    actions = user_admin.get_actions(request)
    assert "delete_selected" not in actions
    erase = actions.get("erase_accounts")
    assert erase is not None
    assert erase[2] == "Erase account"


def test_erase_account_in_the_admin_erases_her_and_keeps_the_organizations_history(
    harbor, sam, pat_admin
):
    """Given Ada Quillfeather with an active match, when Pat runs "Erase account" on her in the
    admin, then her account is erased (no address, cannot sign in), her profile is "Former
    volunteer", and Sam still reads the match's whole history and hours."""
    browser, _ = pat_admin
    world = build_world(harbor, sam)
    user = world.profile.user
    before = _records(world.match)

    response = browser.post(
        USERS, {"action": "erase_accounts", "_selected_action": [user.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "1 account(s) erased" in response.content.decode()
    user.refresh_from_db()
    world.profile.refresh_from_db()
    assert (user.email, user.is_active, user.has_usable_password()) == (
        f"erased-{user.pk}@invalid",
        False,
        False,
    )
    assert world.profile.display_name == FORMER_VOLUNTEER
    assert _records(world.match) == before
    history = client_for(sam).get(f"/api/v1/matches/{world.match.pk}/history/")
    assert history.status_code == 200
    assert [step["to_status"] for step in history.json()] == ["approved", "accepted"]
    assert history.json()[0]["note"] == f"{FORMER_VOLUNTEER} ({FORMER_VOLUNTEER}) is a good fit"


def test_erase_account_in_the_admin_erases_a_coordinator_by_the_account_service(
    harbor, sam, pat_admin
):
    """Given Sam the coordinator (no volunteer profile), when Pat erases his account in the
    admin, then his account row is erased and his membership row still names the account."""
    browser, _ = pat_admin

    response = browser.post(
        USERS, {"action": "erase_accounts", "_selected_action": [sam.pk]}, follow=True
    )

    assert response.status_code == 200
    sam.refresh_from_db()
    assert (sam.email, sam.first_name, sam.is_active) == (f"erased-{sam.pk}@invalid", "", False)
    assert sam.memberships.filter(organization=harbor).exists()
