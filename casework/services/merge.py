"""Merging two records of the same child, and undoing a merge (managers only).

A merge moves the duplicate's cases and events onto the record that is kept and remembers
exactly which rows moved (``ChildMerge.moved_case_ids`` / ``moved_event_ids``), so that an
undo puts back those rows and nothing else. The duplicate is never deleted: it points at the
kept record (``merged_into``) and drops out of matching, triage and searches.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from casework.events import record_event
from casework.models import Case, CaseStatus, Child, ChildMerge, Event, EventKind
from casework.services.triage import CHILD_FLAGS
from casework.twins import twin_or_sibling_differences
from cme.audit import record_history
from cme.models import Role, User

ERROR_NOT_A_MANAGER = "Only a CME manager can merge or unmerge child records"
ERROR_SAME_CHILD = "Choose a different record: a record cannot be merged with itself"
ERROR_ALREADY_MERGED = "One of these records has already been merged into another record"
ERROR_REASON_REQUIRED = "Enter the reason"
ERROR_TWIN_REASON_REQUIRED = (
    "These records may be twins or siblings: enter why you are sure they are the same child"
)
ERROR_ALREADY_UNDONE = "This merge has already been undone"
ERROR_KEPT_MERGED_SINCE = (
    "The record kept has since been merged into another record: undo that merge first"
)
ERROR_MERGED_CHANGED = "The merged record is no longer merged into the record kept"
ERROR_TWO_OPEN_CASES = (
    "Both records have an open case ({kept} and {merged}). A child has one open case: close "
    "the duplicate's case first, then merge the records"
)

#: Identifiers copied from the duplicate when the kept record has none.
IDENTIFIERS = ("upn", "nhs_number", "date_of_birth")


class MergeError(Exception):
    """A refused merge or unmerge; the message is safe to show to the manager."""


def _require_manager(by: User) -> None:
    if by.role != Role.MANAGER:
        raise MergeError(ERROR_NOT_A_MANAGER)


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise MergeError(ERROR_REASON_REQUIRED)
    return reason


def _locked(*children: Child) -> dict[int, Child]:
    # Lock in primary-key order so that two merges of the same pair cannot deadlock.
    rows = Child.objects.select_for_update().filter(pk__in=[c.pk for c in children]).order_by("pk")
    return {c.pk: c for c in rows}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _label(child: Child) -> str:
    born = f", born {child.date_of_birth:%-d %B %Y}" if child.date_of_birth else ""
    return f"{child.full_name} (record {child.pk}{born})"


@transaction.atomic
def child_merge(
    *, kept: Child, merged: Child, by: User, reason: str, twin_or_sibling_reason: str = ""
) -> ChildMerge:
    """Merge the duplicate ``merged`` into ``kept``: its cases and events move to ``kept``,
    identifiers missing on ``kept`` are copied and vulnerability flags are ORed.

    Two records that may be twins or siblings (same surname, address or date of birth,
    another first name: casework.twins) are merged only with ``twin_or_sibling_reason``,
    kept on the merge with what differed."""
    _require_manager(by)
    reason = _require_reason(reason)
    if kept.pk == merged.pk:
        raise MergeError(ERROR_SAME_CHILD)
    locked = _locked(kept, merged)
    kept, merged = locked[kept.pk], locked[merged.pk]
    if kept.merged_into_id is not None or merged.merged_into_id is not None:
        raise MergeError(ERROR_ALREADY_MERGED)
    differs = twin_or_sibling_differences(kept, merged)
    twin_or_sibling_reason = twin_or_sibling_reason.strip() if differs else ""
    if differs and not twin_or_sibling_reason:
        raise MergeError(ERROR_TWIN_REASON_REQUIRED)

    open_cases = dict(
        Case.objects.filter(child__in=(kept, merged), status=CaseStatus.OPEN).values_list(
            "child_id", "reference"
        )
    )
    if kept.pk in open_cases and merged.pk in open_cases:  # one open case per child (DB)
        raise MergeError(
            ERROR_TWO_OPEN_CASES.format(kept=open_cases[kept.pk], merged=open_cases[merged.pk])
        )

    case_ids = list(Case.objects.filter(child=merged).order_by("pk").values_list("pk", flat=True))
    event_ids = list(Event.objects.filter(child=merged).order_by("pk").values_list("pk", flat=True))
    Case.objects.filter(pk__in=case_ids).update(
        child=kept, version=F("version") + 1, updated_by=by, updated_at=timezone.now()
    )
    # update() sends no signal: a history row for each moved case, as it now is.
    record_history(list(Case.objects.filter(pk__in=case_ids).order_by("pk")), by=by)
    Event.objects.filter(pk__in=event_ids).update(child=kept)

    copied: dict[str, Any] = {}
    for name in IDENTIFIERS:
        if getattr(kept, name) in (None, "") and getattr(merged, name) not in (None, ""):
            copied[name] = _json(getattr(kept, name))
            setattr(kept, name, getattr(merged, name))
    for flag in CHILD_FLAGS:
        if getattr(merged, flag):
            setattr(kept, flag, True)
    kept.updated_by = by
    kept.save()
    merged.merged_into = kept
    merged.updated_by = by
    merged.save(update_fields=["merged_into", "updated_by", "updated_at"])

    merge = ChildMerge.objects.create(
        kept=kept,
        merged=merged,
        reason=reason,
        moved_case_ids=case_ids,
        moved_event_ids=event_ids,
        copied_fields=copied,
        twin_or_sibling_differences=differs,
        twin_or_sibling_reason=twin_or_sibling_reason,
        created_by=by,
        updated_by=by,
    )
    moved = f"{len(case_ids)} case{'s' if len(case_ids) != 1 else ''} moved"
    record_event(
        child=kept,
        kind=EventKind.MERGED,
        by=by,
        summary=f"{_label(merged)} merged into this record: {moved}",
        detail=reason
        + (
            f"\n\nPossible twin or sibling ({'; '.join(differs)}): {twin_or_sibling_reason}"
            if differs
            else ""
        ),
    )
    return merge


@transaction.atomic
def child_unmerge(*, merge: ChildMerge, by: User, reason: str) -> ChildMerge:
    """Undo a merge: the cases and events it moved go back to the merged record.

    Events recorded on a moved case after the merge go back with their case, so that an
    event never names one child and a case of another.
    """
    _require_manager(by)
    reason = _require_reason(reason)
    merge = ChildMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise MergeError(ERROR_ALREADY_UNDONE)
    locked = _locked(merge.kept, merge.merged)
    kept, merged = locked[merge.kept_id], locked[merge.merged_id]
    if kept.merged_into_id is not None:
        raise MergeError(ERROR_KEPT_MERGED_SINCE)
    if merged.merged_into_id != kept.pk:
        raise MergeError(ERROR_MERGED_CHANGED)

    now = timezone.now()
    back = list(
        Case.objects.filter(pk__in=merge.moved_case_ids, child=kept).values_list("pk", flat=True)
    )
    Case.objects.filter(pk__in=back).update(
        child=merged, version=F("version") + 1, updated_by=by, updated_at=now
    )
    record_history(list(Case.objects.filter(pk__in=back).order_by("pk")), by=by)
    Event.objects.filter(
        Q(pk__in=merge.moved_event_ids) | Q(case_id__in=merge.moved_case_ids), child=kept
    ).update(child=merged)

    restore = {
        name: before
        for name, before in merge.copied_fields.items()
        if _json(getattr(kept, name)) == _json(getattr(merged, name))
    }
    for name, before in restore.items():
        setattr(
            kept, name, date.fromisoformat(before) if name == "date_of_birth" and before else before
        )
    kept.updated_by = by
    kept.save()
    merged.merged_into = None
    merged.updated_by = by
    merged.save(update_fields=["merged_into", "updated_by", "updated_at"])

    merge.undone_at = now
    merge.undone_by = by
    merge.updated_by = by
    merge.save(update_fields=["undone_at", "undone_by", "updated_by", "updated_at"])
    common: dict[str, Any] = {
        "kind": EventKind.UNMERGED,
        "by": by,
        "detail": reason,
        "occurred_at": now,
    }
    record_event(child=kept, summary=f"Merge with {_label(merged)} undone", **common)
    summary = f"Merge into {_label(kept)} undone: this record is separate again"
    record_event(child=merged, summary=summary, **common)
    return merge
