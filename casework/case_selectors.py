"""Reads for the case pages, the register, my cases, the team and the chronology.

Every selector takes the person asking: only caseworkers (officers and managers) see cases,
and anyone else gets a 404 rather than a hint that the case exists.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models import Case as When_
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from casework.models import Case, CaseStatus, Child, ChildMerge, Event
from casework.workload import (
    due_this_week_q,
    due_today_q,
    investigation_complete_q,
    overdue_q,
    pending_q,
    untraceable_q,
    week_end,
    workload_counts,
)
from cme.models import CASEWORK_ROLES, User
from cme.selectors import active_users
from schools.models import SchoolReturn
from schools.selectors import with_absence_threshold

#: "Newly allocated" on my cases: allocated within this many days.
NEWLY_ALLOCATED_DAYS = 7


def _require_caseworker(user: User) -> None:
    if not user.is_authenticated or not user.is_caseworker:
        raise Http404


def cases_visible_to(user: User) -> QuerySet[Case]:
    _require_caseworker(user)
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
        cases_visible_to(user).select_related("child__last_school", "outcome_school"),
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


def team_workload(user: User) -> QuerySet[User]:
    """Per officer (and manager): open, due this week and overdue cases, in one query."""
    _require_caseworker(user)
    return (
        active_users(*CASEWORK_ROLES)
        .annotate(**workload_counts(timezone.localdate()))
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
    """The child, annotated ``has_merges`` (so that pages ask for the merges only if any)."""
    _require_caseworker(user)
    return get_object_or_404(
        Child.objects.annotate(has_merges=Exists(ChildMerge.objects.filter(kept=OuterRef("pk")))),
        pk=child_id,
    )


def child_page_target(user: User, child_id: int) -> tuple[Child, Child | None]:
    """The child asked for, and the record it now lives on when it was merged away."""
    child = child_for_view(user, child_id)
    kept = child
    seen = {child.pk}
    while kept.merged_into_id is not None and kept.merged_into_id not in seen:
        seen.add(kept.merged_into_id)
        kept = Child.objects.get(pk=kept.merged_into_id)
    return child, (kept if kept.pk != child.pk else None)


def child_cases(child: Child) -> list[Case]:
    return list(
        child.cases.select_related("allocated_to", "referral").order_by("-received_on", "-pk")
    )


def active_children_search(user: User, query: str, *, exclude: Child) -> QuerySet[Child]:
    """Active (not merged away) children matching a name, a date of birth or a UPN.

    Each word of the query must match a first, last or other name, the UPN, or (as
    DD/MM/YYYY or YYYY-MM-DD) the date of birth.
    """
    _require_caseworker(user)
    children = Child.objects.filter(merged_into__isnull=True).exclude(pk=exclude.pk)
    words = query.split()
    if not words:
        return children.none()
    for word in words:
        condition = (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(other_names__icontains=word)
            | Q(upn__iexact=word)
        )
        born = _parse_date(word)
        if born is not None:
            condition |= Q(date_of_birth=born)
        children = children.filter(condition)
    return children.order_by("last_name", "first_name", "pk")


def _parse_date(text: str) -> date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def active_child(user: User, child_id: int) -> Child:
    _require_caseworker(user)
    return get_object_or_404(Child, pk=child_id, merged_into__isnull=True)


def merges_of(child: Child) -> QuerySet[ChildMerge]:
    """Merges into this record, newest first (undone ones too, for the record)."""
    return child.merges_kept.select_related("merged", "created_by", "undone_by")


def merge_for_view(user: User, merge_id: int) -> ChildMerge:
    _require_caseworker(user)
    return get_object_or_404(ChildMerge.objects.select_related("kept", "merged"), pk=merge_id)


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
