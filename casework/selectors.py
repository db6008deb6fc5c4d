"""Reads for the casework screens: the triage queue and the team's workload.

Case pages have their own selectors module (another developer); these are triage's.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.db.models import Case as CaseWhen
from django.db.models import Count, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from casework.models import CaseStatus
from cme.models import CASEWORK_ROLES, User
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


def week_end(today: date) -> date:
    """The Sunday of ``today``'s week: "due this week" runs from today to then."""
    return today + timedelta(days=6 - today.weekday())


def officer_loads(today: date | None = None) -> QuerySet[User]:
    """Active officers and managers with ``open_cases``, ``due_this_week`` and ``overdue``
    counts of the open cases allocated to them (one query)."""
    today = today or timezone.localdate()
    open_ = Q(allocated_cases__status=CaseStatus.OPEN)
    return (
        User.objects.filter(is_active=True, role__in=sorted(CASEWORK_ROLES))
        .annotate(
            open_cases=Count("allocated_cases", filter=open_),
            due_this_week=Count(
                "allocated_cases",
                filter=open_
                & Q(
                    allocated_cases__due_date__gte=today,
                    allocated_cases__due_date__lte=week_end(today),
                ),
            ),
            overdue=Count("allocated_cases", filter=open_ & Q(allocated_cases__due_date__lt=today)),
        )
        .order_by("full_name", "pk")
    )
