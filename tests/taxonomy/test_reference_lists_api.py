"""Reference lists are public and read-only: anyone building a form can fetch them whole."""

from __future__ import annotations

import pytest

from taxonomy.models import Cause, Language, Skill, TrainingType

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "model", "expected_entry"),
    [
        (
            "/api/v1/skills/",
            Skill,
            {"slug": "active-listening", "name": "Active listening", "description": ""},
        ),
        (
            "/api/v1/causes/",
            Cause,
            {"slug": "suicide-prevention", "name": "Suicide prevention", "description": ""},
        ),
        (
            "/api/v1/trainings/",
            TrainingType,
            {
                "slug": "mhfa",
                "name": "Mental Health First Aid",
                "description": "",
                "valid_for_months": 36,
            },
        ),
        ("/api/v1/languages/", Language, {"code": "es", "name": "Spanish", "synonyms": []}),
    ],
)
def test_an_anonymous_visitor_reads_each_whole_list(anonymous, path, model, expected_entry):
    response = anonymous.get(path)

    assert response.status_code == 200
    body = response.json()
    assert len(body) == model.objects.count()
    assert expected_entry in body


@pytest.mark.parametrize("path", ["/api/v1/skills/", "/api/v1/causes/", "/api/v1/trainings/"])
def test_skills_causes_and_trainings_are_listed_by_name(anonymous, path):
    """(Languages are ranked instead: see test_languages.py.)"""
    names = [entry["name"] for entry in anonymous.get(path).json()]
    assert names == sorted(names)


def test_a_training_without_a_renewal_period_says_so(anonymous):
    body = anonymous.get("/api/v1/trainings/").json()
    peer = next(entry for entry in body if entry["slug"] == "peer-support-training")
    assert peer["valid_for_months"] is None


def test_a_skill_added_by_staff_shows_up(anonymous):
    Skill.objects.create(slug="sign-language", name="Sign language", description="ASL or BSL")

    body = anonymous.get("/api/v1/skills/").json()

    assert {"slug": "sign-language", "name": "Sign language", "description": "ASL or BSL"} in body


@pytest.mark.parametrize("path", ["/api/v1/skills/", "/api/v1/languages/"])
def test_nobody_writes_reference_data_through_the_api(staff_client, path):
    before = Skill.objects.count(), Language.objects.count()

    response = staff_client.post(path, {"slug": "x", "code": "xx", "name": "X"}, format="json")

    assert response.status_code == 405
    assert (Skill.objects.count(), Language.objects.count()) == before
