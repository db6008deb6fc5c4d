"""The chronology: every service that changes a child's story records an Event here."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from casework.models import Case, Child, Event, EventKind
from cme.models import User


def record_event(
    *,
    child: Child,
    kind: EventKind,
    summary: str,
    by: User | None = None,
    case: Case | None = None,
    detail: str = "",
    occurred_at: datetime | None = None,
) -> Event:
    return Event.objects.create(
        child=child,
        case=case,
        kind=kind,
        by=by,
        summary=summary[:300],
        detail=detail,
        occurred_at=occurred_at or timezone.now(),
    )


def record_case_event(
    case: Case, kind: EventKind, by: User | None, summary: str, detail: str = ""
) -> Event:
    """An event on a case, in its child's chronology."""
    return record_event(
        child=case.child, case=case, kind=kind, by=by, summary=summary, detail=detail
    )
