"""An id beyond the 64-bit key range (SQLite cannot even bind it) is a client error, never a 500."""

import pytest

from backend.filters import MAX_OBJECT_ID

TOO_BIG = MAX_OBJECT_ID + 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/opportunities/?organization={TOO_BIG}",
        f"/api/v1/matches/?opportunity={TOO_BIG}",
    ],
)
def test_sam_filtering_by_an_impossible_id_gets_a_field_error(sam_client, path):
    response = sam_client.get(path)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) in (["organization"], ["opportunity"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/matches/{TOO_BIG}/",
        f"/api/v1/opportunities/{TOO_BIG}/",
        f"/api/v1/organizations/{TOO_BIG}/",
        f"/api/v1/matches/{TOO_BIG}/history/",
        f"/api/v1/volunteers/me/matches/{TOO_BIG}/",
    ],
)
def test_sam_asking_for_an_impossible_id_gets_404(sam_client, path):
    assert sam_client.get(path).status_code == 404


@pytest.mark.django_db
def test_a_bulk_review_with_an_impossible_id_is_refused_whole(sam_client):
    response = sam_client.post(
        "/api/v1/matches/bulk/", {"ids": [TOO_BIG], "action": "approve"}, format="json"
    )

    assert response.status_code == 400
    assert "ids" in response.json()["error"]["fields"]
