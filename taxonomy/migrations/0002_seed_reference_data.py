from django.db import migrations


def seed(apps, schema_editor):
    from taxonomy.seed import CAUSES, LANGUAGES, SKILLS, TRAININGS

    Skill = apps.get_model("taxonomy", "Skill")
    Cause = apps.get_model("taxonomy", "Cause")
    TrainingType = apps.get_model("taxonomy", "TrainingType")
    Language = apps.get_model("taxonomy", "Language")
    for slug, name in SKILLS:
        Skill.objects.update_or_create(slug=slug, defaults={"name": name})
    for slug, name in CAUSES:
        Cause.objects.update_or_create(slug=slug, defaults={"name": name})
    for slug, name, months in TRAININGS:
        TrainingType.objects.update_or_create(
            slug=slug, defaults={"name": name, "valid_for_months": months}
        )
    for code, name in LANGUAGES:
        Language.objects.update_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
