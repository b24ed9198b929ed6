import pytest
from django.db import IntegrityError, transaction

from opportunities.models import Opportunity
from taxonomy.models import Language, TrainingType
from tests.factories import OpportunityFactory


@pytest.mark.django_db
def test_reference_data_is_seeded_by_the_migration():
    slugs = set(TrainingType.objects.values_list("slug", flat=True))
    assert {"mhfa", "asist", "qpr", "safeguarding", "peer-support-training", "crisis-line"} <= slugs
    assert Language.objects.filter(code="es", name="Spanish").exists()


@pytest.mark.django_db
def test_database_refuses_a_role_with_no_capacity(harbor):
    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunityFactory.create(organization=harbor, capacity=0)
    assert not Opportunity.objects.exists()
