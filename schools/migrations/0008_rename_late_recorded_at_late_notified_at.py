"""Issue 13 item 8: ``late_recorded_at`` is only the late-returns sweep's claim that the school
was told (the board counts ``is_late``), so it is named for what it records."""

from django.db import migrations

MODELS = [
    "schoolreturn",
    "historicalschoolreturn",
    "historicaljoinerreturn",
    "historicalleaverreturn",
    "historicalparttimetimetable",
    "historicalabsencenotification",
]


class Migration(migrations.Migration):
    dependencies = [("schools", "0007_leaver_s2s_follow_up")]

    operations = [
        migrations.RenameField(
            model_name=model, old_name="late_recorded_at", new_name="late_notified_at"
        )
        for model in MODELS
    ]
