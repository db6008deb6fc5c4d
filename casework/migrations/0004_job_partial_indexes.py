"""Partial indexes for the scheduled checks' claims (casework/jobs.py, issue 4).

Each covers only the open cases a check can still flag (a few per cent of the table), so
the daily sweep reads that index instead of the whole table. Plain SQL that PostgreSQL and
SQLite both accept; the models do not declare them, so they stay out of the model state.
"""

from django.db import migrations

INDEXES = [
    (
        "case_overdue_due_idx",
        "casework_case (due_date)",
        "status = 'open' AND investigation_completed_at IS NULL AND overdue_flagged_at IS NULL",
    ),
    (
        "case_csa_end_due_idx",
        "casework_case (child_id)",
        "status = 'open' AND csa_end_flagged_at IS NULL",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_case_job_flags")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {target} WHERE {where}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, target, where in INDEXES
    ]
