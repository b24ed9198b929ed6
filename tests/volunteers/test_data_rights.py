"""A volunteer's data rights (issue 9): export everything held about them, erase them with their
password, and withdraw consent for lived experience. The personal-field markers on the models
(backend/personal.py) are walked, so a new personal field or model fails here until the export and
the erasure handle it."""

from __future__ import annotations

import datetime as dt
import decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_celery_results.models import TaskResult
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import DeviceToken
from backend.personal import (
    erased_value,
    erasure_kind,
    export_key,
    owned_by,
    personal_fields,
    personal_models,
)
from matching.models import MatchStatus
from organizations.models import Invitation
from tests.conftest import client_for
from tests.factories import PASSWORD, OpportunityFactory
from tests.placements.lifecycle_helpers import eager_tasks, suggestion  # noqa: F401 (a fixture)
from tests.volunteers import data_rights_world as world_values
from tests.volunteers.data_rights_world import (
    add_match,
    build_world,
    sessions_of,
    stored_task_result,
)
from volunteers.models import VolunteerProfile
from volunteers.services.data_rights import (
    FORMER_VOLUNTEER,
    PASSWORD_REQUIRED_MESSAGE,
    PASSWORD_WRONG_MESSAGE,
    SECTIONS,
)

pytestmark = pytest.mark.django_db

EXPORT = "/api/v1/volunteers/me/export/"
ME = "/api/v1/volunteers/me/"

#: Models with a link to an account or a profile that hold no data about a volunteer, and why.
NOT_ABOUT_A_VOLUNTEER = {
    "admin.logentry": "staff's admin actions (the admin is view-only)",
    "otp_totp.totpdevice": "staff's second factor, a secret; accounts.services.user_erase deletes it",
    "organizations.organization": "verified_by is platform staff",
    "organizations.membership": "coordinators' memberships",
    "organizations.organizationverification": "decided_by is platform staff",
    "organizations.invitation": "invited_by is an organization's admin",
    "matching.matchrun": "requested_by is a coordinator or staff",
}


def _as_export(model, name, row):
    field = model._meta.get_field(name)
    if field.many_to_many:
        return sorted(str(item) for item in getattr(row, name).all())
    value = getattr(row, field.attname)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _section(export, model):
    rows = export[SECTIONS.get(model._meta.label_lower, model._meta.label_lower)]
    return [rows] if isinstance(rows, dict) else rows


def test_every_model_linked_to_a_person_says_whether_it_holds_their_data():
    """Given every installed model, when one links to an account or a volunteer profile, then it
    carries the personal-data markers or is listed here with the reason it holds nobody's data."""
    person_models = {apps.get_model(settings.AUTH_USER_MODEL), VolunteerProfile}
    unmarked = []
    for model in apps.get_models():
        links = [
            f
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model in person_models
        ]
        label = model._meta.label_lower
        if links and not hasattr(model, "PERSONAL_OWNER") and label not in NOT_ABOUT_A_VOLUNTEER:
            unmarked.append(label)
    assert unmarked == []


def test_export_holds_every_marked_field_with_the_persons_value(harbor, sam):
    """Given a volunteer with a value in every field a model marks personal, when she asks for her
    export, then every marked model has her rows and every marked field her value (a new personal
    field with no value in the test world, or missing from the export, fails here)."""
    world = build_world(harbor, sam)
    user = world.profile.user

    response = client_for(user).get(EXPORT)

    assert response.status_code == 200
    export = response.json()
    for model in personal_models():
        rows = model._default_manager.filter(owned_by(model, user)).distinct().order_by("pk")
        assert rows.exists(), f"the test world holds no {model._meta.label} row"
        key = export_key(model)
        exported = {row[key]: row for row in _section(export, model)}
        assert sorted(exported) == sorted(getattr(row, key) for row in rows), model._meta.label
        for row in rows:
            for name in personal_fields(model):
                value = _as_export(model, name, row)
                assert exported[getattr(row, key)][name] == value, f"{model._meta.label}.{name}"
                if erasure_kind(model) in ("blank", "account"):
                    blank = erased_value(model, name)
                    assert value not in (blank, [], None), (
                        f"{model._meta.label}.{name} has no value in the test world"
                    )
    assert "password" not in export["account"]
    assert "token_hash" not in export["calendar_feed"][0]
    assert "accessattempt" in {record["kind"] for record in export["sign_ins"]}
    assert [entry["actor_id"] for entry in export["lived_experience_reads"]] == [sam.pk]
    assert {rating["side"] for rating in export["ratings"]} == {"volunteer", "organization"}


def test_export_takes_the_same_number_of_queries_however_much_is_held(harbor, sam):
    """Given a volunteer with one match, when she gains two more (with their history, hours,
    ratings and notifications), then her export takes the same number of queries as before."""
    world = build_world(harbor, sam, matches=1)
    client = client_for(world.profile.user)

    counts = []
    for index in (1, 2, None):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(EXPORT).status_code == 200
        counts.append(len(queries))
        if index is not None:
            add_match(world.profile, harbor, sam, index=index)

    assert counts[0] == counts[1] == counts[2]


def _text_columns(model):
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [f for f in model._meta.concrete_fields if isinstance(f, kinds)]


def _rows_holding(value):
    """Every (model, column) of every installed model whose text holds ``value``."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in _text_columns(model):
            rows = model._default_manager.all()
            if isinstance(field, models.JSONField):
                rows = rows.annotate(_as_text=Cast(field.name, TextField()))
                rows = rows.filter(_as_text__icontains=value)
            else:
                rows = rows.filter(**{f"{field.name}__icontains": value})
            if rows.exists():
                found.append(f"{model._meta.label}.{field.name}")
    return found


def _rows_equal(field_class, value):
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if (
                type(field) is field_class
                and not field.is_relation
                and model._default_manager.filter(**{field.name: value}).exists()
            ):
                found.append(f"{model._meta.label}.{field.name}")
    return found


def test_after_erasure_no_table_holds_her_name_email_birth_date_location_or_lived_experience(
    harbor, sam
):
    """Given a volunteer with data everywhere, when she deletes her account with her password,
    then no text column of any table holds her name, email, postcode or lived experience, no date
    column her date of birth and no number column her coordinates; her tokens, trainings,
    notifications and calendar feed are gone and her account cannot sign in."""
    world = build_world(harbor, sam)
    user = world.profile.user
    for value in (world_values.NAME, world_values.EMAIL, world_values.LIVED_EXPERIENCE):
        assert _rows_holding(value), f"the test world does not hold {value!r}"
    assert "axes.AccessAttempt.username" in _rows_holding(world_values.EMAIL)

    response = client_for(user).delete(ME, {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    for value in (
        world_values.NAME,
        world_values.EMAIL,
        world_values.FIRST_NAME,
        world_values.LAST_NAME,
        world_values.POSTCODE,
        world_values.LIVED_EXPERIENCE,
        world_values.BIO,
    ):
        assert _rows_holding(value) == [], value
    assert _rows_equal(models.DateField, world.date_of_birth) == []
    assert _rows_equal(models.FloatField, world_values.LATITUDE) == []
    assert _rows_equal(models.FloatField, world_values.LONGITUDE) == []
    user.refresh_from_db()
    assert (user.email, user.is_active, user.has_usable_password()) == (
        f"erased-{user.pk}@invalid",
        False,
        False,
    )
    assert not DeviceToken.objects.filter(user=user).exists()
    for model in personal_models():
        rows = model._default_manager.filter(owned_by(model, user, for_erasure=True))
        if erasure_kind(model) == "delete":
            assert not rows.exists(), model._meta.label
        elif erasure_kind(model) == "blank":
            for row in rows:
                for name in personal_fields(model):
                    expected = erased_value(model, name)
                    if model._meta.get_field(name).many_to_many:
                        assert list(getattr(row, name).all()) == [], name
                    else:
                        assert getattr(row, name) == expected, f"{model._meta.label}.{name}"


def test_after_erasure_the_organizations_match_history_still_reads(harbor, sam):
    """Given an active match of a volunteer who erased her account, when Sam reads its history
    and completes it, then every step is there (her own step by an account with no address) and
    the match names "Former volunteer"; the hours stay."""
    world = build_world(harbor, sam)
    user = world.profile.user
    assert client_for(user).delete(ME, {"password": PASSWORD}, format="json").status_code == 204
    sam_client = client_for(sam)

    history = sam_client.get(f"/api/v1/matches/{world.match.pk}/history/")

    assert history.status_code == 200
    steps = [(h["to_status"], h["actor"]["kind"], h["actor"].get("email")) for h in history.json()]
    assert steps == [
        ("approved", "coordinator", "sam@harbor.example"),
        ("accepted", "volunteer", f"erased-{user.pk}@invalid"),
    ]
    done = sam_client.post(
        f"/api/v1/matches/{world.match.pk}/complete/", {"reason": "finished"}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["volunteer"]["display_name"] == FORMER_VOLUNTEER
    assert history.json()[0]["note"] == (f"{FORMER_VOLUNTEER} ({FORMER_VOLUNTEER}) is a good fit")
    assert world.match.hours_logs.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [({}, PASSWORD_REQUIRED_MESSAGE), ({"password": "not-my-password"}, PASSWORD_WRONG_MESSAGE)],
)
def test_erasure_without_the_right_password_changes_nothing(harbor, sam, body, message):
    """Given a volunteer, when she asks to delete her account without her password or with a
    wrong one, then the answer is 400 with the message on the password and nothing changed."""
    world = build_world(harbor, sam)
    user = world.profile.user
    before = client_for(user).get(EXPORT).json()

    response = client_for(user).delete(ME, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["password"] == [message]
    after = client_for(user).get(EXPORT).json()
    before.pop("exported_at"), after.pop("exported_at")
    assert after == before


def test_a_coordinator_without_a_profile_has_nothing_to_export_or_erase(sam):
    """Given a coordinator with no volunteer profile, when they ask for an export or an erasure,
    then both answer 404 and the account is untouched."""
    client = client_for(sam)
    assert client.get(EXPORT).status_code == 404
    assert client.delete(ME, {"password": PASSWORD}, format="json").status_code == 404
    sam.refresh_from_db()
    assert (sam.is_active, sam.email) == (True, "sam@harbor.example")


def test_withdrawing_consent_deletes_the_lived_experience_at_once(ada, ada_client):
    """Given a volunteer who shares her lived experience, when she withdraws consent, then the
    text is deleted at once, not kept hidden."""
    ada.lived_experience = "Years of panic attacks"
    ada.share_lived_experience = True
    ada.save()

    response = ada_client.patch(ME, {"share_lived_experience": False}, format="json")

    assert response.status_code == 200
    ada.refresh_from_db()
    assert (ada.share_lived_experience, ada.lived_experience) == (False, "")
    assert not VolunteerProfile.objects.filter(
        Q(lived_experience__icontains="panic") | Q(bio__icontains="panic")
    ).exists()


def test_withdrawing_consent_deletes_the_text_even_if_the_same_patch_sends_it_back(ada, ada_client):
    """Given a volunteer who shares her lived experience, when her app sends back the text it
    read along with consent withdrawn, then the text is still deleted."""
    ada.lived_experience = "Years of panic attacks"
    ada.share_lived_experience = True
    ada.save()

    response = ada_client.patch(
        ME,
        {"share_lived_experience": False, "lived_experience": "Years of panic attacks"},
        format="json",
    )

    assert response.status_code == 200
    ada.refresh_from_db()
    assert ada.lived_experience == ""


def test_text_written_before_consent_is_kept_until_she_shares_it(ada, ada_client):
    """Given a volunteer who has not shared her lived experience, when she writes it (without
    sharing yet), then it is kept: only a withdrawal of consent given deletes it."""
    response = ada_client.patch(ME, {"lived_experience": "Years of panic attacks"}, format="json")

    assert response.status_code == 200
    ada.refresh_from_db()
    assert (ada.share_lived_experience, ada.lived_experience) == (False, "Years of panic attacks")


@pytest.mark.usefixtures("eager_tasks")
def test_after_erasure_no_offer_or_suggestion_waits_for_her(
    harbor, sam, django_capture_on_commit_callbacks
):
    """Given a volunteer with a suggestion and an offer waiting, when she erases her account,
    then both are withdrawn by the re-check (nobody offers a role to a former volunteer)."""
    world = build_world(harbor, sam)
    waiting = [
        suggestion(world.profile, OpportunityFactory.create(organization=harbor), status=status)
        for status in (MatchStatus.SUGGESTED, MatchStatus.OFFERED)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.profile.user).delete(ME, {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    for match in waiting:
        match.refresh_from_db()
        assert match.status == MatchStatus.WITHDRAWN


def test_guessing_the_password_to_erase_is_throttled_like_a_sign_in(ada, ada_client):
    """Given the sign-in rate is 2 a minute, when a caller with Ada's token tries three passwords
    to erase her account, then the third answers 429 and her account is untouched."""
    rates = {**ScopedRateThrottle.THROTTLE_RATES, "auth": "2/minute"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ScopedRateThrottle, "THROTTLE_RATES", rates)
        answers = [
            ada_client.delete(ME, {"password": f"guess-{n}"}, format="json").status_code
            for n in range(3)
        ]

    assert answers == [400, 400, 429]
    ada.user.refresh_from_db()
    assert (ada.user.is_active, ada.user.email) == (True, "ada@example.org")


def test_after_erasure_no_invitation_session_or_task_result_names_her(harbor, sam, ada):
    """Given a volunteer with an invitation sent to her address, a signed-in browser and task
    results stored with her profile's and her account's ids, when she deletes her account, then
    the invitation, her session and those task results are gone, while Ada's session and a task
    result whose id only happens to be the same number (a role's) stay."""
    world = build_world(harbor, sam)
    user = world.profile.user
    other_browser = Client()
    other_browser.force_login(ada.user)
    same_number = stored_task_result("matching.opportunity_rematch", world.profile.pk)
    assert Invitation.objects.filter(email=world_values.EMAIL).exists()
    assert sessions_of(user) == [world.session_key]

    response = client_for(user).delete(ME, {"password": PASSWORD}, format="json")

    assert response.status_code == 204
    assert not Invitation.objects.filter(email__iexact=world_values.EMAIL).exists()
    assert sessions_of(user) == []
    assert sessions_of(ada.user) == [other_browser.session.session_key]
    assert not TaskResult.objects.filter(task_id__in=world.task_results).exists()
    assert TaskResult.objects.filter(task_id=same_number).exists()
