from django.db import migrations


def seed(apps, schema_editor):
    from taxonomy.seed import reference_data_load

    reference_data_load(apps)


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
