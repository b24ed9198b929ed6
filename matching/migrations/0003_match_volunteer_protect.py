"""A match is the organization's record too: deleting its volunteer through the ORM is refused
(PROTECT) instead of taking the match, its history, hours and ratings with it."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0002_on_hold_and_frozen_facts"),
        ("volunteers", "0004_cap_training_expiries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="match",
            name="volunteer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="matches",
                to="volunteers.volunteerprofile",
            ),
        ),
    ]
