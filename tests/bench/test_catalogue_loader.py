"""The real-path benchmark's loader puts bench/_synthetic.py's catalogue into the database so that
the records the product builds from it are the catalogue's own: same skills, causes, languages,
modes, places and credentials, dates moved with the calendar."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bench._catalogue_db import catalogue_load
from bench._synthetic import CAUSES, SKILLS, TRAININGS, make_catalogue
from matching import records
from opportunities.models import Opportunity
from taxonomy.models import Cause, Skill, TrainingType
from volunteers.models import VolunteerProfile

pytestmark = pytest.mark.django_db


def _as_stored(model, labels):
    """The catalogue's slugs as the database spells them (a seeded item of the same name keeps
    its own slug: the catalogue's "coaching" is the reference data's "sports-coaching")."""
    slug_by_name = {name.lower(): slug for slug, name in model.objects.values_list("slug", "name")}

    def stored(slugs):
        return frozenset(slug_by_name.get(labels[slug].lower(), slug) for slug in slugs)

    return stored


def test_the_loaded_catalogue_reads_back_as_the_catalogue():
    loaded = catalogue_load(40, 12, seed=3)
    catalogue = make_catalogue(40, 12, seed=3)
    shift = timezone.localdate() - catalogue.today
    skills, causes = _as_stored(Skill, SKILLS), _as_stored(Cause, CAUSES)
    trainings = _as_stored(TrainingType, TRAININGS)

    assert (loaded["volunteers"], loaded["roles"]) == (40, 12)
    people = records.volunteer_records(
        VolunteerProfile.objects.order_by("id"), today=catalogue.today
    )
    for built, made in zip(people, catalogue.volunteers, strict=True):
        assert (built.skills, built.causes, built.languages) == (
            skills(made.skills),
            causes(made.causes),
            made.languages,
        )
        assert (built.modes, built.availability, built.latitude) == (
            made.modes,
            made.availability,
            made.latitude,
        )
        assert set(built.trainings) == trainings(made.trainings)
        assert built.date_of_birth == (made.date_of_birth and made.date_of_birth + shift)
        assert built.background_check_verified == (made.background_check_status == "cleared")
    roles = records.opportunity_records(Opportunity.objects.order_by("id"), today=catalogue.today)
    for role, posted in zip(roles, catalogue.opportunities, strict=True):
        assert (role.required_skills, role.causes, role.mode, role.status) == (
            skills(posted.required_skills),
            causes(posted.causes),
            posted.mode,
            posted.status,
        )
        assert role.starts_on == (posted.starts_on and posted.starts_on + shift)
        assert role.title == posted.title
