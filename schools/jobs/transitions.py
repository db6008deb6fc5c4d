"""Transitions not completed: an in-area leaver whose new school has made no joiner return
within `CME_TRANSITION_SCHOOL_DAYS` of its school days (DOMAIN.md "failed transition").
Flagged (``transition_flagged_at``) by the `unmatched_leavers` check
(`schools.jobs.matching`), after it has linked the joiners it can; referrals raises the
referral for each flagged leaver (`referrals.jobs.raise_pending_referrals`).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from cme.statutory import school_day_back
from schools.jobs.cutoffs import before_cutoff, school_cutoffs
from schools.jobs.sweeps import NOT_CLOSED, claim_where
from schools.models import DestinationType, JoinerReturn, LeaverReturn, ReturnKind, SchoolReturn

_ONE_DAY = timedelta(days=1)


def transition_where(today: date) -> tuple[str, list[Any]]:
    """WHERE (and its parameters) for the in-area leavers with no joiner return from the new
    school after N of its school days, counted from the deletion (or the planned start at the
    new school, if later), not yet flagged; over ``l`` (the leaver) and ``r`` (its return)."""
    days: int = settings.CME_TRANSITION_SCHOOL_DAYS
    # "Within N school days": overdue once the N-th school day after the start has ended, so
    # count back from yesterday; the start day itself is not one of the N.
    cutoffs = school_cutoffs(today, lambda cal: (school_day_back(cal, today - _ONE_DAY, days),))
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    start = f"{greatest}(l.deletion_date, COALESCE(l.destination_start_date, l.deletion_date))"
    before = before_cutoff(start, "<", "l.destination_school_id", cutoffs, 0)
    due, due_params = before if before is not None else ("1 = 0", [])
    qn = connection.ops.quote_name
    returns = qn(SchoolReturn._meta.db_table)
    statuses = ", ".join(["%s"] * len(NOT_CLOSED))
    open_leavers = f"SELECT id FROM {returns} WHERE kind = %s AND status IN ({statuses})"  # noqa: S608
    # The open leaver returns (few: the (kind, status) index), then their leaver rows by
    # primary key. On PostgreSQL as an array (an InitPlan): as a join, the planner may instead
    # read every in-area leaver not yet flagged, closed ones included (they accumulate), and
    # hash them.
    if connection.vendor == "postgresql":
        open_leavers = f"= ANY(ARRAY({open_leavers}))"
    else:
        open_leavers = f"IN ({open_leavers})"
    return (
        f"l.schoolreturn_ptr_id {open_leavers} AND r.id = l.schoolreturn_ptr_id "  # noqa: S608
        f"AND r.kind = %s AND r.status IN ({statuses}) "
        "AND l.destination_type = %s AND l.destination_school_id IS NOT NULL "
        "AND l.transition_flagged_at IS NULL "
        f"AND NOT EXISTS (SELECT 1 FROM {qn(JoinerReturn._meta.db_table)} j "
        "WHERE j.matched_leaver_id = l.schoolreturn_ptr_id) "
        f"AND {due}",
        [
            *(ReturnKind.LEAVER, *NOT_CLOSED) * 2,
            DestinationType.IN_AREA,
            *due_params,
        ],
    )


def claim_transitions(today: date) -> list[tuple[Any, ...]]:
    """Flag the leavers overdue for the transition; (id, reference) of those flagged now."""
    return claim_where(
        LeaverReturn,
        "l",
        flag="transition_flagged_at",
        value=connection.ops.adapt_datetimefield_value(timezone.now()),
        where=transition_where(today),
        columns=[],
        return_columns=["reference"],
    )
