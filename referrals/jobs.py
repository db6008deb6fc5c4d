"""Raising the referrals the schools checks call for (the sweeps' follow-up work).

The checks live in `schools.jobs` and record facts on the returns: an absence notification
at the deletion threshold (``threshold_reached_on``, `schools.jobs.absence`), an in-area
leaver whose transition is overdue (``transition_flagged_at``, `schools.jobs.matching`).
They send `schools.signals.returns_flagged`; referrals enqueues `raise_pending_referrals`
on the commit (``referrals.tasks.raise_pending_referrals``, and from beat through the
outbox step), which raises the referrals in bulk: the flagged rows with NOT EXISTS a
referral for that trigger (docs/decisions/005-job-outbox.md). `referral_raise_from_return`
stays for the immediate leaver referral at submission.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from referrals.models import Referral, SystemTrigger
from referrals.services import referrals_raise_from_returns_bulk
from schools.jobs.sweeps import NOT_CLOSED
from schools.models import (
    AbsenceNotification,
    DestinationType,
    LeaverReturn,
    ReturnKind,
    ReturnStatus,
    Whereabouts,
)


def _unmatched_leavers() -> QuerySet[LeaverReturn]:
    return LeaverReturn.objects.filter(
        kind=ReturnKind.LEAVER,
        status__in=NOT_CLOSED,
        destination_type=DestinationType.IN_AREA,
        destination_school__isnull=False,
        matched_joiner__isnull=True,
    )


def raise_pending_referrals(limit: int = 1000) -> int:
    """The sweeps' referrals, in bulk (the follow-up work, not part of the sweep): for each
    trigger, the flagged returns still open with NOT EXISTS a referral for it, ``limit`` at
    a time (`referrals.services.referrals_raise_from_returns_bulk`). Idempotent: the unique
    (source_return, trigger) constraint makes a run at the same time raise each one once."""

    def no_referral(trigger: SystemTrigger) -> Exists:
        return Exists(Referral.objects.filter(source_return_id=OuterRef("pk"), trigger=trigger))

    pending: list[tuple[QuerySet[Any], SystemTrigger]] = [
        (
            AbsenceNotification.objects.filter(
                threshold_reached_on__isnull=False, whereabouts=Whereabouts.UNKNOWN
            )
            .exclude(status=ReturnStatus.CLOSED)
            .filter(~no_referral(SystemTrigger.ABSENCE_THRESHOLD))
            # Referred when it was sent (whereabouts unknown, issue 12 A9): not twice.
            .filter(~no_referral(SystemTrigger.ABSENCE_WHEREABOUTS_UNKNOWN)),
            SystemTrigger.ABSENCE_THRESHOLD,
        ),
        (
            _unmatched_leavers()
            .filter(transition_flagged_at__isnull=False)
            .filter(~no_referral(SystemTrigger.UNMATCHED_LEAVER))
            .select_related("destination_school"),
            SystemTrigger.UNMATCHED_LEAVER,
        ),
    ]
    total = 0
    for qs, trigger in pending:
        while True:
            raised = referrals_raise_from_returns_bulk(qs, trigger=trigger, limit=limit)
            total += raised
            if raised < limit:
                break
    return total
