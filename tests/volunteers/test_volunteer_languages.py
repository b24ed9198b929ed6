"""A volunteer can say she speaks any ISO 639-1 language, not only the thirty once typed in by hand;
a code that is not ISO 639-1 is still refused, naming the field."""

from __future__ import annotations

import pytest

from tests.conftest import client_for
from tests.factories import VolunteerProfileFactory
from volunteers.api.serializers import UNKNOWN_LANGUAGE_MESSAGE
from volunteers.models import VolunteerProfile

ME = "/api/v1/volunteers/me/"

pytestmark = pytest.mark.django_db


@pytest.fixture
def awa() -> VolunteerProfile:
    """Awa, a volunteer from Dakar who speaks Wolof and French."""
    return VolunteerProfileFactory.create(user__email="awa@example.org", display_name="Awa")


def spoken(profile: VolunteerProfile) -> list[str]:
    return sorted(profile.languages.values_list("code", flat=True))


def test_awa_saves_her_profile_with_wolof_and_french(awa):
    """Given Awa who speaks Wolof, when she saves her profile with languages wo and fr, then the
    answer is 200 and lists both, and the database holds both."""
    client = client_for(awa.user)

    response = client.patch(ME, {"languages": ["wo", "fr"], "bio": "Dakar."}, format="json")

    assert response.status_code == 200, response.json()
    assert sorted(response.json()["languages"]) == ["fr", "wo"]
    assert client.get(ME).json()["languages"] == response.json()["languages"]
    assert spoken(awa) == ["fr", "wo"]


@pytest.mark.parametrize(
    ("who", "codes"),
    [
        ("Hetal, who speaks Gujarati and English", ["gu", "en"]),
        ("Anu, who speaks Malayalam", ["ml"]),
        ("Awa, who also speaks Wolof", ["wo"]),
    ],
)
def test_a_volunteer_speaking_a_language_nobody_typed_in_saves_it(ada, ada_client, who, codes):
    response = ada_client.patch(ME, {"languages": codes}, format="json")

    assert response.status_code == 200, (who, response.json())
    assert spoken(ada) == sorted(codes)


@pytest.mark.parametrize(
    ("codes", "unknown"),
    [(["xx"], "xx"), (["wo", "xx"], "xx"), (["Wolof"], "Wolof"), (["wol"], "wol")],
)
def test_a_code_that_is_not_iso_639_1_is_refused_on_languages_and_nothing_is_saved(
    awa, codes, unknown
):
    """Given Awa, when she sends a code that is not ISO 639-1 (alongside Wolof or alone), then
    the answer is 400 naming ``languages`` and the code, and her profile is unchanged."""
    client = client_for(awa.user)

    response = client.patch(ME, {"languages": codes, "bio": "Dakar."}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "languages": [UNKNOWN_LANGUAGE_MESSAGE.format(value=unknown)]
    }
    awa.refresh_from_db()
    assert spoken(awa) == []
    assert awa.bio == ""
