"""Reads for the casework screens: the triage queue and the team's workload.

Case pages have their own selectors module (another developer); these are triage's.
"""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import Case as CaseWhen
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from casework.workload import workload_counts
from cme.models import CASEWORK_ROLES, User
from cme.selectors import active_users
from referrals.models import SAFEGUARDING_REASONS, Referral, ReferralStatus

#: Risk bands in the triage queue: lower is triaged first.
RISK_HIGH = 0
RISK_NORMAL = 1


def _has_any_reason(codes: frozenset[str]) -> Q:
    q = Q()
    for code in sorted(codes):
        if connection.vendor == "sqlite":
            # SQLite has no JSON containment lookup: match the quoted code in the JSON text.
            q |= Q(reasons__icontains=f'"{code}"')
        else:
            q |= Q(reasons__contains=[code])
    return q


def high_risk_q() -> Q:
    """Mirrors Referral.is_high_risk in the database."""
    return (
        Q(child_protection_plan=True)
        | Q(looked_after=True)
        | _has_any_reason(frozenset(str(c) for c in SAFEGUARDING_REASONS))
    )


def triage_queue() -> QuerySet[Referral]:
    """NEW referrals, highest risk first, then oldest first; each annotated with ``risk``."""
    return (
        Referral.objects.filter(status=ReferralStatus.NEW)
        .select_related("referring_school")
        .annotate(
            risk=CaseWhen(
                When(high_risk_q(), then=Value(RISK_HIGH)),
                default=Value(RISK_NORMAL),
                output_field=IntegerField(),
            ),
            cp_or_lac=CaseWhen(
                When(Q(child_protection_plan=True) | Q(looked_after=True), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("risk", "cp_or_lac", "received_at", "pk")
    )


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
