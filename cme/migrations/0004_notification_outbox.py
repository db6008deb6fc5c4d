"""The notification outbox (docs/decisions/005-job-outbox.md): `email_wanted`, and a partial
index over the notifications still to email, which `deliver_pending` claims from."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("cme", "0003_accesslog")]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="email_wanted",
            field=models.BooleanField(default=True),
        ),
        # Existing rows were emailed (or not wanted) by the old notify(): not for the outbox.
        migrations.RunSQL(
            "UPDATE cme_notification SET email_wanted = false WHERE emailed_at IS NULL",
            migrations.RunSQL.noop,
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS notification_outbox_idx ON cme_notification (id) "
            "WHERE emailed_at IS NULL AND email_wanted",
            "DROP INDEX IF EXISTS notification_outbox_idx",
        ),
    ]
