"""Inputs the API fuzz test (tests/api/) once turned into server errors; each is now a clear 400."""

import pytest

from tests.support.dates import iso_days_from_today
from volunteers.api.serializers import TRAINING_REQUIRED_MESSAGE
from volunteers.models import TrainingRecord


@pytest.mark.django_db
def test_ada_declaring_a_training_without_naming_it_gets_a_field_error(ada, ada_client):
    response = ada_client.patch(
        "/api/v1/volunteers/me/",
        {"trainings": [{"completed_on": "2025-01-01", "expires_on": iso_days_from_today(365)}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "trainings": [{"training": [TRAINING_REQUIRED_MESSAGE]}]
    }
    assert not TrainingRecord.objects.filter(profile=ada).exists()


@pytest.mark.django_db
def test_ada_typing_a_non_us_postcode_keeps_it_without_coordinates(ada, ada_client):
    response = ada_client.patch(
        "/api/v1/volunteers/me/", {"postcode": "\U000fa2ba1000", "modes": ["remote"]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["latitude"] is None
