from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations, models


def _search_index() -> GinIndex:
    # The expression of opportunities.search.search_vector(), frozen here.
    return GinIndex(
        SearchVector("title", "description", config="english"), name="opportunity_search_gin"
    )


def add_search_index(apps, schema_editor):
    """PostgreSQL only: SQLite has no full-text index (its search stays a substring match)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("opportunities", "Opportunity"), _search_index())


def remove_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("opportunities", "Opportunity"), _search_index())


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0002_schedule_fixed_and_skills_learnable"),
        ("organizations", "0002_verification_and_invitations"),
        ("taxonomy", "0004_load_iso_639_1_languages"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["latitude", "longitude"], name="opportunity_lat_lon"),
        ),
        migrations.RunPython(add_search_index, remove_search_index, elidable=False),
    ]
