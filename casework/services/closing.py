"""Closing a case with its outcome (DOMAIN: "Outcomes"), and reopening a closed one.

The same rules as casework.services.cases (atomic, checked, an Event each, optimistic
locking through ``_claim``); split from it only to keep each module short.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from casework.events import record_case_event
from casework.models import Case, CaseStatus, Category, EventKind, Outcome
from casework.services.cases import (
    ERROR_ALREADY_UNTRACEABLE,
    ERROR_INVESTIGATION_INCOMPLETE,
    ERROR_NOT_CLOSED,
    ERROR_OTHER_CASE_OPEN,
    ERROR_OUTCOME_COUNTRY,
    ERROR_OUTCOME_LA,
    ERROR_OUTCOME_LA_ACCEPTED,
    ERROR_OUTCOME_SCHOOL,
    ERROR_OUTCOME_SCHOOL_NAME,
    ERROR_REASON_REQUIRED,
    ERROR_REVIEW_DATE,
    CaseError,
    _claim,
    _require_open,
    _tell_school,
)
from cme.models import User
from cme.outbox import queue_email, queue_letter
from cme.statutory import enquiry_due_date
from referrals.models import address_lines
from schools.models import School

#: The outbox key of the referrer's outcome message (one per closing of the case).
CASE_CLOSED_KEY = "case-closed:"

#: The outcome details, each cleared (an outcome sets the ones it needs).
OUTCOME_DETAILS_CLEARED: dict[str, Any] = {
    "outcome_school": None,
    "outcome_school_name": "",
    "outcome_la": "",
    "outcome_la_accepted": False,
    "outcome_country": "",
    "review_date": None,
}
#: How a closing event's summary starts: the CLOSED events of an untraceable decision (which
#: does not close the case) start otherwise, and the census rule (casework.census) tells the
#: two apart by it.
CLOSED_SUMMARY_PREFIX = "Closed:"
#: Outcomes whose details name a school in this area.
SCHOOL_OUTCOMES = frozenset({Outcome.ON_ROLL_IN_AREA, Outcome.PLACE_STARTED})


def _outcome_details(
    outcome: Outcome,
    *,
    outcome_school: School | None,
    outcome_school_name: str,
    outcome_la: str,
    outcome_la_accepted: bool,
    outcome_country: str,
    review_date: date | None,
) -> dict[str, Any]:
    """The fields an outcome needs, checked; every other outcome field cleared."""
    la = outcome_la.strip()
    in_future = review_date if review_date and review_date > timezone.localdate() else None
    school = [("outcome_school", outcome_school, ERROR_OUTCOME_SCHOOL)]
    # For each outcome, in the order they are checked: (field, value, error if it is empty).
    needs: dict[Outcome, list[tuple[str, Any, str]]] = {
        **dict.fromkeys(SCHOOL_OUTCOMES, school),
        Outcome.ON_ROLL_OTHER_LA: [
            ("outcome_school_name", outcome_school_name.strip(), ERROR_OUTCOME_SCHOOL_NAME),
            ("outcome_la", la, ERROR_OUTCOME_LA),
        ],
        Outcome.MOVED_OTHER_LA: [
            ("outcome_la", la, ERROR_OUTCOME_LA),
            ("outcome_la_accepted", outcome_la_accepted, ERROR_OUTCOME_LA_ACCEPTED),
        ],
        Outcome.MOVED_ABROAD: [("outcome_country", outcome_country.strip(), ERROR_OUTCOME_COUNTRY)],
        Outcome.UNTRACEABLE: [("review_date", in_future, ERROR_REVIEW_DATE)],
    }
    details = dict(OUTCOME_DETAILS_CLEARED)
    for field, value, error in needs.get(outcome, []):
        if not value:
            raise CaseError(error)
        details[field] = value
    return details


@transaction.atomic
def case_close(
    *,
    case: Case,
    by: User,
    outcome: Outcome | str,
    outcome_school: School | None = None,
    outcome_school_name: str = "",
    outcome_la: str = "",
    outcome_la_accepted: bool = False,
    outcome_country: str = "",
    outcome_notes: str = "",
    review_date: date | None = None,
    version: int | None = None,
) -> Case:
    """Record the outcome of a case and tell the referrer (DOMAIN: "Outcomes").

    Untraceable after reasonable enquiries is the one outcome that does not close the case:
    the child stays on the register as CME-missing with a review date, and the initial
    investigation must be complete first.
    """
    _require_open(case)
    outcome = Outcome(outcome)
    if outcome == Outcome.UNTRACEABLE:
        if case.outcome == Outcome.UNTRACEABLE:
            raise CaseError(ERROR_ALREADY_UNTRACEABLE)
        if case.investigation_completed_at is None:
            raise CaseError(ERROR_INVESTIGATION_INCOMPLETE)
    details = _outcome_details(
        outcome,
        outcome_school=outcome_school,
        outcome_school_name=outcome_school_name,
        outcome_la=outcome_la,
        outcome_la_accepted=outcome_la_accepted,
        outcome_country=outcome_country,
        review_date=review_date,
    )
    changes: dict[str, Any] = {
        **details,
        "outcome": outcome,
        "outcome_notes": outcome_notes.strip(),
        "updated_by": by,
    }
    if outcome == Outcome.UNTRACEABLE:
        changes["category"] = Category.MISSING
        summary = f"Untraceable after reasonable enquiries: review on {review_date:%-d %B %Y}"
    else:
        changes.update(status=CaseStatus.CLOSED, closed_at=timezone.now())
        summary = f"{CLOSED_SUMMARY_PREFIX} {outcome.label}"
    _claim(case, version, **changes)
    if outcome != Outcome.UNTRACEABLE:
        _tell_school(case, outcome.label)
    record_case_event(case, EventKind.CLOSED, by, summary, outcome_notes.strip())
    _tell_referrer_outcome(case, outcome)
    return case


def _tell_referrer_outcome(case: Case, outcome: Outcome) -> None:
    """The referrer is told the outcome (DOMAIN), through the outbox (the request never waits
    on a mail server or GOV.UK Notify): by email, or by a letter if they gave a postal
    address and no email; neither, nothing. The subject names no child."""
    referral = case.referral
    if referral.anonymous:
        return
    subject = f"Your CME referral {referral.reference}: outcome"
    body = (
        f"Thank you for your referral {referral.reference}. "
        f"The outcome of our enquiries: {outcome.label}."
    )
    fields = {"reference": referral.reference, "outcome": outcome.label}
    key = f"{CASE_CLOSED_KEY}{case.pk}:{case.version}"
    if referral.referrer_email:
        queue_email(referral.referrer_email, subject, body, key=key, kind="closure", fields=fields)
    elif referral.referrer_address:
        name = referral.referrer_name.strip() or "The referrer"
        queue_letter(
            address=[name, *address_lines(referral.referrer_address)],
            subject=subject,
            body=body,
            key=key,
            kind="referrer_outcome_letter",
            fields=fields,
        )


@transaction.atomic
def case_reopen(*, case: Case, by: User, reason: str, version: int | None = None) -> Case:
    """A closed case back to open, its outcome cleared (the old one stays in the chronology),
    with a new initial-investigation clock: due ``enquiry_due_date`` (10 working days) from
    the day it is reopened."""
    if case.status != CaseStatus.CLOSED:
        raise CaseError(ERROR_NOT_CLOSED)
    reason = reason.strip()
    if not reason:
        raise CaseError(ERROR_REASON_REQUIRED)
    other = (
        Case.objects.filter(child_id=case.child_id, status=CaseStatus.OPEN)
        .exclude(pk=case.pk)
        .values_list("reference", flat=True)
        .first()
    )
    if other:  # the database keeps one open case per child (case_one_open_per_child)
        raise CaseError(ERROR_OTHER_CASE_OPEN.format(reference=other))
    # A reopened case is a new initial investigation: a new clock from today, not the old
    # due date, and the old "investigation complete" cleared (issue 12, A11).
    today = timezone.localdate()
    _claim(
        case,
        version,
        status=CaseStatus.OPEN,
        due_date=enquiry_due_date(today),
        investigation_completed_at=None,
        overdue_flagged_at=None,
        outcome="",
        outcome_notes="",
        closed_at=None,
        updated_by=by,
        **OUTCOME_DETAILS_CLEARED,
    )
    _tell_school(case, None)
    record_case_event(
        case,
        EventKind.REOPENED,
        by,
        f"Case reopened: initial investigation due {case.due_date:%-d %B %Y}",
        reason,
    )
    return case
