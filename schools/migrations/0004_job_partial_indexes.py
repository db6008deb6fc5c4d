"""Partial indexes for the scheduled checks' sweeps (schools/jobs.py, referrals/jobs.py).

Each covers only the rows a check can still flag, so the daily sweep reads a small index
instead of a million-row table. Plain SQL that PostgreSQL and SQLite both accept; the models
do not declare them, so they stay out of the model state.
"""

from django.db import migrations

INDEXES = [
    # late_returns: late joiner and leaver returns not yet recorded for the board.
    (
        "return_late_unrecorded_idx",
        "schools_schoolreturn (school_id)",
        "is_late AND late_recorded_at IS NULL",
    ),
    # continuous_absence: notifications whose threshold has not been reached.
    (
        "absence_waiting_idx",
        "schools_absencenotification (first_day_of_absence)",
        "threshold_reached_on IS NULL",
    ),
    # unmatched_leavers: in-area leavers not yet flagged for the transition.
    (
        "leaver_transition_waiting_idx",
        "schools_leaverreturn (destination_school_id)",
        "destination_type = 'in_area' AND transition_flagged_at IS NULL",
    ),
    # part_time_reviews: timetables still running.
    (
        "timetable_open_review_idx",
        "schools_parttimetimetable (next_review_date)",
        "ended_on IS NULL",
    ),
    (
        "timetable_open_end_idx",
        "schools_parttimetimetable (planned_end_date)",
        "ended_on IS NULL",
    ),
]


class Migration(migrations.Migration):
    dependencies = [("schools", "0003_job_flags")]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {name} ON {target} WHERE {where}",
            f"DROP INDEX IF EXISTS {name}",
        )
        for name, target, where in INDEXES
    ]
