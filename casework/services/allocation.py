"""Who works a case: allocation and reallocation are a manager's decision."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from casework.events import record_event
from casework.models import Case, CaseStatus, EventKind
from cme.models import CASEWORK_ROLES, Role, User

ERROR_NOT_A_MANAGER = "Only a CME manager can allocate cases"
ERROR_NOT_AN_OFFICER = "Cases can only be allocated to an active CME officer or manager"
ERROR_CASE_CLOSED = "A closed case cannot be allocated"
ERROR_CONFLICT = (
    "This case was changed by someone else since you opened this page. "
    "Check the case and try again."
)


class AllocationError(Exception):
    pass


@transaction.atomic
def case_allocate(*, case: Case, officer: User, by: User, version: int | None = None) -> Case:
    """Allocate (or reallocate) an open case to ``officer``.

    ``version``, when given, is the case version the manager's page was drawn from: a case
    saved by someone else since is refused rather than silently reallocated.
    """
    if by.role != Role.MANAGER:
        raise AllocationError(ERROR_NOT_A_MANAGER)
    if not officer.is_active or officer.role not in CASEWORK_ROLES:
        raise AllocationError(ERROR_NOT_AN_OFFICER)
    case = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    if version is not None and case.version != version:
        raise AllocationError(ERROR_CONFLICT)
    if case.status != CaseStatus.OPEN:
        raise AllocationError(ERROR_CASE_CLOSED)
    previous = case.allocated_to
    case.allocated_to = officer
    case.updated_by = by
    case.version += 1
    case.save(update_fields=["allocated_to", "updated_by", "updated_at", "version"])
    summary = f"Allocated to {officer.full_name or officer.email}"
    if previous is not None and previous.pk != officer.pk:
        summary = f"Reallocated from {previous.full_name or previous.email} to {officer.full_name or officer.email}"
    record_event(
        child=case.child,
        case=case,
        kind=EventKind.ALLOCATED,
        by=by,
        summary=summary,
        occurred_at=timezone.now(),
    )
    return case
