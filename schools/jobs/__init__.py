"""The scheduled checks on school returns (`cme.jobs`), one module per subject:

* `late`: ``late_returns``, late joiner and leaver returns told to their schools, and the
  s2s upload reminders;
* `part_time`: ``part_time_reviews``, part-time timetables past their review or end date;
* `absence`: ``continuous_absence``, absence notifications at the deletion threshold;
* `matching`: ``unmatched_leavers``, joiners linked to their leavers, and the leavers whose
  transition is overdue flagged (`transitions`).

`sweeps` and `cutoffs` hold what they share. The checks record facts about returns; the
referrals some of them call for are raised by referrals (`referrals.jobs`), from the flags,
when `schools.signals.returns_flagged` says there are some (docs/decisions/005-job-outbox.md).
Importing this package registers the checks (`cme.jobs.all_jobs` imports each app's `jobs`).
"""

from __future__ import annotations

from schools.jobs.absence import continuous_absence
from schools.jobs.cutoffs import school_cutoffs
from schools.jobs.late import late_returns, s2s_reminder_cutoff
from schools.jobs.matching import unmatched_leavers
from schools.jobs.part_time import part_time_reviews
from schools.jobs.sweeps import (
    NOT_CLOSED,
    claim,
    claim_returning,
    ids_param,
    insert_school_summaries,
    school_staff,
)

__all__ = [
    "NOT_CLOSED",
    "claim",
    "claim_returning",
    "continuous_absence",
    "ids_param",
    "insert_school_summaries",
    "late_returns",
    "part_time_reviews",
    "s2s_reminder_cutoff",
    "school_cutoffs",
    "school_staff",
    "unmatched_leavers",
]
