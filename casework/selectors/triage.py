"""The triage queue: NEW referrals, highest risk first."""

from __future__ import annotations

from django.db import connection
from django.db.models import Case as CaseWhen
from django.db.models import IntegerField, Q, QuerySet, Value, When

from referrals.models import SAFEGUARDING_REASONS, Referral, ReferralStatus

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
