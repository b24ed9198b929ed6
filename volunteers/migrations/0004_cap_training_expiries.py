"""Trainings stored before expiries were computed: a typed expiry later than the type's
``valid_for_months`` after completion is capped to it, and a missing one is filled in
(volunteers.expiry). Verifications stay: the rule only shortens how long a training counts.
Reversing leaves the capped dates (the typed ones are not kept)."""

from django.db import migrations

from volunteers.expiry import effective_expiry


def cap_expiries(apps, schema_editor):
    TrainingRecord = apps.get_model("volunteers", "TrainingRecord")
    records = TrainingRecord.objects.filter(
        completed_on__isnull=False, training_type__valid_for_months__isnull=False
    ).select_related("training_type")
    changed = []
    for record in records.iterator(chunk_size=500):
        expires_on = effective_expiry(
            valid_for_months=record.training_type.valid_for_months,
            completed_on=record.completed_on,
            expires_on=record.expires_on,
        ).expires_on
        if expires_on != record.expires_on:
            record.expires_on = expires_on
            changed.append(record)
    TrainingRecord.objects.bulk_update(changed, ["expires_on"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("taxonomy", "0004_load_iso_639_1_languages"),
        ("volunteers", "0003_credential_scope_and_birth_date_corrections"),
    ]

    operations = [migrations.RunPython(cap_expiries, migrations.RunPython.noop)]
