"""Who works a case: allocation and reallocation are a manager's decision; an officer may
pick up an open case nobody has (issue 12, A14). Whoever a case is allocated to is told in
the app, with a link to the case itself."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from casework.events import record_case_event
from casework.models import Case, CaseStatus, EventKind
from cme.models import CASEWORK_ROLES, Role, User
from cme.notifications import notify

ERROR_NOT_A_MANAGER = "Only a CME manager can allocate cases"
ERROR_NOT_AN_OFFICER = "Cases can only be allocated to an active CME officer or manager"
ERROR_CASE_CLOSED = "A closed case cannot be allocated"
ERROR_NOT_A_CASEWORKER = "Only a CME officer can pick up a case"
ERROR_ALREADY_ALLOCATED = "This case is already allocated: ask a manager to reallocate it"
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
    case = _locked_open_case(case, version)
    previous = case.allocated_to
    case.allocated_to = officer
    case.updated_by = by
    case.version += 1
    case.save(update_fields=["allocated_to", "updated_by", "updated_at", "version"])
    summary = f"Allocated to {officer.full_name or officer.email}"
    if previous is not None and previous.pk != officer.pk:
        summary = f"Reallocated from {previous.full_name or previous.email} to {officer.full_name or officer.email}"
    record_case_event(case, EventKind.ALLOCATED, by, summary)
    if previous is None or previous.pk != officer.pk:
        _tell_allocated(case, officer, email=officer.pk != by.pk)
    return case


def _locked_open_case(case: Case, version: int | None) -> Case:
    """The case, locked for this transaction: refused if it has been saved since ``version``
    (when given) or is no longer open."""
    case = Case.objects.select_for_update().select_related("child").get(pk=case.pk)
    if version is not None and case.version != version:
        raise AllocationError(ERROR_CONFLICT)
    if case.status != CaseStatus.OPEN:
        raise AllocationError(ERROR_CASE_CLOSED)
    return case


def _tell_allocated(case: Case, officer: User, *, email: bool) -> None:
    """An in-app notification (and an email, through the outbox, unless they did it
    themselves) linking to the case; the title carries the reference only."""
    notify(
        [officer],
        key=f"case-allocated:{case.pk}:{case.version}",
        title=f"Case {case.reference} allocated to you",
        body="Open the case to see the referral and start the initial investigation.",
        url=reverse("cases:detail", args=[case.reference]),
        email=email,
    )


@transaction.atomic
def case_pick_up(*, case: Case, by: User, version: int | None = None) -> Case:
    """An officer takes an open, unallocated case themselves (recorded in the chronology and
    the case's history); refused if someone got to it first."""
    if not by.is_active or by.role not in CASEWORK_ROLES:
        raise AllocationError(ERROR_NOT_A_CASEWORKER)
    case = _locked_open_case(case, version)
    if case.allocated_to_id is not None:
        raise AllocationError(ERROR_ALREADY_ALLOCATED)
    case.allocated_to = by
    case.updated_by = by
    case.version += 1
    case.save(update_fields=["allocated_to", "updated_by", "updated_at", "version"])
    record_case_event(case, EventKind.ALLOCATED, by, f"Picked up by {by.full_name or by.email}")
    _tell_allocated(case, by, email=False)
    return case
