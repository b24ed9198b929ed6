"""Who reaches what: role x resource x action -> exact status, and private fields never leak.

Ada's private details (date of birth, background check, lived experience) may reach Ada herself,
and the background check may reach Pat, who records it. Nothing private reaches Bo, Sam or an
anonymous caller, whatever they ask for.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.conftest import client_for
from tests.factories import TrainingRecordFactory
from volunteers.models import TrainingRecord, VolunteerProfile

pytestmark = pytest.mark.django_db

PRIVATE_KEYS = {"date_of_birth", "background_check", "lived_experience"}
ADA_BIRTHDAY = "1961-02-14"
ADA_STORY = "Cared for my brother through psychosis."

ME_GET = ("GET", "/api/v1/volunteers/me/", None)
ME_PATCH = ("PATCH", "/api/v1/volunteers/me/", {"bio": "Edited."})
CHECK_POST = (
    "POST",
    "/api/v1/volunteers/{ada}/background-check/",
    {"status": "cleared", "cleared_on": "2025-01-10"},
)
VERIFY_POST = ("POST", "/api/v1/volunteers/{ada}/trainings/mhfa/verify/", None)
LISTS = [
    ("GET", path, None)
    for path in ("/api/v1/skills/", "/api/v1/causes/", "/api/v1/trainings/", "/api/v1/languages/")
]

ROLES = ("anonymous", "ada", "bo", "sam", "pat")
#: Expected status per role, in the order of ROLES.
TABLE = [
    # Anonymous callers must sign in; everyone with an account sees only their *own* profile on
    # /me/ (Bo gets Bo's), and accounts without a volunteer profile get 404.
    (ME_GET, (401, 200, 200, 404, 404)),
    (ME_PATCH, (401, 200, 200, 404, 404)),
    # Verification is staff work; to anyone else Ada's profile does not exist on these routes.
    (CHECK_POST, (401, 404, 404, 404, 200)),
    (VERIFY_POST, (401, 404, 404, 404, 200)),
    *[(list_call, (200, 200, 200, 200, 200)) for list_call in LISTS],
]
CASES = [(role, call, statuses[i]) for call, statuses in TABLE for i, role in enumerate(ROLES)]


@pytest.fixture
def people(ada, bo, sam, staff):
    ada.date_of_birth = dt.date.fromisoformat(ADA_BIRTHDAY)
    ada.lived_experience = ADA_STORY
    ada.share_lived_experience = True
    ada.background_check_status = "pending"
    ada.save()
    TrainingRecordFactory.create(profile=ada)
    return {"anonymous": None, "ada": ada.user, "bo": bo.user, "sam": sam, "pat": staff}


def _call(client, method: str, path: str, payload):
    return (
        getattr(client, method.lower())(path, payload, format="json")
        if payload
        else getattr(client, method.lower())(path)
    )


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


@pytest.mark.parametrize(
    ("role", "call", "expected"),
    CASES,
    ids=[f"{role}-{call[0]}-{call[1]}" for role, call, _ in CASES],
)
def test_access_table(people, ada, role, call, expected):
    method, template, payload = call
    client = client_for(people[role])

    response = _call(client, method, template.format(ada=ada.id), payload)

    assert response.status_code == expected, response.content
    raw = response.content.decode()
    if role != "ada":
        # Nobody but Ada ever reads her birthday or her story, not even staff.
        assert ADA_BIRTHDAY not in raw
        assert ADA_STORY not in raw
    if role in ("anonymous", "sam") or (role == "bo" and "/me/" not in template):
        assert not PRIVATE_KEYS & _keys(json.loads(raw) if raw else {})
    if role == "pat":
        assert not {"date_of_birth", "lived_experience"} & _keys(json.loads(raw))


@pytest.mark.parametrize("role", ["bo", "sam"])
def test_what_others_attempt_changes_nothing_of_adas(people, ada, role):
    before = (
        VolunteerProfile.objects.filter(pk=ada.pk).values().get(),
        list(TrainingRecord.objects.filter(profile=ada).values()),
    )
    client = client_for(people[role])

    for method, template, payload in (ME_PATCH, CHECK_POST, VERIFY_POST):
        _call(client, method, template.format(ada=ada.id), payload)

    after = (
        VolunteerProfile.objects.filter(pk=ada.pk).values().get(),
        list(TrainingRecord.objects.filter(profile=ada).values()),
    )
    assert after == before


def test_bo_reading_me_gets_his_own_profile_never_adas(people, ada, bo):
    body = client_for(bo.user).get("/api/v1/volunteers/me/").json()

    assert body["id"] == bo.id
    assert body["email"] == "bo@example.org"
    assert ADA_STORY not in json.dumps(body)
