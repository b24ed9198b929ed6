"""Ada keeps her own volunteer profile through GET/PATCH /api/v1/volunteers/me/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from backend.fields import NOT_FINITE_MESSAGE
from taxonomy.availability import INVALID_SLOT_MESSAGE
from tests.conftest import client_for
from tests.factories import TrainingRecordFactory, VolunteerProfileFactory, skill, training_type
from tests.support.broker import queued_tasks
from tests.support.dates import days_from_today, iso_days_from_today
from volunteers.api.serializers import (
    UNKNOWN_CAUSE_MESSAGE,
    UNKNOWN_LANGUAGE_MESSAGE,
    UNKNOWN_SKILL_MESSAGE,
)
from volunteers.expiry import add_months
from volunteers.models import (
    COMMITMENTS_RANGE_MESSAGE,
    DATE_OF_BIRTH_FUTURE_MESSAGE,
    DATE_OF_BIRTH_TOO_EARLY_MESSAGE,
    HOURS_RANGE_MESSAGE,
    LATITUDE_RANGE_MESSAGE,
    LONGITUDE_RANGE_MESSAGE,
    TRAVEL_RANGE_MESSAGE,
    TrainingRecord,
    VolunteerProfile,
)
from volunteers.selectors import NO_PROFILE_MESSAGE
from volunteers.services.declared_trainings import (
    TRAINING_COMPLETED_FUTURE_MESSAGE,
    TRAINING_DUPLICATE_MESSAGE,
    TRAINING_EXPIRES_BEFORE_COMPLETED_MESSAGE,
    TRAINING_VERIFY_STAFF_ONLY_MESSAGE,
)
from volunteers.services.profile_update import (
    CHECK_DATES_STAFF_ONLY_MESSAGE,
    CHECK_STATUS_STAFF_ONLY_MESSAGE,
    CLEARED_CHECK_LOCKED_MESSAGE,
    COORDINATES_TOGETHER_MESSAGE,
    LOCATION_REQUIRED_MESSAGE,
)

ME = "/api/v1/volunteers/me/"
NEW_YORK_10001 = (40.7484, -73.9967)  # the zipcodes package's centroid for ZIP 10001

pytestmark = pytest.mark.django_db

# Dates relative to whatever day the suite runs on; the expiries stay within MHFA's 36 months
# after completion, so they are stored as typed (a later one is capped: test_credential_expiry).
MHFA_COMPLETED = days_from_today(-60)
MHFA_EXPIRES = days_from_today(2 * 365)
RENEWED_MHFA_EXPIRES = days_from_today(2 * 365 + 60)
CHECK_EXPIRES = iso_days_from_today(2 * 365)


def stored(profile_id: int) -> dict:
    """Everything the database holds about a profile, re-read from scratch."""
    profile = VolunteerProfile.objects.get(pk=profile_id)
    row = model_to_dict(profile, exclude=["skills", "causes", "languages"])
    row["updated_at"] = profile.updated_at
    row["skills"] = sorted(profile.skills.values_list("slug", flat=True))
    row["causes"] = sorted(profile.causes.values_list("slug", flat=True))
    row["languages"] = sorted(profile.languages.values_list("code", flat=True))
    row["trainings"] = sorted(
        TrainingRecord.objects.filter(profile_id=profile_id).values_list(
            "training_type__slug",
            "completed_on",
            "expires_on",
            "verified",
            "verified_by",
            "verified_at",
        )
    )
    return row


@pytest.fixture
def settled_ada(ada):
    """Ada after she filled in her profile: remote helpline work, MHFA declared, check pending."""
    ada.bio = "I listen."
    ada.modes = ["remote", "phone"]
    ada.availability = ["tue-evening"]
    ada.date_of_birth = dt.date(1990, 5, 17)
    ada.lived_experience = "Recovered from postnatal depression."
    ada.background_check_status = "pending"
    ada.save()
    ada.skills.set([skill("active-listening")])
    TrainingRecordFactory.create(
        profile=ada,
        completed_on=dt.date(2024, 3, 1),
        expires_on=add_months(dt.date(2024, 3, 1), 36),  # MHFA counts for 36 months
        verified=False,
        verified_at=None,
    )
    return ada


# --- Reading and writing every field ------------------------------------------------------------


def test_ada_sees_her_fresh_profile_with_defaults(ada, ada_client):
    response = ada_client.get(ME)

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": ada.id,
        "email": "ada@example.org",
        "email_verified": True,
        "display_name": "Ada",
        "bio": "",
        "skills": [],
        "causes": [],
        "languages": [],
        "postcode": "",
        "latitude": None,
        "longitude": None,
        "max_travel_km": 10.0,
        "modes": [],
        "availability": [],
        "max_hours_per_week": None,
        "max_commitments": 2,
        "date_of_birth": None,
        "date_of_birth_corrections": [],
        "trainings": [],
        "background_check": {
            "status": "none",
            "cleared_on": None,
            "expires_on": None,
            "verified_by": None,
            "verified_at": None,
            "verified_for": None,
        },
        "lived_experience": "",
        "share_lived_experience": False,
        "paused": False,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
    }


def test_ada_fills_in_every_field_and_reads_back_exactly_what_she_wrote(ada, ada_client):
    """Given a new profile, when Ada PATCHes every writable field, then the answer, a fresh GET and
    the database all hold exactly those values."""
    payload = {
        "display_name": "Ada L.",
        "bio": "Retired nurse; I want to help people feel less alone.",
        "skills": ["peer-support", "active-listening"],
        "causes": ["loneliness", "mental-health"],
        "languages": ["es", "en"],
        "postcode": "10001",
        "latitude": 40.75,
        "longitude": -73.99,
        "max_travel_km": 12.5,
        "modes": ["phone", "in_person"],
        "availability": ["wed-evening", "mon-morning"],
        "max_hours_per_week": 6.5,
        "max_commitments": 3,
        "date_of_birth": "1961-02-14",
        "trainings": [
            {
                "training": "mhfa",
                "completed_on": MHFA_COMPLETED.isoformat(),
                "expires_on": MHFA_EXPIRES.isoformat(),
            },
            {"training": "qpr", "completed_on": None},
        ],
        "background_check": {"status": "pending"},
        "lived_experience": "Cared for my brother through psychosis.",
        "share_lived_experience": True,
        "paused": True,
    }

    response = ada_client.patch(ME, payload, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    expected = {
        **payload,
        # Stored as sets: the answer lists them in a stable order whatever order was sent.
        "skills": ["active-listening", "peer-support"],
        "causes": ["loneliness", "mental-health"],
        "languages": ["en", "es"],
        "modes": ["in_person", "phone"],
        "availability": ["mon-morning", "wed-evening"],
        "trainings": [
            {
                "training": "mhfa",
                "completed_on": MHFA_COMPLETED.isoformat(),
                "expires_on": MHFA_EXPIRES.isoformat(),
                "verified": False,
                "verified_by": None,
                "verified_at": None,
                "verified_for": None,
            },
            {
                "training": "qpr",
                "completed_on": None,
                "expires_on": None,
                "verified": False,
                "verified_by": None,
                "verified_at": None,
                "verified_for": None,
            },
        ],
        "background_check": {
            "status": "pending",
            "cleared_on": None,
            "expires_on": None,
            "verified_by": None,
            "verified_at": None,
            "verified_for": None,
        },
        "notices": [],
    }
    for field, value in expected.items():
        assert body[field] == value, field
    assert body["id"] == ada.id
    assert body["email"] == "ada@example.org"
    assert ada_client.get(ME).json() == {k: v for k, v in body.items() if k != "notices"}

    row = stored(ada.id)
    assert row["display_name"] == "Ada L."
    assert row["max_hours_per_week"] == pytest.approx(6.5)
    assert row["date_of_birth"] == dt.date(1961, 2, 14)
    assert row["skills"] == ["active-listening", "peer-support"]
    assert row["languages"] == ["en", "es"]
    assert row["trainings"] == [
        ("mhfa", MHFA_COMPLETED, MHFA_EXPIRES, False, None, None),
        ("qpr", None, None, False, None, None),
    ]
    assert row["background_check_status"] == "pending"


def test_a_patch_changes_only_the_fields_it_names(settled_ada, ada_client):
    before = stored(settled_ada.id)

    response = ada_client.patch(ME, {"bio": "I listen, and I am patient."}, format="json")

    assert response.status_code == 200
    after = stored(settled_ada.id)
    assert after.pop("bio") == "I listen, and I am patient."
    before.pop("bio")
    after.pop("updated_at"), before.pop("updated_at")
    assert after == before


def test_sending_back_what_she_read_changes_nothing_not_even_verifications(
    settled_ada, ada_client, staff_client
):
    """Given staff cleared Ada's check and verified her MHFA, when her app PATCHes back the whole
    profile it just read, then both verifications survive."""
    staff_client.post(
        f"/api/v1/volunteers/{settled_ada.id}/background-check/",
        {"status": "cleared", "cleared_on": "2025-01-10", "expires_on": CHECK_EXPIRES},
        format="json",
    )
    staff_client.post(f"/api/v1/volunteers/{settled_ada.id}/trainings/mhfa/verify/")
    read = ada_client.get(ME).json()
    before = stored(settled_ada.id)

    response = ada_client.patch(ME, read, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["trainings"][0]["verified"] is True
    assert response.json()["background_check"]["status"] == "cleared"
    after = stored(settled_ada.id)
    after.pop("updated_at"), before.pop("updated_at")
    assert after == before


def test_a_coordinator_without_a_volunteer_profile_gets_404(sam_client):
    """Sam only coordinates; there is no volunteer profile to show or edit."""
    for response in (sam_client.get(ME), sam_client.patch(ME, {"bio": "x"}, format="json")):
        assert response.status_code == 404
        assert response.json()["error"] == {
            "code": "not_found",
            "message": NO_PROFILE_MESSAGE,
            "fields": {},
        }
    assert not VolunteerProfile.objects.exists()


def test_put_is_not_offered(ada_client):
    assert ada_client.put(ME, {"display_name": "Ada"}, format="json").status_code == 405


# --- Where Ada is ------------------------------------------------------------------------------


def test_a_us_zip_code_alone_places_ada(ada, ada_client):
    response = ada_client.patch(ME, {"postcode": " 10001 ", "modes": ["in_person"]}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["postcode"] == "10001"
    assert (body["latitude"], body["longitude"]) == NEW_YORK_10001
    assert (stored(ada.id)["latitude"], stored(ada.id)["longitude"]) == NEW_YORK_10001


def test_explicit_coordinates_win_over_the_zip_centroid(ada, ada_client):
    response = ada_client.patch(
        ME, {"postcode": "10001", "latitude": 40.7, "longitude": -74.0}, format="json"
    )

    assert (response.json()["latitude"], response.json()["longitude"]) == (40.7, -74.0)


def test_moving_to_a_new_zip_replaces_the_old_coordinates(ada, ada_client):
    ada_client.patch(ME, {"postcode": "10001"}, format="json")

    response = ada_client.patch(ME, {"postcode": "11201"}, format="json")

    body = response.json()
    assert body["postcode"] == "11201"
    assert body["latitude"] != NEW_YORK_10001[0]
    assert body["latitude"] == pytest.approx(40.69, abs=0.05)


def test_a_postcode_we_cannot_locate_is_fine_for_remote_roles(ada, ada_client):
    """Ada moved abroad and only wants phone and remote work: no coordinates, no problem."""
    ada_client.patch(ME, {"postcode": "10001"}, format="json")

    response = ada_client.patch(
        ME, {"postcode": "SW1A 1AA", "modes": ["remote", "phone"]}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["postcode"], body["latitude"], body["longitude"]) == ("SW1A 1AA", None, None)


@pytest.mark.parametrize("mode", ["in_person", "hybrid"])
def test_in_person_work_needs_a_place(ada, ada_client, mode):
    before = stored(ada.id)

    response = ada_client.patch(ME, {"postcode": "99999", "modes": [mode]}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"postcode": [LOCATION_REQUIRED_MESSAGE]}
    assert stored(ada.id) == before


def test_in_person_with_coordinates_and_no_postcode_is_fine(ada, ada_client):
    response = ada_client.patch(
        ME, {"modes": ["hybrid"], "latitude": 40.7, "longitude": -74.0}, format="json"
    )
    assert response.status_code == 200


# --- What Ada may and may not declare ----------------------------------------------------------


def test_ada_declares_her_check_pending(ada, ada_client):
    response = ada_client.patch(ME, {"background_check": {"status": "pending"}}, format="json")

    assert response.status_code == 200
    assert stored(ada.id)["background_check_status"] == "pending"


@pytest.mark.parametrize(
    ("declared", "message"),
    [
        ({"status": "cleared", "cleared_on": "2025-01-01"}, CHECK_STATUS_STAFF_ONLY_MESSAGE),
        ({"status": "cleared"}, CHECK_STATUS_STAFF_ONLY_MESSAGE),
        ({"status": "expired"}, CHECK_STATUS_STAFF_ONLY_MESSAGE),
        ({"status": "pending", "cleared_on": "2025-01-01"}, CHECK_DATES_STAFF_ONLY_MESSAGE),
    ],
)
def test_ada_cannot_mark_her_own_check_cleared(settled_ada, ada_client, declared, message):
    before = stored(settled_ada.id)

    response = ada_client.patch(ME, {"background_check": declared}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"background_check": [message]}
    assert stored(settled_ada.id) == before


@pytest.mark.parametrize(
    "declared",
    [{"status": "none"}, {"status": "pending"}, {"expires_on": iso_days_from_today(4 * 365)}],
)
def test_once_cleared_only_staff_change_the_check(settled_ada, ada_client, staff_client, declared):
    staff_client.post(
        f"/api/v1/volunteers/{settled_ada.id}/background-check/",
        {"status": "cleared", "cleared_on": "2025-01-10"},
        format="json",
    )
    before = stored(settled_ada.id)

    response = ada_client.patch(ME, {"background_check": declared}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "background_check": [CLEARED_CHECK_LOCKED_MESSAGE]
    }
    assert stored(settled_ada.id) == before


def test_renewing_an_expired_check_is_a_fresh_unverified_declaration(
    settled_ada, ada_client, staff_client
):
    staff_client.post(
        f"/api/v1/volunteers/{settled_ada.id}/background-check/",
        {"status": "expired", "cleared_on": "2020-01-10", "expires_on": "2023-01-10"},
        format="json",
    )

    response = ada_client.patch(ME, {"background_check": {"status": "pending"}}, format="json")

    assert response.status_code == 200
    assert response.json()["background_check"] == {
        "status": "pending",
        "cleared_on": None,
        "expires_on": None,
        "verified_by": None,
        "verified_at": None,
        "verified_for": None,
    }


def test_ada_cannot_mark_a_training_verified(settled_ada, ada_client):
    before = stored(settled_ada.id)

    response = ada_client.patch(
        ME,
        {"trainings": [{"training": "mhfa", "completed_on": "2024-03-01", "verified": True}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "trainings": [TRAINING_VERIFY_STAFF_ONLY_MESSAGE.format(slug="mhfa")]
    }
    assert stored(settled_ada.id) == before


def test_changing_a_verified_training_loses_its_verification_and_untouched_ones_keep_it(
    settled_ada, ada_client, staff
):
    """Given staff verified Ada's MHFA and safeguarding, when she renews MHFA with new dates, then MHFA
    is unverified, safeguarding stays verified, and QPR (dropped from her list) is gone."""
    verified_at = timezone.now() - dt.timedelta(days=3)
    TrainingRecord.objects.filter(profile=settled_ada).update(
        verified=True, verified_by=staff, verified_at=verified_at
    )
    TrainingRecordFactory.create(
        profile=settled_ada,
        training_type=training_type("safeguarding"),
        completed_on=dt.date(2024, 6, 1),
        verified=True,
        verified_by=staff,
        verified_at=verified_at,
    )
    TrainingRecordFactory.create(profile=settled_ada, training_type=training_type("qpr"))

    response = ada_client.patch(
        ME,
        {
            "trainings": [
                {
                    "training": "mhfa",
                    "completed_on": MHFA_COMPLETED.isoformat(),
                    "expires_on": RENEWED_MHFA_EXPIRES.isoformat(),
                },
                {"training": "safeguarding", "completed_on": "2024-06-01"},
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert stored(settled_ada.id)["trainings"] == [
        ("mhfa", MHFA_COMPLETED, RENEWED_MHFA_EXPIRES, False, None, None),
        # Stored before expiries were computed: sent back unchanged, it keeps its verification
        # and now counts for the type's validity period only.
        (
            "safeguarding",
            dt.date(2024, 6, 1),
            add_months(dt.date(2024, 6, 1), training_type("safeguarding").valid_for_months or 0),
            True,
            staff.id,
            verified_at,
        ),
    ]


def test_an_empty_training_list_clears_her_declarations(settled_ada, ada_client):
    response = ada_client.patch(ME, {"trainings": []}, format="json")

    assert response.status_code == 200
    assert response.json()["trainings"] == []
    assert not TrainingRecord.objects.filter(profile=settled_ada).exists()


# --- Bad input: 400 naming the field, nothing written ------------------------------------------

TOMORROW = iso_days_from_today(2)  # two days: a margin for a run that crosses midnight

BAD_INPUT = [
    # (payload, field, exact message or None when DRF's own wording is enough)
    (
        {"skills": ["active-listening", "juggling"]},
        "skills",
        UNKNOWN_SKILL_MESSAGE.format(value="juggling"),
    ),
    ({"causes": ["space-travel"]}, "causes", UNKNOWN_CAUSE_MESSAGE.format(value="space-travel")),
    ({"languages": ["xx"]}, "languages", UNKNOWN_LANGUAGE_MESSAGE.format(value="xx")),
    ({"languages": ["Spanish"]}, "languages", UNKNOWN_LANGUAGE_MESSAGE.format(value="Spanish")),
    (
        {"availability": ["mon-morning", "someday"]},
        "availability",
        INVALID_SLOT_MESSAGE.format(slot="someday"),
    ),
    (
        {"availability": ["monday-morning"]},
        "availability",
        INVALID_SLOT_MESSAGE.format(slot="monday-morning"),
    ),
    ({"modes": ["teleport"]}, "modes", None),
    ({"latitude": 91, "longitude": 0}, "latitude", LATITUDE_RANGE_MESSAGE),
    ({"latitude": 0, "longitude": -180.5}, "longitude", LONGITUDE_RANGE_MESSAGE),
    ({"latitude": 40.7}, "longitude", COORDINATES_TOGETHER_MESSAGE),
    ({"longitude": -74.0}, "latitude", COORDINATES_TOGETHER_MESSAGE),
    ({"latitude": 40.7, "longitude": None}, "longitude", COORDINATES_TOGETHER_MESSAGE),
    ({"latitude": "NaN", "longitude": 0}, "latitude", NOT_FINITE_MESSAGE),
    ({"latitude": True, "longitude": 0}, "latitude", "A valid number is required."),
    ({"max_travel_km": -1}, "max_travel_km", TRAVEL_RANGE_MESSAGE),
    ({"max_travel_km": 500.5}, "max_travel_km", TRAVEL_RANGE_MESSAGE),
    ({"max_travel_km": "Infinity"}, "max_travel_km", NOT_FINITE_MESSAGE),
    ({"max_commitments": 0}, "max_commitments", COMMITMENTS_RANGE_MESSAGE),
    ({"max_commitments": 21}, "max_commitments", COMMITMENTS_RANGE_MESSAGE),
    ({"max_commitments": "many"}, "max_commitments", None),
    ({"max_hours_per_week": 0}, "max_hours_per_week", HOURS_RANGE_MESSAGE),
    ({"max_hours_per_week": 80.5}, "max_hours_per_week", HOURS_RANGE_MESSAGE),
    ({"max_hours_per_week": -2}, "max_hours_per_week", HOURS_RANGE_MESSAGE),
    ({"max_hours_per_week": 12.25}, "max_hours_per_week", None),
    ({"date_of_birth": TOMORROW}, "date_of_birth", DATE_OF_BIRTH_FUTURE_MESSAGE),
    ({"date_of_birth": "1899-12-31"}, "date_of_birth", DATE_OF_BIRTH_TOO_EARLY_MESSAGE),
    ({"date_of_birth": "last spring"}, "date_of_birth", None),
    ({"bio": "b" * 4001}, "bio", "Ensure this field has no more than 4000 characters."),
    (
        {"lived_experience": "l" * 2001},
        "lived_experience",
        "Ensure this field has no more than 2000 characters.",
    ),
    (
        {"display_name": "d" * 121},
        "display_name",
        "Ensure this field has no more than 120 characters.",
    ),
    ({"display_name": ""}, "display_name", "This field may not be blank."),
    ({"display_name": None}, "display_name", "This field may not be null."),
    ({"postcode": "1" * 13}, "postcode", None),
    ({"skills": "active-listening"}, "skills", None),
    ({"skills": [{"slug": "active-listening"}]}, "skills", None),
    ({"modes": "remote"}, "modes", None),
    ({"paused": "perhaps"}, "paused", None),
    ({"share_lived_experience": []}, "share_lived_experience", None),
    ({"background_check": "cleared"}, "background_check", None),
    ({"background_check": {"status": "approved"}}, "background_check", None),
    ({"trainings": {"training": "mhfa"}}, "trainings", None),
    ({"trainings": [{"training": "juggling-level-2"}]}, "trainings", None),
    (
        {"trainings": [{"training": "mhfa", "completed_on": TOMORROW}]},
        "trainings",
        TRAINING_COMPLETED_FUTURE_MESSAGE.format(slug="mhfa"),
    ),
    (
        {
            "trainings": [
                {"training": "mhfa", "completed_on": "2024-03-01", "expires_on": "2024-02-01"}
            ]
        },
        "trainings",
        TRAINING_EXPIRES_BEFORE_COMPLETED_MESSAGE.format(slug="mhfa"),
    ),
    (
        {"trainings": [{"training": "qpr"}, {"training": "qpr"}]},
        "trainings",
        TRAINING_DUPLICATE_MESSAGE.format(slug="qpr"),
    ),
]


@pytest.mark.parametrize(
    ("payload", "field", "message"),
    BAD_INPUT,
    ids=[f"{i}-{case[1]}" for i, case in enumerate(BAD_INPUT)],
)
def test_bad_input_is_refused_and_nothing_is_written(
    settled_ada, ada_client, django_capture_on_commit_callbacks, payload, field, message
):
    before = stored(settled_ada.id)

    with django_capture_on_commit_callbacks() as callbacks:
        response = ada_client.patch(
            ME, {"bio": "This must not be saved.", **payload}, format="json"
        )

    assert response.status_code == 400, response.json()
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    if message is not None:
        assert message in error["fields"][field]
    assert stored(settled_ada.id) == before
    assert callbacks == []


def test_every_problem_found_by_the_rules_is_reported_at_once(settled_ada, ada_client):
    response = ada_client.patch(
        ME,
        {
            "max_commitments": 40,
            "latitude": 40.7,
            "background_check": {"status": "cleared"},
            "trainings": [{"training": "mhfa", "verified": True}],
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "max_commitments": [COMMITMENTS_RANGE_MESSAGE],
        "longitude": [COORDINATES_TOGETHER_MESSAGE],
        "background_check": [CHECK_STATUS_STAFF_ONLY_MESSAGE],
        "trainings": [TRAINING_VERIFY_STAFF_ONLY_MESSAGE.format(slug="mhfa")],
    }


def test_malformed_json_is_a_400(settled_ada, ada_client):
    before = stored(settled_ada.id)

    response = ada_client.patch(ME, data='{"bio": "half', content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert stored(settled_ada.id) == before


def test_a_json_list_instead_of_an_object_is_a_400(settled_ada, ada_client):
    response = ada_client.patch(ME, ["bio", "x"], format="json")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()["error"]["fields"]


def test_form_encoded_bodies_are_not_accepted(settled_ada, ada_client):
    response = ada_client.patch(ME, data="bio=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415


# --- Matching is told after the change is committed --------------------------------------------


VOLUNTEER_REMATCH = "matching.volunteer_rematch"
VOLUNTEER_RECHECK = "lifecycle.volunteer_recheck"


def test_a_change_queues_a_rematch_of_her_profile_after_commit(
    staff, settled_ada, ada_client, django_capture_on_commit_callbacks
):
    """Given Ada (whose profile id is not her user id), when she adds a language, then nothing is
    queued until the change is committed, and then two tasks, each with her profile's id: its
    rematch and the re-check of its open matches. With no worker running, queuing still succeeds on either broker."""
    assert settled_ada.id != settled_ada.user_id  # Pat's account came first, so a wrong id shows
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = ada_client.patch(ME, {"languages": ["es"]}, format="json")

    assert response.status_code == 200
    assert queued_tasks() == []  # nothing before the commit
    for callback in callbacks:
        callback()  # the commit; must not raise
    assert sorted(queued_tasks()) == [  # the two subscribers queue in no fixed order
        (VOLUNTEER_RECHECK, [settled_ada.id]),
        (VOLUNTEER_REMATCH, [settled_ada.id]),
    ]


@pytest.mark.parametrize(
    ("story", "trainings"),
    [
        (
            "she adds QPR next to her MHFA",
            [
                {"training": "mhfa", "completed_on": "2024-03-01"},
                {"training": "qpr", "completed_on": "2025-09-15"},
            ],
        ),
        (
            "she corrects her MHFA's expiry to an earlier date",
            [
                {
                    "training": "mhfa",
                    "completed_on": "2024-03-01",
                    "expires_on": days_from_today(30),
                }
            ],
        ),
        ("she removes her MHFA", []),
    ],
    ids=["added", "expiry-changed", "removed"],
)
def test_a_training_edit_alone_queues_her_rematch(
    settled_ada, ada_client, django_capture_on_commit_callbacks, story, trainings
):
    """Given Ada's MHFA (completed 2024-03-01, counted for its 36 months), when only her trainings
    change, then her rematch and the re-check of her open matches are queued: roles that require a
    training depend on them."""
    payload = [
        {**item, "expires_on": item["expires_on"].isoformat()} if "expires_on" in item else item
        for item in trainings
    ]
    with django_capture_on_commit_callbacks(execute=True):
        response = ada_client.patch(ME, {"trainings": payload}, format="json")

    assert response.status_code == 200, response.json()
    assert [t["training"] for t in response.json()["trainings"]] == [
        t["training"] for t in trainings
    ], story
    assert sorted(queued_tasks()) == [  # the two subscribers queue in no fixed order
        (VOLUNTEER_RECHECK, [settled_ada.id]),
        (VOLUNTEER_REMATCH, [settled_ada.id]),
    ], story


def test_renaming_herself_does_not_rerun_matching(
    settled_ada, ada_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ada_client.patch(ME, {"display_name": "Ada Lovelace"}, format="json")

    assert response.status_code == 200
    assert queued_tasks() == []


def test_a_patch_that_changes_nothing_does_not_rerun_matching(
    settled_ada, ada_client, django_capture_on_commit_callbacks
):
    read = ada_client.get(ME).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = ada_client.patch(ME, read, format="json")

    assert response.status_code == 200
    assert queued_tasks() == []


def test_a_volunteer_who_has_not_verified_her_address_reads_that_on_her_profile():
    """Given Cleo signed up and has not followed the emailed link, when she reads her profile,
    then it says her address is not verified (she is not matched until it is)."""
    cleo = VolunteerProfileFactory.create(
        user__email="cleo@example.org", user__email_verified_at=None
    )

    assert client_for(cleo.user).get(ME).json()["email_verified"] is False
