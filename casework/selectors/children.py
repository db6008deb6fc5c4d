"""Reads for the child record: the chronology, merges and the child search (404 for anyone
but a caseworker)."""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from casework.models import Case, Child, ChildMerge, Event
from casework.selectors.cases import require_caseworker
from cme.models import User


def chronology(child: Child) -> QuerySet[Event]:
    """What happened to a child, newest first, including children merged into it."""
    return (
        Event.objects.filter(Q(child=child) | Q(child__merged_into=child))
        .select_related("by", "case", "child")
        .order_by("-occurred_at", "-id")
    )


def child_for_view(user: User, child_id: int) -> Child:
    """The child, annotated ``has_merges`` (so that pages ask for the merges only if any)."""
    require_caseworker(user)
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
    require_caseworker(user)
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
    require_caseworker(user)
    return get_object_or_404(Child, pk=child_id, merged_into__isnull=True)


def merges_of(child: Child) -> QuerySet[ChildMerge]:
    """Merges into this record, newest first (undone ones too, for the record)."""
    return child.merges_kept.select_related("merged", "created_by", "undone_by")


def merge_for_view(user: User, merge_id: int) -> ChildMerge:
    require_caseworker(user)
    return get_object_or_404(ChildMerge.objects.select_related("kept", "merged"), pk=merge_id)
