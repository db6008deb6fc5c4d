"""Officers and managers with the counts of their open cases (casework.workload's
definitions, the same as the team page's and the register's)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from casework.selectors.cases import require_caseworker
from casework.workload import workload_counts
from cme.models import CASEWORK_ROLES, User
from cme.selectors import active_users


def officer_loads(today: date | None = None) -> QuerySet[User]:
    """Active officers and managers with ``open_cases``, ``due_this_week`` and ``overdue``
    counts of the open cases allocated to them (one query; the counts are
    casework.workload's, the same as the team page's and the register's)."""
    counts = workload_counts(today or timezone.localdate())
    return (
        active_users(*CASEWORK_ROLES)
        .annotate(
            open_cases=counts["open_count"],
            due_this_week=counts["due_this_week"],
            overdue=counts["overdue_count"],
        )
        .order_by("full_name", "pk")
    )


def team_workload(user: User) -> QuerySet[User]:
    """Per officer (and manager): open, due this week and overdue cases, in one query."""
    require_caseworker(user)
    return (
        active_users(*CASEWORK_ROLES)
        .annotate(**workload_counts(timezone.localdate()))
        .order_by("full_name")
    )
