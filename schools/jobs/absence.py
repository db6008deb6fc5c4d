"""The continuous-absence check (reg 9(1)(h), (i)): absence notifications at the deletion
threshold, counted on each school's calendar (`schools.jobs.cutoffs`).

A real run flags the notifications due (``threshold_reached_on``) with ONE conditional
``UPDATE ... FROM`` the returns ``... RETURNING`` (the threshold is shown to the school and
the LA from the flag itself, `schools.selectors.with_absence_threshold`) and writes the
in-app notifications for them with ONE ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``
(docs/decisions/005-job-outbox.md). No referral is raised here: where a child's whereabouts
are unknown, `schools.signals.returns_flagged` is sent, and referrals raises the referrals
in bulk after the commit (`referrals.jobs.raise_pending_referrals`, also run from beat).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.db import connection, transaction

from cme.jobs import JobResult, job
from cme.statutory import REG_9_1_H_SCHOOL_DAYS, REG_9_1_I_SCHOOL_DAYS, school_day_back
from schools.jobs.cutoffs import before_cutoff, school_cutoffs
from schools.jobs.sweeps import claim_where, insert_school_summaries, references_where
from schools.models import AbsenceNotification, AbsenceType, ReturnStatus, Whereabouts
from schools.signals import returns_flagged

#: The two thresholds (cme.statutory): reg 9(1)(i) 20 school days, reg 9(1)(h) 10.
ABSENCE_SCHOOL_DAYS = REG_9_1_I_SCHOOL_DAYS
AFTER_LEAVE_SCHOOL_DAYS = REG_9_1_H_SCHOOL_DAYS


def _absence_where(today: date) -> tuple[str, list[Any]]:
    """WHERE (and its parameters) for the absence notifications at the threshold today and
    not yet flagged, over ``a`` (the notification) and ``r`` (its return): reg 9(1)(i), the
    first day of absence is day 1 of the 20; reg 9(1)(h), the school days *after* the leave
    ended, so the last day of leave is not one of the 10."""
    cutoffs = school_cutoffs(
        today,
        lambda cal: (
            school_day_back(cal, today, ABSENCE_SCHOOL_DAYS),
            school_day_back(cal, today, AFTER_LEAVE_SCHOOL_DAYS),
        ),
    )
    parts, params = [], []
    for i, (kind, value, op) in enumerate(
        (
            (AbsenceType.UNAUTHORISED, "a.first_day_of_absence", "<="),
            (AbsenceType.AFTER_LEAVE, "a.leave_end_date", "<"),
        )
    ):
        before = before_cutoff(value, op, "r.school_id", cutoffs, i)
        if before is not None:
            parts.append(f"(a.absence_type = %s AND {before[0]})")
            params += [kind, *before[1]]
    due = " OR ".join(parts) or "1 = 0"
    return (
        "r.id = a.schoolreturn_ptr_id AND r.status <> %s AND a.threshold_reached_on IS NULL "
        f"AND ({due})",
        [ReturnStatus.CLOSED, *params],
    )


def _claim_absences(today: date) -> list[tuple[Any, ...]]:
    """Flag the absence notifications due; (id, whereabouts, reference, school id) of those
    flagged now. The school and the LA see the threshold from the flag itself
    (``schools.selectors.with_absence_threshold``): nothing else is written."""
    return claim_where(
        AbsenceNotification,
        "a",
        flag="threshold_reached_on",
        value=connection.ops.adapt_datefield_value(today),
        where=_absence_where(today),
        columns=["whereabouts"],
        return_columns=["reference", "school_id"],
    )


@job(
    "continuous_absence",
    "Absence notifications at 20 school days (or 10 after leave): prompt school and LA",
)
def continuous_absence(*, today: date, dry_run: bool) -> JobResult:
    result = JobResult(name="continuous_absence", dry_run=dry_run)
    if dry_run:
        where, params = _absence_where(today)
        result.flagged = references_where(AbsenceNotification, "a", where, params)
        return result
    with transaction.atomic():
        rows = _claim_absences(today)
        if not rows:
            return result
        rows.sort(key=lambda row: row[2])
        by_school: dict[int, list[str]] = defaultdict(list)
        referred_any = False
        for _pk, whereabouts, reference, school_id in rows:
            result.flagged.append(reference)
            referred_any |= whereabouts == Whereabouts.UNKNOWN
            by_school[school_id].append(reference)
        result.notified += _notify_summaries(
            "continuous_absence", today, by_school, referred=referred_any
        )
        if referred_any:
            returns_flagged.send(sender=continuous_absence, job="continuous_absence")
    return result


def _notify_summaries(
    job: str, today: date, by_school: dict[int, list[str]], *, referred: bool
) -> int:
    """ONE notification per recipient for this run (docs/decisions/005-job-outbox.md): each
    member of staff of a school with flagged returns gets theirs (their school's submissions),
    each manager all of them (the LA returns list)."""
    return insert_school_summaries(
        job,
        today,
        by_school,
        noun="absence notification",
        what="at the deletion threshold (joint reasonable enquiries needed)",
        note=(
            "Where a child's whereabouts are unknown, a referral to Children Missing "
            "Education has been raised."
            if referred
            else ""
        ),
    )
