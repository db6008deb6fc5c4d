"""Reads for the case pages, the register, my cases, the team and the chronology.

Every selector takes the person asking: only caseworkers (officers and managers) see cases,
and anyone else gets a 404 rather than a hint that the case exists."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import BooleanField, Q, QuerySet, Value, When
from django.db.models import Case as When_
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casework.models import Case, CaseStatus
from casework.workload import (
    due_this_week_q,
    due_today_q,
    investigation_complete_q,
    overdue_q,
    pending_q,
    untraceable_q,
    week_end,
)
from cme.models import OutboxEmail, User
from schools.models import SchoolReturn
from schools.selectors import with_absence_threshold

NEWLY_ALLOCATED_DAYS = 7


def require_caseworker(user: User) -> None:
    if not user.is_authenticated or not user.is_caseworker:
        raise Http404


def cases_visible_to(user: User) -> QuerySet[Case]:
    require_caseworker(user)
    today = timezone.localdate()
    return Case.objects.select_related("child", "allocated_to", "referral").annotate(
        is_overdue=When_(
            When(overdue_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def case_for_view(user: User, reference: str) -> Case:
    """The case page's case, for caseworkers only (404 for anyone else)."""
    return get_object_or_404(
        cases_visible_to(user).select_related(
            "child__last_school", "outcome_school", "primary_reason"
        ),
        reference=reference,
    )


def register_cases(user: User) -> QuerySet[Case]:
    """The CME register: every open case, including children untraceable after enquiries."""
    return cases_visible_to(user).filter(status=CaseStatus.OPEN)


def my_cases(user: User) -> dict[str, Any]:
    """An officer's open cases, in the sections of the My cases page: each open case is in
    exactly one of overdue, due today, due this week, due later, investigation complete and
    untraceable (the definitions in casework.workload); newly allocated is beside them."""
    today = timezone.localdate()
    mine = register_cases(user).filter(allocated_to=user).order_by("due_date", "pk")
    allocated_since = timezone.now() - timedelta(days=NEWLY_ALLOCATED_DAYS)
    return {
        "overdue": mine.filter(overdue_q(today)),
        "due_today": mine.filter(due_today_q(today)),
        "due_this_week": mine.filter(due_this_week_q(today)).exclude(due_date=today),
        "due_later": mine.filter(pending_q(), due_date__gt=week_end(today)),
        "investigation_complete": mine.filter(investigation_complete_q()),
        "untraceable": mine.filter(untraceable_q()).order_by("review_date", "pk"),
        # No allocation timestamp on the case: the ALLOCATED event says when.
        "newly_allocated": mine.filter(
            events__kind="allocated", events__occurred_at__gte=allocated_since
        ).distinct(),
        "all": mine,
    }


def returns_for_case(case: Case) -> QuerySet[SchoolReturn]:
    """School returns about the case's child, in one query: the return the referral was
    raised from, and any return whose pupil is the child by UPN (when the child has one)
    or by exact last name, first name and date of birth."""
    child = case.child
    condition = Q(pk=case.referral.source_return_id) if case.referral.source_return_id else Q()
    if child.upn:
        condition |= Q(upn__iexact=child.upn)
    if child.date_of_birth is not None and child.first_name and child.last_name:
        condition |= Q(
            last_name__iexact=child.last_name,
            first_name__iexact=child.first_name,
            date_of_birth=child.date_of_birth,
        )
    if not condition:
        return SchoolReturn.objects.none()
    return with_absence_threshold(
        SchoolReturn.objects.filter(condition).select_related("school").order_by("-submitted_at")
    )


def referrer_messages(case: Case) -> QuerySet[OutboxEmail]:
    """What the referrer was sent about this case (the triage decision, each outcome), newest
    first, with each message's delivery status: one query. Keyed in the outbox by
    casework.services.triage and closing."""
    from casework.services.closing import CASE_CLOSED_KEY
    from casework.services.triage import REFERRAL_DECIDED_KEY

    return (
        OutboxEmail.objects.filter(
            Q(key=f"{REFERRAL_DECIDED_KEY}{case.referral_id}")
            | Q(key__startswith=f"{CASE_CLOSED_KEY}{case.pk}:")
        )
        .only(
            "channel",
            "to",
            "subject",
            "state",
            "created_at",
            "sent_at",
            "delivery_status",
            "status_checked_at",
        )
        .order_by("-created_at", "-id")
    )
