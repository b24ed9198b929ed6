import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0003_match_volunteer_protect"),
        ("suggestions", "0001_periodic_tasks"),
    ]

    operations = [
        migrations.CreateModel(
            name="RunPlanSlice",
            fields=[
                (
                    "chunk",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="plan_slice",
                        serialize=False,
                        to="matching.matchrunchunk",
                    ),
                ),
                ("pairs", models.BinaryField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
