"""The owner's profile answer reads the skill, cause and language keys in one query
(``volunteer_profile_shown_to_owner``): it must be exactly DRF's answer from the prefetched
relations, field for field, after a read and after an edit."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from tests.factories import TrainingRecordFactory, cause, language, skill
from volunteers.api.serializers import VolunteerProfileSerializer
from volunteers.selectors import volunteer_profile_of

pytestmark = pytest.mark.django_db

ME = "/api/v1/volunteers/me/"


def _drf(profile) -> dict:
    serializer = VolunteerProfileSerializer()
    return dict(serializers.Serializer.to_representation(serializer, profile))


def test_the_answer_is_drfs_field_for_field(ada, ada_client):
    ada.skills.set([skill("tutoring"), skill("active-listening"), skill("peer-support")])
    ada.causes.set([cause("suicide-prevention"), cause("loneliness")])
    ada.languages.set([language("zh"), language("es"), language("en")])
    TrainingRecordFactory.create(profile=ada)
    expected = _drf(volunteer_profile_of(user=ada.user))
    read = ada_client.get(ME).json()
    assert list(read) == list(expected)
    assert read == expected
    assert len(read["skills"]) == len(read["languages"]) == 3
    assert read["trainings"]
    edited = ada_client.patch(ME, {"bio": "I listen."}).json()
    expected = _drf(volunteer_profile_of(user=ada.user))
    assert {k: v for k, v in edited.items() if k != "notices"} == expected
