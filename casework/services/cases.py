"""Work on an open case: enquiries, notes, the initial investigation, category, escalation,
closure with an outcome, and reopening.

Every service is atomic, checks the transition it makes, records an Event for the chronology
and bumps ``Case.version`` with a conditional UPDATE (optimistic locking): a caller that
passes the ``version`` it read is refused if someone else saved the case in between.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from casework.events import record_case_event
from casework.models import (
    Case,
    CaseNote,
    CaseStatus,
    Category,
    CmeReason,
    Enquiry,
    EnquiryResult,
    EnquiryType,
    EventKind,
)
from cme.audit import record_history
from cme.models import User
from cme.notifications import managers, notify
from cme.statutory import compulsory_school_age
from schools.services import return_outcome_record


class CaseError(Exception):
    """An illegal transition on a case; the message is safe to show to the officer."""


ERROR_CONFLICT = (
    "This case was changed by someone else since you opened this page. "
    "Check the case and try again."
)
ERROR_NOT_OPEN = "This case is closed: reopen it first"
ERROR_NOT_CLOSED = "Only a closed case can be reopened"
ERROR_OTHER_CASE_OPEN = (
    "This child already has an open case ({reference}): work that case, or close it first"
)
ERROR_MADE_ON_FUTURE = "The date of the enquiry must be today or in the past"
ERROR_ALREADY_COMPLETE = "The initial investigation is already complete"
ERROR_NO_ENQUIRIES = "Record at least one enquiry before completing the initial investigation"
ERROR_INVESTIGATION_INCOMPLETE = (
    "Complete the initial investigation before recording the child as untraceable"
)
ERROR_REASON_REQUIRED = "Enter the reason"
ERROR_SAME_CATEGORY = "The case is already in this category"
ERROR_NOTE_EMPTY = "Enter the note"
ERROR_ALREADY_UNTRACEABLE = "The child is already recorded as untraceable"
ERROR_OUTCOME_SCHOOL = "Select the school the child is on the roll of"
ERROR_OUTCOME_SCHOOL_NAME = "Enter the name of the school in the other local authority"
ERROR_OUTCOME_LA = "Enter the other local authority"
ERROR_OUTCOME_LA_ACCEPTED = "The other local authority must have accepted the child"
ERROR_OUTCOME_COUNTRY = "Enter the country the child moved to"
ERROR_REVIEW_DATE = "Enter a review date in the future"
ERROR_BELOW_CSA = (
    "The child is not of compulsory school age until {start:%-d %B %Y}: "
    "the case cannot be CME-WASP or CME-missing before then"
)


ERROR_REASON_NOT_IN_USE = "Select a primary reason from this year's list"


def checked_reason(primary_reason: CmeReason | str) -> CmeReason:
    """The DfE primary reason, which must be in this year's list (issue 15: the list is data,
    each item applying from a term; a retired code cannot be chosen anew)."""
    code = primary_reason.code if isinstance(primary_reason, CmeReason) else primary_reason
    reason = CmeReason.objects.filter(pk=code).first()
    if reason is None or not reason.applies_on(timezone.localdate()):
        raise CaseError(ERROR_REASON_NOT_IN_USE)
    return reason


def _claim(case: Case, version: int | None, **changes: Any) -> None:
    """Apply ``changes`` and bump the version in one conditional UPDATE.

    ``WHERE version = <the version read>``: if no row matches, someone else saved first.
    The in-memory ``case`` is brought up to date so callers can keep using it.
    """
    expected = case.version if version is None else version
    if version is not None and case.version != version:
        raise CaseError(ERROR_CONFLICT)
    changes["updated_at"] = timezone.now()
    updated = Case.objects.filter(pk=case.pk, version=expected).update(
        version=F("version") + 1, **changes
    )
    if updated != 1:
        raise CaseError(ERROR_CONFLICT)
    for name, value in changes.items():
        setattr(case, name, value)
    case.version = expected + 1
    # The conditional UPDATE sends no signal: write the audit-trail row ourselves.
    record_history([case], by=changes.get("updated_by"))


def _tell_school(case: Case, outcome: str | None) -> None:
    """The school whose return raised the referral sees where the case has got to on its
    list of submissions (SCREENS: "Closed: on roll elsewhere"): the outcome when the case
    closes, None when it reopens (`schools.services.return_outcome_record`)."""
    school_return = case.referral.source_return
    if school_return is not None:
        return_outcome_record(school_return=school_return, outcome=outcome, by=case.updated_by)


def _require_open(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise CaseError(ERROR_NOT_OPEN)


@transaction.atomic
def enquiry_record(
    *,
    case: Case,
    by: User,
    enquiry_type: EnquiryType | str,
    made_on: date,
    result: EnquiryResult | str,
    contact: str = "",
    notes: str = "",
    version: int | None = None,
) -> Enquiry:
    """A reasonable enquiry: whom, when and the result (DOMAIN: initial investigation)."""
    _require_open(case)
    if made_on > timezone.localdate():
        raise CaseError(ERROR_MADE_ON_FUTURE)
    _claim(case, version, updated_by=by)
    enquiry = Enquiry.objects.create(
        case=case,
        enquiry_type=enquiry_type,
        made_on=made_on,
        made_by=by,
        contact=contact,
        result=result,
        notes=notes,
        created_by=by,
        updated_by=by,
    )
    record_case_event(
        case,
        EventKind.ENQUIRY,
        by,
        f"{EnquiryType(enquiry_type).label}: {EnquiryResult(result).label}",
        "\n".join(p for p in (contact, notes) if p),
    )
    return enquiry


@transaction.atomic
def case_note_add(*, case: Case, by: User, text: str, version: int | None = None) -> CaseNote:
    text = text.strip()
    if not text:
        raise CaseError(ERROR_NOTE_EMPTY)
    _claim(case, version, updated_by=by)
    note = CaseNote.objects.create(case=case, text=text, created_by=by, updated_by=by)
    record_case_event(case, EventKind.NOTE, by, "Note added", text)
    return note


@transaction.atomic
def investigation_complete(*, case: Case, by: User, version: int | None = None) -> Case:
    """Stop the initial-investigation clock (10 working days from the referral: Derbyshire's
    policy, ``CME_ENQUIRY_WORKING_DAYS``). Needs at least one recorded enquiry."""
    _require_open(case)
    if case.investigation_completed_at is not None:
        raise CaseError(ERROR_ALREADY_COMPLETE)
    if not case.enquiries.exists():
        raise CaseError(ERROR_NO_ENQUIRIES)
    now = timezone.now()
    _claim(case, version, investigation_completed_at=now, updated_by=by)
    on_time = timezone.localdate(now) <= case.due_date
    record_case_event(
        case,
        EventKind.INVESTIGATION,
        by,
        "Initial investigation completed" + ("" if on_time else " (late)"),
    )
    return case


@transaction.atomic
def case_category_change(
    *,
    case: Case,
    by: User,
    category: Category | str,
    reason: str,
    version: int | None = None,
    primary_reason: CmeReason | str | None = None,
) -> Case:
    """Move a case between CME-WASP (whereabouts known) and CME-missing (unknown), with the
    primary reason for the CME return (issue 15) as it stands now (None keeps it)."""
    _require_open(case)
    reason = reason.strip()
    if not reason:
        raise CaseError(ERROR_REASON_REQUIRED)
    if category == case.category:
        raise CaseError(ERROR_SAME_CATEGORY)
    dob = case.child.date_of_birth
    if dob is not None and timezone.localdate() < compulsory_school_age(dob)[0]:
        # s8(2): not missing education before compulsory school age begins (issue 12, A8).
        raise CaseError(ERROR_BELOW_CSA.format(start=compulsory_school_age(dob)[0]))
    old = Category(case.category).label
    changes: dict[str, Any] = {"category": category, "updated_by": by}
    summary = f"Category changed from {old} to {Category(category).label}"
    if primary_reason is not None:
        chosen = checked_reason(primary_reason)
        if chosen.pk != case.primary_reason_id:
            changes["primary_reason"] = chosen
            summary += f"; primary reason {chosen.label}"
    _claim(case, version, **changes)
    record_case_event(case, EventKind.CATEGORY, by, summary, reason)
    return case


@transaction.atomic
def case_escalate(
    *,
    case: Case,
    by: User,
    reason: str,
    social_care_referred: bool,
    version: int | None = None,
) -> Case:
    """Escalation at once: a child protection plan, looked after, or a safeguarding concern
    goes to children's social care (DOMAIN: "Escalation at once"). Managers are notified in the
    app and by email (the outbox)."""
    _require_open(case)
    reason = reason.strip()
    if not reason:
        raise CaseError(ERROR_REASON_REQUIRED)
    now = timezone.now()
    changes: dict[str, Any] = {"escalated_at": now, "escalation_reason": reason, "updated_by": by}
    if social_care_referred:
        changes["social_care_referred_at"] = now
    _claim(case, version, **changes)
    record_case_event(
        case,
        EventKind.ESCALATED,
        by,
        "Escalated" + (" and referred to children's social care" if social_care_referred else ""),
        reason,
    )
    tell_managers_escalated(
        case, f"{case.version}", f"Case {case.reference} has been escalated by {by.full_name}."
    )
    return case


def tell_managers_escalated(case: Case, key: str, body: str) -> None:
    """The managers are told in the app and by email (through the outbox: the request never
    waits on a mail server). The title is the email subject: the case reference only."""
    notify(
        managers(),
        key=f"case-escalated:{case.pk}:{key}",
        title=f"CME case {case.reference} escalated",
        body=body,
        url=reverse("cases:detail", args=[case.reference]),
    )
