"""One definition of each case status and count (issue 12 item A11).

"Open", "pending" (open, initial investigation not complete), "overdue", "due today" and
"due this week" are defined here once, as ``Q`` objects that take the path to the case
(``""`` on a Case queryset, ``"allocated_cases__"`` from a user), so that the register,
my cases, the team page, the allocation list and the daily digest can never disagree.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q

from casework.models import CaseStatus, Outcome
from cme.statutory import compulsory_school_age, latest_dob_of_compulsory_school_age


def week_end(today: date) -> date:
    """The Sunday that ends the week containing ``today``: "due this week" runs to it."""
    return today + timedelta(days=6 - today.weekday())


def _q(prefix: str, **lookups: Any) -> Q:
    return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})


def open_q(prefix: str = "") -> Q:
    """Open cases, untraceable children (still on the register) included."""
    return _q(prefix, status=CaseStatus.OPEN)


def pending_q(prefix: str = "") -> Q:
    """Open cases whose initial investigation is not complete: only these run a clock."""
    return open_q(prefix) & _q(prefix, investigation_completed_at__isnull=True)


def overdue_q(today: date, prefix: str = "") -> Q:
    """Pending cases due before ``today``. A completed investigation is never overdue."""
    return pending_q(prefix) & _q(prefix, due_date__lt=today)


def due_today_q(today: date, prefix: str = "") -> Q:
    return pending_q(prefix) & _q(prefix, due_date=today)


def due_this_week_q(today: date, prefix: str = "") -> Q:
    """Pending cases due from ``today`` to Sunday (today's included)."""
    return pending_q(prefix) & _q(prefix, due_date__gte=today, due_date__lte=week_end(today))


def investigation_complete_q(prefix: str = "") -> Q:
    """Open cases with the investigation complete, the untraceable ones apart."""
    return (
        open_q(prefix)
        & _q(prefix, investigation_completed_at__isnull=False)
        & ~_q(prefix, outcome=Outcome.UNTRACEABLE)
    )


def untraceable_q(prefix: str = "") -> Q:
    return open_q(prefix) & _q(prefix, outcome=Outcome.UNTRACEABLE)


def workload_counts(today: date, prefix: str = "allocated_cases__") -> dict[str, Count]:
    """Count annotations ``open_count``, ``due_today``, ``due_this_week`` and
    ``overdue_count`` over the cases at ``prefix`` (an officer's allocated cases)."""
    field = prefix.removesuffix("__") or "pk"
    return {
        "open_count": Count(field, filter=open_q(prefix)),
        "due_today": Count(field, filter=due_today_q(today, prefix)),
        "due_this_week": Count(field, filter=due_this_week_q(today, prefix)),
        "overdue_count": Count(field, filter=overdue_q(today, prefix)),
    }


def _latest_dob_past_compulsory_school_age(on: date) -> date:
    """The latest date of birth whose compulsory school age ended before ``on`` (s8(3)):
    the end date only grows with the date of birth, and children born 1 September to
    31 August share a leaving date."""
    for year in (on.year - 16, on.year - 17):
        cutoff = date(year, 8, 31)
        if compulsory_school_age(cutoff)[1] < on:
            return cutoff
    return date(on.year - 18, 8, 31)


def below_compulsory_school_age_q(today: date, prefix: str = "child__") -> Q:
    """Children whose compulsory school age has not begun by ``today`` (Education Act 1996
    s8(2)): not missing education yet, so not counted as CME (issue 12, A8)."""
    return _q(prefix, date_of_birth__gt=latest_dob_of_compulsory_school_age(today))


def not_of_compulsory_school_age_q(today: date, prefix: str = "child__") -> Q:
    """Children below compulsory school age on ``today`` or past it."""
    return below_compulsory_school_age_q(today, prefix) | _q(
        prefix, date_of_birth__lte=_latest_dob_past_compulsory_school_age(today)
    )
