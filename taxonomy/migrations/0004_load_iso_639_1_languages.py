"""Every ISO 639-1 language (184, from pycountry), so a volunteer who speaks Wolof, Gujarati or
Malayalam can say so. An upsert by code: the hand-typed rows keep their codes and names and gain a
rank and synonyms; running it again changes nothing."""

from django.db import migrations


def load_languages(apps, schema_editor):
    from taxonomy.seed import languages_load

    languages_load(apps)


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0003_language_synonyms_sort_order")]

    operations = [migrations.RunPython(load_languages, migrations.RunPython.noop)]
