"""Email leaves the transaction: a run claims unsent rows (email_claim, email_claimed_at) before it
talks to the SMTP server, instead of holding their row locks meanwhile; the daily resend finds rows
whose email never went out through a small partial index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_resend_lost_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="email_claim",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="notification",
            name="email_claimed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("emailed_at__isnull", True)),
                fields=["created_at"],
                name="notification_unemailed",
            ),
        ),
    ]
