import pytest


@pytest.mark.django_db
def test_the_api_root_points_a_newcomer_to_the_docs_and_collections(anonymous):
    response = anonymous.get("/api/v1/")

    assert response.status_code == 200
    links = response.json()["links"]
    assert links["docs"] == "http://testserver/api/v1/docs/"
    assert links["opportunities"] == "http://testserver/api/v1/opportunities/"
    for url in links.values():
        path = url.removeprefix("http://testserver")
        # every link resolves to a real route (some need a sign-in, none is missing)
        assert anonymous.get(path).status_code in (200, 401, 405), path
