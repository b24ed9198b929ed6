"""The role list writes each role itself (``_fields_of``) and reads the reference lists as plain
values (``opportunity_reference_keys``) for speed: the answer must be exactly DRF's own
``ModelSerializer`` answer from prefetched relations, field for field and in the same order,
and a page costs the same queries however many roles it shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers

from opportunities.api.serializers import OpportunitySerializer
from opportunities.models import Opportunity
from opportunities.selectors import REFERENCE_LISTS, opportunity_reference_keys
from tests.factories import OpportunityFactory, cause, language, skill, training_type

pytestmark = pytest.mark.django_db

URL = "/api/v1/opportunities/"


def _roles(harbor) -> list[Opportunity]:
    today = timezone.localdate()
    full = OpportunityFactory.create(
        organization=harbor,
        mode="in_person",
        address="12 Harbor Street",
        postcode="10001",
        latitude=40.7359,
        longitude=-73.9911,
        hide_address=True,
        availability=["mon-morning", "sat-afternoon"],
        audience=["youth"],
        hours_per_week=Decimal("2.5"),
        starts_on=today + dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=100),
        capacity=3,
        min_age=18,
        background_check_required=True,
        published_at=timezone.now(),
    )
    full.causes.set([cause("suicide-prevention"), cause("loneliness"), cause("mental-health")])
    full.required_skills.set([skill("tutoring"), skill("active-listening")])
    full.preferred_skills.set([skill("peer-support")])
    full.languages.set([language("es"), language("en"), language("zh")])
    full.required_trainings.set([training_type("qpr"), training_type("mhfa")])
    bare = OpportunityFactory.create(organization=harbor, status="draft", hours_per_week=None)
    return [full, bare]


def _drf(role: Opportunity, context: dict) -> dict:
    fresh = Opportunity.objects.select_related("organization").prefetch_related(*REFERENCE_LISTS)
    serializer = OpportunitySerializer(context=context)
    return serializers.ModelSerializer.to_representation(serializer, fresh.get(pk=role.pk))


@pytest.mark.parametrize("member", [True, False])
def test_each_field_is_what_drf_writes(harbor, member):
    roles = _roles(harbor)
    context = {"roles": {harbor.id: "coordinator"} if member else {}}
    keys = opportunity_reference_keys(role.pk for role in roles)
    for role in roles:
        role = Opportunity.objects.select_related("organization").get(pk=role.pk)
        expected = _drf(role, context)
        if role.hide_address and not member:
            expected.update(address=None, latitude=None, longitude=None)
        role._reference_keys = keys[role.pk]  # type: ignore[attr-defined]
        written = OpportunitySerializer(role, context=context).data
        assert list(written) == list(expected)
        assert dict(written) == expected
        # Without the page's keys (a single role) it reads them itself.
        del role._reference_keys  # type: ignore[attr-defined]
        assert dict(OpportunitySerializer(role, context=context).data) == expected


def test_the_list_answers_the_reference_lists_in_their_models_order(harbor, ada_client):
    full, _ = _roles(harbor)
    row = next(r for r in ada_client.get(URL).json()["results"] if r["id"] == full.id)
    assert row["causes"] == [c.slug for c in full.causes.all()]  # by name
    assert row["required_skills"] == [s.slug for s in full.required_skills.all()]
    assert len(row["causes"]) == 3
    assert len(row["required_skills"]) == 2
    assert row["languages"] == [c.code for c in full.languages.all()]  # sort order, then name
    assert row["required_trainings"] == [t.slug for t in full.required_trainings.all()]


def test_a_page_costs_the_same_queries_for_one_role_or_twenty(harbor, ada_client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert ada_client.get(URL).status_code == 200
        return len(captured)

    _roles(harbor)
    few = queries()
    for _ in range(20):
        _roles(harbor)
    assert queries() == few


def test_the_callers_memberships_are_read_only_for_a_hidden_address(harbor, ada_client):
    def membership_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert ada_client.get(URL).status_code == 200
        return sum("organizations_membership" in q["sql"] for q in captured)

    OpportunityFactory.create(organization=harbor, hide_address=False)
    quiet = membership_queries()
    hidden = OpportunityFactory.create(
        organization=harbor, hide_address=True, address="1 Quiet Lane", latitude=40.7, longitude=-74
    )
    assert membership_queries() == quiet + 1
    row = next(r for r in ada_client.get(URL).json()["results"] if r["id"] == hidden.id)
    assert row["address"] is None
