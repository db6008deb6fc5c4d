"""Reads for the case pages, the register, my cases, the team and the chronology.

Every selector takes the person asking: only caseworkers (officers and managers) see cases,
and anyone else gets a 404 rather than a hint that the case exists.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import BooleanField, Count, Q, QuerySet, Value, When
from django.db.models import Case as When_
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casework.models import Case, CaseStatus, Child, Event
from cme.models import Role, User

#: "Newly allocated" on my cases: allocated within this many days.
NEWLY_ALLOCATED_DAYS = 7


def _require_caseworker(user: User) -> None:
    if not user.is_authenticated or not user.is_caseworker:
        raise Http404


def week_end(today: date) -> date:
    """The Sunday that ends the week containing ``today``."""
    return today + timedelta(days=6 - today.weekday())


def cases_visible_to(user: User) -> QuerySet[Case]:
    _require_caseworker(user)
    today = timezone.localdate()
    return Case.objects.select_related("child", "allocated_to", "referral").annotate(
        is_overdue=When_(
            When(
                status=CaseStatus.OPEN,
                due_date__lt=today,
                investigation_completed_at__isnull=True,
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def case_for_view(user: User, reference: str) -> Case:
    """The case page's case, for caseworkers only (404 for anyone else)."""
    return get_object_or_404(
        cases_visible_to(user).select_related("child__last_school", "outcome_school"),
        reference=reference,
    )


def register_cases(user: User) -> QuerySet[Case]:
    """The CME register: every open case, including children untraceable after enquiries."""
    return cases_visible_to(user).filter(status=CaseStatus.OPEN)


def my_cases(user: User) -> dict[str, Any]:
    """An officer's open cases, in the sections of the My cases page."""
    today = timezone.localdate()
    mine = register_cases(user).filter(allocated_to=user).order_by("due_date", "pk")
    pending = mine.filter(investigation_completed_at__isnull=True)
    allocated_since = timezone.now() - timedelta(days=NEWLY_ALLOCATED_DAYS)
    return {
        "overdue": pending.filter(due_date__lt=today),
        "due_today": pending.filter(due_date=today),
        "due_this_week": pending.filter(due_date__gt=today, due_date__lte=week_end(today)),
        # No allocation timestamp on the case: the ALLOCATED event says when.
        "newly_allocated": mine.filter(
            events__kind="allocated", events__occurred_at__gte=allocated_since
        ).distinct(),
        "all": mine,
    }


def team_workload(user: User) -> QuerySet[User]:
    """Per officer (and manager): open, due this week and overdue cases, in one query."""
    _require_caseworker(user)
    today = timezone.localdate()
    open_ = Q(allocated_cases__status=CaseStatus.OPEN)
    pending = open_ & Q(allocated_cases__investigation_completed_at__isnull=True)
    return (
        User.objects.filter(role__in=[Role.OFFICER, Role.MANAGER], is_active=True)
        .annotate(
            open_count=Count("allocated_cases", filter=open_),
            due_this_week=Count(
                "allocated_cases",
                filter=pending
                & Q(
                    allocated_cases__due_date__gte=today,
                    allocated_cases__due_date__lte=week_end(today),
                ),
            ),
            overdue_count=Count(
                "allocated_cases", filter=pending & Q(allocated_cases__due_date__lt=today)
            ),
        )
        .order_by("full_name")
    )


def chronology(child: Child) -> QuerySet[Event]:
    """What happened to a child, newest first, including children merged into it."""
    return (
        Event.objects.filter(Q(child=child) | Q(child__merged_into=child))
        .select_related("by", "case", "child")
        .order_by("-occurred_at", "-id")
    )


def child_for_view(user: User, child_id: int) -> Child:
    _require_caseworker(user)
    return get_object_or_404(Child, pk=child_id)
