"""Finding 5: "completed 2019, expires 2099" and a missing expiry counted forever. A training
counts at most its type's ``valid_for_months`` after completion: a later typed expiry is capped, a
missing one filled in, and a training with a validity period but no completion date cannot be
verified."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import TrainingRecordFactory, training_type
from tests.support.dates import days_from_today
from volunteers.expiry import add_months, effective_expiry
from volunteers.models import TrainingRecord
from volunteers.services.declared_trainings import (
    TRAINING_EXPIRY_CAPPED_NOTICE,
    TRAINING_EXPIRY_FILLED_NOTICE,
)
from volunteers.services.verification import TRAINING_NEEDS_COMPLETION_MESSAGE

pytestmark = pytest.mark.django_db

ME = "/api/v1/volunteers/me/"
SEVEN_YEARS_AGO = days_from_today(-7 * 365)
FAR_FUTURE = days_from_today(73 * 365)  # "expires 2099", written relative to today


def verify_url(profile_id: int, slug: str = "mhfa") -> str:
    return f"/api/v1/volunteers/{profile_id}/trainings/{slug}/verify/"


def stored_expiry(profile_id: int, slug: str = "mhfa") -> dt.date | None:
    return TrainingRecord.objects.get(profile_id=profile_id, training_type__slug=slug).expires_on


def test_a_typed_expiry_decades_ahead_is_capped_at_the_validity_period(ada, ada_client):
    """Given MHFA is valid for 36 months, when Ada declares it completed seven years ago and
    expiring 73 years from now, then it is stored as expiring 36 months after completion (long
    past), and the answer says so."""
    response = ada_client.patch(
        ME,
        {
            "trainings": [
                {
                    "training": "mhfa",
                    "completed_on": SEVEN_YEARS_AGO.isoformat(),
                    "expires_on": FAR_FUTURE.isoformat(),
                }
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    latest = add_months(SEVEN_YEARS_AGO, 36)
    assert stored_expiry(ada.id) == latest
    assert response.json()["trainings"][0]["expires_on"] == latest.isoformat()
    mhfa = training_type("mhfa")
    assert response.json()["notices"] == [
        TRAINING_EXPIRY_CAPPED_NOTICE.format(
            slug="mhfa",
            name=mhfa.name,
            months=36,
            latest=latest.isoformat(),
            typed=FAR_FUTURE.isoformat(),
        )
    ]


def test_a_missing_expiry_is_computed_from_the_validity_period(ada, ada_client):
    completed = days_from_today(-100)

    response = ada_client.patch(
        ME,
        {"trainings": [{"training": "mhfa", "completed_on": completed.isoformat()}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    latest = add_months(completed, 36)
    assert stored_expiry(ada.id) == latest
    assert response.json()["notices"] == [
        TRAINING_EXPIRY_FILLED_NOTICE.format(
            slug="mhfa", name=training_type("mhfa").name, months=36, latest=latest.isoformat()
        )
    ]


def test_an_earlier_typed_expiry_is_kept_and_needs_no_notice(ada, ada_client):
    completed, expires = days_from_today(-100), days_from_today(200)

    response = ada_client.patch(
        ME,
        {
            "trainings": [
                {
                    "training": "mhfa",
                    "completed_on": completed.isoformat(),
                    "expires_on": expires.isoformat(),
                }
            ]
        },
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert stored_expiry(ada.id) == expires
    assert response.json()["notices"] == []


def test_staff_verifying_an_old_row_cap_its_expiry(ada, staff_client):
    """Given an MHFA stored before the rule (completed seven years ago, expiring decades ahead),
    when Pat verifies it, then its expiry is capped and the answer says so."""
    TrainingRecordFactory.create(
        profile=ada,
        completed_on=SEVEN_YEARS_AGO,
        expires_on=FAR_FUTURE,
        verified=False,
        verified_at=None,
    )

    response = staff_client.post(verify_url(ada.id), {}, format="json")

    assert response.status_code == 200, response.json()
    assert stored_expiry(ada.id) == add_months(SEVEN_YEARS_AGO, 36)
    assert len(response.json()["notices"]) == 1


def test_a_training_with_a_validity_period_and_no_completion_date_cannot_be_verified(
    ada, staff_client
):
    record = TrainingRecordFactory.create(
        profile=ada, completed_on=None, verified=False, verified_at=None
    )

    response = staff_client.post(verify_url(ada.id), {}, format="json")

    assert response.status_code == 400
    mhfa = training_type("mhfa")
    assert response.json()["error"]["fields"] == {
        "completed_on": [TRAINING_NEEDS_COMPLETION_MESSAGE.format(name=mhfa.name, months=36)]
    }
    record.refresh_from_db()
    assert record.verified is False


@pytest.mark.parametrize(
    ("completed", "months", "latest"),
    [
        (dt.date(2020, 1, 31), 1, dt.date(2020, 2, 29)),  # leap year: the month's last day
        (dt.date(2021, 1, 31), 1, dt.date(2021, 2, 28)),
        (dt.date(2020, 2, 29), 12, dt.date(2021, 2, 28)),
        (dt.date(2019, 11, 15), 36, dt.date(2022, 11, 15)),
        (dt.date(2019, 12, 1), 1, dt.date(2020, 1, 1)),
    ],
)
def test_months_are_calendar_months(completed, months, latest):
    assert add_months(completed, months) == latest


def test_without_a_validity_period_or_completion_the_typed_expiry_stands():
    typed = dt.date(2020, 5, 1)
    none_period = effective_expiry(valid_for_months=None, completed_on=None, expires_on=typed)
    no_completion = effective_expiry(valid_for_months=36, completed_on=None, expires_on=None)

    assert (none_period.expires_on, no_completion.expires_on) == (typed, None)
