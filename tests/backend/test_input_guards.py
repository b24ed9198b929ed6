"""The NUL character is refused at the edge, with the project's one error shape."""

import pytest

from backend.input_guards import NUL_MESSAGE
from taxonomy.models import Cause


@pytest.mark.django_db
def test_ada_sending_a_nul_in_her_profile_gets_a_400_and_nothing_changes(ada, ada_client):
    response = ada_client.patch(
        "/api/v1/volunteers/me/", {"bio": "Safety", "causes": ["\x00"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["message"] == NUL_MESSAGE
    ada.refresh_from_db()
    assert ada.bio == ""
    assert Cause.objects.exists()


@pytest.mark.django_db
def test_a_nul_in_a_filter_is_a_field_error(anonymous):
    response = anonymous.get("/api/v1/opportunities/", {"cause": "mental\x00health"})

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"cause": [NUL_MESSAGE]}


@pytest.mark.django_db
def test_a_form_encoded_body_is_refused_as_unsupported(ada_client):
    response = ada_client.patch(
        "/api/v1/volunteers/me/", "bio=hi", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 415
