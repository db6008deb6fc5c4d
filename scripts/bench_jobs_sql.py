"""The hand-written SQL scripts/bench_jobs.py times each sweep against: ONE ``UPDATE ... SET
<flag> = ... WHERE <the job's conditions>`` per job."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from bench_jobs_fill import TODAY


def _la_cutoffs() -> tuple[date, date, date]:
    """The LA calendar's cut-offs (every bench school counts on the LA's terms)."""
    from django.conf import settings

    from cme.statutory import school_day_back
    from schools.jobs.absence import ABSENCE_SCHOOL_DAYS, AFTER_LEAVE_SCHOOL_DAYS
    from schools.jobs.cutoffs import _CALENDAR_LOOKBACK
    from schools.selectors import term_calendar_for

    cal = term_calendar_for(None, TODAY - _CALENDAR_LOOKBACK, TODAY)
    day_20 = school_day_back(cal, TODAY, ABSENCE_SCHOOL_DAYS)
    day_10 = school_day_back(cal, TODAY, AFTER_LEAVE_SCHOOL_DAYS)
    transition = school_day_back(
        cal, TODAY - timedelta(days=1), settings.CME_TRANSITION_SCHOOL_DAYS
    )
    if not (day_20 and day_10 and transition):
        raise RuntimeError("the bench calendar has too few school days")
    return day_20, day_10, transition


def hand_sql(name: str) -> tuple[str, list[Any]]:
    from django.conf import settings

    from casework.jobs import latest_dob_past_csa

    t = TODAY.isoformat()
    if name == "overdue_enquiries":
        return (
            "UPDATE casework_case SET overdue_flagged_at = now() WHERE status = 'open' "
            "AND investigation_completed_at IS NULL AND due_date < %s "
            "AND overdue_flagged_at IS NULL RETURNING id",
            [t],
        )
    if name == "end_of_compulsory_age":
        return (
            "UPDATE casework_case c SET csa_end_flagged_at = now() FROM casework_child ch "
            "WHERE ch.id = c.child_id AND c.status = 'open' AND c.csa_end_flagged_at IS NULL "
            "AND ch.date_of_birth <= %s RETURNING c.id",
            [latest_dob_past_csa(TODAY)],
        )
    day_20, day_10, transition = _la_cutoffs()
    if name == "continuous_absence":
        return (
            "UPDATE schools_absencenotification a SET threshold_reached_on = %s "
            "FROM schools_schoolreturn r WHERE r.id = a.schoolreturn_ptr_id "
            "AND r.status <> 'closed' AND a.threshold_reached_on IS NULL "
            "AND ((a.absence_type = 'unauthorised' AND a.first_day_of_absence <= %s) "
            "OR (a.absence_type = 'after_leave' AND a.leave_end_date < %s)) "
            "RETURNING a.schoolreturn_ptr_id",
            [t, day_20, day_10],
        )
    if name == "unmatched_leavers":
        return (
            "UPDATE schools_leaverreturn l SET transition_flagged_at = now() "
            "FROM schools_schoolreturn r WHERE r.id = l.schoolreturn_ptr_id "
            "AND r.status <> 'closed' AND l.destination_type = 'in_area' "
            "AND l.destination_school_id IS NOT NULL AND l.transition_flagged_at IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM schools_joinerreturn j "
            "                WHERE j.matched_leaver_id = l.schoolreturn_ptr_id) "
            "AND GREATEST(l.deletion_date, COALESCE(l.destination_start_date, l.deletion_date))"
            " < %s RETURNING l.schoolreturn_ptr_id",
            [transition],
        )
    if name == "late_returns":
        return (
            "UPDATE schools_schoolreturn r SET late_notified_at = now(), is_late = true "
            "WHERE r.late_notified_at IS NULL AND r.id IN ("
            " SELECT id FROM schools_schoolreturn WHERE kind IN ('joiner', 'leaver') "
            "   AND is_late AND late_notified_at IS NULL"
            " UNION ALL SELECT x.id FROM schools_schoolreturn x JOIN schools_leaverreturn l"
            "   ON l.schoolreturn_ptr_id = x.id WHERE x.kind = 'leaver' AND NOT x.is_late"
            "   AND l.deletion_date < (x.submitted_at AT TIME ZONE %s)::date) RETURNING r.id",
            [settings.TIME_ZONE],
        )
    if name == "part_time_reviews":
        return (
            "UPDATE schools_parttimetimetable p SET "
            "review_reminded_on = CASE WHEN p.next_review_date < %s AND "
            "  p.review_reminded_on IS DISTINCT FROM p.next_review_date "
            "  THEN p.next_review_date ELSE p.review_reminded_on END, "
            "end_reminded_on = CASE WHEN p.planned_end_date < %s AND "
            "  p.end_reminded_on IS DISTINCT FROM p.planned_end_date "
            "  THEN p.planned_end_date ELSE p.end_reminded_on END "
            "FROM schools_schoolreturn r WHERE r.id = p.schoolreturn_ptr_id "
            "AND r.status <> 'closed' AND p.ended_on IS NULL AND ("
            " (p.next_review_date < %s AND p.review_reminded_on IS DISTINCT FROM "
            "  p.next_review_date) OR (p.planned_end_date < %s AND "
            "  p.end_reminded_on IS DISTINCT FROM p.planned_end_date)) "
            "RETURNING p.schoolreturn_ptr_id",
            [t, t, t, t],
        )
    raise KeyError(name)
