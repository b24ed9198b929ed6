import pytest


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_v1_api(anonymous):
    response = anonymous.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in (
        "/api/v1/volunteers/me/",
        "/api/v1/opportunities/",
        "/api/v1/matches/{id}/approve/",
    ):
        assert path in schema["paths"], path


@pytest.mark.django_db
def test_swagger_ui_is_served_offline_from_our_own_static_files(anonymous):
    response = anonymous.get("/api/v1/docs/")

    assert response.status_code == 200
    page = response.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist" in page
    assert "cdn." not in page
    assert "unpkg" not in page
